/**
 * Regular expressions from configuration run on a linear-time engine. Trigger and detection
 * patterns may come from a workspace file, and JavaScript's backtracking engine takes exponential
 * time on patterns like `(a+)+$` (30 s on a 28-character question); matching is synchronous, so
 * one such pattern would hang the extension host or the CLI. `re2js` is a pure-JavaScript port of
 * RE2 (no native code, ~260 KB): matching time is linear in the text for every pattern. The price
 * is RE2's syntax: no backreferences and no lookahead/lookbehind, which are refused here with a
 * clear message, so the config loader reports them at their location.
 */
import { RE2JS } from 're2js';

export interface LinearRegexOptions {
  ignoreCase?: boolean;
  /** `^` and `$` match at line breaks. */
  multiline?: boolean;
}

export interface LinearMatch {
  index: number;
  /** The whole match and its groups (undefined when a group did not take part). */
  groups: Array<string | undefined>;
}

export class LinearRegex {
  private readonly re: RE2JS;

  constructor(
    readonly source: string,
    options: LinearRegexOptions = {},
  ) {
    const flags = (options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (options.multiline ? RE2JS.MULTILINE : 0);
    try {
      this.re = RE2JS.compile(source, flags);
    } catch (error) {
      throw new Error(explain(source, (error as Error).message), { cause: error });
    }
  }

  /** Whether the pattern matches anywhere in `text`. */
  test(text: string): boolean {
    return this.re.test(text);
  }

  /** Successive matches, at most `limit`. */
  *matches(text: string, limit = Number.MAX_SAFE_INTEGER): Generator<LinearMatch> {
    const matcher = this.re.matcher(text);
    const groups = matcher.groupCount();
    for (let n = 0; n < limit && matcher.find(); n++) {
      const found: Array<string | undefined> = [];
      for (let g = 0; g <= groups; g++) found.push(matcher.group(g) ?? undefined);
      yield { index: matcher.start(), groups: found };
    }
  }
}

/** Throws a readable error when `source` cannot run on the linear-time engine. */
export function checkLinearPattern(source: string, options: LinearRegexOptions = {}): void {
  new LinearRegex(source, options);
}

function explain(source: string, message: string): string {
  const detail = message.replace(/^error parsing regexp: /, '');
  if (/\\[1-9]/.test(source) || /\(\?<?[=!]/.test(source))
    return `unsupported regular expression (backreferences and lookaround cannot run in linear time): ${detail}`;
  return `invalid regular expression: ${detail}`;
}
