/**
 * The result cache: an in-memory LRU (hot hits, synchronous) in front of an on-disk cache that
 * survives restarts, and optionally a shared level (Redis) that other instances and teammates
 * read and write. Reads look in memory, then on disk, then in the shared level; a hit below memory
 * is promoted to the levels above it with its remaining lifetime. Writes go to every level. Every
 * call states its mode explicitly (`use` / `refresh` / `bypass`), and nothing here ever throws
 * for a disk or Redis problem: a cache that cannot read or write is a slower cache, not a broken
 * lookup.
 *
 * Cross-instance single-flight lives here too, so the callers' in-process single-flight needs
 * nothing more than two calls: a reader that will go upstream on a miss asks `get(key, 'use',
 * { claim: true })`, which on a miss in every level takes the shared lease (or waits, bounded,
 * for the instance holding it and returns its answer as a `shared` hit); the `set` of the answer
 * gives the lease back once the shared level has it, and `release(key)` gives it back when no
 * answer came.
 */
import type { Logger } from '../ports';
import type { CacheEntry, CacheHit, CacheMode, CachedAnswer, Clock } from './cache-types';
import { DiskCache, type DiskCacheOptions } from './disk-cache';
import { MemoryCache, type MemoryCacheOptions } from './memory-cache';
import type { LeaseClaim, SharedCacheHealth, SharedCacheLevel } from './shared-level';

export interface ResultCacheOptions {
  /** Memory level limits. Defaults: 2000 entries, 64 MiB. */
  memory?: Omit<MemoryCacheOptions, 'now'>;
  /** Folder of the disk level; without it the cache is memory-only. */
  cacheDir?: string;
  /** Disk level limits. Defaults: 20 000 entries, 256 MiB, 2 MiB per entry. */
  disk?: Omit<DiskCacheOptions, 'dir' | 'now' | 'logger'>;
  /** The shared level below the disk (owned by the cache from now on: `close()` closes it). */
  shared?: SharedCacheLevel;
  /** Default `Date.now`. */
  now?: Clock;
  logger?: Logger;
}

export interface CacheReadOptions {
  /** The caller goes upstream on a miss: coordinate with other instances through the lease. */
  claim?: boolean;
  /** Ends a wait for another instance's answer early. */
  signal?: AbortSignal;
}

/** What the disk level did with a write. */
export interface DiskWrite {
  persisted: boolean;
  error?: string;
}

export interface ResultCacheStats {
  memoryEntries: number;
  memoryBytes: number;
  diskEntries: number;
  diskBytes: number;
  /** The shared level's health, when there is one. */
  shared?: SharedCacheHealth;
}

export class ResultCache {
  private readonly memory: MemoryCache;
  private readonly disk: DiskCache | undefined;
  private readonly shared: SharedCacheLevel | undefined;
  /** Leases this process holds, by key: given back by `set` (after the shared write) or `release`. */
  private readonly leases = new Map<string, () => Promise<void>>();
  /** Claims under way, so concurrent readers of one key in this process make one claim. */
  private readonly claims = new Map<string, Promise<LeaseClaim>>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly now: Clock;
  private readonly logger: Logger | undefined;

  constructor(options: ResultCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
    this.shared = options.shared;
    this.memory = new MemoryCache({ ...options.memory, now: this.now });
    this.disk = options.cacheDir
      ? new DiskCache({ ...options.disk, dir: options.cacheDir, now: this.now, logger: options.logger })
      : undefined;
  }

  /** Memory level only, synchronous: for callers that must answer instantly (hovers). */
  peek(key: string, mode: CacheMode = 'use'): CacheHit | undefined {
    if (mode !== 'use') return undefined;
    const entry = this.memory.get(key);
    return entry ? { ...entry, level: 'memory' } : undefined;
  }

  /**
   * True when a `use` read of `key` would certainly miss, known without waiting: not in memory,
   * not in the disk level's index, and no shared level to ask (or lease to claim). A caller that
   * goes upstream on a miss skips the awaited `get` then: its miss costs no asynchronous turn.
   */
  certainMiss(key: string): boolean {
    if (this.shared || this.memory.get(key) !== undefined) return false;
    return this.disk ? this.disk.lacks(key) : true;
  }

  /**
   * Memory, then disk, then the shared level (promoting a hit to the levels above it). `refresh`
   * and `bypass` never read. With `claim`, a miss in every level also takes the shared lease (see
   * the module comment).
   */
  async get(key: string, mode: CacheMode = 'use', options: CacheReadOptions = {}): Promise<CacheHit | undefined> {
    const hot = this.peek(key, mode);
    if (hot || mode !== 'use') return hot;
    const local = await this.readDisk(key);
    if (local) return local;
    if (!this.shared) return undefined;
    const entry = await this.shared.get(key);
    if (entry) return this.promote(key, entry);
    if (!options.claim || this.leases.has(key)) return undefined;
    const claim = await this.claimOnce(key, this.shared, options.signal);
    return claim.kind === 'answered' ? this.promote(key, claim.entry) : undefined;
  }

  /** Gives back the lease a claiming `get` took, when no answer is coming. No-op otherwise. */
  release(key: string): void {
    const release = this.leases.get(key);
    if (!release) return;
    this.leases.delete(key);
    this.track(release());
  }

  /**
   * Stores an answer for `ttlSeconds` (≤ 0 stores nothing). The memory level is updated before this
   * returns synchronously; the returned promise settles when the disk write is done and says
   * whether the disk level kept the entry (and why not). `bypass` writes nothing.
   */
  async set(key: string, value: CachedAnswer, ttlSeconds: number, mode: CacheMode = 'use'): Promise<DiskWrite> {
    // Taken now, synchronously: a `release` after this call must not give the lease back before
    // the shared level has the answer the other instances are waiting for.
    const lease = this.leases.get(key);
    this.leases.delete(key);
    if (mode === 'bypass' || !(ttlSeconds > 0)) {
      if (lease) this.track(lease());
      return { persisted: false, error: 'nothing to store' };
    }
    const entry: CacheEntry = { value, expiresAt: this.now() + ttlSeconds * 1000 };
    this.memory.set(key, entry);
    if (this.shared) this.track(this.writeShared(this.shared, key, entry, lease));
    if (!this.disk) return { persisted: false, error: 'the cache has no disk level' };
    try {
      // The memory level answers at once; the disk write waits for the next turn of the event
      // loop, so the caller gets its answer before any serialising, hashing or file work starts.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return (await this.disk.set(key, entry))
        ? { persisted: true }
        : { persisted: false, error: 'the entry is larger than the per-entry cap' };
    } catch (error) {
      this.logger?.warn('Result cache: disk write failed; the answer stays in memory only', error);
      return { persisted: false, error: (error as Error).message };
    }
  }

  async delete(key: string): Promise<void> {
    this.memory.delete(key);
    await Promise.all([
      this.disk?.delete(key).catch((error: unknown) => this.logger?.warn('Result cache: delete failed', error)),
      this.shared?.delete(key),
    ]);
  }

  /** Empties the memory level only (as a restart would); the disk level stays. */
  clearMemory(): void {
    this.memory.clear();
  }

  /** Empties the local levels. The shared level is the team's: one person's clear leaves it alone. */
  async clear(): Promise<void> {
    this.memory.clear();
    await this.disk?.clear().catch((error: unknown) => this.logger?.warn('Result cache: clear failed', error));
  }

  /** Opens the disk level now instead of on the first lookup. */
  async open(): Promise<void> {
    await this.disk
      ?.open()
      .catch((error: unknown) => this.logger?.warn('Result cache: could not open the disk cache', error));
  }

  /** Resolves when every disk and shared write started so far is done. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await this.disk?.flush();
  }

  /** The shared level, when there is one (for its health and state changes). */
  get sharedLevel(): SharedCacheLevel | undefined {
    return this.shared;
  }

  /** Finishes pending writes, gives back every lease and closes the shared level. */
  async close(): Promise<void> {
    for (const key of [...this.leases.keys()]) this.release(key);
    await this.flush();
    await this.shared?.close();
  }

  stats(): ResultCacheStats {
    return {
      memoryEntries: this.memory.size,
      memoryBytes: this.memory.bytes,
      diskEntries: this.disk?.size ?? 0,
      diskBytes: this.disk?.bytes ?? 0,
      ...(this.shared ? { shared: this.shared.health() } : {}),
    };
  }

  private async readDisk(key: string): Promise<CacheHit | undefined> {
    if (!this.disk) return undefined;
    let entry: CacheEntry | undefined;
    try {
      entry = await this.disk.get(key);
    } catch (error) {
      this.logger?.warn('Result cache: disk read failed; treating as a miss', error);
      return undefined;
    }
    if (!entry) return undefined;
    this.memory.set(key, entry);
    return { ...entry, level: 'disk' };
  }

  /** A shared hit: kept in memory at once, and on disk in the background (it outlives a Redis outage). */
  private promote(key: string, entry: CacheEntry): CacheHit {
    this.memory.set(key, entry);
    const disk = this.disk;
    if (disk) {
      this.track(
        disk.set(key, entry).catch((error: unknown) => this.logger?.warn('Result cache: disk write failed', error)),
      );
    }
    return { ...entry, level: 'shared' };
  }

  private claimOnce(key: string, shared: SharedCacheLevel, signal: AbortSignal | undefined): Promise<LeaseClaim> {
    let claim = this.claims.get(key);
    if (!claim) {
      claim = shared.claim(key, signal).then((result) => {
        if (result.kind === 'leader') this.leases.set(key, result.release);
        return result;
      });
      const started = claim;
      this.claims.set(key, started);
      void started.finally(() => {
        if (this.claims.get(key) === started) this.claims.delete(key);
      });
    }
    return claim;
  }

  private async writeShared(
    shared: SharedCacheLevel,
    key: string,
    entry: CacheEntry,
    lease: (() => Promise<void>) | undefined,
  ): Promise<void> {
    // After the caller has its answer, like the disk write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      await shared.set(key, entry);
    } finally {
      if (lease) await lease();
    }
  }

  private track(work: Promise<unknown>): void {
    const tracked: Promise<unknown> = work.then(
      () => this.pending.delete(tracked),
      (error: unknown) => {
        this.pending.delete(tracked);
        this.logger?.warn('Result cache: a background write failed', error);
      },
    );
    this.pending.add(tracked);
  }
}
