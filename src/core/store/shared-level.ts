/**
 * The shared level of the result cache, as `ResultCache` sees it: a store several instances (and
 * teammates) read and write, and a lease so identical concurrent misses on several instances
 * make one upstream call. `RedisSharedCache` is the implementation; tests may use any other.
 *
 * Every operation is bounded and never throws: a shared level that is down, slow or full is a
 * miss (or a write not kept), and the local levels and upstream answer as if it were not there.
 */
import type { Disposable } from '../ports';
import type { CacheEntry } from './cache-types';

/**
 * - `connecting`: not connected yet (operations are skipped, nothing waits for it);
 * - `up`: answering;
 * - `full`: answering reads, refusing writes (out of memory);
 * - `slow`: operations timed out one after another; skipped until a probe answers in time;
 * - `down`: disconnected; the client reconnects with backoff, operations are skipped;
 * - `closed`: shut down.
 */
export type SharedCacheState = 'connecting' | 'up' | 'full' | 'slow' | 'down' | 'closed';

export interface SharedCacheHealth {
  state: SharedCacheState;
  /** Where it is (the URL without credentials). */
  endpoint: string;
  /** The partition private answers of this instance are kept in. */
  partition: string;
  /** Shared-level reads (local misses that asked Redis) and those that found an entry. */
  lookups: number;
  hits: number;
  hitRate: number;
  writes: number;
  /** Operations that failed, timed out, or were skipped because Redis was not usable. */
  errors: number;
  timeouts: number;
  skipped: number;
  /** Values found corrupt or foreign and never returned. */
  dropped: number;
  /** Misses that waited for another instance's lease and got its answer. */
  leaseWaitsAnswered: number;
  /** Round-trip latency of recent operations. */
  latencyMs: { p50: number; p95: number };
  /** Since when (ms since the epoch) the state holds. */
  since: number;
  lastError?: string;
}

/** What a claim on a missing key gave. */
export type LeaseClaim =
  /** This instance holds the lease: it goes upstream, stores the answer, then releases. */
  | { kind: 'leader'; release: () => Promise<void> }
  /** Another instance answered while this one waited. */
  | { kind: 'answered'; entry: CacheEntry }
  /** No coordination (Redis not usable, or the bounded wait ran out): go upstream alone. */
  | { kind: 'alone' };

export interface SharedCacheLevel {
  /** The live entry for a key (this instance's partition first, then the shared one), or undefined. */
  get(key: string): Promise<CacheEntry | undefined>;
  /** Stores an entry in the partition its answer belongs to, expiring with it; false when not kept. */
  set(key: string, entry: CacheEntry): Promise<boolean>;
  /** Forgets a key in this instance's partition and the shared one. */
  delete(key: string): Promise<void>;
  /** For a key every level missed: take the lease, or wait (bounded) for the instance that holds it. */
  claim(key: string, signal?: AbortSignal): Promise<LeaseClaim>;
  health(): SharedCacheHealth;
  /** Called when `health().state` changes. */
  onStateChange(listener: (health: SharedCacheHealth) => void): Disposable;
  /** Resolves when the first connection is up, or after `timeoutMs` (whichever comes first). */
  whenReady(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}
