import { strict as assert } from 'node:assert';
import type { SharedCacheHealth } from '../../../src/core/store/shared-level';
import { publicEndpoint, SharedHealth } from '../../../src/core/store/shared-health';

describe('store/shared-health', () => {
  it('starts connecting, with zero counters and no error, since it was made', () => {
    const health = new SharedHealth('redis://h:1', 'private:a', () => 1000);
    assert.equal(health.state, 'connecting');
    assert.deepEqual(health.snapshot(), {
      state: 'connecting',
      endpoint: 'redis://h:1',
      partition: 'private:a',
      lookups: 0,
      hits: 0,
      hitRate: 0,
      writes: 0,
      errors: 0,
      timeouts: 0,
      skipped: 0,
      dropped: 0,
      leaseWaitsAnswered: 0,
      latencyMs: { p50: 0, p95: 0 },
      since: 1000,
    });
  });

  it('reports counters, the hit rate and the last error', () => {
    const health = new SharedHealth('e', 'p', () => 0);
    health.lookups = 4;
    health.hits = 3;
    health.writes = 2;
    health.errors = 1;
    health.lastError = 'ECONNREFUSED';
    const snapshot = health.snapshot();
    assert.equal(snapshot.hitRate, 0.75);
    assert.equal(snapshot.writes, 2);
    assert.equal(snapshot.errors, 1);
    assert.equal(snapshot.lastError, 'ECONNREFUSED');
  });

  it('gives p50 and p95 of the recent latencies, whatever order they came in', () => {
    const health = new SharedHealth('e', 'p', () => 0);
    const values = Array.from({ length: 100 }, (_, i) => i + 1).reverse();
    for (const ms of values) health.latency(ms);
    assert.deepEqual(health.snapshot().latencyMs, { p50: 50, p95: 95 });
    const one = new SharedHealth('e', 'p', () => 0);
    one.latency(7);
    assert.deepEqual(one.snapshot().latencyMs, { p50: 7, p95: 7 });
  });

  it('keeps only the last 512 latencies', () => {
    const health = new SharedHealth('e', 'p', () => 0);
    for (let i = 0; i < 512; i++) health.latency(1000);
    for (let i = 0; i < 512; i++) health.latency(1);
    assert.deepEqual(health.snapshot().latencyMs, { p50: 1, p95: 1 });
    for (let i = 0; i < 300; i++) health.latency(5);
    assert.deepEqual(health.snapshot().latencyMs, { p50: 5, p95: 5 });
  });

  it('tells listeners about a change of state only, with its time; a throwing listener changes nothing', () => {
    let now = 10;
    const health = new SharedHealth('e', 'p', () => now);
    const heard: SharedCacheHealth[] = [];
    health.onStateChange(() => {
      throw new Error('listener failed');
    });
    const subscription = health.onStateChange((snapshot) => void heard.push(snapshot));
    now = 20;
    health.setState('up');
    health.setState('up');
    assert.deepEqual(
      heard.map((h) => [h.state, h.since]),
      [['up', 20]],
    );
    assert.equal(health.state, 'up');
    assert.equal(health.snapshot().since, 20);
    subscription.dispose();
    health.setState('down');
    assert.equal(heard.length, 1);
    assert.equal(health.state, 'down');
  });

  it('shows an endpoint without credentials', () => {
    assert.equal(publicEndpoint('redis://user:secret@cache.example:6380/2'), 'redis://cache.example:6380');
    assert.equal(publicEndpoint('not a url'), 'redis (unparsable URL)');
  });
});
