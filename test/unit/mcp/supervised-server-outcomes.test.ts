import { strict as assert } from 'node:assert';
import { type McpError } from '../../../src/core/errors';
import { startStreamableHttpServer } from '../../fixtures/http-servers';
import { toolText } from '../../helpers/mcp-assertions';
import { faultyServer } from '../../helpers/servers';
import { waitFor } from '../../helpers/wait';
import { httpDefinition, missingCommand, recordingLogger, supervise } from './supervised-harness';

/**
 * The supervisor's outcomes that are neither success nor a crash: tool errors, a session the SDK
 * drops, a start cancelled while its process initializes, a start that waits for the previous
 * process, and a manual restart after failures.
 */

describe('SupervisedServer outcomes that are not crashes', function () {
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
    const { logger, lines } = recordingLogger();
    const { server } = supervise(faultyServer('ok'), {
      logger,
      breaker: { failureThreshold: 1 },
      backoff: { initialMs: 60_000, jitter: 0 },
    });
    await server.start();
    // A call still in flight when the session drops fails too, but counts no more than the drop does.
    const inFlight = assert.rejects(server.callTool('sleep', { ms: 50_000 }, { timeoutMs: 55_000 }));
    await assert.rejects(server.callTool('huge', { mib: 11 }));
    await inFlight;
    await waitFor(() => server.status().state === 'idle', { what: 'the dropped session to be handled' });
    const status = server.status();
    assert.equal(status.circuit, 'closed');
    assert.match(status.lastError ?? '', /larger than the \d+ MiB stdio message limit/, 'the reason is noted');
    const warnings = lines.filter((line) => line.startsWith('warn: '));
    assert.deepEqual(warnings, [`warn: faulty: ${status.lastError}; it starts again on next use`]);
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
    const { server } = supervise(missingCommand('ghost', 500), {
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
