/**
 * The guide's regex `detection_patterns`: a fallback for languages without a grammar. Regexes
 * cannot tell code from strings or comments (the benchmark counts what that costs).
 */
import type { LibraryCacheFile } from './schema';
import { languageFamily } from './language-family';

export interface PatternMatch {
  /** Module (group 1) or the pattern's `library`. */
  module: string;
  line: number;
}

const MAX_MATCHES = 10_000;

/** Patterns for a language (VS Code id or family); patterns without a language apply to all. */
export function patternsFor(file: LibraryCacheFile, language: string): { regex: RegExp; library?: string }[] {
  const family = languageFamily(language);
  return Object.values(file.detection_patterns)
    .flat()
    .filter((p) => p.language === undefined || p.language === family || p.language === language)
    .map((p) => ({ regex: new RegExp(p.pattern, 'gm'), ...(p.library ? { library: p.library } : {}) }));
}

/** Every pattern match in `text`, deduplicated by module (first line wins). */
export function detectWithPatterns(text: string, patterns: { regex: RegExp; library?: string }[]): PatternMatch[] {
  const found = new Map<string, PatternMatch>();
  for (const { regex, library } of patterns) {
    regex.lastIndex = 0;
    let count = 0;
    // Matches come in order, so lines are counted incrementally (linear in the text).
    let line = 0;
    let counted = 0;
    for (let match = regex.exec(text); match && count < MAX_MATCHES; match = regex.exec(text), count++) {
      if (match[0].length === 0) regex.lastIndex++;
      line += countBreaks(text, counted, match.index);
      counted = match.index;
      const module = library ?? match[1];
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
