/** Counters, recent latencies and the state behind `SharedCacheLevel.health()`. */
import type { Disposable } from '../ports';
import type { Clock } from './cache-types';
import type { SharedCacheHealth, SharedCacheState } from './shared-level';

/** Latencies of the last operations kept for percentiles: enough for a stable p95, bounded memory. */
const LATENCY_WINDOW = 512;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

export class SharedHealth {
  lookups = 0;
  hits = 0;
  writes = 0;
  errors = 0;
  timeouts = 0;
  skipped = 0;
  dropped = 0;
  leaseWaitsAnswered = 0;
  lastError: string | undefined;
  private current: SharedCacheState = 'connecting';
  private since: number;
  private readonly latencies: number[] = [];
  private cursor = 0;
  private readonly listeners = new Set<(health: SharedCacheHealth) => void>();

  constructor(
    private readonly endpoint: string,
    private readonly partition: string,
    private readonly now: Clock,
  ) {
    this.since = now();
  }

  get state(): SharedCacheState {
    return this.current;
  }

  setState(state: SharedCacheState): void {
    if (state === this.current) return;
    this.current = state;
    this.since = this.now();
    const snapshot = this.snapshot();
    for (const listener of [...this.listeners]) {
      try {
        listener(snapshot);
      } catch {
        // A listener's failure is its own; the state has changed regardless.
      }
    }
  }

  latency(ms: number): void {
    if (this.latencies.length < LATENCY_WINDOW) this.latencies.push(ms);
    else this.latencies[this.cursor] = ms;
    this.cursor = (this.cursor + 1) % LATENCY_WINDOW;
  }

  onStateChange(listener: (health: SharedCacheHealth) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  snapshot(): SharedCacheHealth {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      state: this.current,
      endpoint: this.endpoint,
      partition: this.partition,
      lookups: this.lookups,
      hits: this.hits,
      hitRate: this.lookups === 0 ? 0 : this.hits / this.lookups,
      writes: this.writes,
      errors: this.errors,
      timeouts: this.timeouts,
      skipped: this.skipped,
      dropped: this.dropped,
      leaseWaitsAnswered: this.leaseWaitsAnswered,
      latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95) },
      since: this.since,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }
}

/** The URL as it may be shown: scheme, host and port, never a user name or password. */
export function publicEndpoint(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'redis (unparsable URL)';
  }
}
