/** The answer panel's copy of a hierarchy result: only the fields the panel shows. */
import { rememberedNote } from '../../core/fixes/remembered-note';
import type { FixResult } from '../../core/fixes/types';
import type { FetchResult } from '../../core/knowledge';
import type { AnswerView } from '../../../media/src/lib/protocol';

export function answerViewFrom(
  result: FetchResult & Partial<Pick<FixResult, 'rememberedBy' | 'rememberedAt'>>,
  query: string,
  kind: AnswerView['kind'],
  signature?: string,
): AnswerView {
  const remembered = rememberedNote(result);
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
    ...(remembered !== undefined ? { remembered } : {}),
  };
}
