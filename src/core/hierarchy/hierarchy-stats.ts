/** Counters and a sliding window of lookup latencies behind `KnowledgeHierarchy.getStats()`. */
import type { LayerOutcome } from '../knowledge';
import type { CacheLevel } from '../store/cache-types';
import type { LayerStats } from './types';

/** Nearest-rank percentile of an ascending array; 0 for an empty one. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

const emptyLayerStats = (): LayerStats => ({ attempts: 0, hits: 0, misses: 0, errors: 0, timeouts: 0, cancelled: 0 });

const OUTCOME_COUNTER: Partial<Record<LayerOutcome, keyof LayerStats>> = {
  hit: 'hits',
  miss: 'misses',
  error: 'errors',
  timeout: 'timeouts',
  cancelled: 'cancelled',
};

export class HierarchyStatsCollector {
  lookups = 0;
  memoryHits = 0;
  diskHits = 0;
  answered = 0;
  failed = 0;
  readonly perLayer: Record<string, LayerStats> = {};
  private readonly window: number[] = [];
  private cursor = 0;

  constructor(
    layerNames: string[],
    private readonly windowSize = 2048,
  ) {
    for (const name of layerNames) this.perLayer[name] = emptyLayerStats();
  }

  cacheHit(level: CacheLevel): void {
    if (level === 'memory') this.memoryHits++;
    else this.diskHits++;
  }

  layerAttempt(layer: string, outcome: LayerOutcome): void {
    if (outcome === 'skipped') return;
    const stats = (this.perLayer[layer] ??= emptyLayerStats());
    stats.attempts++;
    const counter = OUTCOME_COUNTER[outcome];
    if (counter) stats[counter]++;
  }

  lookupDone(success: boolean, latencyMs: number): void {
    if (success) this.answered++;
    else this.failed++;
    if (this.window.length < this.windowSize) this.window.push(latencyMs);
    else this.window[this.cursor] = latencyMs;
    this.cursor = (this.cursor + 1) % this.windowSize;
  }

  latency(): { p50: number; p95: number; p99: number } {
    const sorted = [...this.window].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
  }

  snapshotLayers(): Record<string, LayerStats> {
    return Object.fromEntries(Object.entries(this.perLayer).map(([name, stats]) => [name, { ...stats }]));
  }
}
