/**
 * The hot level of the result cache: an LRU in process memory, bounded by entry count and by
 * approximate bytes. It is what serves repeated lookups in well under a microsecond, so `get` is
 * synchronous and does no copying.
 *
 * Expiry is checked against an injectable clock rather than lru-cache's own TTL timer, so entries
 * promoted from disk keep their remaining lifetime exactly and tests can move time.
 */
import { LRUCache } from 'lru-cache';
import type { CacheEntry, Clock } from './cache-types';

export interface MemoryCacheOptions {
  /** Most entries kept. Default 2000. */
  maxEntries?: number;
  /** Most bytes kept (approximate: UTF-16 size of key, content and metadata). Default 64 MiB. */
  maxBytes?: number;
  /** Default `Date.now`. */
  now?: Clock;
}

const ENTRY_OVERHEAD_BYTES = 128;

/** Approximate in-memory size of an entry: JS strings are UTF-16, two bytes per code unit. */
function approximateSize(key: string, entry: CacheEntry): number {
  const metadata = entry.value.metadata ? JSON.stringify(entry.value.metadata).length : 0;
  return ENTRY_OVERHEAD_BYTES + 2 * (key.length + entry.value.content.length + entry.value.source.length + metadata);
}

export class MemoryCache {
  private readonly lru: LRUCache<string, CacheEntry>;
  private readonly now: Clock;
  private readonly maxBytes: number;

  constructor(options: MemoryCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.lru = new LRUCache<string, CacheEntry>({
      max: options.maxEntries ?? 2000,
      maxSize: this.maxBytes,
      sizeCalculation: (entry, key) => approximateSize(key, entry),
    });
  }

  /** The live entry for a key, or undefined when absent or expired (an expired entry is dropped). */
  get(key: string): CacheEntry | undefined {
    const entry = this.lru.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.lru.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Stores an entry; one larger than the whole byte budget is silently not kept. */
  set(key: string, entry: CacheEntry): void {
    if (entry.expiresAt <= this.now()) return;
    // Sized once here and handed to the LRU, rather than measured again by its sizeCalculation.
    const size = approximateSize(key, entry);
    if (size > this.maxBytes) return;
    this.lru.set(key, entry, { size });
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }
}
