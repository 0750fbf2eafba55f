/** The shapes shared by the memory and disk levels of the result cache. */
import type { ContextType } from '../knowledge';

/**
 * How one call uses the cache:
 * - `use`: read the cache, and write a fresh answer back;
 * - `refresh`: skip the read (go upstream) but still write the fresh answer;
 * - `bypass`: neither read nor write.
 */
export type CacheMode = 'use' | 'refresh' | 'bypass';

/** One cached answer. */
export interface CachedAnswer {
  content: string;
  /** The layer that produced the answer originally (`docs`, `memory`, …). */
  source: string;
  contextType: ContextType;
  /** When it was stored, ms since the epoch. */
  storedAt: number;
  metadata?: Record<string, unknown>;
}

/** A cached answer with its expiry (ms since the epoch). */
export interface CacheEntry {
  value: CachedAnswer;
  expiresAt: number;
}

/** Where a hit came from: process memory, the disk folder, or the shared level (Redis). */
export type CacheLevel = 'memory' | 'disk' | 'shared';

export interface CacheHit extends CacheEntry {
  level: CacheLevel;
}

/** A clock in ms since the epoch; injectable so tests can move time. */
export type Clock = () => number;
