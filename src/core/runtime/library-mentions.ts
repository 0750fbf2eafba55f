/**
 * Which known library a question names ("how do axios interceptors work" → axios). Registry aliases
 * include short and everyday words ("ts", "go", "type"), so short words and common English are
 * skipped: a false match would send the question to the wrong library's docs.
 */

/** Words that alias a library in the registry but, in a question, are almost always just English. */
const NOT_LIBRARY_NAMES: ReadonlySet<string> = new Set([
  'the',
  'and',
  'for',
  'how',
  'use',
  'using',
  'with',
  'what',
  'why',
  'when',
  'does',
  'error',
  'type',
  'types',
  'test',
  'tests',
  'time',
  'path',
  'http',
  'json',
  'api',
  'app',
  'run',
  'get',
  'set',
  'new',
  'async',
  'date',
  'string',
]);

export interface LibraryMention {
  /** The word as it appears in the question (lower case). */
  word: string;
  libraryId: string;
}

/** The first word of `question` that `lookup` knows as a library, or undefined. */
export function libraryMentionedIn(
  question: string,
  lookup: (word: string) => string | null,
): LibraryMention | undefined {
  for (const raw of question.toLowerCase().match(/[@a-z0-9_./-]+/g) ?? []) {
    const word = raw.replace(/[.,:;!?]+$/, '');
    if (word.length < 3 || NOT_LIBRARY_NAMES.has(word)) continue;
    const libraryId = lookup(word);
    if (libraryId) return { word, libraryId };
  }
  return undefined;
}
