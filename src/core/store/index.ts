/** The embedded persistent store: the two-level result cache and atomic JSON state files. */
export { cacheKey, normaliseQueryText, type CacheKeyParts } from './cache-key';
export type { CacheEntry, CacheHit, CacheLevel, CacheMode, CachedAnswer, Clock } from './cache-types';
export { DiskCache, type DiskCacheOptions } from './disk-cache';
export { JsonStateFile, type JsonStateFileOptions } from './json-state-file';
export { MemoryCache, type MemoryCacheOptions } from './memory-cache';
export { ResultCache, type ResultCacheOptions, type ResultCacheStats } from './result-cache';
