import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { McpError } from '../../../src/core/errors';
import type { ConnectionPool } from '../../../src/core/mcp/connection-pool';
import type { ServerStatus } from '../../../src/core/mcp/types';
import { toolText, statusOf, until } from '../../helpers/mcp-assertions';
import { createTestPool } from '../../helpers/pool';
import { isPidAlive, waitForPidGone } from '../../helpers/processes';
import { faultyServer } from '../../helpers/servers';
import type { FaultyServerOptions, FaultyMode } from '../../helpers/servers';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';

function startedPids(startLog: string): number[] {
  return existsSync(startLog) ? readFileSync(startLog, 'utf8').split('\n').filter(Boolean).map(Number) : [];
}

async function rejectsWith(promise: Promise<unknown>, kind: McpError['kind']): Promise<McpError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof McpError, `expected McpError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    return error;
  }
  assert.fail(`expected a ${kind} McpError`);
}

describe('ConnectionPool under faults', function () {
  const tempDir = cleanTempDirsAfter();
  const pools: ConnectionPool[] = [];

  /** A pool with one faulty server; every start's pid is logged so the test can check it is gone. */
  function faultyPool(
    mode: FaultyMode,
    options: FaultyServerOptions = {},
    poolOptions: Parameters<typeof createTestPool>[1] = {},
  ) {
    const startLog = path.join(tempDir('faulty-'), 'starts.log');
    const test = createTestPool([faultyServer(mode, { startLog, ...options })], poolOptions);
    pools.push(test.pool);
    return { ...test, startLog, caller: test.pool.caller('faulty') };
  }

  /** Resolves once the server has started `count` sleeps of `ms` (its stderr says so). */
  function sleepsStarted(stderr: Map<string, string[]>, ms: number, count = 1): Promise<boolean> {
    const line = `faulty-server: sleep started ${ms}`;
    return waitFor(() => (stderr.get('faulty') ?? []).filter((l) => l.includes(line)).length >= count, {
      what: `${count} sleep(s) of ${ms} ms under way at the server`,
      timeoutMs: 10_000,
    });
  }

  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.shutdown(500)));
  });

  it('rejects a pending call at once when the server dies mid-call, then restarts on next use', async () => {
    const { pool, caller, startLog } = faultyPool(
      'exit-on-call',
      { timeouts: { callMs: 30_000 } },
      { backoff: { initialMs: 10, maxMs: 20 } },
    );
    await caller.callTool('sleep', { ms: 0 });
    const [firstPid] = startedPids(startLog);
    assert.ok(firstPid);
    // Killed mid-call: the error is "unavailable", not a timeout after 30 s.
    const error = await rejectsWith(caller.callTool('echo', { text: 'boom' }), 'unavailable');
    assert.match(error.message, /closed|exited/);
    assert.ok(await waitForPidGone(firstPid));
    assert.equal(statusOf(pool, 'faulty').state, 'backoff');
    assert.ok(statusOf(pool, 'faulty').lastError);
    assert.equal(toolText(await caller.callTool('sleep', { ms: 0 })), 'slept 0');
    assert.equal(startedPids(startLog).length, 2);
    assert.equal(statusOf(pool, 'faulty').restarts, 1);
    assert.equal(statusOf(pool, 'faulty').state, 'ready');
  });

  it('an answer over the 10 MiB stdio limit is reported as such, and is not a crash to restart for', async () => {
    const { pool, caller, startLog } = faultyPool('ok', { timeouts: { callMs: 30_000 } });
    assert.equal(toolText(await caller.callTool('huge', { mib: 1 })).length, 1024 * 1024, 'a large answer fits');
    const [firstPid] = startedPids(startLog);
    const error = await rejectsWith(caller.callTool('huge', { mib: 12 }), 'protocol-error');
    assert.match(error.message, /larger than the 10 MiB stdio message limit/);
    // The SDK closed that connection itself; the server did not crash, so no backoff and no restart.
    assert.equal(statusOf(pool, 'faulty').state, 'idle');
    assert.equal(statusOf(pool, 'faulty').circuit, 'closed');
    assert.match(statusOf(pool, 'faulty').lastError ?? '', /larger than the 10 MiB/);
    assert.ok(firstPid && (await waitForPidGone(firstPid)));
    assert.equal(startedPids(startLog).length, 1, 'nothing restarted it');
    // The next call starts it as any first call would.
    assert.equal(toolText(await caller.callTool('echo', { text: 'after' })), 'after');
    assert.equal(startedPids(startLog).length, 2);
  });

  it('rejects every pending call at once when the process is killed from outside', async () => {
    const { pool, caller, stderr } = faultyPool('ok', { timeouts: { callMs: 30_000 } });
    await caller.callTool('sleep', { ms: 0 });
    const pid = statusOf(pool, 'faulty').pid;
    assert.ok(pid);
    const pending = Array.from({ length: 5 }, () => caller.callTool('sleep', { ms: 25_000 }));
    await sleepsStarted(stderr, 25_000, 5);
    process.kill(pid, 'SIGKILL');
    const kinds = await Promise.all(pending.map((p) => rejectsWith(p, 'unavailable').then((e) => e.kind)));
    assert.deepEqual(kinds, Array(5).fill('unavailable'));
    assert.ok(await waitForPidGone(pid));
    assert.equal(statusOf(pool, 'faulty').circuit, 'closed', 'one crash counts once against the circuit (threshold 3)');
  });

  it('rejects pending calls promptly when the pool shuts down', async () => {
    const { pool, caller, stderr } = faultyPool('ok', { timeouts: { callMs: 30_000 } });
    await caller.callTool('sleep', { ms: 0 });
    const pending = caller.callTool('sleep', { ms: 25_000 });
    await sleepsStarted(stderr, 25_000);
    await pool.shutdown(500);
    await rejectsWith(pending, 'unavailable');
  });

  it('times out a hung call with a timeout McpError and keeps the server usable', async () => {
    const { pool, caller } = faultyPool('hang-on-call', { timeouts: { callMs: 300 } });
    await caller.callTool('sleep', { ms: 0 });
    const pid = statusOf(pool, 'faulty').pid;
    await rejectsWith(caller.callTool('echo', { text: 'never' }), 'timeout');
    assert.equal(toolText(await caller.callTool('sleep', { ms: 0 })), 'slept 0');
    assert.equal(statusOf(pool, 'faulty').pid, pid, 'a slow call does not restart the server');
    await pool.shutdown(500);
    assert.ok(pid && (await waitForPidGone(pid)));
  });

  it('honours a per-call timeout override', async () => {
    const { caller } = faultyPool('ok', { timeouts: { callMs: 30_000 } });
    await rejectsWith(caller.callTool('sleep', { ms: 5_000 }, { timeoutMs: 200 }), 'timeout');
  });

  it('times out a hung initialize and kills the process', async () => {
    const { pool, caller } = faultyPool('hang-on-initialize', { timeouts: { initializeMs: 1500 } });
    const pending = caller.callTool('echo', { text: 'x' });
    await until(() => statusOf(pool, 'faulty').pid !== undefined);
    const pid = statusOf(pool, 'faulty').pid;
    assert.equal(statusOf(pool, 'faulty').state, 'starting');
    await rejectsWith(pending, 'timeout');
    assert.ok(pid && (await waitForPidGone(pid)), 'the hung server was killed');
    assert.equal(statusOf(pool, 'faulty').state, 'backoff');
    assert.match(statusOf(pool, 'faulty').lastError ?? '', /initialize timed out/);
  });

  it('waits for a slow initialize that fits its timeout', async () => {
    const { pool, caller } = faultyPool('slow-initialize', { delayMs: 300, timeouts: { initializeMs: 10_000 } });
    assert.equal(toolText(await caller.callTool('echo', { text: 'late but fine' })), 'late but fine');
    assert.equal(statusOf(pool, 'faulty').state, 'ready');
  });

  it('gives up on a slow initialize that exceeds its timeout and leaves no process', async () => {
    const { pool, caller } = faultyPool('slow-initialize', { delayMs: 5_000, timeouts: { initializeMs: 1500 } });
    const pending = caller.listTools();
    await until(() => statusOf(pool, 'faulty').pid !== undefined);
    const pid = statusOf(pool, 'faulty').pid;
    await rejectsWith(pending, 'timeout');
    assert.ok(pid && (await waitForPidGone(pid)));
  });

  it('keeps working when the server writes garbage lines to stdout', async () => {
    const { caller } = faultyPool('garbage-stdout');
    for (let i = 0; i < 5; i++) assert.equal(toolText(await caller.callTool('echo', { text: `ok ${i}` })), `ok ${i}`);
    assert.ok((await caller.listTools()).some((t) => t.name === 'echo'));
  });

  it('opens the circuit on a crash loop, fails fast while open, and recovers half-open once fixed', async () => {
    const healFile = path.join(tempDir('heal-'), 'healed');
    const statuses: ServerStatus[][] = [];
    const { pool, caller, startLog } = faultyPool(
      'crash-on-start',
      { healFile },
      { backoff: { initialMs: 10, maxMs: 20 }, breaker: { failureThreshold: 2, resetTimeoutMs: 400 } },
    );
    pool.onStatusChange((s) => statuses.push(s));
    await rejectsWith(caller.callTool('echo', { text: 'a' }), 'unavailable');
    await rejectsWith(caller.callTool('echo', { text: 'b' }), 'unavailable');
    assert.equal(statusOf(pool, 'faulty').circuit, 'open');
    assert.equal(statusOf(pool, 'faulty').state, 'failed');
    assert.ok(
      statuses.some((s) => s[0]?.circuit === 'open'),
      'listeners heard the circuit open',
    );
    const startsWhileOpen = startedPids(startLog).length;
    const fast = await rejectsWith(caller.callTool('echo', { text: 'c' }), 'unavailable');
    assert.match(fast.message, /not retrying/);
    assert.equal(startedPids(startLog).length, startsWhileOpen, 'no start attempted while the circuit is open');
    for (const pid of startedPids(startLog)) assert.ok(await waitForPidGone(pid));

    writeFileSync(healFile, 'fixed');
    await until(() => statuses.some((s) => s[0]?.circuit === 'half-open'));
    assert.equal(statusOf(pool, 'faulty').circuit, 'half-open', 'listeners hear of half-open without anyone asking');
    assert.equal(toolText(await caller.callTool('echo', { text: 'back' })), 'back');
    assert.equal(statusOf(pool, 'faulty').circuit, 'closed');
    assert.equal(statusOf(pool, 'faulty').state, 'ready');
  });

  it('cancels a call when its AbortSignal fires and tells the server', async () => {
    const { pool, caller, stderr } = faultyPool('ok', { timeouts: { callMs: 30_000 } });
    await caller.callTool('sleep', { ms: 0 });
    const controller = new AbortController();
    const pending = caller.callTool('sleep', { ms: 20_000 }, { signal: controller.signal });
    await sleepsStarted(stderr, 20_000);
    controller.abort();
    await rejectsWith(pending, 'cancelled');
    await until(() => (stderr.get('faulty') ?? []).some((l) => l.includes('sleep cancelled')));
    assert.equal(toolText(await caller.callTool('sleep', { ms: 0 })), 'slept 0');
    assert.equal(statusOf(pool, 'faulty').circuit, 'closed');
  });

  it('rejects at once for an already aborted signal', async () => {
    const { caller } = faultyPool('ok');
    await rejectsWith(caller.callTool('echo', { text: 'x' }, { signal: AbortSignal.abort() }), 'cancelled');
  });

  it('surfaces the three error styles distinctly', async () => {
    const errorResult = faultyPool('error-result', {}, {});
    const events: boolean[] = [];
    errorResult.pool.onCallComplete((e) => events.push(e.ok));
    const result = await errorResult.caller.callTool('echo', { text: 'x' });
    assert.equal(result.isError, true, 'an isError result is returned for the adapter to interpret');
    assert.deepEqual(events, [false]);

    const thrown = faultyPool('throw-jsonrpc');
    const error = await rejectsWith(thrown.caller.callTool('echo', { text: 'x' }), 'protocol-error');
    assert.match(error.message, /fetch failed/);
    assert.equal(
      statusOf(thrown.pool, 'faulty').circuit,
      'closed',
      'an answered error does not count against the server',
    );

    const upstream = faultyPool('upstream-text-error');
    assert.match(toolText(await upstream.caller.callTool('echo', { text: 'x' })), /Rate limited/);
  });

  it('fails with a clear unavailable error when the server command does not exist', async () => {
    const missing = faultyServer('ok', { name: 'missing' });
    const definition = {
      ...missing,
      transport: { ...missing.transport, command: path.join(tempDir('nothing-'), 'no-such-binary') },
    };
    const { pool } = createTestPool([definition]);
    pools.push(pool);
    const error = await rejectsWith(pool.caller('missing').callTool('echo', { text: 'x' }), 'unavailable');
    assert.match(error.message, /ENOENT|no-such-binary/);
    assert.equal(statusOf(pool, 'missing').state, 'backoff');
  });

  it('SIGKILLs a server that ignores shutdown after the grace period', async () => {
    const { pool, caller } = faultyPool('ok', { stubborn: true });
    await caller.callTool('sleep', { ms: 0 });
    const pid = statusOf(pool, 'faulty').pid;
    assert.ok(pid && isPidAlive(pid));
    await pool.shutdown(200);
    assert.ok(await waitForPidGone(pid, 1000), 'killed after the grace period');
    assert.equal(statusOf(pool, 'faulty').state, 'stopped');
    await rejectsWith(caller.callTool('sleep', { ms: 0 }), 'unavailable');
  });

  it('kills a server that is still starting when the pool shuts down', async () => {
    const { pool, caller } = faultyPool('hang-on-initialize', { timeouts: { initializeMs: 30_000 } });
    const pending = caller.callTool('echo', { text: 'x' });
    await until(() => statusOf(pool, 'faulty').pid !== undefined);
    const pid = statusOf(pool, 'faulty').pid;
    await pool.shutdown(200);
    await assert.rejects(pending, McpError);
    assert.ok(pid && (await waitForPidGone(pid)));
  });
});
