/** The answer panel's copy of a hierarchy result: only the fields the panel shows. */
import type { FetchResult } from '../../core/knowledge';
import type { AnswerView } from '../../../media/src/lib/protocol';

export function answerViewFrom(
  result: FetchResult,
  query: string,
  kind: AnswerView['kind'],
  signature?: string,
): AnswerView {
  return {
    query,
    kind,
    success: result.success,
    content: result.content,
    source: result.source,
    latencyMs: result.latencyMs,
    cached: result.cached,
    contextType: result.contextType,
    trail: result.trail.map((t) => ({
      layer: t.layer,
      outcome: t.outcome,
      latencyMs: t.latencyMs,
      ...(t.server !== undefined ? { server: t.server } : {}),
      ...(t.detail !== undefined ? { detail: t.detail } : {}),
    })),
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(signature !== undefined ? { signature } : {}),
  };
}
