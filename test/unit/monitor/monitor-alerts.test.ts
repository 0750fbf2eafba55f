import { strict as assert } from 'node:assert';
import { Monitor } from '../../../src/core/monitor/monitor';
import type { ServerStatus } from '../../../src/core/mcp/types';
import { manualClock } from './clock';

const status = (name: string, over: Partial<ServerStatus> = {}): ServerStatus => ({
  name,
  kind: 'generic',
  state: 'ready',
  circuit: 'closed',
  toolNames: [],
  restarts: 0,
  ...over,
});

describe('Monitor alerts', () => {
  let monitor: Monitor;
  afterEach(() => monitor.stop());

  const calls = (server: string, ok: number, failed: number, latencyMs = 10): void => {
    for (let i = 0; i < ok; i++) monitor.recordCall({ server, contextType: 'general', latencyMs, ok: true });
    for (let i = 0; i < failed; i++)
      monitor.recordCall({ server, contextType: 'general', latencyMs, ok: false, error: 'x' });
  };

  it('raises error_rate as warning, then error, and resolves once the errors age out of the window', () => {
    const clock = manualClock();
    monitor = new Monitor({
      now: clock.now,
      thresholds: { errorRateWarning: 0.1, errorRateError: 0.4, minCalls: 10, windowSeconds: 120 },
    });
    calls('serena', 9, 1);
    assert.deepEqual(
      monitor.getAlerts().map((a) => [a.rule, a.server, a.severity]),
      [['error_rate', 'serena', 'warning']],
    );
    calls('serena', 0, 5);
    assert.deepEqual(
      monitor.getAlerts().map((a) => a.severity),
      ['error'],
    );
    clock.advance(10 * 60_000);
    assert.deepEqual(monitor.getAlerts(), []);
  });

  it('does not judge a server with fewer calls than minCalls', () => {
    monitor = new Monitor({ now: manualClock().now, thresholds: { minCalls: 10 } });
    calls('serena', 0, 9);
    assert.deepEqual(monitor.getAlerts(), []);
  });

  it('deduplicates an alert by rule and server, keeping firstSeenAt and moving lastSeenAt', () => {
    const clock = manualClock();
    monitor = new Monitor({ now: clock.now, thresholds: { minCalls: 1 } });
    calls('github', 0, 3);
    const first = monitor.getAlerts();
    clock.advance(1000);
    calls('github', 0, 3);
    const second = monitor.getAlerts();
    assert.equal(second.length, 1);
    assert.equal(second[0]?.id, first[0]?.id);
    assert.equal(second[0]?.firstSeenAt, first[0]?.firstSeenAt);
    assert.equal(second[0]?.lastSeenAt, (first[0]?.lastSeenAt ?? 0) + 1000);
  });

  it('raises latency when p95 exceeds the target by the factor, and resolves when fast again', () => {
    const clock = manualClock();
    monitor = new Monitor({
      now: clock.now,
      latencyTargetsMs: { context7: 500, 'memory-bank': 100 },
      thresholds: { minCalls: 5, latencyOverTargetFactor: 2, windowSeconds: 60 },
    });
    calls('context7', 10, 0, 1200);
    calls('memory-bank', 10, 0, 90);
    calls('serena', 10, 0, 5000); // no target: never judged
    assert.deepEqual(
      monitor.getAlerts().map((a) => [a.rule, a.server, a.severity]),
      [['latency', 'context7', 'warning']],
    );
    calls('context7', 90, 0, 2500);
    assert.equal(monitor.getAlerts()[0]?.severity, 'error');
    clock.advance(5 * 60_000);
    calls('context7', 10, 0, 100);
    assert.deepEqual(monitor.getAlerts(), []);
  });

  it('raises cache_hit_rate only with enough lookups, and resolves when the rate recovers', () => {
    monitor = new Monitor({ now: manualClock().now, thresholds: { cacheHitRateMin: 0.5, cacheMinLookups: 10 } });
    for (let i = 0; i < 9; i++) monitor.recordCacheLookup(false);
    assert.deepEqual(monitor.getAlerts(), [], 'below the minimum sample size');
    monitor.recordCacheLookup(false);
    assert.deepEqual(
      monitor.getAlerts().map((a) => [a.rule, a.severity, a.server]),
      [['cache_hit_rate', 'warning', undefined]],
    );
    for (let i = 0; i < 10; i++) monitor.recordCacheLookup(true);
    assert.deepEqual(monitor.getAlerts(), []);
  });

  it('raises cost_budget at 80 % (warning) and 100 % (error) of the daily budget, reset the next day', () => {
    const clock = manualClock();
    monitor = new Monitor({
      now: clock.now,
      costPerCallUsd: { context7: 0.1 },
      thresholds: { costBudgetPerDayUsd: 1 },
    });
    calls('context7', 7, 0);
    assert.deepEqual(monitor.getAlerts(), []);
    calls('context7', 1, 0);
    assert.deepEqual(
      monitor.getAlerts().map((a) => [a.rule, a.severity]),
      [['cost_budget', 'warning']],
    );
    calls('context7', 3, 0);
    assert.deepEqual(
      monitor.getAlerts().map((a) => [a.rule, a.severity]),
      [['cost_budget', 'error']],
    );
    clock.advance(24 * 3600_000);
    assert.deepEqual(monitor.getAlerts(), []);
  });

  it('raises server_down for failed servers, backoff and open circuits, and resolves when ready', () => {
    monitor = new Monitor({ now: manualClock().now });
    monitor.setServerStatuses([
      status('a', { state: 'failed', lastError: 'ENOENT' }),
      status('b', { circuit: 'open' }),
      status('c'),
    ]);
    assert.deepEqual(
      monitor.getAlerts().map((a) => [a.rule, a.server, a.severity]),
      [
        ['server_down', 'a', 'critical'],
        ['server_down', 'b', 'error'],
      ],
    );
    assert.match(monitor.getAlerts()[0]?.message ?? '', /ENOENT/);
    monitor.setServerStatuses([status('a'), status('b'), status('c')]);
    assert.deepEqual(monitor.getAlerts(), []);
  });

  it('filters by minimum severity, worst first', () => {
    monitor = new Monitor({ now: manualClock().now, thresholds: { cacheMinLookups: 1 } });
    monitor.recordCacheLookup(false);
    monitor.setServerStatuses([status('a', { state: 'failed' })]);
    assert.deepEqual(
      monitor.getAlerts().map((a) => a.severity),
      ['critical', 'warning'],
    );
    assert.deepEqual(
      monitor.getAlerts('error').map((a) => a.rule),
      ['server_down'],
    );
    assert.deepEqual(monitor.getDashboardData().alerts.length, 2);
  });

  it('can switch the server-down rule off', () => {
    monitor = new Monitor({ now: manualClock().now, thresholds: { serverDown: false } });
    monitor.setServerStatuses([status('a', { state: 'failed' })]);
    assert.deepEqual(monitor.getAlerts(), []);
  });
});
