import { strict as assert } from 'node:assert';
import { Monitor } from '../../../src/core/monitor/monitor';
import { sharedCacheRule } from '../../../src/core/monitor/shared-cache-rule';
import type { SharedCacheHealth, SharedCacheState } from '../../../src/core/store/shared-level';
import { manualClock } from './clock';

function health(state: SharedCacheState, since = 0, extra: Partial<SharedCacheHealth> = {}): SharedCacheHealth {
  return {
    state,
    endpoint: 'redis://10.0.0.5:6379',
    partition: 'ada',
    lookups: 20,
    hits: 15,
    hitRate: 0.75,
    writes: 4,
    errors: 1,
    timeouts: 1,
    skipped: 2,
    dropped: 0,
    leaseWaitsAnswered: 3,
    latencyMs: { p50: 0.5, p95: 2 },
    since,
    ...extra,
  };
}

describe('Monitor: shared cache health', () => {
  it('raises a warning while Redis is down, slow or full, and none while it is up', () => {
    assert.deepEqual(sharedCacheRule(health('up'), 0), []);
    assert.deepEqual(sharedCacheRule(undefined, 0), []);
    for (const state of ['down', 'slow', 'full'] as const) {
      const [alert] = sharedCacheRule(health(state, 0, { lastError: 'connect ECONNREFUSED' }), 0);
      assert.equal(alert?.rule, 'shared_cache');
      assert.equal(alert.severity, 'warning');
      assert.match(alert.message, /^Shared cache \(redis:\/\/10\.0\.0\.5:6379\)/);
    }
    assert.deepEqual(sharedCacheRule(health('connecting', 0), 5_000), [], 'a first connection gets a grace period');
    assert.equal(sharedCacheRule(health('connecting', 0), 11_000).length, 1, 'then it counts as unreachable');
  });

  it('opens the alert, shows the row and resolves the alert when Redis comes back', () => {
    const clock = manualClock();
    const monitor = new Monitor({ now: clock.now, evaluateIntervalMs: 0 });
    let current = health('up', clock.now());
    monitor.watchSharedCache(() => current);
    assert.equal(monitor.getDashboardData().sharedCache?.hitRate, 0.75, 'the dashboard row');
    assert.deepEqual(monitor.getAlerts(), []);

    current = health('down', clock.now(), { lastError: 'connect ECONNREFUSED 10.0.0.5:6379' });
    const [alert] = monitor.getAlerts();
    assert.equal(alert?.rule, 'shared_cache');
    assert.match(
      alert.message,
      /unreachable \(connect ECONNREFUSED 10\.0\.0\.5:6379\); answers come from the local cache/,
    );

    current = health('up', clock.now());
    assert.deepEqual(monitor.getAlerts(), [], 'resolved');
    monitor.stop();
  });

  it('exports shared cache gauges to Prometheus only when a shared cache is watched', async () => {
    const plain = new Monitor({ evaluateIntervalMs: 0 });
    assert.ok(!(await plain.prometheusText()).includes('shared_cache'));
    plain.stop();

    const monitor = new Monitor({ evaluateIntervalMs: 0 });
    monitor.watchSharedCache(() => health('up'));
    const text = await monitor.prometheusText();
    assert.match(text, /^mcp_integration_shared_cache_up\{state="up"\} 1$/m);
    assert.match(text, /^mcp_integration_shared_cache_hit_ratio 0\.75$/m);
    assert.match(text, /^mcp_integration_shared_cache_redis_latency_seconds\{quantile="0\.95"\} 0\.002$/m);
    assert.match(text, /^mcp_integration_shared_cache_lookups_total 20$/m);
    assert.match(text, /^mcp_integration_shared_cache_errors_total 3$/m);
    assert.match(text, /^mcp_integration_shared_cache_lease_waits_answered_total 3$/m);
    monitor.watchSharedCache(() => health('down'));
    assert.match(await monitor.prometheusText(), /^mcp_integration_shared_cache_up\{state="down"\} 0$/m);
    monitor.stop();
  });
});
