/**
 * KnowledgeHierarchy: one question, many MCP servers, one answer.
 *
 * A lookup checks the local cache (memory, then disk) and then walks the layers the context type
 * allows (authority rules), in priority order or as the LearningSystem routes them, sequentially or
 * hedged. Identical concurrent lookups share one walk (single-flight). A good answer from a slower
 * layer is written back to the faster write-back layers and the local cache with its type's TTL;
 * misses and errors are never cached. Every attempt is reported to the observer. `fetch` never
 * throws for an upstream problem: a broken or hung layer costs that layer's timeout, nothing more.
 */
import { CONTEXT_TYPES, type ContextType, type FetchResult, type KnowledgeQuery, type TrailEntry } from '../knowledge';
import { type Logger, silentLogger } from '../ports';
import { cacheKey } from '../store/cache-key';
import type { CacheMode, Clock } from '../store/cache-types';
import { ResultCache } from '../store/result-cache';
import type { Cancellation } from './cancellation';
import { HierarchyStatsCollector } from './hierarchy-stats';
import type { AttemptContext, LayerAnswer } from './layer-attempt';
import { routeLayers, type RoutingRules } from './routing';
import { SingleFlight } from './single-flight';
import type {
  CacheAddress,
  HierarchyFetchOptions,
  HierarchyLayer,
  HierarchyMode,
  HierarchyObserver,
  HierarchyStats,
  HierarchyStoreOptions,
  KnowledgeHierarchyOptions,
  StoreReport,
} from './types';
import { cachedResult, failure, LOCAL_CACHE, type FlightResult, summariseFailure, toQuery } from './results';
import { WalkProgress } from './walk-progress';
import { walkLayers } from './walk';
import { LayerWriter } from './write-back';

export { LOCAL_CACHE } from './results';

const DEFAULT_TTL_SECONDS = 86_400;
const CALLER_CANCELLED = 'cancelled by the caller';

export class KnowledgeHierarchy {
  private readonly layers: HierarchyLayer[];
  private readonly routing: RoutingRules;
  private readonly cache: ResultCache;
  private readonly ttlByType: Record<string, number>;
  private readonly defaultTtlSeconds: number;
  private readonly writer: LayerWriter;
  private readonly observer: HierarchyObserver | undefined;
  private readonly logger: Logger;
  private readonly now: Clock;
  private readonly stats: HierarchyStatsCollector;
  private readonly flights = new SingleFlight<FlightResult, WalkProgress>();
  private readonly pending = new Set<Promise<unknown>>();
  /** Sequential or hedged walks; fixed for this hierarchy's life (a new mode builds a new hierarchy). */
  readonly mode: HierarchyMode;
  private closed = false;

  constructor(options: KnowledgeHierarchyOptions) {
    this.layers = [...options.layers].sort((a, b) => a.priority - b.priority);
    this.logger = options.logger ?? silentLogger;
    this.routing = {
      layers: this.layers,
      authority: options.authority ?? {},
      routeOrder: options.routeOrder,
      logger: this.logger,
    };
    this.now = options.now ?? Date.now;
    this.cache =
      options.cache instanceof ResultCache
        ? options.cache
        : new ResultCache({ logger: this.logger, now: this.now, ...options.cache });
    this.ttlByType = options.ttlByType ?? {};
    this.defaultTtlSeconds = options.defaultTtlSeconds ?? DEFAULT_TTL_SECONDS;
    this.writer = new LayerWriter({
      layers: this.layers,
      routing: this.routing,
      options: options.writeBack ?? { enabled: true, layers: ['memory'] },
      logger: this.logger,
      track: (work) => this.track(work),
    });
    this.observer = options.observer;
    this.mode = options.mode ?? 'sequential';
    this.stats = new HierarchyStatsCollector(
      this.layers.map((layer) => layer.name),
      options.latencyWindow,
    );
  }

  /** Builds a hierarchy and opens its disk cache now (one folder scan), so the first lookup does not pay for it. */
  static async create(options: KnowledgeHierarchyOptions): Promise<KnowledgeHierarchy> {
    const hierarchy = new KnowledgeHierarchy(options);
    await hierarchy.cache.open();
    return hierarchy;
  }

  /** Layer names in priority order. */
  get layerNames(): string[] {
    return this.layers.map((layer) => layer.name);
  }

  /** Cache lifetime of a context type, in seconds. */
  ttlFor(contextType: ContextType): number {
    return this.ttlByType[contextType] ?? this.defaultTtlSeconds;
  }

  /** Answers a query from the local cache or the first layer that can. Never throws for upstream problems. */
  async fetch(query: string | KnowledgeQuery, options: HierarchyFetchOptions = {}): Promise<FetchResult> {
    const startedAt = performance.now();
    const q = toQuery(query, options);
    const mode = options.cacheMode ?? 'use';
    this.stats.lookups++;

    if (this.closed) return this.finish(q, startedAt, failure('the knowledge hierarchy is shut down', []));
    if (options.signal?.aborted) {
      return this.finish(
        q,
        startedAt,
        failure(CALLER_CANCELLED, [{ layer: LOCAL_CACHE, outcome: 'cancelled', latencyMs: 0 }]),
      );
    }

    const key = cacheKey(q);
    // The synchronous memory read is a shortcut past the single-flight: without it the same hit,
    // with the same trail, comes from the flight's own cache read a turn later.
    // Stryker disable next-line ConditionalExpression,StringLiteral,BlockStatement: the shortcut only saves time (see above)
    if (mode === 'use') {
      const hot = this.cache.peek(key);
      // Stryker disable next-line ConditionalExpression,BlockStatement: the shortcut only saves time (see above)
      if (hot) {
        const latencyMs = performance.now() - startedAt;
        const trail: TrailEntry[] = [{ layer: LOCAL_CACHE, outcome: 'hit', latencyMs, detail: 'memory' }];
        return this.finish(q, startedAt, {
          content: hot.value.content,
          source: LOCAL_CACHE,
          cached: true,
          level: 'memory',
          trail,
        });
      }
    }

    const ticket = this.flights.join(
      `${mode}\u0000${key}`,
      (cancellation) => {
        const progress = new WalkProgress();
        // The lease a claiming cache read took goes back when the flight ends without an answer.
        const promise = this.runFlight(q, key, mode, cancellation, progress, options.onWalk);
        return { promise: promise.finally(() => this.cache.release(key)), state: progress };
      },
      options.signal,
    );
    const outcome = await ticket.outcome;
    if (outcome.status === 'done') return this.finish(q, startedAt, outcome.value);
    if (outcome.status === 'cancelled')
      return this.finish(q, startedAt, failure(CALLER_CANCELLED, ticket.state.snapshotCancelled(CALLER_CANCELLED)));
    this.logger.error('Knowledge hierarchy: a lookup failed unexpectedly', outcome.error);
    return this.finish(q, startedAt, failure(`internal error: ${String(outcome.error)}`, [...ticket.state.trail]));
  }

  /** Cache only (memory, then disk), never upstream; null on a miss. Not counted as a lookup. */
  async getCached(query: string | KnowledgeQuery, options: CacheAddress = {}): Promise<FetchResult | null> {
    const startedAt = performance.now();
    const q = toQuery(query, options);
    const hit = await this.cache.get(cacheKey(q));
    if (!hit) return null;
    return cachedResult(q.contextType, hit.value.content, hit.level, performance.now() - startedAt);
  }

  /** Memory level only, synchronous: for hovers that must answer instantly. Null on a miss. */
  peekCached(query: string | KnowledgeQuery, options: CacheAddress = {}): FetchResult | null {
    const startedAt = performance.now();
    const q = toQuery(query, options);
    const hit = this.cache.peek(cacheKey(q));
    return hit ? cachedResult(q.contextType, hit.value.content, 'memory', performance.now() - startedAt) : null;
  }

  /**
   * Stores a value (e.g. a fix that worked) in the local cache and in every writable adapter of the
   * layers allowed for its context type. Layer failures are reported, not thrown. A TTL of 0 or
   * less stores nothing anywhere.
   */
  async store(key: string, value: string, options: HierarchyStoreOptions): Promise<StoreReport> {
    const ttlSeconds = options.ttlSeconds ?? this.ttlFor(options.contextType);
    const q = toQuery(key, options);
    const cached = ttlSeconds > 0;
    if (!cached) return { cached, persisted: false, persistError: 'the TTL is 0', layers: [] };
    const disk = await this.cache.set(
      cacheKey(q),
      {
        content: value,
        source: 'store',
        contextType: q.contextType,
        storedAt: this.now(),
        ...(options.metadata ? { metadata: options.metadata } : {}),
      },
      ttlSeconds,
    );
    return {
      cached,
      persisted: disk.persisted,
      ...(disk.error !== undefined ? { persistError: disk.error } : {}),
      layers: await this.writer.store(q, value, ttlSeconds),
    };
  }

  /**
   * Forgets a cached answer locally and in the writable layers. With a context type (in the query
   * object or `address`) only that entry goes; without one, the text is forgotten under every known
   * context type.
   */
  async invalidate(keyOrQuery: string | KnowledgeQuery, address: CacheAddress = {}): Promise<void> {
    const base: Pick<KnowledgeQuery, 'text' | 'language' | 'libraryId'> =
      typeof keyOrQuery === 'string' ? { text: keyOrQuery } : keyOrQuery;
    const explicitType = address.contextType ?? (typeof keyOrQuery === 'string' ? undefined : keyOrQuery.contextType);
    const types = explicitType ? [explicitType] : this.knownContextTypes();
    await Promise.all(
      types.map((contextType) =>
        this.cache.delete(
          cacheKey({
            ...base,
            language: address.language ?? base.language,
            libraryId: address.libraryId ?? base.libraryId,
            contextType,
          }),
        ),
      ),
    );
    await this.writer.invalidate(base);
  }

  /** Empties the local cache (memory and disk). The layers keep what they hold. */
  async clear(): Promise<void> {
    await this.cache.clear();
  }

  getStats(): HierarchyStats {
    const cacheStats = this.cache.stats();
    const hits = this.stats.memoryHits + this.stats.diskHits;
    return {
      lookups: this.stats.lookups,
      hits,
      hitRate: this.stats.lookups === 0 ? 0 : hits / this.stats.lookups,
      memoryHits: this.stats.memoryHits,
      diskHits: this.stats.diskHits,
      answered: this.stats.answered,
      failed: this.stats.failed,
      perLayer: this.stats.snapshotLayers(),
      latency: this.stats.latency(),
      entries: cacheStats.diskEntries > 0 ? cacheStats.diskEntries : cacheStats.memoryEntries,
      memoryEntries: cacheStats.memoryEntries,
      diskEntries: cacheStats.diskEntries,
      inFlight: this.flights.size,
    };
  }

  /** Resolves when every write-back and cache write started so far has finished. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await this.cache.flush();
  }

  /** Stops new lookups, aborts the ones under way and waits for pending writes. */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.flights.abortAll('the knowledge hierarchy is shutting down');
    await this.flush();
  }

  private async runFlight(
    q: KnowledgeQuery,
    key: string,
    mode: CacheMode,
    cancellation: Cancellation,
    progress: WalkProgress,
    onWalk?: () => void,
  ): Promise<FlightResult> {
    if (mode === 'use') {
      const lookupStart = progress.now();
      const hit = await this.cache.get(key, 'use', { claim: true });
      const latencyMs = progress.now() - lookupStart;
      if (hit) {
        progress.finish(undefined, { layer: LOCAL_CACHE, outcome: 'hit', latencyMs, detail: hit.level });
        return {
          content: hit.value.content,
          source: LOCAL_CACHE,
          cached: true,
          level: hit.level,
          trail: [...progress.trail],
        };
      }
      progress.finish(undefined, { layer: LOCAL_CACHE, outcome: 'miss', latencyMs });
    } else {
      progress.finish(undefined, {
        layer: LOCAL_CACHE,
        outcome: 'skipped',
        latencyMs: 0,
        detail: `cache mode ${mode}`,
      });
    }

    const layers = routeLayers(this.routing, q.contextType);
    if (layers.length === 0)
      return failure(
        this.routing.layers.length === 0
          ? 'no server is enabled, so only the local cache can answer (enable a server in mcp-config.yaml)'
          : `no layer may answer "${q.contextType}" questions (authority rules)`,
        [...progress.trail],
      );
    if (onWalk) this.notify(onWalk);
    const context: AttemptContext = {
      query: q,
      progress,
      report: (event) => {
        this.stats.layerAttempt(event.layer, event.outcome);
        this.notify(() => this.observer?.onLayerAttempt?.(event));
      },
    };
    const answer = await walkLayers(this.mode, layers, context, cancellation);
    if (!answer) return failure(summariseFailure(q.contextType, progress.trail, cancellation), [...progress.trail]);
    this.remember(q, key, answer, mode);
    return { content: answer.content, source: answer.layer, cached: false, trail: [...progress.trail] };
  }

  /** Local cache (memory synchronously, disk in the background) and write-back to faster layers. */
  private remember(q: KnowledgeQuery, key: string, answer: LayerAnswer, mode: CacheMode): void {
    const ttlSeconds = this.ttlFor(q.contextType);
    const metadata = { ...answer.metadata, server: answer.server };
    const entry = { content: answer.content, source: answer.layer, contextType: q.contextType, storedAt: this.now() };
    this.track(this.cache.set(key, { ...entry, metadata }, ttlSeconds, mode));
    this.writer.remember(q, answer, mode, ttlSeconds);
  }

  private finish(q: KnowledgeQuery, startedAt: number, flight: FlightResult): FetchResult {
    const latencyMs = performance.now() - startedAt;
    const result: FetchResult = {
      success: flight.content !== null,
      content: flight.content,
      source: flight.source,
      latencyMs,
      cached: flight.cached,
      contextType: q.contextType,
      trail: flight.trail,
      ...(flight.error ? { error: flight.error } : {}),
    };
    if (flight.level) this.stats.cacheHit(flight.level);
    this.stats.lookupDone(result.success, latencyMs);
    if (
      flight.trail.some(
        (entry) => entry.layer === LOCAL_CACHE && entry.outcome !== 'skipped' && entry.outcome !== 'cancelled',
      )
    ) {
      this.notify(() =>
        this.observer?.onCacheLookup?.({
          hit: flight.cached,
          level: flight.level ?? null,
          contextType: q.contextType,
          latencyMs,
        }),
      );
    }
    this.notify(() => this.observer?.onFetch?.(result, q));
    return result;
  }

  private knownContextTypes(): ContextType[] {
    return [
      ...new Set([
        ...Object.values(CONTEXT_TYPES),
        ...Object.keys(this.routing.authority),
        ...Object.keys(this.ttlByType),
      ]),
    ];
  }

  private track(work: Promise<unknown>): void {
    const tracked: Promise<unknown> = work.then(
      () => this.pending.delete(tracked),
      (error: unknown) => {
        this.pending.delete(tracked);
        this.logger.warn('Background cache write failed', error);
      },
    );
    this.pending.add(tracked);
  }

  /** Observers are other people's code: one that throws must not break a lookup. */
  private notify(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.logger.warn('A knowledge hierarchy observer threw', error);
    }
  }
}
