/**
 * The shapes a lookup's outcome takes on its way out of the hierarchy: a flight's result (shared by
 * every caller of one walk), failures with their trail and a readable summary, and cached answers.
 */
import { CONTEXT_TYPES, type ContextType, type FetchResult, type KnowledgeQuery, type TrailEntry } from '../knowledge';
import type { CacheLevel } from '../store/cache-types';
import type { Cancellation } from './cancellation';
import type { CacheAddress } from './types';

/** The trail and `source` name of the local cache. */
export const LOCAL_CACHE = 'local-cache';

export interface FlightResult {
  content: string | null;
  source: string | null;
  cached: boolean;
  level?: CacheLevel;
  error?: string;
  trail: TrailEntry[];
}

export function toQuery(query: string | KnowledgeQuery, options: CacheAddress): KnowledgeQuery {
  const base: KnowledgeQuery = typeof query === 'string' ? { text: query, contextType: CONTEXT_TYPES.general } : query;
  return {
    ...base,
    contextType: options.contextType ?? base.contextType,
    ...((options.language ?? base.language) ? { language: options.language ?? base.language } : {}),
    ...((options.libraryId ?? base.libraryId) ? { libraryId: options.libraryId ?? base.libraryId } : {}),
  };
}

export function failure(error: string, trail: TrailEntry[]): FlightResult {
  return { content: null, source: null, cached: false, error, trail };
}

export function cachedResult(
  contextType: ContextType,
  content: string,
  level: CacheLevel,
  latencyMs: number,
): FetchResult {
  return {
    success: true,
    content,
    source: LOCAL_CACHE,
    latencyMs,
    cached: true,
    contextType,
    trail: [{ layer: LOCAL_CACHE, outcome: 'hit', latencyMs, detail: level }],
  };
}

export function summariseFailure(contextType: ContextType, trail: TrailEntry[], cancellation: Cancellation): string {
  if (cancellation.aborted)
    return `lookup cancelled (${typeof cancellation.reason === 'string' ? cancellation.reason : 'aborted'})`;
  const steps = trail
    .filter((entry) => entry.layer !== LOCAL_CACHE)
    .map(
      (entry) =>
        `${entry.layer}${entry.server ? ` (${entry.server})` : ''}: ${entry.outcome}${entry.detail ? ` — ${entry.detail}` : ''}`,
    );
  return `No layer had an answer for this ${contextType} question. ${steps.join('; ')}`;
}
