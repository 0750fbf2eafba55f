import { strict as assert } from 'node:assert';
import { McpError } from '../../../src/core/errors';
import type { ServerDefinition, ServerStatus } from '../../../src/core/mcp/types';
import { silentLogger, type Logger } from '../../../src/core/ports';
import { createTestPool } from '../../helpers/pool';

/** A definition that is never started in these tests: the pool starts servers lazily. */
function definition(name: string, overrides: Partial<ServerDefinition> = {}): ServerDefinition {
  return {
    name,
    kind: 'generic',
    enabled: true,
    transport: { transport: 'stdio', command: 'never-started', args: [], env: {} },
    timeouts: { initializeMs: 1000, listMs: 1000, callMs: 1000 },
    costPerCallUsd: 0,
    origin: 'user',
    ...overrides,
  };
}

describe('ConnectionPool (servers not started)', () => {
  it('knows its enabled servers and refuses an unknown or disabled one by name', async () => {
    const { pool } = createTestPool([definition('a'), definition('off', { enabled: false })]);
    assert.equal(pool.has('a'), true);
    assert.equal(pool.has('off'), false);
    assert.equal(pool.caller('a').serverName, 'a');
    assert.throws(
      () => pool.caller('off'),
      (error: McpError) =>
        error instanceof McpError &&
        error.kind === 'unavailable' &&
        error.server === 'off' &&
        error.message.includes('No enabled MCP server named "off" is configured'),
    );
    await assert.rejects(pool.start('ghost'), (error: McpError) => error.kind === 'unavailable');
    await assert.rejects(pool.restart('ghost'), (error: McpError) => error.kind === 'unavailable');
    await pool.shutdown(0);
  });

  it('reports an idle status per server before anything starts', async () => {
    const { pool } = createTestPool([definition('a', { kind: 'context7' }), definition('b')]);
    assert.deepEqual(pool.statuses(), [
      { name: 'a', kind: 'context7', state: 'idle', circuit: 'closed', toolNames: [], restarts: 0 },
      { name: 'b', kind: 'generic', state: 'idle', circuit: 'closed', toolNames: [], restarts: 0 },
    ]);
    await pool.shutdown(0);
  });

  it('keeps an unchanged server, replaces a changed one, drops a removed one and adds a new one', async () => {
    const { pool } = createTestPool([definition('same'), definition('changed'), definition('removed')]);
    const same = pool.caller('same');
    const changed = pool.caller('changed');
    const heard: ServerStatus[][] = [];
    pool.onStatusChange((statuses) => heard.push(statuses));
    await pool.updateDefinitions([
      definition('same'),
      definition('changed', { timeouts: { initializeMs: 1000, listMs: 1000, callMs: 5000 } }),
      definition('added'),
      definition('disabled', { enabled: false }),
    ]);
    assert.equal(pool.caller('same'), same);
    assert.notEqual(pool.caller('changed'), changed);
    assert.equal(pool.has('removed'), false);
    assert.equal(pool.has('added'), true);
    assert.equal(pool.has('disabled'), false);
    assert.deepEqual(
      heard.at(-1)?.map((status) => status.name),
      ['same', 'changed', 'added'],
    );
    await pool.shutdown(0);
  });

  it('a prepared update changes nothing until it applies, and one prepared before another refuses to', async () => {
    const { pool } = createTestPool([definition('same'), definition('changed')]);
    const same = pool.caller('same');
    const changed = pool.caller('changed');
    const heard: ServerStatus[][] = [];
    pool.onStatusChange((statuses) => heard.push(statuses));
    const update = pool.prepareUpdate([
      definition('same'),
      definition('changed', { timeouts: { initializeMs: 1000, listMs: 1000, callMs: 5000 } }),
      definition('added'),
    ]);
    const stale = pool.prepareUpdate([definition('same')]);
    assert.equal(update.caller('same'), same, 'an unchanged server is shared');
    assert.notEqual(update.caller('changed'), changed, 'a changed one has its replacement ready');
    assert.equal(update.has('added'), true);
    assert.throws(
      () => update.caller('ghost'),
      (error: McpError) => error.kind === 'unavailable',
    );
    assert.equal(pool.caller('changed'), changed, 'the pool still has the running server');
    assert.equal(pool.has('added'), false);
    assert.equal(heard.length, 0, 'no status change was announced');

    await update.apply();
    assert.equal(pool.caller('changed'), update.caller('changed'));
    assert.deepEqual(
      heard.at(-1)?.map((status) => status.name),
      ['same', 'changed', 'added'],
    );
    await assert.rejects(stale.apply(), /changed after this update was prepared/);
    assert.equal(pool.has('added'), true, 'the stale update did nothing');
    await pool.shutdown(0);
  });

  it('stops telling a disposed status listener, and survives one that throws', async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      trace() {},
      debug() {},
      info() {},
      error() {},
      warn: (m: string) => void warnings.push(m),
    };
    const { pool } = createTestPool([definition('a')], { logger });
    let calls = 0;
    const subscription = pool.onStatusChange(() => calls++);
    pool.onStatusChange(() => {
      throw new Error('listener bug');
    });
    await pool.updateDefinitions([definition('a'), definition('b')]);
    assert.equal(calls, 1);
    assert.ok(warnings.some((w) => w.includes('A connection-pool listener threw')));
    subscription.dispose();
    await pool.updateDefinitions([definition('a')]);
    assert.equal(calls, 1);
    await pool.shutdown(0);
  });

  it('restarting every running server does nothing when none runs; shutdown stops each one', async () => {
    const { pool } = createTestPool([definition('a'), definition('b')]);
    await pool.restart();
    assert.deepEqual(
      pool.statuses().map((status) => status.state),
      ['idle', 'idle'],
    );
    await pool.shutdown(0);
    assert.deepEqual(
      pool.statuses().map((status) => status.state),
      ['stopped', 'stopped'],
    );
  });
});

/** A server whose command does not exist: every start fails at once, no process is left. */
function failing(name: string): ServerDefinition {
  return definition(name, {
    transport: { transport: 'stdio', command: '/nonexistent/mcp-integration-test-server', args: [], env: {} },
    timeouts: { initializeMs: 100, listMs: 100, callMs: 100 },
  });
}

function recordingLogger(warnings: Array<{ message: string; error: unknown }>): Logger {
  return {
    trace() {},
    debug() {},
    info() {},
    error() {},
    warn: (message: string, error?: unknown) => void warnings.push({ message, error }),
  };
}

describe('ConnectionPool: failures, listeners and shutdown', () => {
  it('restarting a named server that cannot start resolves, logs the failure and shows it in the status', async () => {
    const warnings: Array<{ message: string; error: unknown }> = [];
    const { pool } = createTestPool([failing('ghost')], {
      logger: recordingLogger(warnings),
      backoff: { initialMs: 1, maxMs: 1, jitter: 0 },
    });
    await pool.restart('ghost');
    const failure = warnings.find((w) => w.message === 'ghost: restart failed');
    assert.ok(failure?.error instanceof McpError);
    const [status] = pool.statuses();
    assert.ok(status?.lastError);
    await pool.shutdown(0);
  });

  it('tells call listeners about every completed call until disposed, and survives one that throws', async () => {
    const warnings: Array<{ message: string; error: unknown }> = [];
    const { pool } = createTestPool([failing('ghost')], {
      logger: recordingLogger(warnings),
      backoff: { initialMs: 1, maxMs: 1, jitter: 0 },
    });
    const heard: string[] = [];
    const subscription = pool.onCallComplete((event) => heard.push(`${event.server}/${event.tool}:${event.ok}`));
    pool.onCallComplete(() => {
      throw new Error('listener bug');
    });
    await assert.rejects(pool.caller('ghost').callTool('search', {}));
    assert.deepEqual(heard, ['ghost/search:false']);
    assert.ok(warnings.some((w) => w.message === 'A connection-pool listener threw'));
    subscription.dispose();
    await assert.rejects(pool.caller('ghost').callTool('search', {}));
    assert.deepEqual(heard, ['ghost/search:false']);
    await pool.shutdown(0);
  });

  it('sends each server’s stderr to its own logger', async () => {
    const asked: string[] = [];
    const { pool } = createTestPool([definition('a'), definition('b')], {
      serverLogger: (name) => (asked.push(name), silentLogger),
    });
    assert.deepEqual(asked, ['a', 'b']);
    await pool.shutdown(0);
  });

  it('tells status listeners the new statuses when a failed start changes them', async () => {
    const { pool } = createTestPool([failing('ghost')], { backoff: { initialMs: 1, maxMs: 1, jitter: 0 } });
    const heard: ServerStatus[][] = [];
    pool.onStatusChange((statuses) => heard.push(statuses));
    await assert.rejects(pool.start('ghost'));
    assert.ok(heard.length > 0);
    assert.ok(heard.every((statuses) => statuses.length === 1 && statuses[0]?.name === 'ghost'));
    assert.ok(heard.at(-1)?.[0]?.lastError);
    await pool.shutdown(0);
  });

  it('after shutdown, new definitions add no server (none would ever be stopped)', async () => {
    const { pool } = createTestPool([definition('a')]);
    await pool.shutdown(0);
    await pool.updateDefinitions([definition('a'), definition('late')]);
    assert.equal(pool.has('late'), false);
    await assert.rejects(pool.start('late'), (error: McpError) => error.kind === 'unavailable');
    assert.deepEqual(
      pool.statuses().map((status) => [status.name, status.state]),
      [['a', 'stopped']],
    );
  });
});
