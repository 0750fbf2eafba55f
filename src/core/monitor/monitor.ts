/**
 * Monitor: watches every MCP call and cache lookup, keeps counters and latency percentiles per
 * server and context type, a bucketed history for charts, and alerts that open when a rule's
 * condition holds and resolve when it clears. Exports JSON or Prometheus text atomically.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { ServerStatus } from '../mcp/types';
import type { Disposable } from '../ports';
import { AlertBook } from './alert-book';
import { evaluateRules, type ServerWindow } from './alert-rules';
import { addCall, BucketedHistory, mergeCallStats, newCallStats, ratio, type CallStats } from './history';
import { resolveMonitorOptions, type MonitorOptions, type ResolvedMonitorOptions } from './options';
import { PrometheusMetrics } from './prometheus';
import { sharedCacheRule } from './shared-cache-rule';
import type { SharedCacheHealth } from '../store/shared-level';
import { ToolTable, type ToolCallRecord } from './tool-table';
import type { Alert, AlertSeverity, DashboardData, DashboardSummary, MetricsFormat, ServerMetrics } from './types';

/** One finished call, as the connection pool or `trackMcpCall` reports it. */
export interface CallEvent {
  server: string;
  contextType: string;
  latencyMs: number;
  ok: boolean;
  error?: string;
  /** Overrides the server's configured cost per call. */
  costUsd?: number;
}

export interface CallBreakdown {
  server: string;
  contextType: string;
  calls: number;
  errors: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  p99LatencyMs: number;
  costUsd: number;
}

export interface CustomMetricStats {
  name: string;
  unit: string;
  tags: Record<string, string>;
  count: number;
  sum: number;
  min: number;
  max: number;
  last: number;
}

/** The JSON export (`exportMetrics(path, 'json')`, `toJSON()`). */
export interface MetricsSnapshot {
  version: 1;
  dashboard: DashboardData;
  breakdown: CallBreakdown[];
  customMetrics: CustomMetricStats[];
}

const DAY_MS = 86_400_000;
/** Bounds the custom-metric table against callers that put ids into tags. */
const MAX_CUSTOM_SERIES = 500;

interface ServerTotals extends CallStats {
  lastError?: string;
}

export class Monitor {
  private readonly options: ResolvedMonitorOptions;
  private readonly startedAt: number;
  private readonly total = newCallStats();
  private readonly byServer = new Map<string, ServerTotals>();
  private readonly byServerType = new Map<string, { server: string; contextType: string; stats: CallStats }>();
  private readonly history: BucketedHistory;
  private readonly alerts = new AlertBook();
  private readonly prometheus: PrometheusMetrics;
  private readonly custom = new Map<string, CustomMetricStats>();
  private readonly tools = new ToolTable();
  private readonly listeners = new Set<() => void>();
  private cacheHits = 0;
  private cacheLookups = 0;
  private costToday = { day: -1, usd: 0 };
  private statuses: ServerStatus[] = [];
  private sharedCache: (() => SharedCacheHealth | undefined) | undefined;
  private changeTimer: NodeJS.Timeout | undefined;
  private evaluateTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(options: MonitorOptions = {}) {
    this.options = resolveMonitorOptions(options);
    this.startedAt = this.options.now();
    this.history = new BucketedHistory(this.options.bucketMs, this.options.maxBuckets);
    this.prometheus = new PrometheusMetrics({
      cacheHitRate: () => ratio(this.cacheHits, this.cacheLookups),
      uptimeSeconds: () => this.uptimeSeconds(),
      serverUp: () =>
        this.statuses.map((s) => ({
          server: s.name,
          up: s.state !== 'failed' && s.state !== 'backoff' && s.circuit !== 'open',
        })),
      openAlerts: () => this.countAlertsBySeverity(),
    });
    if (this.options.evaluateIntervalMs > 0) {
      this.evaluateTimer = setInterval(() => {
        if (this.evaluateAlerts()) this.notifyNow();
      }, this.options.evaluateIntervalMs);
      this.evaluateTimer.unref();
    }
  }

  /** The guide's `track_mcp_call`: times `fn`, records success or failure and cost, rethrows. */
  async trackMcpCall<T>(server: string, contextType: string, fn: () => Promise<T>): Promise<T> {
    const started = this.options.now();
    try {
      const result = await fn();
      this.recordCall({ server, contextType, latencyMs: this.options.now() - started, ok: true });
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.recordCall({ server, contextType, latencyMs: this.options.now() - started, ok: false, error: message });
      throw error;
    }
  }

  recordCall(event: CallEvent): void {
    const now = this.options.now();
    const latencyMs = Number.isFinite(event.latencyMs) ? Math.max(0, event.latencyMs) : 0;
    const cost = event.costUsd ?? this.options.costPerCallUsd[event.server] ?? 0;
    addCall(this.total, latencyMs, event.ok, cost);
    const server = getOrCreate(this.byServer, event.server, newCallStats) as ServerTotals;
    addCall(server, latencyMs, event.ok, cost);
    if (!event.ok && event.error) server.lastError = event.error;
    const typeKey = `${event.server}\u0000${event.contextType}`;
    const typed = getOrCreate(this.byServerType, typeKey, () => ({
      server: event.server,
      contextType: event.contextType,
      stats: newCallStats(),
    }));
    addCall(typed.stats, latencyMs, event.ok, cost);
    const bucket = this.history.bucketAt(now);
    addCall(bucket.total, latencyMs, event.ok, cost);
    addCall(getOrCreate(bucket.servers, event.server, newCallStats), latencyMs, event.ok, cost);
    this.addCostToday(now, cost);
    this.prometheus.onCall(event.server, event.contextType, event.ok, latencyMs, cost);
    this.markChanged();
  }

  /**
   * A call through the gateway: its per-tool row, and for a cacheable tool a cache lookup (agent
   * traffic counts in the hit rate). Upstream calls are recorded with `recordCall` by the caller.
   */
  recordToolCall(call: ToolCallRecord): void {
    this.tools.record(call);
    if (call.cacheable) this.recordCacheLookup(call.hit);
    else this.markChanged();
  }

  recordCacheLookup(hit: boolean): void {
    this.cacheLookups += 1;
    if (hit) this.cacheHits += 1;
    const bucket = this.history.bucketAt(this.options.now());
    bucket.cacheLookups += 1;
    if (hit) bucket.cacheHits += 1;
    this.prometheus.onCacheLookup(hit);
    this.markChanged();
  }

  /** The guide's `record_metric`: any named measurement with tags and a unit. */
  recordMetric(name: string, value: number, tags: Record<string, string> = {}, unit = ''): void {
    if (!Number.isFinite(value)) return;
    const sortedTags = Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));
    const key = JSON.stringify([name, unit, sortedTags]);
    let stats = this.custom.get(key);
    if (!stats) {
      if (this.custom.size >= MAX_CUSTOM_SERIES) return;
      stats = { name, unit, tags: sortedTags, count: 0, sum: 0, min: value, max: value, last: value };
      this.custom.set(key, stats);
    }
    stats.count += 1;
    stats.sum += value;
    stats.min = Math.min(stats.min, value);
    stats.max = Math.max(stats.max, value);
    stats.last = value;
    this.prometheus.onCustom(name, value, sortedTags, unit);
    this.markChanged();
  }

  setServerStatuses(statuses: ServerStatus[]): void {
    this.statuses = statuses.map((s) => ({ ...s, toolNames: [...s.toolNames] }));
    this.evaluateAlerts();
    this.markChanged();
  }

  /** Where the shared cache's health is read (dashboard row, alert, Prometheus gauges). */
  watchSharedCache(source: () => SharedCacheHealth | undefined): void {
    this.sharedCache = source;
    this.prometheus.addSharedCache(() => this.sharedCache?.());
    this.evaluateAlerts();
    this.markChanged();
  }

  /** Open alerts at or above `minSeverity` (default: all), worst first. */
  getAlerts(minSeverity: AlertSeverity = 'info'): Alert[] {
    this.evaluateAlerts();
    return this.alerts.list(minSeverity);
  }

  getDashboardData(): DashboardData {
    this.evaluateAlerts();
    const now = this.options.now();
    const sharedCache = this.sharedCache?.();
    return {
      generatedAt: now,
      summary: this.summary(),
      servers: this.serverMetrics(),
      tools: this.tools.snapshot(),
      alerts: this.alerts.list(),
      timeSeries: this.history.series(now),
      ...(sharedCache ? { sharedCache } : {}),
    };
  }

  /** Counts and percentiles per (server, context type). */
  getBreakdown(): CallBreakdown[] {
    return [...this.byServerType.values()]
      .map(({ server, contextType, stats }) => ({
        server,
        contextType,
        calls: stats.calls,
        errors: stats.errors,
        p50LatencyMs: stats.latency.quantile(0.5),
        p95LatencyMs: stats.latency.quantile(0.95),
        p99LatencyMs: stats.latency.quantile(0.99),
        costUsd: stats.costUsd,
      }))
      .sort((a, b) => a.server.localeCompare(b.server) || a.contextType.localeCompare(b.contextType));
  }

  toJSON(): MetricsSnapshot {
    return {
      version: 1,
      dashboard: this.getDashboardData(),
      breakdown: this.getBreakdown(),
      customMetrics: [...this.custom.values()].map((m) => ({ ...m, tags: { ...m.tags } })),
    };
  }

  /** Prometheus text exposition (format 0.0.4) of every `mcp_integration_*` metric. */
  prometheusText(): Promise<string> {
    return this.prometheus.text();
  }

  /** Writes JSON or Prometheus text to `file` atomically (a reader never sees half a file). */
  async exportMetrics(file: string, format: MetricsFormat): Promise<void> {
    let content: string;
    // Callers outside TypeScript (the CLI, the exported API) may pass any string.
    const requested: string = format;
    if (requested === 'json') content = `${JSON.stringify(this.toJSON(), null, 2)}\n`;
    else if (requested === 'prometheus') content = await this.prometheusText();
    else throw new Error(`Unknown metrics format "${requested}"; use "json" or "prometheus"`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    // The user chose this path, so a link there is theirs to follow; the file itself is private.
    await writeFileAtomic(file, content, { fsync: true, mode: 0o600 });
  }

  /** Called at most once per `changeThrottleMs` after any change (hosts redraw from it). */
  onChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Re-checks every alert rule now. Returns whether the open alerts changed. */
  evaluateAlerts(): boolean {
    const now = this.options.now();
    const window = this.history.window(now, this.options.thresholds.windowSeconds * 1000);
    const servers = new Map<string, ServerWindow>();
    const names = new Set(window.flatMap((b) => [...b.servers.keys()]));
    for (const name of names) {
      const merged = mergeCallStats(
        window.flatMap((b) => (b.servers.has(name) ? [b.servers.get(name) as CallStats] : [])),
      );
      servers.set(name, { calls: merged.calls, errors: merged.errors, p95LatencyMs: merged.latency.quantile(0.95) });
    }
    return this.alerts.update(
      [
        ...evaluateRules({
          thresholds: this.options.thresholds,
          latencyTargetsMs: this.options.latencyTargetsMs,
          servers,
          cacheHits: window.reduce((n, b) => n + b.cacheHits, 0),
          cacheLookups: window.reduce((n, b) => n + b.cacheLookups, 0),
          costTodayUsd: this.costToday.day === Math.floor(now / DAY_MS) ? this.costToday.usd : 0,
          statuses: this.statuses,
        }),
        ...sharedCacheRule(this.sharedCache?.(), now),
      ],
      now,
    );
  }

  /** Clears timers; later changes no longer notify. */
  stop(): void {
    this.stopped = true;
    if (this.changeTimer) clearTimeout(this.changeTimer);
    if (this.evaluateTimer) clearInterval(this.evaluateTimer);
    this.changeTimer = undefined;
    this.evaluateTimer = undefined;
    this.listeners.clear();
  }

  private summary(): DashboardSummary {
    return {
      totalCalls: this.total.calls,
      totalErrors: this.total.errors,
      errorRate: ratio(this.total.errors, this.total.calls),
      cacheHits: this.cacheHits,
      cacheLookups: this.cacheLookups,
      cacheHitRate: ratio(this.cacheHits, this.cacheLookups),
      p50LatencyMs: this.total.latency.quantile(0.5),
      p95LatencyMs: this.total.latency.quantile(0.95),
      p99LatencyMs: this.total.latency.quantile(0.99),
      totalCostUsd: this.total.costUsd,
      uptimeSeconds: this.uptimeSeconds(),
    };
  }

  private serverMetrics(): ServerMetrics[] {
    const names = new Set([...this.byServer.keys(), ...this.statuses.map((s) => s.name)]);
    return [...names].sort().map((server) => {
      const stats = this.byServer.get(server) ?? newCallStats();
      const lastError = (stats as ServerTotals).lastError ?? this.statuses.find((s) => s.name === server)?.lastError;
      return {
        server,
        calls: stats.calls,
        errors: stats.errors,
        errorRate: ratio(stats.errors, stats.calls),
        p50LatencyMs: stats.latency.quantile(0.5),
        p95LatencyMs: stats.latency.quantile(0.95),
        costUsd: stats.costUsd,
        ...(lastError !== undefined ? { lastError } : {}),
      };
    });
  }

  private uptimeSeconds(): number {
    return Math.max(0, (this.options.now() - this.startedAt) / 1000);
  }

  private addCostToday(now: number, cost: number): void {
    const day = Math.floor(now / DAY_MS);
    if (this.costToday.day !== day) this.costToday = { day, usd: 0 };
    this.costToday.usd += cost;
  }

  private countAlertsBySeverity(): Record<AlertSeverity, number> {
    const counts: Record<AlertSeverity, number> = { info: 0, warning: 0, error: 0, critical: 0 };
    for (const alert of this.getAlerts()) counts[alert.severity] += 1;
    return counts;
  }

  private markChanged(): void {
    if (this.stopped || this.changeTimer || this.listeners.size === 0) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      this.evaluateAlerts();
      this.notifyNow();
    }, this.options.changeThrottleMs);
    this.changeTimer.unref();
  }

  private notifyNow(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        this.options.logger.warn('A metrics change listener failed', error);
      }
    }
  }
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
