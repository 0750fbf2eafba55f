/**
 * Prometheus metrics of the shared cache, read at scrape time: whether this instance can use Redis,
 * its shared-level hit rate, Redis round-trip latency and the counts behind them. Registered only
 * when a shared cache is configured, so a single-user installation exports none of them.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { SharedCacheHealth } from '../store/shared-level';

const PREFIX = 'mcp_integration_shared_cache_';

export function registerSharedCacheMetrics(registry: Registry, read: () => SharedCacheHealth | undefined): void {
  const registers = [registry];
  new Gauge({
    name: `${PREFIX}up`,
    help: '1 when Redis answers (reads work; state "full" refuses writes), 0 when it is down, slow or connecting',
    labelNames: ['state'],
    registers,
    collect() {
      this.reset();
      const health = read();
      if (health) this.set({ state: health.state }, health.state === 'up' || health.state === 'full' ? 1 : 0);
    },
  });
  new Gauge({
    name: `${PREFIX}hit_ratio`,
    help: 'Share of shared-level reads (local misses) that Redis answered (0-1)',
    registers,
    collect() {
      this.set(read()?.hitRate ?? 0);
    },
  });
  new Gauge({
    name: `${PREFIX}redis_latency_seconds`,
    help: 'Redis round-trip latency of recent operations',
    labelNames: ['quantile'],
    registers,
    collect() {
      this.reset();
      const health = read();
      if (!health) return;
      this.set({ quantile: '0.5' }, health.latencyMs.p50 / 1000);
      this.set({ quantile: '0.95' }, health.latencyMs.p95 / 1000);
    },
  });
  const counted: Array<[string, string, (health: SharedCacheHealth) => number]> = [
    ['lookups_total', 'Shared-level reads', (h) => h.lookups],
    ['hits_total', 'Shared-level reads that found an entry', (h) => h.hits],
    ['writes_total', 'Entries written to Redis', (h) => h.writes],
    ['errors_total', 'Redis operations that failed, timed out or were skipped', (h) => h.errors + h.skipped],
    ['dropped_total', 'Corrupt or foreign values never returned', (h) => h.dropped],
    ['lease_waits_answered_total', "Misses answered by another instance's single-flight", (h) => h.leaseWaitsAnswered],
  ];
  for (const [name, help, value] of counted) {
    new Counter({
      name: `${PREFIX}${name}`,
      help,
      registers,
      collect() {
        this.reset();
        const health = read();
        if (health) this.inc(value(health));
      },
    });
  }
}
