import { strict as assert } from 'node:assert';
import { type McpError } from '../../../src/core/errors';
import { startStreamableHttpServer } from '../../fixtures/http-servers';
import { faultyServer } from '../../helpers/servers';
import { waitFor } from '../../helpers/wait';
import { eachTestHttpServer, freePort, httpDefinition, silentEndpoint, supervise } from './supervised-harness';

/**
 * What each outcome of a request tells the circuit (a half-open trial cancelled, or answered with
 * an error; one crash failing several calls), and the listener's view of stop and restart.
 */

/** A supervisor of an HTTP server at a port nothing listens on yet, whose circuit opened after one failure. */
async function openCircuit(): Promise<{ port: number; supervised: ReturnType<typeof supervise> }> {
  const port = await freePort();
  const supervised = supervise(httpDefinition(`http://127.0.0.1:${port}/mcp`), {
    backoff: { initialMs: 60_000, jitter: 0 },
    breaker: { failureThreshold: 1, resetTimeoutMs: 100 },
  });
  await assert.rejects(supervised.server.callTool('echo', { text: 'down' }));
  assert.equal(supervised.server.status().circuit, 'open');
  return { port, supervised };
}

describe('SupervisedServer: what each outcome tells the circuit', function () {
  this.timeout(60_000);

  it('a half-open trial its caller cancels leaves the circuit half-open for the next trial', async () => {
    const { port, supervised } = await openCircuit();
    const { server, circuits } = supervised;
    const endpoint = await silentEndpoint(port);
    try {
      await waitFor(() => circuits.includes('half-open'), { what: 'the circuit to half-open' });
      const abort = new AbortController();
      const trial = server.callTool('echo', { text: 'trial' }, { signal: abort.signal });
      await waitFor(() => server.status().state === 'starting', { what: 'the trial to start the server' });
      abort.abort();
      await assert.rejects(trial, (error: McpError) => error.kind === 'cancelled');
      assert.equal(server.status().circuit, 'half-open', 'a cancelled trial proves nothing either way');
      const next = new AbortController();
      const second = server.callTool('echo', { text: 'second' }, { signal: next.signal });
      next.abort();
      await assert.rejects(second, (error: McpError) => error.kind === 'cancelled', 'the trial slot was freed');
      await server.stop(0);
    } finally {
      await endpoint.close();
    }
  });

  it('a half-open trial answered with an error proves the server alive and closes the circuit', async () => {
    const { port, supervised } = await openCircuit();
    const { server, circuits } = supervised;
    const fixture = await startStreamableHttpServer(port);
    try {
      await waitFor(() => circuits.includes('half-open'), { what: 'the circuit to half-open' });
      await assert.rejects(server.callTool('no_such_tool', {}), (error: McpError) => error.kind === 'protocol-error');
      assert.equal(server.status().circuit, 'closed');
      await server.stop(0);
    } finally {
      await fixture.close();
    }
  });

  it('one crash that fails several calls counts once against the circuit', async () => {
    const { server } = supervise(faultyServer('exit-on-call'), {
      backoff: { initialMs: 50, jitter: 0 },
      breaker: { failureThreshold: 2, resetTimeoutMs: 60_000 },
    });
    await server.start();
    const calls = await Promise.allSettled([
      server.callTool('sleep', { ms: 30_000 }),
      server.callTool('echo', { text: 'bye' }),
    ]);
    assert.deepEqual(
      calls.map((c) => c.status),
      ['rejected', 'rejected'],
    );
    assert.equal(server.status().circuit, 'closed');
    await server.stop(0);
  });

  it('after a crash the next start waits the first backoff delay; a start refused for it names the crash', async () => {
    const { server } = supervise(faultyServer('exit-on-call', { timeouts: { initializeMs: 20_000 } }), {
      backoff: { initialMs: 100_000, maxMs: 1_000_000, jitter: 0 },
      breaker: { failureThreshold: 10 },
    });
    await server.start();
    await assert.rejects(server.callTool('echo', { text: 'bye' }));
    await waitFor(() => server.status().state === 'backoff', { what: 'the crash to be handled' });
    const crash = server.status().lastError;
    await assert.rejects(server.start(), (error: McpError) => {
      const wait = Number(/next restart in (\d+) ms/.exec(error.message)?.[1]);
      assert.ok(wait > 90_000 && wait <= 100_000, `the first backoff is 100 000 ms, not ${wait}`);
      assert.ok(error.message.endsWith(`(last error: ${crash})`), error.message);
      return true;
    });
    assert.equal(server.status().restarts, 0);
    await server.stop(0);
  });
});

describe('SupervisedServer: the listener’s view of stop, restart and call timing', function () {
  this.timeout(60_000);
  const http = eachTestHttpServer();

  it('shows stopped as soon as stop is asked, and a second stop tells the listener nothing', async () => {
    const { server, notified } = supervise(httpDefinition(http().url));
    await server.start();
    const stopping = server.stop(0);
    assert.equal(server.status().state, 'stopped');
    await stopping;
    const heard = notified();
    await server.stop(0);
    assert.equal(notified(), heard);
  });

  it('a restart of a ready server goes idle, then starting, then ready again', async () => {
    const { server, states } = supervise(httpDefinition(http().url));
    await server.start();
    await server.restart(0);
    assert.deepEqual(states, ['idle', 'starting', 'ready', 'idle', 'starting', 'ready']);
    await server.stop(0);
  });

  it('reports a call’s latency as the time the call took', async () => {
    const { server, events } = supervise(httpDefinition(http().url));
    await server.start();
    const before = performance.now();
    await server.callTool('echo', { text: 'timed' });
    const took = performance.now() - before;
    const latency = events[0]?.latencyMs ?? -1;
    assert.ok(latency >= 0 && latency <= took, `latency ${latency} ms, the call took ${took} ms`);
    await server.stop(0);
  });
});
