/**
 * The hierarchy's local cache: an in-memory LRU (hot hits, synchronous) in front of an on-disk
 * cache that survives restarts. Reads look in memory, then on disk; a disk hit is promoted to
 * memory with its remaining lifetime. Writes go to both. Every call states its mode explicitly
 * (`use` / `refresh` / `bypass`), and nothing here ever throws for a disk problem: a cache that
 * cannot read or write is a slower cache, not a broken lookup.
 */
import type { Logger } from '../ports';
import type { CacheEntry, CacheHit, CacheMode, CachedAnswer, Clock } from './cache-types';
import { DiskCache, type DiskCacheOptions } from './disk-cache';
import { MemoryCache, type MemoryCacheOptions } from './memory-cache';

export interface ResultCacheOptions {
  /** Memory level limits. Defaults: 2000 entries, 64 MiB. */
  memory?: Omit<MemoryCacheOptions, 'now'>;
  /** Folder of the disk level; without it the cache is memory-only. */
  cacheDir?: string;
  /** Disk level limits. Defaults: 20 000 entries, 256 MiB, 2 MiB per entry. */
  disk?: Omit<DiskCacheOptions, 'dir' | 'now' | 'logger'>;
  /** Default `Date.now`. */
  now?: Clock;
  logger?: Logger;
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
}

export class ResultCache {
  private readonly memory: MemoryCache;
  private readonly disk: DiskCache | undefined;
  private readonly now: Clock;
  private readonly logger: Logger | undefined;

  constructor(options: ResultCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
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

  /** Memory, then disk (promoting a disk hit). `refresh` and `bypass` never read. */
  async get(key: string, mode: CacheMode = 'use'): Promise<CacheHit | undefined> {
    const hot = this.peek(key, mode);
    if (hot || mode !== 'use' || !this.disk) return hot;
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

  /**
   * Stores an answer for `ttlSeconds` (≤ 0 stores nothing). The memory level is updated before this
   * returns synchronously; the returned promise settles when the disk write is done and says
   * whether the disk level kept the entry (and why not). `bypass` writes nothing.
   */
  async set(key: string, value: CachedAnswer, ttlSeconds: number, mode: CacheMode = 'use'): Promise<DiskWrite> {
    if (mode === 'bypass' || !(ttlSeconds > 0)) return { persisted: false, error: 'nothing to store' };
    const entry: CacheEntry = { value, expiresAt: this.now() + ttlSeconds * 1000 };
    this.memory.set(key, entry);
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
    await this.disk?.delete(key).catch((error: unknown) => this.logger?.warn('Result cache: delete failed', error));
  }

  /** Empties the memory level only (as a restart would); the disk level stays. */
  clearMemory(): void {
    this.memory.clear();
  }

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

  /** Resolves when every disk write started so far is done. */
  async flush(): Promise<void> {
    await this.disk?.flush();
  }

  stats(): ResultCacheStats {
    return {
      memoryEntries: this.memory.size,
      memoryBytes: this.memory.bytes,
      diskEntries: this.disk?.size ?? 0,
      diskBytes: this.disk?.bytes ?? 0,
    };
  }
}
