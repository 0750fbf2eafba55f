/**
 * The monitor's metrics in Prometheus exposition format, through prom-client with a Registry of
 * our own (never the global one, so two runtimes in one process and the host's own metrics never
 * collide). Counters and histograms are fed as calls happen; gauges read the monitor on scrape.
 */
import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import type { SharedCacheHealth } from '../store/shared-level';
import { registerSharedCacheMetrics } from './shared-cache-gauges';
import type { AlertSeverity } from './types';

const PREFIX = 'mcp_integration_';
/** Seconds, per Prometheus convention; spans a cache hit (ms) to a slow upstream (10 s). */
const LATENCY_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const MAX_CUSTOM_METRICS = 100;

/** What the gauges read at scrape time. */
export interface GaugeSource {
  cacheHitRate(): number;
  uptimeSeconds(): number;
  serverUp(): Array<{ server: string; up: boolean }>;
  openAlerts(): Record<AlertSeverity, number>;
}

export class PrometheusMetrics {
  readonly registry = new Registry();
  private readonly calls: Counter<'server' | 'context_type' | 'outcome'>;
  private readonly latency: Histogram<'server' | 'context_type'>;
  private readonly cost: Counter<'server'>;
  private readonly cacheLookups: Counter<'result'>;
  private readonly custom = new Map<string, { summary: Summary<string>; labels: string[] }>();
  private sharedCacheRegistered = false;

  constructor(source: GaugeSource) {
    const registers = [this.registry];
    this.calls = new Counter({
      name: `${PREFIX}calls_total`,
      help: 'MCP calls by server, context type and outcome',
      labelNames: ['server', 'context_type', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: `${PREFIX}call_duration_seconds`,
      help: 'MCP call latency',
      labelNames: ['server', 'context_type'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.cost = new Counter({
      name: `${PREFIX}cost_usd_total`,
      help: 'Estimated upstream cost in USD',
      labelNames: ['server'],
      registers,
    });
    this.cacheLookups = new Counter({
      name: `${PREFIX}cache_lookups_total`,
      help: 'Local cache lookups by result',
      labelNames: ['result'],
      registers,
    });
    new Gauge({
      name: `${PREFIX}cache_hit_ratio`,
      help: 'Share of cache lookups that hit (0-1)',
      registers,
      collect() {
        this.set(source.cacheHitRate());
      },
    });
    new Gauge({
      name: `${PREFIX}uptime_seconds`,
      help: 'Seconds since the monitor started',
      registers,
      collect() {
        this.set(source.uptimeSeconds());
      },
    });
    new Gauge({
      name: `${PREFIX}server_up`,
      help: '1 when the server is usable, 0 when it is down, restarting or its circuit is open',
      labelNames: ['server'],
      registers,
      collect() {
        this.reset();
        for (const { server, up } of source.serverUp()) this.set({ server }, up ? 1 : 0);
      },
    });
    new Gauge({
      name: `${PREFIX}alerts_open`,
      help: 'Open alerts by severity',
      labelNames: ['severity'],
      registers,
      collect() {
        for (const [severity, count] of Object.entries(source.openAlerts())) this.set({ severity }, count);
      },
    });
  }

  onCall(server: string, contextType: string, ok: boolean, latencyMs: number, costUsd: number): void {
    this.calls.inc({ server, context_type: contextType, outcome: ok ? 'ok' : 'error' });
    this.latency.observe({ server, context_type: contextType }, Math.max(0, latencyMs) / 1000);
    if (costUsd > 0) this.cost.inc({ server }, costUsd);
  }

  onCacheLookup(hit: boolean): void {
    this.cacheLookups.inc({ result: hit ? 'hit' : 'miss' });
  }

  /**
   * A custom metric becomes a summary `mcp_integration_<name>[_<unit>]`, labelled by the tag keys
   * it was first recorded with (Prometheus fixes a metric's labels; later unknown tags are dropped).
   */
  onCustom(name: string, value: number, tags: Record<string, string>, unit: string): void {
    const metricName = `${PREFIX}${sanitize(name)}${unit ? `_${sanitize(unit)}` : ''}`;
    let entry = this.custom.get(metricName);
    if (!entry) {
      if (this.custom.size >= MAX_CUSTOM_METRICS) return;
      const labels = [...new Set(Object.keys(tags).map(sanitize))].sort();
      const summary = new Summary({
        name: metricName,
        help: `Custom metric ${name}${unit ? ` (${unit})` : ''}`,
        labelNames: labels,
        percentiles: [0.5, 0.95, 0.99],
        registers: [this.registry],
      });
      entry = { summary, labels };
      this.custom.set(metricName, entry);
    }
    const labelValues: Record<string, string> = {};
    for (const label of entry.labels) labelValues[label] = '';
    for (const [key, tagValue] of Object.entries(tags)) {
      const label = sanitize(key);
      if (label in labelValues) labelValues[label] = tagValue;
    }
    entry.summary.observe(labelValues, value);
  }

  /** Adds the shared cache's metrics (once; a second call changes nothing). */
  addSharedCache(read: () => SharedCacheHealth | undefined): void {
    if (this.sharedCacheRegistered) return;
    this.sharedCacheRegistered = true;
    registerSharedCacheMetrics(this.registry, read);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Metric and label names allow `[a-zA-Z_][a-zA-Z0-9_]*`. */
function sanitize(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[a-zA-Z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}
