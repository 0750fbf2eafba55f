/**
 * Call statistics kept per time bucket, so charts get a series and alert rules get a sliding
 * window without keeping every call. Only `maxBuckets` buckets are kept.
 */
import { LatencySketch } from './latency-sketch';
import type { TimeSeriesPoint } from './types';

export interface CallStats {
  calls: number;
  errors: number;
  costUsd: number;
  latency: LatencySketch;
}

export interface HistoryBucket {
  start: number;
  total: CallStats;
  servers: Map<string, CallStats>;
  cacheHits: number;
  cacheLookups: number;
}

export function newCallStats(): CallStats {
  return { calls: 0, errors: 0, costUsd: 0, latency: new LatencySketch() };
}

export function addCall(stats: CallStats, latencyMs: number, ok: boolean, costUsd: number): void {
  stats.calls += 1;
  if (!ok) stats.errors += 1;
  stats.costUsd += costUsd;
  stats.latency.add(latencyMs);
}

export function mergeCallStats(parts: Iterable<CallStats>): CallStats {
  const merged = newCallStats();
  for (const part of parts) {
    merged.calls += part.calls;
    merged.errors += part.errors;
    merged.costUsd += part.costUsd;
    merged.latency.merge(part.latency);
  }
  return merged;
}

export class BucketedHistory {
  /** Keyed by bucket start; insertion order is time order because the clock only moves forward. */
  private readonly buckets = new Map<number, HistoryBucket>();

  constructor(
    private readonly bucketMs: number,
    private readonly maxBuckets: number,
  ) {}

  startOf(time: number): number {
    return Math.floor(time / this.bucketMs) * this.bucketMs;
  }

  /** The bucket `time` falls in, created on demand; buckets that fell off the end are dropped. */
  bucketAt(time: number): HistoryBucket {
    const start = this.startOf(time);
    let bucket = this.buckets.get(start);
    if (!bucket) {
      bucket = { start, total: newCallStats(), servers: new Map(), cacheHits: 0, cacheLookups: 0 };
      this.buckets.set(start, bucket);
      this.prune(time);
    }
    return bucket;
  }

  /** Buckets overlapping the last `windowMs` before `now` (the current bucket included). */
  window(now: number, windowMs: number): HistoryBucket[] {
    const from = this.startOf(now - windowMs);
    return [...this.buckets.values()].filter((b) => b.start >= from && b.start <= now);
  }

  /** A continuous series from the oldest kept bucket to `now`, empty buckets as zeros. */
  series(now: number): TimeSeriesPoint[] {
    this.prune(now);
    const starts = [...this.buckets.keys()];
    if (starts.length === 0) return [];
    const points: TimeSeriesPoint[] = [];
    for (let t = Math.min(...starts); t <= this.startOf(now); t += this.bucketMs) {
      const bucket = this.buckets.get(t);
      points.push(
        bucket ? toPoint(bucket) : { t, calls: 0, errors: 0, p50LatencyMs: 0, p95LatencyMs: 0, cacheHitRate: 0 },
      );
    }
    return points;
  }

  private prune(now: number): void {
    const oldest = this.startOf(now) - (this.maxBuckets - 1) * this.bucketMs;
    for (const start of this.buckets.keys()) {
      if (start < oldest) this.buckets.delete(start);
    }
  }
}

function toPoint(bucket: HistoryBucket): TimeSeriesPoint {
  return {
    t: bucket.start,
    calls: bucket.total.calls,
    errors: bucket.total.errors,
    p50LatencyMs: bucket.total.latency.quantile(0.5),
    p95LatencyMs: bucket.total.latency.quantile(0.95),
    cacheHitRate: ratio(bucket.cacheHits, bucket.cacheLookups),
  };
}

/** `part / whole`, 0 when there is no whole. */
export function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}
