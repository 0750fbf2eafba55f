/**
 * The canonical form of a cache key. Two questions that differ only in spacing or letter case are
 * the same question, so they share one cache entry (and one single-flight walk).
 *
 * Normalisation:
 * - query text: Unicode NFKC, trimmed, every run of whitespace (spaces, tabs, newlines) collapsed to
 *   one space, then lower-cased. Case carries no meaning in the questions users ask ("How to use
 *   numpy.Array" vs "how to use numpy.array") and the answers come from case-insensitive searches.
 * - context type and language: trimmed and lower-cased (`Python` and `python` are one language id).
 * - library id: trimmed and lower-cased (context7 and GitHub ids are case-insensitive); absent → empty.
 * The parts are joined as a JSON array with a version tag, so no separator inside a part can make
 * two different tuples collide, and a future change of the normalisation changes every key.
 */
import type { ContextType } from '../knowledge';

const KEY_VERSION = 'k1';

export interface CacheKeyParts {
  contextType: ContextType;
  text: string;
  language?: string;
  libraryId?: string;
}

/** Normalises query text as described above (whitespace collapsed, lower case). */
export function normaliseQueryText(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

function normaliseToken(value: string | undefined): string {
  return (value ?? '').trim().toLowerCase();
}

/** The canonical cache key of a query. Equal for queries that differ only in spacing or case. */
export function cacheKey(parts: CacheKeyParts): string {
  return JSON.stringify([
    KEY_VERSION,
    normaliseToken(parts.contextType),
    normaliseQueryText(parts.text),
    normaliseToken(parts.language),
    normaliseToken(parts.libraryId),
  ]);
}
