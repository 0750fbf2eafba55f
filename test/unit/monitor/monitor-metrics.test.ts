import { strict as assert } from 'node:assert';
import { Monitor } from '../../../src/core/monitor/monitor';
import { manualClock } from './clock';

describe('Monitor metrics', () => {
  let monitor: Monitor;
  afterEach(() => monitor.stop());

  it('reports p50/p95/p99 within the sketch accuracy', () => {
    const clock = manualClock();
    monitor = new Monitor({ now: clock.now });
    for (let ms = 1; ms <= 1000; ms++)
      monitor.recordCall({ server: 'context7', contextType: 'library_api', latencyMs: ms, ok: true });
    const { summary } = monitor.getDashboardData();
    const near = (actual: number, expected: number): void =>
      assert.ok(Math.abs(actual - expected) <= expected * 0.02, `${actual} vs ${expected}`);
    near(summary.p50LatencyMs, 500);
    near(summary.p95LatencyMs, 950);
    near(summary.p99LatencyMs, 990);
    assert.equal(summary.totalCalls, 1000);
  });

  it('keeps counters per server and per context type', () => {
    monitor = new Monitor({ now: manualClock().now });
    monitor.recordCall({ server: 'memory-bank', contextType: 'error_solution', latencyMs: 10, ok: true });
    monitor.recordCall({
      server: 'memory-bank',
      contextType: 'project_memory',
      latencyMs: 20,
      ok: false,
      error: 'boom',
    });
    monitor.recordCall({ server: 'context7', contextType: 'library_api', latencyMs: 300, ok: true });
    const servers = monitor.getDashboardData().servers;
    assert.deepEqual(
      servers.map((s) => [s.server, s.calls, s.errors]),
      [
        ['context7', 1, 0],
        ['memory-bank', 2, 1],
      ],
    );
    assert.equal(servers[1]?.lastError, 'boom');
    assert.equal(servers[1].errorRate, 0.5);
    assert.deepEqual(
      monitor.getBreakdown().map((b) => `${b.server}/${b.contextType}:${b.calls}`),
      ['context7/library_api:1', 'memory-bank/error_solution:1', 'memory-bank/project_memory:1'],
    );
  });

  it('charges each call its server cost, and honours an explicit cost', () => {
    monitor = new Monitor({ now: manualClock().now, costPerCallUsd: { context7: 0.002 } });
    for (let i = 0; i < 3; i++)
      monitor.recordCall({ server: 'context7', contextType: 'library_api', latencyMs: 5, ok: true });
    monitor.recordCall({ server: 'memory-bank', contextType: 'general', latencyMs: 5, ok: true });
    monitor.recordCall({ server: 'github', contextType: 'github_issue', latencyMs: 5, ok: true, costUsd: 0.01 });
    const data = monitor.getDashboardData();
    assert.ok(Math.abs(data.summary.totalCostUsd - 0.016) < 1e-12);
    assert.ok(Math.abs((data.servers.find((s) => s.server === 'context7')?.costUsd ?? 0) - 0.006) < 1e-12);
    assert.equal(data.servers.find((s) => s.server === 'memory-bank')?.costUsd, 0);
  });

  it('trackMcpCall times the call, records failures and rethrows the same error', async () => {
    const clock = manualClock();
    monitor = new Monitor({ now: clock.now });
    const value = await monitor.trackMcpCall('context7', 'library_api', async () => {
      clock.advance(40);
      return 'docs';
    });
    assert.equal(value, 'docs');
    assert.ok(
      Math.abs(monitor.getDashboardData().summary.p50LatencyMs - 40) <= 0.8,
      'latency measured with the injected clock',
    );
    const failure = new Error('upstream 500');
    await assert.rejects(
      monitor.trackMcpCall('context7', 'library_api', async () => {
        clock.advance(10);
        throw failure;
      }),
      (e) => e === failure,
    );
    const server = monitor.getDashboardData().servers[0];
    assert.equal(server?.calls, 2);
    assert.equal(server.errors, 1);
    assert.equal(server.lastError, 'upstream 500');
  });

  it('computes the cache hit rate', () => {
    monitor = new Monitor({ now: manualClock().now });
    for (let i = 0; i < 4; i++) monitor.recordCacheLookup(i !== 0);
    const { summary } = monitor.getDashboardData();
    assert.equal(summary.cacheLookups, 4);
    assert.equal(summary.cacheHits, 3);
    assert.equal(summary.cacheHitRate, 0.75);
  });

  it('buckets the time series, fills gaps and drops buckets beyond maxBuckets', () => {
    const clock = manualClock();
    monitor = new Monitor({ now: clock.now, bucketSeconds: 60, maxBuckets: 3 });
    const t0 = Math.floor(clock.now() / 60_000) * 60_000;
    monitor.recordCall({ server: 's', contextType: 'general', latencyMs: 10, ok: true });
    clock.advance(30_000);
    monitor.recordCall({ server: 's', contextType: 'general', latencyMs: 30, ok: false });
    monitor.recordCacheLookup(true);
    clock.advance(100_000);
    monitor.recordCall({ server: 's', contextType: 'general', latencyMs: 20, ok: true });
    const series = monitor.getDashboardData().timeSeries;
    assert.deepEqual(
      series.map((p) => [p.t - t0, p.calls, p.errors, p.cacheHitRate]),
      [
        [0, 2, 1, 1],
        [60_000, 0, 0, 0],
        [120_000, 1, 0, 0],
      ],
    );
    clock.advance(60_000);
    const later = monitor.getDashboardData().timeSeries;
    assert.deepEqual(
      later.map((p) => p.t - t0),
      [120_000, 180_000],
      'the emptied first bucket is gone and the series starts at the oldest data',
    );
    assert.equal(monitor.getDashboardData().summary.totalCalls, 3, 'all-time totals outlive the buckets');
  });

  it('summarises custom metrics by name and tags', () => {
    monitor = new Monitor({ now: manualClock().now });
    monitor.recordMetric('command.fix.duration', 120, { outcome: 'success' }, 'ms');
    monitor.recordMetric('command.fix.duration', 80, { outcome: 'success' }, 'ms');
    monitor.recordMetric('command.fix.duration', 500, { outcome: 'failure' }, 'ms');
    const custom = monitor.toJSON().customMetrics;
    const success = custom.find((m) => m.tags.outcome === 'success');
    assert.equal(custom.length, 2);
    assert.deepEqual([success?.count, success?.sum, success?.min, success?.max, success?.last], [2, 200, 80, 120, 80]);
  });

  it('notifies change listeners at most once per throttle window, and not after dispose or stop', async () => {
    monitor = new Monitor({ now: manualClock().now, changeThrottleMs: 5 });
    let notified = 0;
    const subscription = monitor.onChange(() => notified++);
    for (let i = 0; i < 5; i++) monitor.recordCall({ server: 's', contextType: 'general', latencyMs: 1, ok: true });
    // These waits outlast the 5 ms throttle window on purpose: proving that no further notification
    // comes needs the window to pass; there is no event for something that does not happen.
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(notified, 1);
    subscription.dispose();
    monitor.recordCacheLookup(true);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(notified, 1);
    monitor.onChange(() => notified++);
    monitor.stop();
    monitor.recordCacheLookup(true);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(notified, 1);
  });
});
