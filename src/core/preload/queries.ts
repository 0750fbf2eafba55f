/**
 * What "the docs of a library" means as a hierarchy query. The preloader fetches these, and the
 * runtime's `cachedDocsFor` reads the first topic's query back from the cache, so both must build
 * the query the same way: through this function.
 */
import { CONTEXT_TYPES, type KnowledgeQuery } from '../knowledge';

/** Topics preloaded per library. The first is the one hovers read. */
export const DEFAULT_TOPICS: readonly string[] = ['overview', 'getting started', 'api reference'];

export function libraryDocsQuery(libraryId: string, topic: string): KnowledgeQuery {
  return { text: topic, contextType: CONTEXT_TYPES.libraryApi, libraryId, hints: { topic } };
}
