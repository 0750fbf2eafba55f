/**
 * One layer's attempt at a query: its adapters in order, under one time budget, each call
 * abortable. Whatever an adapter does (throw, hang, answer garbage) ends as one trail entry with an
 * outcome; nothing here throws. Entries are recorded synchronously when an attempt settles, so a
 * hedged winner that aborts its rivals finds their `cancelled` entries already in the trail.
 */
import { isMcpError } from '../errors';
import type { AdapterAnswer, KnowledgeAdapter, KnowledgeQuery, LayerOutcome } from '../knowledge';
import type { Cancellation } from './cancellation';
import type { HierarchyLayer, LayerAttemptEvent } from './types';
import type { WalkProgress } from './walk-progress';
import { queryForAdapter } from './memory-key';

export interface LayerAnswer extends AdapterAnswer {
  layer: string;
  server: string;
}

export interface LayerResult {
  outcome: LayerOutcome;
  answer?: LayerAnswer;
}

export interface AttemptContext {
  query: KnowledgeQuery;
  progress: WalkProgress;
  /** Called once per adapter attempt (and per skipped layer): stats and the observer. */
  report: (event: LayerAttemptEvent) => void;
}

type CallResult =
  | { outcome: 'hit'; answer: AdapterAnswer }
  | { outcome: 'miss' | 'timeout' | 'cancelled'; detail?: string }
  | { outcome: 'error'; detail: string };

/** Why a walk was aborted, shown in the trail of the attempts it cut short. */
export function abortDetail(reason: unknown): string {
  return typeof reason === 'string' ? reason : 'cancelled';
}

function describeError(error: unknown): string {
  if (isMcpError(error)) return `${error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function isUsable(answer: AdapterAnswer | null | undefined): answer is AdapterAnswer {
  return typeof answer?.content === 'string' && answer.content.trim().length > 0;
}

/** Runs all of a layer's adapters in order until one answers, within the layer's timeout. */
export async function runLayer(
  layer: HierarchyLayer,
  context: AttemptContext,
  cancellation: Cancellation,
): Promise<LayerResult> {
  const { query, progress } = context;
  if (layer.adapters.length === 0) {
    record(context, layer, undefined, null, { outcome: 'skipped', detail: 'no adapter configured' }, 0);
    return { outcome: 'skipped' };
  }
  const deadline = progress.now() + layer.timeoutMs;
  let sawError = false;
  for (const adapter of layer.adapters) {
    const remaining = deadline - progress.now();
    const attempt = progress.begin(layer.name, adapter.serverName);
    const settle = (settled: CallResult): void =>
      record(context, layer, attempt, adapter.serverName, settled, progress.now() - attempt.startedAt);
    let result: CallResult;
    if (cancellation.aborted) {
      result = { outcome: 'cancelled', detail: abortDetail(cancellation.reason) };
      settle(result);
    } else if (remaining <= 0) {
      result = { outcome: 'timeout', detail: `layer budget of ${layer.timeoutMs} ms used up` };
      settle(result);
    } else {
      result = await callAdapter(adapter, query, cancellation, remaining, settle);
    }
    if (result.outcome === 'hit') {
      return { outcome: 'hit', answer: { ...result.answer, layer: layer.name, server: adapter.serverName } };
    }
    if (result.outcome === 'timeout' || result.outcome === 'cancelled') return { outcome: result.outcome };
    if (result.outcome === 'error') sawError = true;
  }
  return { outcome: sawError ? 'error' : 'miss' };
}

function record(
  context: AttemptContext,
  layer: HierarchyLayer,
  attempt: ReturnType<WalkProgress['begin']> | undefined,
  server: string | null,
  result: CallResult | { outcome: LayerOutcome; detail?: string },
  latencyMs: number,
): void {
  const detail = 'detail' in result ? result.detail : undefined;
  context.progress.finish(attempt, {
    layer: layer.name,
    ...(server ? { server } : {}),
    outcome: result.outcome,
    latencyMs,
    ...(detail ? { detail } : {}),
  });
  context.report({
    layer: layer.name,
    server,
    contextType: context.query.contextType,
    outcome: result.outcome,
    latencyMs,
    ...(result.outcome === 'error' && detail ? { error: detail } : {}),
  });
}

/**
 * One adapter call raced against its time budget and the walk's cancellation. The adapter gets its
 * own signal, aborted on timeout or cancellation, so a well-behaved adapter stops its MCP request; a
 * badly behaved one is simply no longer waited for.
 */
function callAdapter(
  adapter: KnowledgeAdapter,
  query: KnowledgeQuery,
  cancellation: Cancellation,
  timeoutMs: number,
  onSettled: (result: CallResult) => void,
): Promise<CallResult> {
  return new Promise<CallResult>((resolve) => {
    const controller = new AbortController();
    let settled = false;
    let stopListening = (): void => {};
    const finish = (result: CallResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopListening();
      onSettled(result);
      resolve(result);
    };
    const onAbort = (reason: unknown): void => {
      controller.abort(reason);
      finish({ outcome: 'cancelled', detail: abortDetail(reason) });
    };
    const timer = setTimeout(() => {
      controller.abort(`timed out after ${Math.round(timeoutMs)} ms`);
      finish({ outcome: 'timeout', detail: `no answer within ${Math.round(timeoutMs)} ms` });
    }, timeoutMs);
    stopListening = cancellation.onAbort(onAbort);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `onAbort` runs at once when already cancelled
    if (settled) return;
    let pending: Promise<AdapterAnswer | null>;
    try {
      pending = adapter.fetch(queryForAdapter(adapter, query), { signal: controller.signal });
    } catch (error) {
      finish({ outcome: 'error', detail: describeError(error) });
      return;
    }
    Promise.resolve(pending).then(
      (answer) => finish(isUsable(answer) ? { outcome: 'hit', answer } : { outcome: 'miss' }),
      (error: unknown) => {
        if (isMcpError(error) && error.kind === 'timeout') finish({ outcome: 'timeout', detail: describeError(error) });
        else if (controller.signal.aborted) finish({ outcome: 'cancelled', detail: abortDetail(cancellation.reason) });
        else finish({ outcome: 'error', detail: describeError(error) });
      },
    );
  });
}
