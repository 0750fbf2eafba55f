import { strict as assert } from 'node:assert';
import { type McpError } from '../../../src/core/errors';
import type { ServerStatus } from '../../../src/core/mcp/types';
import { createTestPool } from '../../helpers/pool';
import { missingCommand } from './supervised-harness';

const statusOf = (statuses: ServerStatus[], name = 'ghost'): ServerStatus => {
  const status = statuses.find((s) => s.name === name);
  assert.ok(status);
  return status;
};

describe('SupervisedServer: a server that cannot start', () => {
  it('reports the failed start, counts it, and backs off', async () => {
    const { pool } = createTestPool([missingCommand()], { backoff: { initialMs: 1, jitter: 0 } });
    await assert.rejects(pool.start('ghost'), (error: unknown) => error instanceof Error);
    const status = statusOf(pool.statuses());
    assert.equal(status.state, 'backoff');
    assert.equal(status.circuit, 'closed');
    assert.equal(status.restarts, 0);
    assert.ok(status.lastError && status.lastError.length > 0);
    assert.equal(typeof status.lastErrorAt, 'number');
    await pool.shutdown(0);
  });

  it('opens the circuit after three failed starts and then fails fast, naming the last error', async () => {
    const { pool } = createTestPool([missingCommand()], {
      backoff: { initialMs: 1, maxMs: 1, jitter: 0 },
      breaker: { failureThreshold: 3, resetTimeoutMs: 60_000 },
    });
    const caller = pool.caller('ghost');
    for (let i = 0; i < 3; i++) await assert.rejects(caller.callTool('t', {}));
    const status = statusOf(pool.statuses());
    assert.equal(status.circuit, 'open');
    assert.equal(status.state, 'failed');
    assert.equal(status.restarts, 2, 'three starts are two restarts');
    await assert.rejects(caller.callTool('t', {}), (error: McpError) => {
      assert.equal(error.kind, 'unavailable');
      assert.equal(error.tool, 't');
      assert.match(error.message, /^ghost is failing; not retrying for 60 s; last error: /);
      return true;
    });
    await pool.shutdown(0);
  });

  it('tells the monitor about each failed call', async () => {
    const { pool } = createTestPool([missingCommand()], { backoff: { initialMs: 1, jitter: 0 } });
    const events: Array<{ server: string; tool: string; ok: boolean }> = [];
    pool.onCallComplete((event) => events.push({ server: event.server, tool: event.tool, ok: event.ok }));
    await assert.rejects(pool.caller('ghost').callTool('search', {}));
    assert.deepEqual(events, [{ server: 'ghost', tool: 'search', ok: false }]);
    await pool.shutdown(0);
  });

  it('refuses at once when the next restart is further away than a start may take', async () => {
    const { pool } = createTestPool([missingCommand('ghost', 50)], {
      backoff: { initialMs: 60_000, jitter: 0 },
      breaker: { failureThreshold: 10 },
    });
    await assert.rejects(pool.start('ghost'));
    await assert.rejects(pool.start('ghost'), (error: McpError) => {
      assert.equal(error.kind, 'unavailable');
      assert.match(error.message, /^ghost crashed; next restart in \d+ ms \(last error: .+\)$/);
      return true;
    });
    await pool.shutdown(0);
  });

  it('a request whose signal is already aborted never starts the server', async () => {
    const { pool } = createTestPool([missingCommand()]);
    await assert.rejects(
      pool.caller('ghost').callTool('t', {}, { signal: AbortSignal.abort() }),
      (error: McpError) => error.kind === 'cancelled' && /t was cancelled before it started/.test(error.message),
    );
    assert.equal(statusOf(pool.statuses()).state, 'idle');
    await pool.shutdown(0);
  });

  it('after shutdown every request is refused as unavailable', async () => {
    const { pool } = createTestPool([missingCommand()]);
    const caller = pool.caller('ghost');
    await pool.shutdown(0);
    await assert.rejects(
      caller.listTools(),
      (error: McpError) => error.kind === 'unavailable' && error.message === 'ghost has been shut down',
    );
    assert.equal(statusOf(pool.statuses()).state, 'stopped');
  });

  it('a manual restart closes the circuit and tries again', async () => {
    const { pool } = createTestPool([missingCommand()], {
      backoff: { initialMs: 1, maxMs: 1, jitter: 0 },
      breaker: { failureThreshold: 1, resetTimeoutMs: 60_000 },
    });
    await assert.rejects(pool.start('ghost'));
    assert.equal(statusOf(pool.statuses()).circuit, 'open');
    await pool.restart('ghost');
    const status = statusOf(pool.statuses());
    assert.equal(status.restarts, 1, 'it was tried again');
    assert.equal(status.circuit, 'open', 'and failed again');
    await pool.shutdown(0);
  });
});
