/**
 * What "the docs of a library" and "the docs of one of its members" mean as hierarchy queries.
 * The preloader fetches these, and hovers, first questions and anything else that shares docs
 * entries (the agent gateway) read them back through the same functions: a docs entry's cache
 * key is `cacheKey(<query>)` of the query built here, and nowhere else.
 */
import { CONTEXT_TYPES, type KnowledgeQuery } from '../knowledge';
import { cacheKey } from '../store/cache-key';

/** Topics preloaded per library. The first is the one hovers read. */
export const DEFAULT_TOPICS: readonly string[] = ['overview', 'getting started', 'api reference'];

export function libraryDocsQuery(libraryId: string, topic: string): KnowledgeQuery {
  return { text: topic, contextType: CONTEXT_TYPES.libraryApi, libraryId, hints: { topic } };
}

/**
 * A version spec from a manifest as it goes into a key: operators and spaces dropped
 * (`^19.0.0` → `19.0.0`, `==2.2.3` → `2.2.3`); empty or unusable → undefined.
 */
export function normaliseVersion(spec: string | undefined): string | undefined {
  const cleaned =
    (spec ?? '')
      .trim()
      .replace(/^[\s^~=<>!v]+/, '')
      .split(/[\s,;]/)[0] ?? '';
  return /^\d[\w.+-]{0,40}$/.test(cleaned) ? cleaned : undefined;
}

/**
 * The docs of one member (`read_csv` of `/pandas-dev/pandas`), for one version of the library when
 * the manifest says which: the version is part of the text (so of the key), so a new version is a
 * new entry and the old one is never served for it. The docs server is asked about the member only.
 */
export function memberDocsQuery(libraryId: string, member: string, version?: string): KnowledgeQuery {
  const normalised = normaliseVersion(version);
  return {
    text: normalised ? `${member} @${normalised}` : member,
    contextType: CONTEXT_TYPES.libraryApi,
    libraryId,
    hints: { topic: member, ...(normalised ? { version: normalised } : {}) },
  };
}

/** The cache key of a docs entry: the one function every reader and writer of docs entries uses. */
export function docsEntryKey(query: KnowledgeQuery): string {
  return cacheKey(query);
}
