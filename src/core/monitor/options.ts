/** Options of the Monitor, with the defaults stated once. */
import { silentLogger, type Logger } from '../ports';

export interface AlertThresholds {
  /** Error rate (0–1) of a server over the alert window that raises a warning. Default 0.05. */
  errorRateWarning: number;
  /** Error rate (0–1) that raises an error. Default 0.25. */
  errorRateError: number;
  /** Calls a server must have in the window before error-rate and latency rules judge it. Default 10. */
  minCalls: number;
  /** p95 above the server's latency target × this factor raises a warning (× twice this: error). Default 2. */
  latencyOverTargetFactor: number;
  /** Cache hit rate (0–1) over the window below which a warning is raised. Default 0.5. */
  cacheHitRateMin: number;
  /** Cache lookups the window must hold before the hit-rate rule judges. Default 20. */
  cacheMinLookups: number;
  /** USD per UTC day; 80 % raises a warning, 100 % an error. Default undefined (no budget). */
  costBudgetPerDayUsd?: number;
  /** Whether a failed server, a server in backoff or an open circuit raises an alert. Default true. */
  serverDown: boolean;
  /** How far back the windowed rules look, in seconds. Default 300. */
  windowSeconds: number;
}

export interface MonitorOptions {
  /** USD charged per call, by server name. Default: none (calls are free). */
  costPerCallUsd?: Record<string, number>;
  /** Latency target in ms, by server name (the guide's 100/200/500 ms per layer). Default: none. */
  latencyTargetsMs?: Record<string, number>;
  /** Alert thresholds; any subset overrides the defaults. */
  thresholds?: Partial<AlertThresholds>;
  /** Width of one time-series bucket in seconds. Default 60. */
  bucketSeconds?: number;
  /** Buckets kept for charts and windowed rules (older ones are dropped). Default 120 (two hours at 60 s). */
  maxBuckets?: number;
  /** Coalesces change notifications to at most one per this many ms. Default 500. */
  changeThrottleMs?: number;
  /** How often alerts are re-evaluated when nothing happens (so aged-out errors resolve), ms. Default 15000; 0 disables. */
  evaluateIntervalMs?: number;
  /** Clock in ms since epoch. Default `Date.now`. */
  now?: () => number;
  /** Where failing change listeners are reported. Default: silent. */
  logger?: Logger;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  errorRateWarning: 0.05,
  errorRateError: 0.25,
  minCalls: 10,
  latencyOverTargetFactor: 2,
  cacheHitRateMin: 0.5,
  cacheMinLookups: 20,
  serverDown: true,
  windowSeconds: 300,
};

export interface ResolvedMonitorOptions {
  costPerCallUsd: Record<string, number>;
  latencyTargetsMs: Record<string, number>;
  thresholds: AlertThresholds;
  bucketMs: number;
  maxBuckets: number;
  changeThrottleMs: number;
  evaluateIntervalMs: number;
  now: () => number;
  logger: Logger;
}

export function resolveMonitorOptions(options: MonitorOptions = {}): ResolvedMonitorOptions {
  return {
    costPerCallUsd: { ...options.costPerCallUsd },
    latencyTargetsMs: { ...options.latencyTargetsMs },
    thresholds: { ...DEFAULT_THRESHOLDS, ...options.thresholds },
    bucketMs: Math.max(1, options.bucketSeconds ?? 60) * 1000,
    maxBuckets: Math.max(1, Math.floor(options.maxBuckets ?? 120)),
    changeThrottleMs: Math.max(0, options.changeThrottleMs ?? 500),
    evaluateIntervalMs: Math.max(0, options.evaluateIntervalMs ?? 15_000),
    now: options.now ?? Date.now,
    logger: options.logger ?? silentLogger,
  };
}
