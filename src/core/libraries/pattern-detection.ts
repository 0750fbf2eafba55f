/**
 * The guide's regex `detection_patterns`: a fallback for languages without a grammar. Regexes
 * cannot tell code from strings or comments (the benchmark counts what that costs). Patterns may
 * come from a workspace's library-cache.yaml and documents are unbounded, so they run on the
 * linear-time engine.
 */
import { LinearRegex } from '../triggers/linear-regex';
import type { LibraryCacheFile } from './schema';
import { languageFamily } from './language-family';

export interface PatternMatch {
  /** Module (group 1) or the pattern's `library`. */
  module: string;
  line: number;
}

const MAX_MATCHES = 10_000;

/** Patterns for a language (VS Code id or family); patterns without a language apply to all. */
export function patternsFor(file: LibraryCacheFile, language: string): { regex: LinearRegex; library?: string }[] {
  const family = languageFamily(language);
  return Object.values(file.detection_patterns)
    .flat()
    .filter((p) => p.language === undefined || p.language === family || p.language === language)
    .map((p) => ({
      regex: new LinearRegex(p.pattern, { multiline: true }),
      ...(p.library ? { library: p.library } : {}),
    }));
}

/** Every pattern match in `text`, deduplicated by module (first line wins). */
export function detectWithPatterns(text: string, patterns: { regex: LinearRegex; library?: string }[]): PatternMatch[] {
  const found = new Map<string, PatternMatch>();
  for (const { regex, library } of patterns) {
    // Matches come in order, so lines are counted incrementally (linear in the text).
    let line = 0;
    let counted = 0;
    for (const match of regex.matches(text, MAX_MATCHES)) {
      line += countBreaks(text, counted, match.index);
      counted = match.index;
      const module = library ?? match.groups[1];
      if (!module || found.has(module)) continue;
      found.set(module, { module, line });
    }
  }
  return [...found.values()].sort((a, b) => a.line - b.line);
}

function countBreaks(text: string, from: number, to: number): number {
  let breaks = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) breaks++;
  return breaks;
}
