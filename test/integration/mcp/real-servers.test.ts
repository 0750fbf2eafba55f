import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { ConnectionPool } from '../../../src/core/mcp/connection-pool';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { toolText } from '../../helpers/mcp-assertions';
import { createTestPool } from '../../helpers/pool';
import type { TestPool } from '../../helpers/pool';
import { waitForPidGone } from '../../helpers/processes';
import {
  context7Server,
  githubStandIn,
  memoryBankServer,
  serenaStandIn,
  serverMemoryServer,
} from '../../helpers/servers';
import { cleanTempDirsAfter } from '../../helpers/temp';

function pidOf(pool: ConnectionPool, name: string): number {
  const pid = pool.statuses().find((s) => s.name === name)?.pid;
  assert.ok(pid, `${name} should have a pid`);
  return pid;
}

describe('ConnectionPool against real MCP servers', function () {
  const tempDir = cleanTempDirsAfter();
  let api: FakeContext7Api;
  let test: TestPool;
  const bankRoot = tempDir('memory-bank-');
  const graphFile = path.join(tempDir('server-memory-'), 'memory.jsonl');
  const project = tempDir('serena-project-');

  before(async () => {
    api = await FakeContext7Api.start();
    test = createTestPool([
      memoryBankServer(bankRoot),
      serverMemoryServer(graphFile),
      context7Server(api.apiUrl),
      serenaStandIn({ project }),
      githubStandIn(),
    ]);
  });

  after(async () => {
    const pids = test.pool.statuses().flatMap((s) => (s.pid ? [s.pid] : []));
    await test.pool.shutdown();
    for (const pid of pids) assert.ok(await waitForPidGone(pid, 3000), `pid ${pid} should be gone after shutdown`);
    await api.close();
  });

  it('starts nothing until a server is first used', () => {
    for (const status of test.pool.statuses()) {
      assert.equal(status.state, 'idle', status.name);
      assert.equal(status.pid, undefined);
    }
  });

  it('memory-bank: writes, lists and reads a file through one reused process', async () => {
    const bank = test.pool.caller('memory-bank');
    const written = await bank.callTool('memory_bank_write', {
      projectName: 'proj',
      fileName: 'note.md',
      content: 'hello bank',
    });
    assert.notEqual(written.isError, true, toolText(written));
    const pid = pidOf(test.pool, 'memory-bank');
    assert.equal(toolText(await bank.callTool('list_projects', {})), 'proj');
    const read = await bank.callTool('memory_bank_read', { projectName: 'proj', fileName: 'note.md' });
    assert.match(toolText(read), /hello bank/);
    for (let i = 0; i < 20; i++) await bank.callTool('list_projects', {});
    assert.equal(pidOf(test.pool, 'memory-bank'), pid, 'the same process serves every call');
    assert.equal(test.pool.statuses().find((s) => s.name === 'memory-bank')?.restarts, 0);
  });

  it('server-memory: creates entities and reads them back from the graph', async () => {
    const graph = test.pool.caller('server-memory');
    await graph.callTool('create_entities', {
      entities: [{ name: 'numpy', entityType: 'library', observations: ['fast arrays'] }],
    });
    const result = await graph.callTool('read_graph', {});
    const structured = result.structuredContent as { entities: Array<{ name: string; observations: string[] }> };
    assert.deepEqual(
      structured.entities.map((e) => e.name),
      ['numpy'],
    );
    assert.deepEqual(structured.entities[0]?.observations, ['fast arrays']);
  });

  it('context7: resolves a library id and queries docs against the loopback API', async () => {
    const context7 = test.pool.caller('context7');
    const resolved = toolText(await context7.callTool('resolve-library-id', { query: 'arrays', libraryName: 'numpy' }));
    assert.match(resolved, /\/numpy\/numpy/);
    const docs = toolText(await context7.callTool('query-docs', { libraryId: '/numpy/numpy', query: 'broadcasting' }));
    assert.match(docs, /NumPy: broadcasting/);
    const missing = toolText(await context7.callTool('query-docs', { libraryId: '/nobody/nothing', query: 'x' }));
    assert.match(missing, /not found/i, 'an upstream 404 arrives as plain text');
    assert.ok(api.requests.some((r) => r.path === '/api/v2/context' && r.query['libraryId'] === '/numpy/numpy'));
  });

  it('serena stand-in: finds symbols and round-trips a memory', async () => {
    const serena = test.pool.caller('serena');
    const found = JSON.parse(
      toolText(await serena.callTool('find_symbol', { name_path_pattern: 'fit', include_body: true })),
    ) as Array<{ name_path: string; body?: string }>;
    assert.deepEqual(
      found.map((s) => s.name_path),
      ['Trainer/fit'],
    );
    assert.ok(found[0]?.body);
    await serena.callTool('write_memory', { memory_name: 'fix-cuda', content: 'lower the batch size' });
    assert.equal(toolText(await serena.callTool('read_memory', { memory_name: 'fix-cuda' })), 'lower the batch size');
    assert.deepEqual(JSON.parse(toolText(await serena.callTool('list_memories', {}))), ['fix-cuda']);
  });

  it('github stand-in: searches issues and reports a missing issue as a tool error, like the real server', async () => {
    const github = test.pool.caller('github');
    const found = JSON.parse(toolText(await github.callTool('search_issues', { query: 'CUDA out of memory' }))) as {
      total_count: number;
    };
    assert.equal(found.total_count, 1);
    const missing = await github.callTool('issue_read', { method: 'get', owner: 'x', repo: 'y', issue_number: 1 });
    assert.equal(missing.isError, true);
    assert.match(toolText(missing), /^failed to get issue: .*404 Not Found/);
  });

  it('lists tools and reports them in the status', async () => {
    const tools = await test.pool.caller('context7').listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['query-docs', 'resolve-library-id']);
    assert.deepEqual(
      test.pool
        .statuses()
        .find((s) => s.name === 'context7')
        ?.toolNames.sort(),
      ['query-docs', 'resolve-library-id'],
    );
  });

  it('shares one start between concurrent first callers', async () => {
    const fresh = createTestPool([memoryBankServer(bankRoot, { name: 'bank-2' })]);
    try {
      const caller = fresh.pool.caller('bank-2');
      const results = await Promise.all(Array.from({ length: 8 }, () => caller.callTool('list_projects', {})));
      assert.ok(results.every((r) => toolText(r) === 'proj'));
      assert.equal(fresh.pool.statuses()[0]?.restarts, 0, 'exactly one process was started');
    } finally {
      await fresh.pool.shutdown();
    }
  });

  it('reports each call to onCallComplete listeners', async () => {
    const events: Array<{ tool: string; ok: boolean }> = [];
    const subscription = test.pool.onCallComplete((e) => events.push(e));
    await test.pool.caller('memory-bank').callTool('list_projects', {});
    await test.pool.caller('memory-bank').callTool('memory_bank_read', { projectName: 'nope', fileName: 'x.md' });
    subscription.dispose();
    await test.pool.caller('memory-bank').callTool('list_projects', {});
    assert.deepEqual(
      events.map((e) => [e.tool, e.ok]),
      [
        ['list_projects', true],
        ['memory_bank_read', false],
      ],
    );
  });
});
