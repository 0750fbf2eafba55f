/**
 * Picks the symbol a free-text question is about: `Trainer.fit`, `Trainer::fit` and `Trainer/fit`
 * all become serena's name path `Trainer/fit`; in a sentence the most code-like word wins.
 */
const IDENTIFIER_PATH = /[A-Za-z_$][\w$]*(?:(?:\.|::|\/|#)[A-Za-z_$][\w$]*)*/g;

const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'be',
  'by',
  'class',
  'def',
  'defined',
  'definition',
  'does',
  'find',
  'for',
  'function',
  'how',
  'in',
  'is',
  'it',
  'method',
  'of',
  'on',
  'or',
  'show',
  'symbol',
  'the',
  'to',
  'what',
  'where',
  'which',
  'who',
  'why',
  'with',
]);

/** Returns the name path to look up, or undefined when the text holds nothing identifier-like. */
export function symbolNamePath(text: string): string | undefined {
  const candidates = (text.match(IDENTIFIER_PATH) ?? []).filter((word) => !STOP_WORDS.has(word.toLowerCase()));
  if (candidates.length === 0) return undefined;
  const best = candidates.reduce((winner, word) => (codeLikeness(word) > codeLikeness(winner) ? word : winner));
  return best.replace(/::|\.|#/g, '/');
}

function codeLikeness(word: string): number {
  let score = Math.min(word.length, 30) / 30;
  if (/[./#]|::/.test(word)) score += 3;
  if (/_/.test(word)) score += 2;
  if (/[a-z][A-Z]|^[A-Z][a-z]+[A-Z]/.test(word)) score += 2;
  if (/^[A-Z]/.test(word)) score += 1;
  return score;
}
