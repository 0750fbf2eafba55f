import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { MemoryBankAdapter } from '../../../src/core/adapters/memory-bank';
import { ServerMemoryAdapter } from '../../../src/core/adapters/server-memory';
import type { ConnectionPool } from '../../../src/core/mcp/connection-pool';
import { memoryBankServer, serverMemoryServer } from '../../helpers/servers';
import { removeTempDirs, tempDir } from '../../helpers/temp';
import { startPool } from './pool';

describe('memory layers against the real servers', function () {
  this.timeout(30_000);
  let pool: ConnectionPool;
  let memoryBankRoot: string;
  let graphFile: string;
  let clock = 0;
  const now = (): number => clock;

  before(() => {
    memoryBankRoot = tempDir('memory-bank-');
    graphFile = path.join(tempDir('server-memory-'), 'graph.jsonl');
    pool = startPool([memoryBankServer(memoryBankRoot), serverMemoryServer(graphFile)]);
  });
  beforeEach(() => {
    clock = Date.now();
  });
  after(async () => {
    await pool.shutdown();
    removeTempDirs();
  });

  describe('MemoryBankAdapter (@allpepper/memory-bank-mcp)', () => {
    const adapter = (): MemoryBankAdapter =>
      new MemoryBankAdapter({ caller: pool.caller('memory-bank'), project: 'it-project', now });

    it('misses with null before the project exists', async () => {
      assert.equal(await adapter().fetch({ text: 'unknown key', contextType: 'general' }), null);
      assert.equal(existsSync(path.join(memoryBankRoot, 'it-project')), false);
    });

    it('creates the project on first write and round-trips the value in an envelope', async () => {
      const key = 'TypeError: Cannot read properties of undefined (reading "map")';
      await adapter().store(key, 'Check the array exists before calling map.', {
        contextType: 'error_solution',
        ttlSeconds: 3600,
      });
      const answer = await adapter().fetch({ text: key, contextType: 'error_solution' });
      assert.equal(answer?.content, 'Check the array exists before calling map.');
      const files = readdirSync(path.join(memoryBankRoot, 'it-project'));
      assert.equal(files.length, 1);
      assert.match(files[0] ?? '', /^[a-z0-9_.-]+$/);
      const stored = JSON.parse(
        readFileSync(path.join(memoryBankRoot, 'it-project', files[0] ?? ''), 'utf8'),
      ) as Record<string, unknown>;
      assert.equal(stored['key'], key);
      assert.equal(stored['expiresAt'], clock + 3_600_000);
      assert.deepEqual(await adapter().listKeys(), [key]);
      assert.ok((await adapter().listProjects()).includes('it-project'));
    });

    it('updating an existing key really changes the stored content', async () => {
      await adapter().store('style', 'tabs', { contextType: 'project_memory', ttlSeconds: 60 });
      await adapter().store('style', 'spaces', { contextType: 'project_memory', ttlSeconds: 60 });
      assert.equal((await adapter().fetch({ text: 'style', contextType: 'project_memory' }))?.content, 'spaces');
    });

    it('treats an entry past its TTL as a miss, and a later store revives it', async () => {
      await adapter().store('short-lived', 'v1', { contextType: 'general', ttlSeconds: 1 });
      assert.equal((await adapter().fetch({ text: 'short-lived', contextType: 'general' }))?.content, 'v1');
      clock += 1_001;
      assert.equal(await adapter().fetch({ text: 'short-lived', contextType: 'general' }), null);
      await adapter().store('short-lived', 'v2', { contextType: 'general', ttlSeconds: 1 });
      assert.equal((await adapter().fetch({ text: 'short-lived', contextType: 'general' }))?.content, 'v2');
    });

    it('invalidate makes the key a miss', async () => {
      await adapter().store('gone', 'soon', { contextType: 'general', ttlSeconds: 60 });
      await adapter().invalidate('gone');
      assert.equal(await adapter().fetch({ text: 'gone', contextType: 'general' }), null);
    });
  });

  describe('ServerMemoryAdapter (@modelcontextprotocol/server-memory)', () => {
    const adapter = (): ServerMemoryAdapter => new ServerMemoryAdapter({ caller: pool.caller('server-memory'), now });

    it('misses with null for an unknown key', async () => {
      assert.equal(await adapter().fetch({ text: 'zzz-unknown-qqq', contextType: 'general' }), null);
    });

    it('stores an entity and reads it back by exact key', async () => {
      await adapter().store('numpy broadcasting', 'Shapes align from the right.', {
        contextType: 'library_api',
        ttlSeconds: 600,
      });
      const answer = await adapter().fetch({ text: 'numpy broadcasting', contextType: 'library_api' });
      assert.equal(answer?.content, 'Shapes align from the right.');
      assert.equal(answer.metadata?.['tool'], 'open_nodes');
      const graph = readFileSync(graphFile, 'utf8');
      assert.match(graph, /"entityType":"library_api"/);
    });

    it('overwrites an existing entity (create_entities alone would skip it)', async () => {
      await adapter().store('fix-42', 'first', { contextType: 'error_solution', ttlSeconds: 600 });
      await adapter().store('fix-42', 'second', { contextType: 'error_solution', ttlSeconds: 600 });
      assert.equal((await adapter().fetch({ text: 'fix-42', contextType: 'error_solution' }))?.content, 'second');
    });

    it('finds entries by free text through search_nodes', async () => {
      await adapter().store('pandas merge', 'Use pd.merge(left, right, on="id").', {
        contextType: 'library_api',
        ttlSeconds: 600,
      });
      const answer = await adapter().fetch({ text: 'pd.merge', contextType: 'library_api' });
      assert.equal(answer?.content, 'Use pd.merge(left, right, on="id").');
      assert.equal(answer.metadata?.['tool'], 'search_nodes');
    });

    it('expires entries by TTL and deletes them lazily', async () => {
      await adapter().store('ephemeral', 'x', { contextType: 'general', ttlSeconds: 1 });
      clock += 2_000;
      assert.equal(await adapter().fetch({ text: 'ephemeral', contextType: 'general' }), null);
      const graph = await pool.caller('server-memory').callTool('open_nodes', { names: ['ephemeral'] });
      assert.deepEqual((graph.structuredContent as { entities: unknown[] }).entities, []);
    });

    it('invalidate deletes the entity', async () => {
      await adapter().store('to-delete', 'x', { contextType: 'general', ttlSeconds: 60 });
      await adapter().invalidate('to-delete');
      assert.equal(await adapter().fetch({ text: 'to-delete', contextType: 'general' }), null);
    });
  });
});
