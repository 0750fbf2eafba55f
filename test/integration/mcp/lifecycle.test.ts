import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionPool } from '../../../src/core/mcp/connection-pool';
import { statusOf, until } from '../../helpers/mcp-assertions';
import { createTestPool } from '../../helpers/pool';
import { waitForPidGone } from '../../helpers/processes';
import { faultyServer } from '../../helpers/servers';
import { cleanTempDirsAfter } from '../../helpers/temp';

describe('ConnectionPool lifecycle', function () {
  const tempDir = cleanTempDirsAfter();
  const pools: ConnectionPool[] = [];
  const track = <T extends { pool: ConnectionPool }>(test: T): T => (pools.push(test.pool), test);

  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.shutdown(500)));
  });

  it('persists tool lists: a new pool uses the stored list for the same server identity', async () => {
    const storageDir = tempDir();
    const first = track(createTestPool([faultyServer('ok', { name: 'a' })], { storageDir }));
    const listed = await first.pool.caller('a').listTools();
    assert.deepEqual(listed.map((t) => t.name).sort(), ['add_tool', 'echo', 'huge', 'sleep']);
    await first.pool.shutdown(500);

    // Mark the stored list so the test can tell it apart from a fresh tools/list answer.
    const file = path.join(storageDir, 'mcp-tool-lists.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as {
      servers: Record<string, { tools: Array<{ name: string }> }>;
    };
    stored.servers['a']!.tools.push({ name: 'from-cache', inputSchema: { type: 'object' } } as never);
    writeFileSync(file, JSON.stringify(stored));

    const second = track(
      createTestPool([faultyServer('ok', { name: 'a' }), faultyServer('ok', { name: 'b' })], { storageDir }),
    );
    await until(() => statusOf(second.pool, 'a').toolNames.includes('from-cache'));
    assert.equal(statusOf(second.pool, 'a').state, 'idle', 'known tools show before the server starts');
    assert.ok(
      (await second.pool.caller('a').listTools()).some((t) => t.name === 'from-cache'),
      'no tools/list was needed',
    );
    const changed = track(createTestPool([faultyServer('ok', { name: 'a', env: { EXTRA: '1' } })], { storageDir }));
    assert.equal(
      (await changed.pool.caller('a').listTools()).some((t) => t.name === 'from-cache'),
      false,
      'a changed definition lists afresh',
    );
  });

  it('a start cancelled by shutdown is neither a warning nor a last error', async () => {
    const warnings: string[] = [];
    const logger = { trace() {}, debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) };
    const { pool } = track(
      createTestPool([faultyServer('slow-initialize', { name: 'slow', delayMs: 5_000 })], { logger }),
    );
    const starting = pool.start('slow').catch((error: unknown) => error);
    await until(() => statusOf(pool, 'slow').state === 'starting');
    await pool.shutdown(500);
    assert.equal(((await starting) as { kind?: string }).kind, 'cancelled');
    assert.deepEqual(
      warnings.filter((w) => /start failed/.test(w)),
      [],
    );
    assert.equal(statusOf(pool, 'slow').lastError, undefined);
  });

  it('refreshes the tool list when the server announces a change', async () => {
    const { pool, storageDir } = track(createTestPool([faultyServer('ok', { name: 'a' })]));
    const caller = pool.caller('a');
    await caller.listTools();
    await caller.callTool('add_tool', { name: 'late_tool' });
    await until(() => statusOf(pool, 'a').toolNames.includes('late_tool'));
    assert.ok((await caller.listTools()).some((t) => t.name === 'late_tool'));
    await until(() => readFileSync(path.join(storageDir, 'mcp-tool-lists.json'), 'utf8').includes('late_tool'));
  });

  it('updateDefinitions restarts only changed servers, stops removed ones and adds new ones idle', async () => {
    const { pool } = track(
      createTestPool([
        faultyServer('ok', { name: 'same' }),
        faultyServer('ok', { name: 'changed' }),
        faultyServer('ok', { name: 'removed' }),
      ]),
    );
    await Promise.all(['same', 'changed', 'removed'].map((n) => pool.start(n)));
    const before = Object.fromEntries(pool.statuses().map((s) => [s.name, s.pid]));
    await pool.updateDefinitions([
      faultyServer('ok', { name: 'same' }),
      faultyServer('ok', { name: 'changed', env: { VERSION: '2' } }),
      faultyServer('ok', { name: 'added' }),
    ]);
    assert.equal(statusOf(pool, 'same').pid, before['same'], 'an unchanged server keeps its process');
    assert.ok(
      statusOf(pool, 'changed').pid && statusOf(pool, 'changed').pid !== before['changed'],
      'a changed server runs anew',
    );
    assert.ok(await waitForPidGone(before['changed']!));
    assert.ok(await waitForPidGone(before['removed']!));
    assert.equal(pool.has('removed'), false);
    assert.equal(statusOf(pool, 'added').state, 'idle');
    assert.throws(() => pool.caller('removed'), { name: 'McpError', kind: 'unavailable' });
    await assert.rejects(pool.start('removed'), { name: 'McpError', kind: 'unavailable' });
  });

  it('restart(name) replaces the process and counts the restart', async () => {
    const { pool } = track(createTestPool([faultyServer('ok', { name: 'a' })]));
    await pool.start('a');
    const pid = statusOf(pool, 'a').pid;
    await pool.restart('a');
    assert.ok(statusOf(pool, 'a').pid && statusOf(pool, 'a').pid !== pid);
    assert.equal(statusOf(pool, 'a').restarts, 1);
    assert.ok(pid && (await waitForPidGone(pid)));
  });

  it('restarts a crashed server on its own when restartProactively is set', async () => {
    const { pool } = track(
      createTestPool([faultyServer('exit-on-call', { name: 'a' })], {
        restartProactively: true,
        backoff: { initialMs: 50, maxMs: 50 },
      }),
    );
    await pool.start('a');
    const pid = statusOf(pool, 'a').pid;
    await assert.rejects(pool.caller('a').callTool('echo', { text: 'die' }), { kind: 'unavailable' });
    await until(() => statusOf(pool, 'a').state === 'ready' && statusOf(pool, 'a').pid !== pid, 10_000);
    assert.equal(statusOf(pool, 'a').restarts, 1);
  });

  it('ignores disabled definitions', () => {
    const { pool } = track(createTestPool([{ ...faultyServer('ok', { name: 'off' }), enabled: false }]));
    assert.equal(pool.has('off'), false);
    assert.deepEqual(pool.statuses(), []);
  });
});
