/**
 * The alert rules as a pure function: given the windowed statistics and server states, which
 * conditions hold right now. The AlertBook turns these into deduplicated, resolvable alerts.
 */
import type { ServerStatus } from '../mcp/types';
import type { AlertThresholds } from './options';
import type { AlertSeverity } from './types';

export interface ServerWindow {
  calls: number;
  errors: number;
  p95LatencyMs: number;
}

export interface RuleInput {
  thresholds: AlertThresholds;
  latencyTargetsMs: Record<string, number>;
  servers: Map<string, ServerWindow>;
  cacheHits: number;
  cacheLookups: number;
  costTodayUsd: number;
  statuses: ServerStatus[];
}

export interface AlertCondition {
  rule: 'error_rate' | 'latency' | 'cache_hit_rate' | 'server_down' | 'cost_budget' | 'shared_cache';
  severity: AlertSeverity;
  server?: string;
  message: string;
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

export function evaluateRules(input: RuleInput): AlertCondition[] {
  return [...errorRate(input), ...latency(input), ...cacheHitRate(input), ...costBudget(input), ...serverDown(input)];
}

function errorRate({ thresholds, servers }: RuleInput): AlertCondition[] {
  const out: AlertCondition[] = [];
  for (const [server, w] of servers) {
    if (w.calls < thresholds.minCalls) continue;
    const rate = w.errors / w.calls;
    const severity =
      rate >= thresholds.errorRateError ? 'error' : rate >= thresholds.errorRateWarning ? 'warning' : null;
    if (severity) {
      out.push({
        rule: 'error_rate',
        severity,
        server,
        message: `${server}: ${percent(rate)} of ${w.calls} recent calls failed`,
      });
    }
  }
  return out;
}

function latency({ thresholds, servers, latencyTargetsMs }: RuleInput): AlertCondition[] {
  const out: AlertCondition[] = [];
  for (const [server, w] of servers) {
    const target = latencyTargetsMs[server];
    if (target === undefined || w.calls < thresholds.minCalls) continue;
    const limit = target * thresholds.latencyOverTargetFactor;
    const severity = w.p95LatencyMs > limit * 2 ? 'error' : w.p95LatencyMs > limit ? 'warning' : null;
    if (severity) {
      out.push({
        rule: 'latency',
        severity,
        server,
        message: `${server}: p95 latency ${Math.round(w.p95LatencyMs)} ms is over its ${target} ms target`,
      });
    }
  }
  return out;
}

function cacheHitRate({ thresholds, cacheHits, cacheLookups }: RuleInput): AlertCondition[] {
  if (cacheLookups < thresholds.cacheMinLookups) return [];
  const rate = cacheHits / cacheLookups;
  if (rate >= thresholds.cacheHitRateMin) return [];
  return [
    {
      rule: 'cache_hit_rate',
      severity: 'warning',
      message: `Cache hit rate ${percent(rate)} is below ${percent(thresholds.cacheHitRateMin)}`,
    },
  ];
}

function costBudget({ thresholds, costTodayUsd }: RuleInput): AlertCondition[] {
  const budget = thresholds.costBudgetPerDayUsd;
  if (budget === undefined || budget <= 0) return [];
  // Sums of decimal prices drift (0.1 × 8 = 0.7999…): compare with a tolerance far below a cent.
  const spent = costTodayUsd + 1e-9;
  const severity = spent >= budget ? 'error' : spent >= budget * 0.8 ? 'warning' : null;
  if (!severity) return [];
  return [
    {
      rule: 'cost_budget',
      severity,
      message: `Spent $${costTodayUsd.toFixed(4)} today of a $${budget.toFixed(2)} daily budget`,
    },
  ];
}

function serverDown({ thresholds, statuses }: RuleInput): AlertCondition[] {
  if (!thresholds.serverDown) return [];
  const out: AlertCondition[] = [];
  for (const status of statuses) {
    const reason = status.lastError ? `: ${status.lastError}` : '';
    if (status.state === 'failed') {
      out.push({
        rule: 'server_down',
        severity: 'critical',
        server: status.name,
        message: `${status.name} is down${reason}`,
      });
    } else if (status.state === 'backoff' || status.circuit === 'open') {
      const what = status.circuit === 'open' ? 'circuit is open' : 'is restarting';
      out.push({
        rule: 'server_down',
        severity: 'error',
        server: status.name,
        message: `${status.name} ${what}${reason}`,
      });
    }
  }
  return out;
}
