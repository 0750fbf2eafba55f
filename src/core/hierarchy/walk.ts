/**
 * The two ways to walk the allowed layers.
 *
 * - sequential (the guide's): ask each layer in order, each within its own timeout; stop at the
 *   first answer.
 * - hedged: start the first layer; if it has not answered by its latency target, start the next
 *   one alongside it (and so on); a layer that misses or fails starts the next one at once. The first
 *   good answer wins and every other running layer is aborted and recorded as `cancelled`.
 *
 * Both resolve (never reject) with the winning answer or none; the trail lives in the WalkProgress.
 */
import type { Cancellation } from './cancellation';
import { type AttemptContext, type LayerAnswer, runLayer } from './layer-attempt';
import type { HierarchyLayer, HierarchyMode } from './types';

export const LOST_HEDGE = 'lost the hedged race';

export function walkLayers(
  mode: HierarchyMode,
  layers: HierarchyLayer[],
  context: AttemptContext,
  cancellation: Cancellation,
): Promise<LayerAnswer | undefined> {
  return mode === 'hedged' ? walkHedged(layers, context, cancellation) : walkSequential(layers, context, cancellation);
}

async function walkSequential(
  layers: HierarchyLayer[],
  context: AttemptContext,
  cancellation: Cancellation,
): Promise<LayerAnswer | undefined> {
  for (const layer of layers) {
    if (cancellation.aborted) return undefined;
    const result = await runLayer(layer, context, cancellation);
    if (result.answer) return result.answer;
  }
  return undefined;
}

function walkHedged(
  layers: HierarchyLayer[],
  context: AttemptContext,
  cancellation: Cancellation,
): Promise<LayerAnswer | undefined> {
  // No layer would ever report back to end the walk.
  if (layers.length === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const running = new Map<number, { layerCancellation: Cancellation; hedgeTimer: NodeJS.Timeout | undefined }>();
    let nextIndex = 0;
    let done = false;
    let stopListening = (): void => {};

    // Runs once: the abort listener is removed here, and a layer reporting after the end stops at `done`.
    const end = (answer: LayerAnswer | undefined): void => {
      done = true;
      stopListening();
      for (const { layerCancellation, hedgeTimer } of running.values()) {
        clearTimeout(hedgeTimer);
        layerCancellation.abort(LOST_HEDGE);
      }
      running.clear();
      resolve(answer);
    };
    const onAbort = (): void => {
      // Running layers see the walk's cancellation themselves and record `cancelled`; just stop here.
      for (const { hedgeTimer } of running.values()) clearTimeout(hedgeTimer);
      running.clear();
      end(undefined);
    };

    // Every layer's outcome, not this, ends a walk that ran out of layers (see below).
    const startNext = (): void => {
      if (done || nextIndex >= layers.length) return;
      const index = nextIndex++;
      const layer = layers[index] as HierarchyLayer;
      const { cancellation: layerCancellation, release } = cancellation.child();
      let successorStarted = false;
      const startSuccessor = (): void => {
        if (successorStarted) return;
        successorStarted = true;
        startNext();
      };
      const hedgeTimer = setTimeout(startSuccessor, Math.max(0, layer.latencyTargetMs));
      running.set(index, { layerCancellation, hedgeTimer });
      void runLayer(layer, context, layerCancellation).then((result) => {
        release();
        clearTimeout(hedgeTimer);
        running.delete(index);
        // Stryker disable next-line ConditionalExpression: a layer aborted by the end (or the walk's cancellation) reports no answer, and calling `end` again would change nothing (a promise resolves once); the guard keeps the end in one place.
        if (done) return;
        if (result.answer) {
          end(result.answer);
          return;
        }
        startSuccessor();
        // Nothing running after the successor's start: no layer was left to start.
        if (running.size === 0) end(undefined);
      });
    };

    // Already cancelled: the listener runs at once and ends the walk before any layer starts.
    stopListening = cancellation.onAbort(onAbort);
    startNext();
  });
}
