import { strict as assert } from 'node:assert';
import { type McpError } from '../../../src/core/errors';
import { ToolListCache } from '../../../src/core/mcp/tool-list-cache';
import type { ServerDefinition, Tool } from '../../../src/core/mcp/types';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';
import {
  eachTestHttpServer,
  httpDefinition,
  missingCommand,
  recordingLogger,
  silentEndpoint,
  supervise,
} from './supervised-harness';

/**
 * The supervisor's details: what a fresh status shows, what the output channel hears, how tool
 * results that are errors are reported, and how the tool-list cache's answers are used.
 */

/** A tool-list cache whose last known names arrive when the test says so. */
class HeldNamesCache extends ToolListCache {
  release: (names: string[]) => void = () => undefined;
  fail: (error: Error) => void = () => undefined;
  override lastKnownNames(): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.release = resolve;
      this.fail = reject;
    });
  }
}

/** A tool-list cache that cannot write (a read-only disk). */
class UnwritableCache extends ToolListCache {
  writes = 0;
  override set(): Promise<void> {
    this.writes += 1;
    return Promise.reject(new Error('disk is read-only'));
  }
}

/** Lets every already-settled promise callback run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SupervisedServer details: status and the output channel', function () {
  this.timeout(60_000);

  it('a fresh server shows idle, a closed circuit, no restarts and nothing else', () => {
    const { server } = supervise(missingCommand());
    assert.deepEqual(server.status(), {
      name: 'ghost',
      kind: 'generic',
      state: 'idle',
      circuit: 'closed',
      toolNames: [],
      restarts: 0,
    });
  });

  it('a start whose signal is already aborted is cancelled as a "request" and changes nothing', async () => {
    const { server, notified } = supervise(missingCommand());
    await assert.rejects(server.start(AbortSignal.abort()), (error: McpError) => {
      assert.equal(error.kind, 'cancelled');
      assert.equal(error.message, 'request was cancelled before it started');
      assert.equal(error.tool, undefined);
      return true;
    });
    assert.equal(server.status().state, 'idle');
    assert.equal(server.status().restarts, 0);
    assert.equal(notified(), 0);
  });

  it('logs a failed start, the circuit opening and a refused call, each naming the server', async () => {
    const { logger, lines } = recordingLogger();
    const { server } = supervise(missingCommand(), {
      logger,
      backoff: { initialMs: 1, maxMs: 1, jitter: 0 },
      breaker: { failureThreshold: 1, resetTimeoutMs: 60_000 },
    });
    await assert.rejects(server.callTool('t', {}), (error: McpError) => error.kind === 'unavailable');
    const shown = lines.filter((line) => !line.startsWith('debug: '));
    assert.equal(shown.length, 2, shown.join('\n'));
    assert.match(shown[0] ?? '', /^warn: ghost: start failed: ghost: spawn \S+ ENOENT$/);
    assert.equal(shown[1], 'info: ghost: circuit open');
    await assert.rejects(server.callTool('t', {}), (error: McpError) => {
      assert.equal(error.kind, 'unavailable');
      assert.equal(error.tool, 't');
      assert.ok(error.message.endsWith(`; last error: ${server.status().lastError}`), error.message);
      return true;
    });
    await server.stop(0);
  });

  it('a manual restart cancels a start waiting out its backoff before it spawns anything', async () => {
    const { server } = supervise(missingCommand('ghost', 5000), {
      backoff: { initialMs: 5000, jitter: 0 },
      breaker: { failureThreshold: 10 },
    });
    await assert.rejects(server.start(), /ENOENT/);
    const waiting = server.start();
    await settle();
    const restarting = server.restart(0);
    await assert.rejects(waiting, (error: McpError) => {
      assert.equal(error.kind, 'cancelled');
      assert.equal(error.message, 'start of ghost was cancelled');
      return true;
    });
    await assert.rejects(restarting, /ENOENT/);
    assert.equal(server.status().restarts, 1, 'the cancelled start never spawned');
    await server.stop(0);
  });

  it('a manual restart during a start cancels it quietly: idle, no backoff, then a fresh start', async () => {
    const endpoint = await silentEndpoint();
    try {
      const { server, states } = supervise(httpDefinition(endpoint.url, 300), { breaker: { failureThreshold: 10 } });
      const starting = server.start();
      await waitFor(() => server.status().state === 'starting', { what: 'the start to begin' });
      const restarting = server.restart(0);
      await assert.rejects(starting, (error: McpError) => error.kind === 'cancelled');
      await assert.rejects(restarting, (error: McpError) => error.kind === 'timeout');
      assert.deepEqual(states, ['idle', 'starting', 'idle', 'starting', 'backoff']);
      assert.equal(server.status().restarts, 1);
      await server.stop(0);
    } finally {
      await endpoint.close();
    }
  });
});

describe('SupervisedServer details: a running HTTP server', function () {
  this.timeout(60_000);
  const http = eachTestHttpServer((mcp) => {
    mcp.registerTool('fail_long', { description: 'Fails with a long text.' }, () => ({
      content: [
        { type: 'image', data: 'AAAA', mimeType: 'image/png' },
        { type: 'text', text: `${'x'.repeat(600)}END` },
      ],
      isError: true,
    }));
    mcp.registerTool('fail_silently', { description: 'Fails with no text.' }, () => ({
      content: [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }],
      isError: true,
    }));
  });

  it('logs ready with the server version (and no pid for HTTP) and the session it re-opens', async () => {
    const { logger, lines } = recordingLogger();
    const { server } = supervise(httpDefinition(http().url), { logger });
    await server.start();
    assert.ok(lines.includes('info: web: ready (http-fixture@0.0.1-fixture)'), lines.join('\n'));
    await http().forgetSessions();
    await server.callTool('echo', { text: 'again' });
    assert.ok(lines.includes('info: web: session expired; opening a new one'), lines.join('\n'));
    assert.equal(http().sessionsCreated, 2);
    assert.equal(server.status().restarts, 1);
    await server.stop(0);
  });

  it('an error result reports the first text, cut to 500 characters, or a generic message without text', async () => {
    const { server, events } = supervise(httpDefinition(http().url));
    const long = await server.callTool('fail_long', {});
    assert.equal(long.isError, true);
    const silent = await server.callTool('fail_silently', {});
    assert.equal(silent.isError, true);
    assert.deepEqual(
      events.map((e) => [e.tool, e.ok, e.error?.kind, e.error?.tool, e.error?.message]),
      [
        ['fail_long', false, 'tool-error', 'fail_long', 'x'.repeat(500)],
        ['fail_silently', false, 'tool-error', 'fail_silently', 'tool reported an error'],
      ],
    );
    assert.equal(server.status().circuit, 'closed');
    await server.stop(0);
  });

  it('a tool list the cache cannot store is still answered, and the failure is logged', async () => {
    const { logger, lines } = recordingLogger();
    const cache = new UnwritableCache(tempDir('mcp-supervised-'));
    const { server } = supervise(httpDefinition(http().url), { logger, toolCache: cache });
    const names = (await server.listTools()).map((t) => t.name);
    assert.deepEqual(names, ['echo', 'fail_long', 'fail_silently']);
    assert.equal(cache.writes, 1);
    assert.ok(lines.includes('warn: web: could not persist the tool list'), lines.join('\n'));
    assert.deepEqual(server.status().toolNames, names);
    await server.stop(0);
  });

  it('a tool list already cached for this server version is used without listing the server', async () => {
    const definition: ServerDefinition = httpDefinition(http().url);
    const storage = tempDir('mcp-supervised-');
    const cached: Tool[] = [{ name: 'from_cache', inputSchema: { type: 'object' } }];
    await new ToolListCache(storage).set(definition, 'http-fixture@0.0.1-fixture', cached);
    const cache = new UnwritableCache(storage);
    const { server, notified } = supervise(definition, { toolCache: cache });
    assert.deepEqual(
      (await server.listTools()).map((t) => t.name),
      ['from_cache'],
    );
    assert.equal(cache.writes, 0, 'nothing was fetched, so nothing stored');
    const heard = notified();
    await server.listTools();
    assert.equal(notified(), heard, 'the same names again tell the listener nothing');
    await server.stop(0);
  });
});

describe('SupervisedServer details: the last known tool names', function () {
  this.timeout(60_000);

  it('no names known tells the listener nothing', async () => {
    const cache = new HeldNamesCache(tempDir('mcp-supervised-'));
    const { server, notified } = supervise(missingCommand(), { toolCache: cache });
    cache.release([]);
    await settle();
    assert.equal(notified(), 0);
    assert.deepEqual(server.status().toolNames, []);
  });

  it('a cache that cannot be read leaves the names empty', async () => {
    const cache = new HeldNamesCache(tempDir('mcp-supervised-'));
    const { server, notified } = supervise(missingCommand(), { toolCache: cache });
    cache.fail(new Error('unreadable'));
    await settle();
    assert.deepEqual(server.status().toolNames, []);
    assert.equal(notified(), 0);
  });

  describe('with a running server', () => {
    const http = eachTestHttpServer();

    it('names that arrive after the server listed its tools do not replace the fresh ones', async () => {
      const cache = new HeldNamesCache(tempDir('mcp-supervised-'));
      const { server, notified } = supervise(httpDefinition(http().url), { toolCache: cache });
      await server.listTools();
      assert.deepEqual(server.status().toolNames, ['echo']);
      const heard = notified();
      cache.release(['stale']);
      await settle();
      assert.deepEqual(server.status().toolNames, ['echo']);
      assert.equal(notified(), heard);
      await server.stop(0);
    });

    it('a listing that finds the names already known tells the listener nothing new', async () => {
      const cache = new HeldNamesCache(tempDir('mcp-supervised-'));
      const { server, notified } = supervise(httpDefinition(http().url), { toolCache: cache });
      cache.release(['echo']);
      await waitFor(() => server.status().toolNames.length > 0, { what: 'the last known names' });
      const heard = notified();
      await server.listTools();
      assert.deepEqual(server.status().toolNames, ['echo']);
      assert.equal(notified(), heard + 2, 'only starting and ready');
      await server.stop(0);
    });
  });
});
