import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { backoffDelay, defaultBackoff } from '../../../src/core/mcp/backoff';

describe('backoffDelay', () => {
  it('stays within [base × (1 − jitter), base] for any attempt, options and random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 120_000 }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, initialMs, maxMs, multiplier, jitter, random) => {
          const base = Math.min(maxMs, initialMs * Math.pow(multiplier, attempt));
          const delay = backoffDelay(attempt, { initialMs, maxMs, multiplier, jitter }, () => random);
          assert.ok(delay <= Math.round(base) + 1, `${delay} > ${base}`);
          assert.ok(delay >= Math.floor(base * (1 - jitter)) - 1, `${delay} < ${base * (1 - jitter)}`);
          assert.ok(delay <= maxMs + 1);
        },
      ),
    );
  });

  it('doubles from the initial delay and stops growing at the maximum', () => {
    const noJitter = { jitter: 0 };
    assert.deepEqual(
      [0, 1, 2, 3].map((a) => backoffDelay(a, noJitter)),
      [250, 500, 1000, 2000],
    );
    assert.equal(backoffDelay(30, noJitter), defaultBackoff.maxMs);
  });

  it('spreads delays when jitter is on', () => {
    const low = backoffDelay(4, {}, () => 0.99);
    const high = backoffDelay(4, {}, () => 0);
    assert.ok(low < high);
    assert.equal(high, 4000);
    assert.ok(low >= 2000);
  });

  it('treats negative or fractional attempts as the nearest valid attempt', () => {
    assert.equal(backoffDelay(-3, { jitter: 0 }), 250);
    assert.equal(backoffDelay(1.7, { jitter: 0 }), 500);
  });

  it('takes away at most half the delay by default, in proportion to the random draw', () => {
    assert.equal(
      backoffDelay(4, {}, () => 0.5),
      3000,
    );
    assert.equal(
      backoffDelay(4, {}, () => 1),
      2000,
    );
  });

  it('clamps the jitter fraction to between none and full', () => {
    assert.equal(
      backoffDelay(2, { jitter: 2 }, () => 1),
      0,
    );
    assert.equal(
      backoffDelay(2, { jitter: -1 }, () => 1),
      1000,
    );
  });
});
