/** The monitor's data shapes, shared with the dashboard webview and the CLI. */
import type { SharedCacheHealth } from '../store/shared-level';

/** The shared cache's row: state, hit rate and Redis latency of this instance. */
export type SharedCacheMetrics = SharedCacheHealth;

export type AlertSeverity = 'info' | 'warning' | 'error' | 'critical';

export interface Alert {
  id: string;
  severity: AlertSeverity;
  /** What kind of rule raised it: error_rate, latency, cache_hit_rate, server_down, cost_budget. */
  rule: string;
  server?: string;
  message: string;
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface DashboardSummary {
  totalCalls: number;
  totalErrors: number;
  errorRate: number;
  cacheHits: number;
  cacheLookups: number;
  cacheHitRate: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  p99LatencyMs: number;
  totalCostUsd: number;
  uptimeSeconds: number;
}

export interface ServerMetrics {
  server: string;
  calls: number;
  errors: number;
  errorRate: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  costUsd: number;
  lastError?: string;
}

/** One bucket of the time series the charts draw (bucket start in ms since epoch). */
export interface TimeSeriesPoint {
  t: number;
  calls: number;
  errors: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  cacheHitRate: number;
}

/** One row of the per-tool table: calls through the gateway to one server's tool. */
export interface ToolMetrics {
  server: string;
  tool: string;
  calls: number;
  cacheHits: number;
  /** Hits over calls of a cacheable tool (0 for tools that are never cached). */
  hitRate: number;
  errors: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  costUsd: number;
  /** The clients that called it (agent, VS Code, CLI, …). */
  clients: string[];
}

export interface DashboardData {
  generatedAt: number;
  summary: DashboardSummary;
  servers: ServerMetrics[];
  /** Calls through the gateway, per tool. */
  tools: ToolMetrics[];
  alerts: Alert[];
  timeSeries: TimeSeriesPoint[];
  /** Present when a shared cache (Redis) is configured. */
  sharedCache?: SharedCacheMetrics;
}

export type MetricsFormat = 'json' | 'prometheus';
