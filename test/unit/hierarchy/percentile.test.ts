import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { HierarchyStatsCollector, percentile } from '../../../src/core/hierarchy/hierarchy-stats';

describe('latency percentiles', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 95), 95);
    assert.equal(percentile(values, 99), 99);
    assert.equal(percentile([7], 99), 7);
    assert.equal(percentile([], 50), 0);
  });

  it('is monotonic in p and always one of the samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (samples) => {
          const sorted = [...samples].sort((a, b) => a - b);
          const p50 = percentile(sorted, 50);
          const p95 = percentile(sorted, 95);
          const p99 = percentile(sorted, 99);
          assert.ok(p50 <= p95 && p95 <= p99);
          assert.ok(sorted.includes(p99));
        },
      ),
    );
  });

  it('covers only the most recent window of lookups', () => {
    const stats = new HierarchyStatsCollector([], 10);
    for (let i = 0; i < 10; i++) stats.lookupDone(true, 1000);
    for (let i = 0; i < 10; i++) stats.lookupDone(true, 1);
    assert.deepEqual(stats.latency(), { p50: 1, p95: 1, p99: 1 });
  });
});
