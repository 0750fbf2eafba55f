import { strict as assert } from 'node:assert';
import { McpError } from '../../../src/core/errors';
import { ToolListCache } from '../../../src/core/mcp/tool-list-cache';
import { startStreamableHttpServer, type StreamableHttpFixture } from '../../fixtures/http-servers';
import { toolText } from '../../helpers/mcp-assertions';
import { faultyServer } from '../../helpers/servers';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';
import {
  freePort,
  httpDefinition,
  missingCommand,
  recordingLogger,
  silentEndpoint,
  supervise,
} from './supervised-harness';

/**
 * The supervisor's life cycle, driven directly (no pool): state changes as its listener hears them,
 * backoff and the circuit after failures, waiting and cancelling while a server starts, timeouts,
 * and the tool list it keeps. Servers are in-process HTTP ones where possible, the faulty stdio
 * fixture where a real process has to crash or change its tools.
 */

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
    const { server, states } = supervise(missingCommand('ghost', 500), {
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
    const { logger, lines } = recordingLogger();
    const { server } = supervise(faultyServer('ok'), { logger });
    const first = (await server.listTools()).map((t) => t.name);
    assert.ok(!first.includes('late'));
    assert.deepEqual(server.status().toolNames, first);
    await server.callTool('add_tool', { name: 'late' });
    await waitFor(() => server.status().toolNames.includes('late'), { what: 'the new tool in the status' });
    assert.ok((await server.listTools()).some((t) => t.name === 'late'));
    assert.ok(lines.includes('debug: faulty: tool list changed'), lines.join('\n'));
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
