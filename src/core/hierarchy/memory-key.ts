/**
 * Memory-layer servers (memory-bank, server-memory, serena's memories) key what they store by text
 * alone. The same question about two libraries ("getting started" for numpy and for torch) must
 * not share an entry, so the library a query is scoped to becomes part of the text those layers
 * see — for reads and for write-back alike. Read-only layers (docs, github) get the query as asked.
 */
import type { KnowledgeAdapter, KnowledgeQuery } from '../knowledge';

export function memoryKey(query: Pick<KnowledgeQuery, 'text' | 'libraryId'>): string {
  return query.libraryId && !query.text.includes(query.libraryId) ? `${query.text} [${query.libraryId}]` : query.text;
}

/** The query as `adapter` should see it. */
export function queryForAdapter(adapter: KnowledgeAdapter, query: KnowledgeQuery): KnowledgeQuery {
  return adapter.writable ? { ...query, text: memoryKey(query) } : query;
}
