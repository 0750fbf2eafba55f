/** The monitor's data shapes, shared with the dashboard webview and the CLI. */

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

export interface DashboardData {
  generatedAt: number;
  summary: DashboardSummary;
  servers: ServerMetrics[];
  alerts: Alert[];
  timeSeries: TimeSeriesPoint[];
}

export type MetricsFormat = 'json' | 'prometheus';
