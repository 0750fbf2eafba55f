import { strict as assert } from 'node:assert';
import { McpError } from '../../../src/core/errors';
import type { ServerDefinition, ServerStatus } from '../../../src/core/mcp/types';
import type { Logger } from '../../../src/core/ports';
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
