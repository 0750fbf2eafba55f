import type { RuntimeDashboardData } from '../../../src/core/api';

/** A small, valid dashboard snapshot; each call returns a fresh copy to mutate. */
export function sampleDashboardData(): RuntimeDashboardData {
  return {
    generatedAt: 1,
    summary: {
      totalCalls: 10,
      totalErrors: 1,
      errorRate: 0.1,
      cacheHits: 9,
      cacheLookups: 10,
      cacheHitRate: 0.9,
      p50LatencyMs: 5,
      p95LatencyMs: 40,
      p99LatencyMs: 80,
      totalCostUsd: 0.01,
      uptimeSeconds: 60,
    },
    servers: [],
    tools: [
      {
        server: 'context7',
        tool: 'query-docs',
        calls: 4,
        cacheHits: 3,
        hitRate: 0.75,
        errors: 0,
        p50LatencyMs: 0.4,
        p95LatencyMs: 150,
        costUsd: 0,
        clients: ['agent'],
      },
    ],
    alerts: [],
    timeSeries: [{ t: 0, calls: 1, errors: 0, p50LatencyMs: 1, p95LatencyMs: 2, cacheHitRate: 1 }],
    serverStatuses: [],
    libraries: [],
    hierarchy: { mode: 'sequential', hitRate: 0.9, entries: 3 },
  };
}
