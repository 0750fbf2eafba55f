import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { McpError } from '../../../src/core/errors';
import { poolToolSource } from '../../../src/core/gateway/pool-tool-source';
import { definitionHash } from '../../../src/core/mcp/tool-list-cache';
import type { ServerDefinition } from '../../../src/core/mcp/types';
import { until } from '../../helpers/mcp-assertions';
import { createTestPool } from '../../helpers/pool';

/** A server that is never started in these tests (or fails at once: its command does not exist). */
function definition(name: string, overrides: Partial<ServerDefinition> = {}): ServerDefinition {
  return {
    name,
    kind: 'generic',
    enabled: true,
    transport: { transport: 'stdio', command: '/nonexistent/mcp-integration-test-server', args: [], env: {} },
    timeouts: { initializeMs: 1000, listMs: 1000, callMs: 1000 },
    costPerCallUsd: 0,
    origin: 'user',
    ...overrides,
  };
}

/** The pool's persisted tool lists, as it writes them after listing a server. */
function writeToolLists(
  storageDir: string,
  entries: Record<string, { hash: string; version: unknown; tools: string[] }>,
) {
  const servers = Object.fromEntries(
    Object.entries(entries).map(([name, e]) => [
      name,
      {
        definitionHash: e.hash,
        serverVersion: e.version,
        tools: e.tools.map((tool) => ({ name: tool, inputSchema: { type: 'object' } })),
        savedAt: 1,
      },
    ]),
  );
  writeFileSync(path.join(storageDir, 'mcp-tool-lists.json'), JSON.stringify({ version: 1, servers }));
}

describe('The connection pool as the gateway’s tool source', () => {
  it('offers the enabled servers the pool serves, with their kind and cost', async () => {
    const defs = [
      definition('a', { kind: 'context7', costPerCallUsd: 0.002 }),
      definition('off', { enabled: false }),
      definition('b'),
    ];
    const { pool } = createTestPool(defs);
    const notInPool = definition('later');
    const source = poolToolSource({ pool, definitions: () => [...defs, notInPool], storageDir: '/unused' });
    assert.deepEqual(source.servers(), [
      { name: 'a', kind: 'context7', costPerCallUsd: 0.002 },
      { name: 'b', kind: 'generic', costPerCallUsd: 0 },
    ]);
    await pool.shutdown(0);
  });

  it('identifies a server by its definition hash and the version it reported, when both match', async () => {
    const a = definition('a');
    const b = definition('b');
    const c = definition('c');
    const { pool, storageDir } = createTestPool([a, b, c]);
    writeToolLists(storageDir, {
      a: { hash: definitionHash(a), version: 'a-server@1.2.3', tools: ['t'] },
      b: { hash: 'an older definition', version: 'b-server@9', tools: ['t'] },
      c: { hash: definitionHash(c), version: 7, tools: ['t'] },
    });
    const source = poolToolSource({ pool, definitions: () => [a, b, c, definition('gone')], storageDir });
    assert.equal(await source.identity('a'), `${definitionHash(a)}:a-server@1.2.3`);
    assert.equal(await source.identity('b'), `${definitionHash(b)}:unknown`, 'a version of another definition');
    assert.equal(await source.identity('c'), `${definitionHash(c)}:unknown`, 'a version that is not text');
    assert.equal(await source.identity('gone'), 'gone@unknown', 'not served by the pool');
    await pool.shutdown(0);
  });

  it('identifies a server with an unknown version when nothing readable was persisted', async () => {
    const a = definition('a');
    const { pool, storageDir } = createTestPool([a]);
    const source = poolToolSource({ pool, definitions: () => [a], storageDir });
    assert.equal(await source.identity('a'), `${definitionHash(a)}:unknown`, 'no file yet');
    writeFileSync(path.join(storageDir, 'mcp-tool-lists.json'), '{ not json');
    assert.equal(await source.identity('a'), `${definitionHash(a)}:unknown`, 'a damaged file');
    writeFileSync(path.join(storageDir, 'mcp-tool-lists.json'), '{"version":1}');
    assert.equal(await source.identity('a'), `${definitionHash(a)}:unknown`, 'a file without servers');
    await pool.shutdown(0);
  });

  it('reports a changed tool list, but not the first names a server reports', async () => {
    const a = definition('a');
    const { pool, storageDir } = createTestPool([], {});
    writeToolLists(storageDir, { a: { hash: definitionHash(a), version: 'a@1', tools: ['one', 'two'] } });
    const source = poolToolSource({ pool, definitions: () => [a], storageDir });
    const changed: string[] = [];
    const subscription = source.onToolsChanged((server) => changed.push(server));
    // The server appears: its names are first unknown, then read from the persisted list.
    await pool.updateDefinitions([a]);
    await until(() => pool.statuses()[0]?.toolNames.length === 2);
    assert.deepEqual(changed, []);
    // Started another way, the server's list is unknown again: clients must list anew.
    await pool.updateDefinitions([
      definition('a', {
        transport: {
          transport: 'stdio',
          command: '/nonexistent/mcp-integration-test-server',
          args: ['--other'],
          env: {},
        },
      }),
    ]);
    assert.deepEqual(changed, ['a']);
    subscription.dispose();
    await pool.updateDefinitions([a]);
    await until(() => pool.statuses()[0]?.toolNames.length === 2);
    await pool.updateDefinitions([
      definition('a', {
        transport: {
          transport: 'stdio',
          command: '/nonexistent/mcp-integration-test-server',
          args: ['--third'],
          env: {},
        },
      }),
    ]);
    assert.deepEqual(changed, ['a'], 'a disposed listener hears nothing');
    await pool.shutdown(0);
  });

  it('forwards calls and listings to the named server with the caller’s signal, and reports completed calls', async () => {
    const a = definition('a', { timeouts: { initializeMs: 100, listMs: 100, callMs: 100 } });
    const { pool } = createTestPool([a], { backoff: { initialMs: 1, maxMs: 1, jitter: 0 } });
    const source = poolToolSource({ pool, definitions: () => [a], storageDir: '/unused' });
    const completed: Array<[string, string]> = [];
    source.onCallCompleted?.((server, tool) => completed.push([server, tool]));
    const aborted = AbortSignal.abort();
    const kind = (error: unknown): string => (error instanceof McpError ? `${error.kind} ${error.server}` : 'other');
    await assert.rejects(source.callTool('a', 'search', {}, { signal: aborted }), (e) => kind(e) === 'cancelled a');
    await assert.rejects(source.listTools('a', { signal: aborted }), (e) => kind(e) === 'cancelled a');
    assert.deepEqual(completed, [['a', 'search']]);
    await assert.rejects(source.callTool('a', 'search', {}), (e) => kind(e) !== 'cancelled a');
    await assert.rejects(source.listTools('a'), (e) => kind(e) !== 'cancelled a');
    await assert.rejects(source.callTool('missing', 'search', {}), (e) => kind(e) === 'unavailable missing');
    await pool.shutdown(0);
  });
});
