import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpError } from '../../../src/core/errors';
import { SupervisedServer, type CallCompleteEvent } from '../../../src/core/mcp/supervised-server';
import type { SupervisedServerOptions } from '../../../src/core/mcp/supervised-server';
import { ToolListCache } from '../../../src/core/mcp/tool-list-cache';
import type { CircuitState, ServerDefinition, ServerState } from '../../../src/core/mcp/types';
import { silentLogger } from '../../../src/core/ports';
import { startStreamableHttpServer, type StreamableHttpFixture } from '../../fixtures/http-servers';
import { toolText } from '../../helpers/mcp-assertions';
import { faultyServer } from '../../helpers/servers';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';

/**
 * The supervisor's life cycle, driven directly (no pool): state changes as its listener hears them,
 * backoff and the circuit after failures, waiting and cancelling while a server starts, timeouts,
 * and the tool list it keeps. Servers are in-process HTTP ones where possible, the faulty stdio
 * fixture where a real process has to crash or change its tools.
 */

function httpDefinition(url: string, initializeMs = 30_000): ServerDefinition {
  return {
    name: 'web',
    kind: 'generic',
    enabled: true,
    transport: { transport: 'http', url, headers: {} },
    timeouts: { initializeMs, listMs: 30_000, callMs: 30_000 },
    costPerCallUsd: 0,
    origin: 'user',
  };
}

function missingCommand(initializeMs: number): ServerDefinition {
  return {
    name: 'ghost',
    kind: 'generic',
    enabled: true,
    transport: { transport: 'stdio', command: '/nonexistent/mcp-integration-test-server', args: [], env: {} },
    timeouts: { initializeMs, listMs: 1000, callMs: 1000 },
    costPerCallUsd: 0,
    origin: 'user',
  };
}

interface Supervised {
  server: SupervisedServer;
  /** Each distinct state the listener saw, in order. */
  states: ServerState[];
  /** Each distinct circuit state the listener saw, in order. */
  circuits: CircuitState[];
  events: CallCompleteEvent[];
  notified: () => number;
}

function supervise(
  definition: ServerDefinition,
  options: Partial<Omit<SupervisedServerOptions, 'definition' | 'onStatusChange' | 'onCallComplete'>> = {},
): Supervised {
  const states: ServerState[] = ['idle'];
  const circuits: CircuitState[] = ['closed'];
  const events: CallCompleteEvent[] = [];
  let calls = 0;
  const server: SupervisedServer = new SupervisedServer({
    definition,
    clientInfo: { name: 'lifecycle-test', version: '0.0.0' },
    logger: silentLogger,
    serverLogger: silentLogger,
    toolCache: new ToolListCache(tempDir('mcp-supervised-')),
    onStatusChange: () => {
      calls += 1;
      const { state, circuit } = server.status();
      if (states.at(-1) !== state) states.push(state);
      if (circuits.at(-1) !== circuit) circuits.push(circuit);
    },
    onCallComplete: (event) => events.push(event),
    ...options,
  });
  return { server, states, circuits, events, notified: () => calls };
}

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** An HTTP endpoint that accepts requests and never answers: a start against it hangs until cancelled. */
async function silentEndpoint(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('SupervisedServer life cycle: states and listeners (in-process HTTP)', function () {
  this.timeout(60_000);
  let fixture: StreamableHttpFixture;
  beforeEach(async () => {
    fixture = await startStreamableHttpServer();
  });
  afterEach(async () => {
    await fixture.close();
  });

  it('goes idle → starting → ready on first use and stopped on stop, telling its listener each time', async () => {
    const { server, states, notified } = supervise(httpDefinition(fixture.url));
    assert.equal(server.status().state, 'idle');
    assert.equal(server.isRunning, false);
    await server.start();
    assert.deepEqual(states, ['idle', 'starting', 'ready']);
    assert.equal(server.isRunning, true);
    assert.equal(server.serverName, 'web');
    assert.equal(server.definition.name, 'web');
    const heard = notified();
    await server.start();
    assert.equal(notified(), heard, 'starting a ready server changes nothing');
    await server.stop(0);
    assert.deepEqual(states, ['idle', 'starting', 'ready', 'stopped']);
    assert.equal(server.isRunning, false);
    assert.equal(server.status().protocolVersion, undefined, 'no protocol without a session');
    await assert.rejects(server.start(), (error: McpError) => error.kind === 'unavailable');
  });

  it('callers arriving while the server starts all wait for the one start', async () => {
    const { server, events } = supervise(httpDefinition(fixture.url));
    const answers = await Promise.all(
      ['a', 'b', 'c'].map(async (text) => toolText(await server.callTool('echo', { text }))),
    );
    assert.deepEqual(answers, ['a', 'b', 'c']);
    assert.equal(fixture.sessionsCreated, 1);
    assert.equal(server.status().restarts, 0);
    assert.deepEqual(
      events.map((e) => [e.server, e.tool, e.ok, e.error]),
      [
        ['web', 'echo', true, undefined],
        ['web', 'echo', true, undefined],
        ['web', 'echo', true, undefined],
      ],
    );
    assert.ok(events.every((e) => e.latencyMs >= 0));
    await server.stop(0);
  });

  it('lists tools once per server version, keeps the names and remembers them for the next start', async () => {
    const storage = tempDir('mcp-supervised-');
    let lookups = 0;
    class CountingCache extends ToolListCache {
      override get(...args: Parameters<ToolListCache['get']>): ReturnType<ToolListCache['get']> {
        lookups += 1;
        return super.get(...args);
      }
    }
    const definition = httpDefinition(fixture.url);
    const { server } = supervise(definition, { toolCache: new CountingCache(storage) });
    assert.deepEqual(
      (await server.listTools()).map((t) => t.name),
      ['echo'],
    );
    assert.deepEqual(
      (await server.listTools()).map((t) => t.name),
      ['echo'],
    );
    assert.equal(lookups, 1, 'the second listing is answered from memory');
    assert.deepEqual(server.status().toolNames, ['echo']);
    await server.stop(0);
    assert.deepEqual(await new ToolListCache(storage).lastKnownNames(definition), ['echo']);

    // A later supervisor of the same definition shows those names before it ever starts.
    const later = supervise(definition, { toolCache: new ToolListCache(storage) });
    assert.deepEqual(later.server.status().toolNames, []);
    await waitFor(() => later.server.status().toolNames.length > 0, { what: 'the last known tool names' });
    assert.deepEqual(later.server.status().toolNames, ['echo']);
    assert.ok(later.notified() > 0, 'the listener hears of the names');
    assert.equal(later.server.status().state, 'idle');
    await later.server.stop(0);
  });
});

describe('SupervisedServer life cycle: failures, backoff and the circuit', function () {
  this.timeout(60_000);

  it('a failed start backs off, and each further failure doubles the wait', async () => {
    const { server, states } = supervise(missingCommand(500), {
      backoff: { initialMs: 300, maxMs: 10_000, jitter: 0 },
      breaker: { failureThreshold: 10 },
    });
    const triedToSpawn = (error: McpError): boolean => /ENOENT/.test(error.message);
    await assert.rejects(server.start(), triedToSpawn);
    assert.deepEqual(states, ['idle', 'starting', 'backoff']);
    assert.equal(server.status().restarts, 0);
    assert.equal(server.status().circuit, 'closed');
    const before = Date.now();
    await assert.rejects(server.start(), triedToSpawn);
    assert.ok(Date.now() - before >= 250, 'the second start waited out the first backoff (300 ms)');
    assert.equal(server.status().restarts, 1);
    await assert.rejects(server.start(), (error: McpError) => {
      assert.equal(error.kind, 'unavailable');
      const wait = Number(/next restart in (\d+) ms/.exec(error.message)?.[1]);
      assert.ok(wait > 500 && wait <= 600, `the second backoff is 600 ms, not ${wait}`);
      return true;
    });
    assert.equal(server.status().restarts, 1, 'a refused start is not a restart');
    await server.stop(0);
  });

  it('an open circuit half-opens after its timeout, tells its listener, and one trial closes it again', async () => {
    const port = await freePort();
    const { server, states, circuits } = supervise(httpDefinition(`http://127.0.0.1:${port}/mcp`), {
      // A backoff longer than a start may take: only the half-open trial may skip it.
      backoff: { initialMs: 60_000, jitter: 0 },
      breaker: { failureThreshold: 1, resetTimeoutMs: 150 },
    });
    await assert.rejects(server.callTool('echo', { text: 'down' }));
    assert.equal(server.status().circuit, 'open');
    assert.equal(server.status().state, 'failed');
    assert.ok(states.includes('failed'));
    await assert.rejects(server.callTool('echo', { text: 'down' }), (error: McpError) => {
      assert.equal(error.kind, 'unavailable');
      assert.match(error.message, /^web is failing; not retrying for 1 s; last error: /);
      return true;
    });
    const fixture = await startStreamableHttpServer(port);
    try {
      // Nothing reads the circuit meanwhile: only the supervisor's own timer can announce it.
      await waitFor(() => circuits.includes('half-open'), { what: 'the listener to hear the circuit half-open' });
      const trial = server.callTool('echo', { text: 'trial' });
      await assert.rejects(server.callTool('echo', { text: 'second' }), (error: McpError) => {
        assert.equal(error.kind, 'unavailable');
        assert.match(error.message, /^web is failing; a trial request is already checking it; last error: /);
        return true;
      });
      assert.equal(toolText(await trial), 'trial');
      assert.equal(server.status().circuit, 'closed');
      assert.equal(server.status().state, 'ready');
      assert.deepEqual(circuits.slice(-3), ['open', 'half-open', 'closed']);
      await server.stop(0);
    } finally {
      await fixture.close();
    }
  });

  it('stop during a start cancels it: stopped, no error noted, nothing against the circuit', async () => {
    const endpoint = await silentEndpoint();
    try {
      const { server, states } = supervise(httpDefinition(endpoint.url), { breaker: { failureThreshold: 1 } });
      const starting = server.start();
      await waitFor(() => server.status().state === 'starting', { what: 'the start to begin' });
      await server.stop(0);
      await assert.rejects(starting, (error: McpError) => error.kind === 'cancelled');
      const status = server.status();
      assert.equal(status.state, 'stopped');
      assert.equal(status.circuit, 'closed');
      assert.equal(status.lastError, undefined);
      assert.equal(states.at(-1), 'stopped');
      assert.ok(!states.includes('backoff'));
    } finally {
      await endpoint.close();
    }
  });

  it('a caller that gives up while the server starts is cancelled without counting against the circuit', async () => {
    const endpoint = await silentEndpoint();
    try {
      const { server, events } = supervise(httpDefinition(endpoint.url), { breaker: { failureThreshold: 1 } });
      const abort = new AbortController();
      const call = server.callTool('echo', { text: 'x' }, { signal: abort.signal });
      await waitFor(() => server.status().state === 'starting', { what: 'the start to begin' });
      abort.abort();
      await assert.rejects(call, (error: McpError) => {
        assert.equal(error.kind, 'cancelled');
        assert.equal(error.message, 'waiting for web to start was cancelled');
        return true;
      });
      assert.equal(server.status().circuit, 'closed');
      assert.deepEqual(
        events.map((e) => [e.ok, e.error?.kind]),
        [[false, 'cancelled']],
      );
      await server.stop(0);
      assert.equal(server.status().state, 'stopped');
    } finally {
      await endpoint.close();
    }
  });
});

describe('SupervisedServer life cycle: a real process (faulty stdio fixture)', function () {
  // Each start spawns a TypeScript fixture, which takes seconds on a busy machine.
  this.timeout(60_000);

  it('a call that outlives its timeout ends as a timeout error and the server stays up', async () => {
    const { server, events } = supervise(faultyServer('ok', { timeouts: { callMs: 200 } }));
    await assert.rejects(server.callTool('sleep', { ms: 10_000 }), (error: McpError) => {
      assert.ok(error instanceof McpError);
      assert.equal(error.kind, 'timeout', 'the definition’s call timeout applies by default');
      return true;
    });
    await assert.rejects(
      server.callTool('sleep', { ms: 10_000 }, { timeoutMs: 100 }),
      (error: McpError) => error.kind === 'timeout',
    );
    assert.deepEqual(
      events.map((e) => [e.tool, e.ok, e.error?.kind]),
      [
        ['sleep', false, 'timeout'],
        ['sleep', false, 'timeout'],
      ],
    );
    assert.equal(server.status().state, 'ready');
    assert.equal(toolText(await server.callTool('echo', { text: 'alive' })), 'alive');
    await server.stop(0);
  });

  it('refreshes its tool names when the server says its tool list changed', async () => {
    const { server } = supervise(faultyServer('ok'));
    const first = (await server.listTools()).map((t) => t.name);
    assert.ok(!first.includes('late'));
    assert.deepEqual(server.status().toolNames, first);
    await server.callTool('add_tool', { name: 'late' });
    await waitFor(() => server.status().toolNames.includes('late'), { what: 'the new tool in the status' });
    assert.ok((await server.listTools()).some((t) => t.name === 'late'));
    await server.stop(0);
  });

  it('after a crash it backs off, notes the error and restarts on its own when asked to', async () => {
    const { server, states } = supervise(faultyServer('exit-on-call'), {
      restartProactively: true,
      backoff: { initialMs: 50, jitter: 0 },
    });
    await server.start();
    const firstPid = server.status().pid;
    assert.equal(typeof firstPid, 'number');
    await assert.rejects(server.callTool('echo', { text: 'bye' }));
    assert.ok(server.status().lastError, 'the crash is noted');
    await waitFor(() => server.status().restarts === 1 && server.status().state === 'ready', {
      what: 'the proactive restart',
      timeoutMs: 30_000,
    });
    assert.ok(states.includes('backoff'), `went through backoff: ${states.join(' → ')}`);
    assert.notEqual(server.status().pid, firstPid, 'a new process');
    assert.equal(server.status().circuit, 'closed', 'one crash is below the threshold');
    await server.stop(0);
    assert.equal(server.status().pid, undefined);
  });

  it('after a crash without proactive restart it waits in backoff until the next use', async () => {
    const { server } = supervise(faultyServer('exit-on-call'), { backoff: { initialMs: 50, jitter: 0 } });
    await server.start();
    await assert.rejects(server.callTool('echo', { text: 'bye' }));
    await waitFor(() => server.status().state === 'backoff', { what: 'the crash to be handled' });
    assert.equal(server.status().restarts, 0);
    assert.equal(server.isRunning, false);
    await server.start();
    assert.equal(server.status().state, 'ready');
    assert.equal(server.status().restarts, 1);
    await server.stop(0);
  });
});

describe('SupervisedServer life cycle: outcomes that are not crashes', function () {
  this.timeout(60_000);

  it('a tool answering with an error is reported with its text and proves the server alive', async () => {
    const { server, events } = supervise(faultyServer('error-result'), { breaker: { failureThreshold: 1 } });
    const result = await server.callTool('echo', { text: 'x' });
    assert.equal(result.isError, true);
    assert.equal(events.length, 1);
    const [event] = events;
    assert.ok(event);
    assert.equal(event.ok, false);
    assert.equal(event.error?.kind, 'tool-error');
    assert.equal(event.error.tool, 'echo');
    assert.match(event.error.message, /echo failed for x/);
    assert.equal(server.status().circuit, 'closed');
    assert.equal(server.status().state, 'ready');
    await server.stop(0);
  });

  it('an answer over the stdio size limit drops the session without counting a crash', async () => {
    const { server } = supervise(faultyServer('ok'), {
      breaker: { failureThreshold: 1 },
      backoff: { initialMs: 60_000, jitter: 0 },
    });
    await server.start();
    await assert.rejects(server.callTool('huge', { mib: 11 }));
    await waitFor(() => server.status().state === 'idle', { what: 'the dropped session to be handled' });
    const status = server.status();
    assert.equal(status.circuit, 'closed');
    assert.ok(status.lastError, 'the reason is noted');
    assert.equal(server.isRunning, false);
    assert.equal(toolText(await server.callTool('echo', { text: 'again' })), 'again', 'no backoff to wait out');
    assert.equal(server.status().restarts, 1);
    await server.stop(0);
  });

  it('a starting server shows its pid, and stopping it ends that process', async () => {
    const { server } = supervise(faultyServer('slow-initialize', { delayMs: 30_000 }));
    const starting = server.start();
    const pid = await waitFor(() => server.status().pid, { what: 'the starting process to show its pid' });
    assert.equal(server.status().state, 'starting');
    await server.stop(0);
    await assert.rejects(starting, (error: McpError) => error.kind === 'cancelled');
    assert.equal(server.status().pid, undefined);
    assert.equal(server.status().state, 'stopped');
    await waitFor(
      () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      { what: `process ${pid} to end` },
    );
  });

  it('a start waits for the previous process of a replaced definition to finish', async () => {
    const fixture = await startStreamableHttpServer();
    try {
      let release: () => void = () => undefined;
      const previous = new Promise<void>((resolve) => (release = resolve));
      const { server } = supervise(httpDefinition(fixture.url), { startAfter: previous });
      let ready = false;
      const starting = server.start().then(() => (ready = true));
      await new Promise<void>((resolve) => setImmediate(resolve));
      assert.equal(server.status().state, 'idle');
      assert.equal(fixture.sessionsCreated, 0);
      release();
      await starting;
      assert.equal(ready, true);
      assert.equal(server.status().state, 'ready');
      await server.stop(0);
    } finally {
      await fixture.close();
    }
  });

  it('a manual restart starts over: no backoff left to wait, and the next failure backs off from the start', async () => {
    const { server } = supervise(missingCommand(500), {
      backoff: { initialMs: 1000, maxMs: 100_000, jitter: 0 },
      breaker: { failureThreshold: 10 },
    });
    const nextRestartIn = (error: McpError): number => Number(/next restart in (\d+) ms/.exec(error.message)?.[1]);
    await assert.rejects(server.start(), /ENOENT/);
    await assert.rejects(server.start(), (error: McpError) => nextRestartIn(error) > 500);
    await assert.rejects(server.restart(0), /ENOENT/, 'the restart really tried');
    await assert.rejects(server.start(), (error: McpError) => {
      const wait = nextRestartIn(error);
      assert.ok(wait > 500 && wait <= 1000, `backoff starts over at 1000 ms, not ${wait}`);
      return true;
    });
    assert.equal(server.status().restarts, 1);
    await server.stop(0);
  });
});
