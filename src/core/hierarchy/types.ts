/** The options, events and statistics of the KnowledgeHierarchy. */
import type { ContextType, FetchResult, KnowledgeAdapter, KnowledgeQuery, LayerOutcome } from '../knowledge';
import type { Logger } from '../ports';
import type { CacheLevel, CacheMode, Clock } from '../store/cache-types';
import type { ResultCache, ResultCacheOptions } from '../store/result-cache';

export type HierarchyMode = 'sequential' | 'hedged';
export type { CacheMode } from '../store/cache-types';

/** One layer of the hierarchy (memory, code-symbols, docs, github…). */
export interface HierarchyLayer {
  /** Name used in authority rules, trails and stats, e.g. `memory`, `code-symbols`, `docs`, `github`. */
  name: string;
  /** Lower is asked first. */
  priority: number;
  /** In hedged mode, how long this layer may take before the next one starts in parallel. */
  latencyTargetMs: number;
  /** The layer's whole budget (all its adapters together); past it the layer counts as `timeout`. */
  timeoutMs: number;
  /** Asked in order within the layer until one answers. */
  adapters: KnowledgeAdapter[];
}

export interface LayerAttemptEvent {
  layer: string;
  /** The adapter's server, or null when the layer was skipped without asking one. */
  server: string | null;
  contextType: ContextType;
  outcome: LayerOutcome;
  latencyMs: number;
  error?: string;
}

export interface CacheLookupEvent {
  hit: boolean;
  /** Where it hit; null on a miss. */
  level: CacheLevel | null;
  contextType: ContextType;
  latencyMs: number;
}

/** What the Monitor and the LearningSystem subscribe to. Every method is optional; a throwing observer is logged and ignored. */
export interface HierarchyObserver {
  onLayerAttempt?(event: LayerAttemptEvent): void;
  onCacheLookup?(event: CacheLookupEvent): void;
  onFetch?(result: FetchResult, query: KnowledgeQuery): void;
}

export interface WriteBackOptions {
  enabled: boolean;
  /** Layers that receive good answers from slower layers. */
  layers: string[];
}

export interface KnowledgeHierarchyOptions {
  layers: HierarchyLayer[];
  /** Which layers may answer which context type. A type not listed may use every layer. Default `{}`. */
  authority?: Record<ContextType, string[]>;
  /** Cache lifetime per context type, in seconds. Default `{}`. */
  ttlByType?: Record<string, number>;
  /** Lifetime for types without an entry in `ttlByType`. Default 86 400 (one day). */
  defaultTtlSeconds?: number;
  /** Default `sequential` (the guide's behaviour). */
  mode?: HierarchyMode;
  /** The local cache, or options to build one (give `cacheDir` for the disk level). Default: memory only. */
  cache?: ResultCache | ResultCacheOptions;
  /** Default `{ enabled: true, layers: ['memory'] }`. */
  writeBack?: WriteBackOptions;
  /**
   * Reorders the allowed layers for a context type (the LearningSystem's hook). Names it returns
   * that are not allowed are ignored; allowed layers it leaves out are appended in priority order.
   */
  routeOrder?: (contextType: ContextType, layerNames: string[]) => string[];
  observer?: HierarchyObserver;
  /** Default: silent. */
  logger?: Logger;
  /** Wall clock for TTLs, ms since the epoch. Default `Date.now`. */
  now?: Clock;
  /** How many recent lookups the latency percentiles cover. Default 2048. */
  latencyWindow?: number;
}

export interface HierarchyFetchOptions {
  /** Default `general` (or the query object's own type). */
  contextType?: ContextType;
  language?: string;
  libraryId?: string;
  signal?: AbortSignal;
  /** Default `use`. */
  cacheMode?: CacheMode;
  /**
   * Called once when the answer must come from the layers (the local cache missed or was
   * bypassed), before any layer is asked: the moment to start servers. Never called on a hit.
   */
  onWalk?: () => void;
}

/** Which cache entry a lookup, `invalidate` or `getCached` addresses. */
export type CacheAddress = Omit<HierarchyFetchOptions, 'signal' | 'cacheMode' | 'onWalk'>;

export interface HierarchyStoreOptions {
  contextType: ContextType;
  /** Default: the context type's TTL. */
  ttlSeconds?: number;
  language?: string;
  libraryId?: string;
  /** Kept with the cache entry (e.g. the team-memory flag that decides its shared partition). */
  metadata?: Record<string, unknown>;
}

export interface StoreReport {
  /** Whether the local cache took it (false when the TTL is 0). */
  cached: boolean;
  /** Whether the cache's disk level kept it (it outlives the process); false when memory-only. */
  persisted: boolean;
  /** Why the disk level did not keep it, when it did not. */
  persistError?: string;
  layers: Array<{ layer: string; server: string; ok: boolean; error?: string }>;
}

export interface LayerStats {
  attempts: number;
  hits: number;
  misses: number;
  errors: number;
  timeouts: number;
  cancelled: number;
}

export interface HierarchyStats {
  lookups: number;
  /** Local cache hits (memory + disk). */
  hits: number;
  hitRate: number;
  memoryHits: number;
  diskHits: number;
  /** Lookups that ended with an answer (from cache or a layer). */
  answered: number;
  failed: number;
  perLayer: Record<string, LayerStats>;
  /** Over the most recent lookups, in ms. */
  latency: { p50: number; p95: number; p99: number };
  /** Cached answers: disk entries when there is a disk level, else memory entries. */
  entries: number;
  memoryEntries: number;
  diskEntries: number;
  /** Identical lookups currently sharing an upstream walk. */
  inFlight: number;
}
