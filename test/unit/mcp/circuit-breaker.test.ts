import { strict as assert } from 'node:assert';
import { CircuitBreaker } from '../../../src/core/mcp/circuit-breaker';
import type { CircuitState } from '../../../src/core/mcp/types';

function breaker(failureThreshold = 3, resetTimeoutMs = 1000) {
  let now = 0;
  const changes: CircuitState[] = [];
  const circuit = new CircuitBreaker(
    { failureThreshold, resetTimeoutMs },
    () => now,
    (s) => changes.push(s),
  );
  return { circuit, changes, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('stays closed below the failure threshold and forgets failures after a success', () => {
    const { circuit } = breaker(3);
    circuit.recordFailure();
    circuit.recordFailure();
    circuit.recordSuccess();
    circuit.recordFailure();
    circuit.recordFailure();
    assert.equal(circuit.state, 'closed');
    assert.ok(circuit.tryAcquire());
  });

  it('opens after consecutive failures and refuses requests while open', () => {
    const { circuit, changes, advance } = breaker(2, 1000);
    circuit.recordFailure();
    circuit.recordFailure();
    assert.equal(circuit.state, 'open');
    assert.equal(circuit.tryAcquire(), false);
    advance(400);
    assert.equal(circuit.retryAfterMs, 600);
    assert.equal(circuit.tryAcquire(), false);
    assert.deepEqual(changes, ['open']);
  });

  it('half-opens after the reset timeout and lets exactly one trial through', () => {
    const { circuit, advance } = breaker(1, 1000);
    circuit.recordFailure();
    advance(1000);
    assert.equal(circuit.state, 'half-open');
    assert.equal(circuit.tryAcquire(), true);
    assert.equal(circuit.tryAcquire(), false, 'a second concurrent trial is refused');
  });

  it('closes when the half-open trial succeeds', () => {
    const { circuit, changes, advance } = breaker(1, 1000);
    circuit.recordFailure();
    advance(1000);
    assert.ok(circuit.tryAcquire());
    circuit.recordSuccess();
    assert.equal(circuit.state, 'closed');
    assert.deepEqual(changes, ['open', 'half-open', 'closed']);
  });

  it('reopens for a full timeout when the half-open trial fails', () => {
    const { circuit, advance } = breaker(3, 1000);
    for (let i = 0; i < 3; i++) circuit.recordFailure();
    advance(1000);
    assert.ok(circuit.tryAcquire());
    circuit.recordFailure();
    assert.equal(circuit.state, 'open', 'one failure in half-open is enough');
    advance(999);
    assert.equal(circuit.state, 'open');
    advance(1);
    assert.equal(circuit.state, 'half-open');
  });

  it('releases the trial slot on a neutral outcome without changing state', () => {
    const { circuit, advance } = breaker(1, 1000);
    circuit.recordFailure();
    advance(1000);
    assert.ok(circuit.tryAcquire());
    circuit.recordNeutral();
    assert.equal(circuit.state, 'half-open');
    assert.ok(circuit.tryAcquire());
  });

  it('reset closes an open circuit at once', () => {
    const { circuit } = breaker(1, 60_000);
    circuit.recordFailure();
    circuit.reset();
    assert.equal(circuit.state, 'closed');
    assert.ok(circuit.tryAcquire());
  });
});

describe('CircuitBreaker: defaults and details', () => {
  it('opens after three failures by default and stays open for ten seconds', () => {
    let now = 0;
    const circuit = new CircuitBreaker({}, () => now);
    circuit.recordFailure();
    circuit.recordFailure();
    assert.equal(circuit.state, 'closed');
    circuit.recordFailure();
    assert.equal(circuit.state, 'open');
    assert.equal(circuit.retryAfterMs, 10_000);
    now = 9_999;
    assert.equal(circuit.state, 'open');
    now = 10_000;
    assert.equal(circuit.state, 'half-open');
  });

  it('reports no wait while closed or half-open', () => {
    const { circuit, advance } = breaker(1, 1000);
    assert.equal(circuit.retryAfterMs, 0);
    circuit.recordFailure();
    advance(1500);
    assert.equal(circuit.retryAfterMs, 0);
  });

  it('a failed trial frees the slot for the next trial after the timeout', () => {
    const { circuit, advance } = breaker(1, 1000);
    circuit.recordFailure();
    advance(1000);
    assert.ok(circuit.tryAcquire());
    circuit.recordFailure();
    advance(1000);
    assert.equal(circuit.tryAcquire(), true);
  });

  it('announces each change of state once; reset of a closed circuit announces nothing', () => {
    const { circuit, changes, advance } = breaker(1, 1000);
    circuit.reset();
    circuit.recordSuccess();
    assert.deepEqual(changes, []);
    circuit.recordFailure();
    circuit.recordFailure();
    advance(1000);
    void circuit.state;
    void circuit.state;
    circuit.reset();
    assert.deepEqual(changes, ['open', 'half-open', 'closed']);
  });

  it('reset forgets earlier failures and a pending trial', () => {
    const { circuit, advance } = breaker(2, 1000);
    circuit.recordFailure();
    circuit.reset();
    circuit.recordFailure();
    assert.equal(circuit.state, 'closed', 'the failure before the reset no longer counts');
    circuit.recordFailure();
    advance(1000);
    assert.ok(circuit.tryAcquire());
    circuit.reset();
    circuit.recordFailure();
    circuit.recordFailure();
    advance(1000);
    assert.ok(circuit.tryAcquire(), 'the trial slot was freed by the reset');
  });
});
