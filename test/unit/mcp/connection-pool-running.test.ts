import { strict as assert } from 'node:assert';
import { SupervisedServer } from '../../../src/core/mcp/supervised-server';
import type { ServerDefinition, ServerStatus, ToolCaller } from '../../../src/core/mcp/types';
import { toolText } from '../../helpers/mcp-assertions';
import { createTestPool } from '../../helpers/pool';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';
import { eachTestHttpServer, httpDefinition } from './supervised-harness';

/**
 * The pool with running servers (in-process HTTP): definition changes restart only what ran, and
 * a restart of every server restarts only the running ones.
 */

/** The pool hands out its supervisors as callers; these tests look at their state too. */
function supervisor(caller: ToolCaller): SupervisedServer {
  assert.ok(caller instanceof SupervisedServer);
  return caller;
}

function renamed(url: string, name: string, callMs = 30_000): ServerDefinition {
  const definition = httpDefinition(url);
  return { ...definition, name, timeouts: { ...definition.timeouts, callMs } };
}

describe('ConnectionPool with running servers (in-process HTTP)', function () {
  this.timeout(60_000);
  const http = eachTestHttpServer();

  it('a changed definition of a running server starts its replacement; an idle one stays idle', async () => {
    const { pool } = createTestPool([renamed(http().url, 'running'), renamed(http().url, 'idle')]);
    await pool.start('running');
    const old = supervisor(pool.caller('running'));
    assert.equal(http().sessionsCreated, 1);
    await pool.updateDefinitions([renamed(http().url, 'running', 5000), renamed(http().url, 'idle', 5000)]);
    assert.equal(old.isRunning, false, 'the old server stopped');
    assert.equal(pool.statuses().length, 2);
    assert.deepEqual(
      pool.statuses().map((s) => [s.name, s.state]),
      [
        ['running', 'ready'],
        ['idle', 'idle'],
      ],
    );
    assert.equal(http().sessionsCreated, 2, 'only the running one was started again');
    assert.equal(toolText(await pool.caller('running').callTool('echo', { text: 'new' })), 'new');
    await pool.shutdown(0);
  });

  it('an unchanged running server keeps its session through an update', async () => {
    const { pool } = createTestPool([renamed(http().url, 'a')]);
    await pool.start('a');
    await pool.updateDefinitions([renamed(http().url, 'a'), renamed(http().url, 'b')]);
    assert.equal(http().sessionsCreated, 1);
    assert.equal(pool.statuses()[0]?.state, 'ready');
    assert.equal(pool.statuses()[1]?.state, 'idle');
    await pool.shutdown(0);
  });

  it('a replacement starts only once its predecessor has stopped, and its starts reach the pool’s listeners', async () => {
    const { pool } = createTestPool([renamed(http().url, 'a')]);
    await pool.start('a');
    const old = supervisor(pool.caller('a'));
    const heard: ServerStatus[][] = [];
    pool.onStatusChange((statuses) => heard.push(statuses));
    const update = pool.prepareUpdate([renamed(http().url, 'a', 5000)]);
    const replacement = supervisor(update.caller('a'));
    // Before the update applies, the replacement waits (for its predecessor) and is not the pool's.
    const early = replacement.start();
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(replacement.status().state, 'idle');
    assert.equal(heard.length, 0, 'a prepared replacement is silent');
    await update.apply();
    await early;
    assert.equal(old.isRunning, false);
    assert.equal(replacement.isRunning, true);
    assert.equal(http().sessionsCreated, 2);
    assert.ok(heard.some((statuses) => statuses[0]?.state === 'ready'));
    await pool.shutdown(0);
  });

  it('restarting all restarts only the running servers', async () => {
    const { pool } = createTestPool([renamed(http().url, 'up'), renamed(http().url, 'down')]);
    await pool.start('up');
    await pool.restart();
    assert.deepEqual(
      pool.statuses().map((s) => [s.name, s.state, s.restarts]),
      [
        ['up', 'ready', 1],
        ['down', 'idle', 0],
      ],
    );
    assert.equal(http().sessionsCreated, 2);
    await pool.shutdown(0);
    assert.deepEqual(
      pool.statuses().map((s) => s.state),
      ['stopped', 'stopped'],
    );
  });

  it('introduces itself as mcp-integration unless told another name', async () => {
    const { pool } = createTestPool([renamed(http().url, 'a')]);
    await pool.start('a');
    assert.deepEqual(http().lastClientInfo, { name: 'mcp-integration', version: '0.1.0' });
    await pool.shutdown(0);
    const named = createTestPool([renamed(http().url, 'a')], { clientInfo: { name: 'host', version: '9.9.9' } });
    await named.pool.start('a');
    assert.deepEqual(http().lastClientInfo, { name: 'host', version: '9.9.9' });
    await named.pool.shutdown(0);
  });

  it('a prepared replacement that learns its tool names is silent until applied; a replaced server is silent after', async () => {
    const storageDir = tempDir('mcp-pool-');
    const { pool } = createTestPool([renamed(http().url, 'a')], { storageDir });
    await pool.caller('a').listTools();
    const old = supervisor(pool.caller('a'));
    const heard: ServerStatus[][] = [];
    pool.onStatusChange((statuses) => heard.push(statuses));
    const update = pool.prepareUpdate([renamed(http().url, 'a', 5000)]);
    await waitFor(() => supervisor(update.caller('a')).status().toolNames.length > 0, {
      what: 'the replacement to learn its names',
    });
    assert.equal(heard.length, 0, 'not yet one of the pool’s servers');
    await update.apply();
    const afterApply = heard.length;
    await old.stop(0);
    await old.restart().catch(() => undefined);
    assert.equal(heard.length, afterApply, 'the replaced server no longer speaks for the pool');
    await pool.shutdown(0);
  });
});
