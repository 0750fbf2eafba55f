/**
 * Writes to the layers: a good answer from a slower layer written back to the faster write-back
 * layers, a stored value written to every writable adapter its context type allows, an
 * invalidation passed on. Each write is bounded, so a hung server cannot hang `flush()`. The local
 * cache is not written here: every cache access stays in `knowledge-hierarchy.ts`.
 */
import type { ContextType, KnowledgeAdapter, KnowledgeQuery } from '../knowledge';
import type { Logger } from '../ports';
import type { CacheMode } from '../store/cache-types';
import type { LayerAnswer } from './layer-attempt';
import { memoryKey } from './memory-key';
import { allowedLayers, type RoutingRules } from './routing';
import type { HierarchyLayer, StoreReport, WriteBackOptions } from './types';

/** Upper bound on one write to a layer (write-back, store, invalidate): a hung server must not hang flush(). */
const LAYER_WRITE_TIMEOUT_MS = 10_000;

export interface WriteBackDeps {
  layers: readonly HierarchyLayer[];
  routing: RoutingRules;
  options: WriteBackOptions;
  logger: Logger;
  /** Keeps background work pending until it ends, so `flush()` waits for it. */
  track(work: Promise<unknown>): void;
}

export class LayerWriter {
  /** False when no write-back layer has a writable adapter: an upstream answer then skips the target search. */
  private readonly writesBack: boolean;

  constructor(private readonly deps: WriteBackDeps) {
    const { options, layers } = deps;
    this.writesBack =
      options.enabled &&
      layers.some((layer) => options.layers.includes(layer.name) && layer.adapters.some((adapter) => adapter.writable));
  }

  /** Writes an upstream answer back to the faster write-back layers, in the background. */
  remember(q: KnowledgeQuery, answer: LayerAnswer, mode: CacheMode, ttlSeconds: number): void {
    if (!this.writesBack || mode === 'bypass' || !(ttlSeconds > 0)) return;
    const { layers, routing, options, logger } = this.deps;
    const answering = layers.find((layer) => layer.name === answer.layer);
    const targets = allowedLayers(routing, q.contextType).filter(
      (layer) =>
        options.layers.includes(layer.name) &&
        layer.name !== answer.layer &&
        layer.priority < (answering?.priority ?? Infinity),
    );
    for (const layer of targets) {
      for (const adapter of layer.adapters.filter((candidate) => candidate.writable)) {
        // After the caller has its answer: a write-back is an MCP call whose request is
        // serialised and written to the server's pipe synchronously.
        this.deps.track(
          nextTurn()
            .then(() => writeToLayer(adapter, memoryKey(q), answer.content, q.contextType, ttlSeconds))
            .catch((error: unknown) =>
              logger.warn(`Write-back to ${layer.name} (${adapter.serverName}) failed`, error),
            ),
        );
      }
    }
  }

  /** Stores a value in every writable adapter of the layers allowed for its type; failures are reported. */
  store(q: KnowledgeQuery, value: string, ttlSeconds: number): Promise<StoreReport['layers']> {
    const writes = allowedLayers(this.deps.routing, q.contextType).flatMap((layer) =>
      layer.adapters
        .filter((adapter) => adapter.writable)
        .map(async (adapter) => {
          try {
            await writeToLayer(adapter, memoryKey(q), value, q.contextType, ttlSeconds);
            return { layer: layer.name, server: adapter.serverName, ok: true };
          } catch (error) {
            this.deps.logger.warn(`Could not store "${q.text}" in ${adapter.serverName}`, error);
            return { layer: layer.name, server: adapter.serverName, ok: false, error: errorText(error) };
          }
        }),
    );
    return Promise.all(writes);
  }

  /** Forgets a key in every writable adapter; failures are logged, never thrown. */
  async invalidate(base: Pick<KnowledgeQuery, 'text' | 'language' | 'libraryId'>): Promise<void> {
    const writable = this.deps.layers.flatMap((layer) => layer.adapters.filter((adapter) => adapter.writable));
    await Promise.all(
      writable.map((adapter) =>
        withTimeout((signal) => adapter.invalidate(memoryKey(base), { signal }), LAYER_WRITE_TIMEOUT_MS).catch(
          (error: unknown) =>
            this.deps.logger.warn(`Could not invalidate "${base.text}" in ${adapter.serverName}`, error),
        ),
      ),
    );
  }
}

function writeToLayer(
  adapter: KnowledgeAdapter,
  key: string,
  value: string,
  contextType: ContextType,
  ttlSeconds: number,
): Promise<void> {
  return withTimeout(
    (signal) => adapter.store(key, value, { contextType, ttlSeconds, signal }),
    LAYER_WRITE_TIMEOUT_MS,
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a signal-aware operation with a hard time limit; the signal is aborted when it expires. */
async function withTimeout<T>(operation: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(`timed out after ${timeoutMs} ms`);
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([operation(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves on the next turn of the event loop (after pending I/O callbacks and the caller's continuation). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
