/**
 * Latency percentiles in bounded memory. A DDSketch keeps every quantile within 1 % relative
 * error (what a latency chart needs: "p95 is 480 ms", not "somewhere in the 250–500 ms bucket"),
 * merges exactly (window statistics are the merge of per-bucket sketches), and the collapsing
 * variant caps its bins, so a long-running host never grows without limit. A fixed reservoir would
 * forget the tail that p99 is about; a fixed histogram would need latency ranges guessed up front.
 */
import { LogCollapsingLowestDenseDDSketch } from '@datadog/sketches-js';

/** 1024 bins at 1 % accuracy cover ~9 decades (0.001 ms … 10+ minutes) before the lowest collapse. */
const BIN_LIMIT = 1024;
const RELATIVE_ACCURACY = 0.01;

export class LatencySketch {
  private readonly sketch = new LogCollapsingLowestDenseDDSketch({
    relativeAccuracy: RELATIVE_ACCURACY,
    binLimit: BIN_LIMIT,
  });

  add(latencyMs: number): void {
    this.sketch.accept(Number.isFinite(latencyMs) && latencyMs > 0 ? latencyMs : 0);
  }

  get count(): number {
    return this.sketch.count;
  }

  /** The value at quantile `q` (0–1); 0 when nothing was recorded. */
  quantile(q: number): number {
    if (this.sketch.count === 0) return 0;
    return round(this.sketch.getValueAtQuantile(q));
  }

  /** Adds another sketch's values into this one. */
  merge(other: LatencySketch): void {
    if (other.sketch.count > 0) this.sketch.merge(other.sketch);
  }

  static mergeAll(sketches: Iterable<LatencySketch>): LatencySketch {
    const merged = new LatencySketch();
    for (const sketch of sketches) merged.merge(sketch);
    return merged;
  }
}

/** Two decimals are plenty for milliseconds and keep exported JSON readable. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}
