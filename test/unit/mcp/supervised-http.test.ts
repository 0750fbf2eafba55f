import { strict as assert } from 'node:assert';
import { McpError } from '../../../src/core/errors';
import type { CallCompleteEvent } from '../../../src/core/mcp/connection-pool';
import type { ServerDefinition, ServerStatus } from '../../../src/core/mcp/types';
import type { Logger } from '../../../src/core/ports';
import { startStreamableHttpServer, type StreamableHttpFixture } from '../../fixtures/http-servers';
import { toolText } from '../../helpers/mcp-assertions';
import { createTestPool } from '../../helpers/pool';

/**
 * The supervisor with a running server: a real MCP server over Streamable HTTP, in this process
 * (no child process), so starts, calls, expired sessions and a server going away run in unit time.
 */
function httpDefinition(url: string): ServerDefinition {
  return {
    name: 'web',
    kind: 'generic',
    enabled: true,
    transport: { transport: 'http', url, headers: {} },
    timeouts: { initializeMs: 30_000, listMs: 30_000, callMs: 30_000 },
    costPerCallUsd: 0,
    origin: 'user',
  };
}

function infoLogger(lines: string[]): Logger {
  const push = (message: string): void => void lines.push(message);
  return { trace() {}, debug() {}, info: push, warn: push, error: push };
}

describe('SupervisedServer: a running server (in-process HTTP)', function () {
  // The first connection loads the SDK's client side, which takes seconds on a busy machine.
  this.timeout(60_000);
  let fixture: StreamableHttpFixture;
  beforeEach(async () => {
    fixture = await startStreamableHttpServer();
  });
  afterEach(async () => {
    await fixture.close();
  });

  it('starts on first use, reports ready with its tools and protocol, and answers calls', async () => {
    const events: CallCompleteEvent[] = [];
    const statuses: ServerStatus[][] = [];
    const { pool } = createTestPool([httpDefinition(fixture.url)]);
    pool.onCallComplete((event) => events.push(event));
    pool.onStatusChange((s) => statuses.push(s));
    const caller = pool.caller('web');
    assert.equal(toolText(await caller.callTool('echo', { text: 'hello' })), 'hello');
    assert.deepEqual(
      (await caller.listTools()).map((tool) => tool.name),
      ['echo'],
    );
    const [status] = pool.statuses();
    assert.ok(status);
    assert.equal(status.state, 'ready');
    assert.equal(status.circuit, 'closed');
    assert.equal(status.restarts, 0);
    assert.deepEqual(status.toolNames, ['echo']);
    assert.equal(typeof status.protocolVersion, 'string');
    assert.equal(status.pid, undefined, 'an HTTP server has no process of ours');
    assert.equal(status.lastError, undefined);
    assert.ok(statuses.some((s) => s[0]?.state === 'ready'));
    assert.deepEqual(
      events.map((e) => [e.server, e.tool, e.ok]),
      [['web', 'echo', true]],
    );
    assert.equal(fixture.sessionsCreated, 1, 'one session for the start, the call and the listing');
    await pool.shutdown(0);
    assert.equal(pool.statuses()[0]?.state, 'stopped');
  });

  it('a tool that answers with an error is reported as failed but keeps the circuit closed', async () => {
    const events: CallCompleteEvent[] = [];
    const { pool } = createTestPool([httpDefinition(fixture.url)], { breaker: { failureThreshold: 1 } });
    pool.onCallComplete((event) => events.push(event));
    const caller = pool.caller('web');
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      try {
        const result = await caller.callTool('no-such-tool', {});
        outcomes.push(result.isError === true ? 'error result' : 'answer');
      } catch (error) {
        outcomes.push(error instanceof McpError ? error.kind : 'other');
      }
    }
    assert.ok(
      outcomes.every((o) => o !== 'unavailable'),
      `never refused: ${outcomes.join(', ')}`,
    );
    assert.equal(pool.statuses()[0]?.circuit, 'closed');
    assert.ok(events.every((e) => !e.ok && e.error !== undefined));
    assert.equal(toolText(await caller.callTool('echo', { text: 'still here' })), 'still here');
    await pool.shutdown(0);
  });

  it('opens a new session once when the server forgot the old one', async () => {
    const lines: string[] = [];
    const { pool } = createTestPool([httpDefinition(fixture.url)], { logger: infoLogger(lines) });
    const caller = pool.caller('web');
    assert.equal(toolText(await caller.callTool('echo', { text: 'one' })), 'one');
    await fixture.forgetSessions();
    assert.equal(toolText(await caller.callTool('echo', { text: 'two' })), 'two');
    assert.equal(fixture.sessionsCreated, 2);
    assert.ok(lines.includes('web: session expired; opening a new one'));
    assert.equal(pool.statuses()[0]?.circuit, 'closed');
    await pool.shutdown(0);
  });

  it('a manual restart opens a fresh session and counts one restart', async () => {
    const { pool } = createTestPool([httpDefinition(fixture.url)]);
    await pool.start('web');
    await pool.restart('web');
    assert.equal(fixture.sessionsCreated, 2);
    const [status] = pool.statuses();
    assert.ok(status);
    assert.equal(status.restarts, 1);
    assert.equal(status.state, 'ready');
    await pool.restart();
    assert.equal(fixture.sessionsCreated, 3, 'restarting all restarts the running one');
    await pool.shutdown(0);
  });

  it('a server that went away fails the call, is noted, and counts against the circuit', async () => {
    const { pool } = createTestPool([httpDefinition(fixture.url)], {
      backoff: { initialMs: 1, maxMs: 1, jitter: 0 },
      breaker: { failureThreshold: 2, resetTimeoutMs: 60_000 },
    });
    const caller = pool.caller('web');
    await caller.callTool('echo', { text: 'up' });
    await fixture.close();
    await assert.rejects(caller.callTool('echo', { text: 'down' }), (error: unknown) => error instanceof McpError);
    const [status] = pool.statuses();
    assert.ok(status);
    assert.ok(status.lastError);
    assert.equal(typeof status.lastErrorAt, 'number');
    await assert.rejects(caller.callTool('echo', { text: 'down' }));
    assert.equal(pool.statuses()[0]?.circuit, 'open');
    await assert.rejects(caller.callTool('echo', { text: 'down' }), (error: McpError) => error.kind === 'unavailable');
    await pool.shutdown(0);
    fixture = await startStreamableHttpServer();
  });
});
