import { strict as assert } from 'node:assert';
import { Context7Adapter } from '../../../src/core/adapters/context7';
import { MemoryBankAdapter } from '../../../src/core/adapters/memory-bank';
import { KnowledgeHierarchy } from '../../../src/core/hierarchy/knowledge-hierarchy';
import type { HierarchyLayer, KnowledgeHierarchyOptions } from '../../../src/core/hierarchy/types';
import type { ConnectionPool } from '../../../src/core/mcp/connection-pool';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { createTestPool } from '../../helpers/pool';
import { context7Server, memoryBankServer } from '../../helpers/servers';
import { removeTempDirs, tempDir } from '../../helpers/temp';
import { memoryKey } from '../../../src/core/hierarchy/memory-key';

describe('KnowledgeHierarchy over the real memory-bank and context7 servers', function () {
  this.timeout(60_000);
  let api: FakeContext7Api;
  let pool: ConnectionPool;
  let memoryBank: MemoryBankAdapter;
  let context7: Context7Adapter;
  let cacheDir: string;
  const hierarchies: KnowledgeHierarchy[] = [];

  const question = 'useEffect cleanup';
  const lookup = { contextType: 'library_api', libraryId: '/facebook/react' } as const;
  const docsRequests = (): number => api.requests.filter((r) => r.path === '/api/v2/context').length;

  const build = (overrides: Partial<KnowledgeHierarchyOptions> = {}): KnowledgeHierarchy => {
    const layers: HierarchyLayer[] = [
      { name: 'memory', priority: 1, latencyTargetMs: 100, timeoutMs: 15_000, adapters: [memoryBank] },
      { name: 'docs', priority: 3, latencyTargetMs: 500, timeoutMs: 20_000, adapters: [context7] },
    ];
    const hierarchy = new KnowledgeHierarchy({
      layers,
      authority: { library_api: ['memory', 'docs'] },
      ttlByType: { library_api: 7 * 86_400 },
      writeBack: { enabled: true, layers: ['memory'] },
      cache: { cacheDir },
      ...overrides,
    });
    hierarchies.push(hierarchy);
    return hierarchy;
  };

  before(async () => {
    api = await FakeContext7Api.start();
    const root = tempDir('hierarchy-memory-bank-');
    cacheDir = tempDir('hierarchy-cache-');
    ({ pool } = createTestPool([memoryBankServer(root), context7Server(api.apiUrl)]));
    memoryBank = new MemoryBankAdapter({ caller: pool.caller('memory-bank') });
    context7 = new Context7Adapter({ caller: pool.caller('context7') });
  });

  after(async () => {
    await Promise.all(hierarchies.map((hierarchy) => hierarchy.shutdown()));
    await pool.shutdown();
    await api.close();
    removeTempDirs();
  });

  it('answers the first lookup from docs and writes it back to memory-bank', async () => {
    const hierarchy = build();
    const result = await hierarchy.fetch(question, lookup);
    assert.equal(result.success, true, result.error);
    assert.equal(result.source, 'docs');
    assert.equal(result.cached, false);
    assert.match(result.content ?? '', /useEffect cleanup/);
    assert.deepEqual(
      result.trail.map((entry) => [entry.layer, entry.outcome]),
      [
        ['local-cache', 'miss'],
        ['memory', 'miss'],
        ['docs', 'hit'],
      ],
    );
    await hierarchy.flush();
    // The memory layer keys the answer by the question scoped to its library.
    const stored = await memoryBank.fetch({
      text: memoryKey({ text: question, libraryId: lookup.libraryId }),
      contextType: 'library_api',
    });
    assert.equal(stored?.content, result.content, 'memory-bank now holds the docs answer');
  });

  it('answers the second lookup from the local cache without asking any server', async () => {
    const hierarchy = hierarchies[0] as KnowledgeHierarchy;
    const before = docsRequests();
    const result = await hierarchy.fetch(question, lookup);
    assert.equal(result.cached, true);
    assert.equal(result.source, 'local-cache');
    assert.equal(result.trail[0]?.detail, 'memory');
    assert.equal(docsRequests(), before);
  });

  it('a new hierarchy on the same cache folder still hits, from disk', async () => {
    const fresh = build();
    const before = docsRequests();
    const result = await fresh.fetch(question, lookup);
    assert.equal(result.cached, true);
    assert.equal(result.trail[0]?.detail, 'disk');
    assert.equal(docsRequests(), before);
  });

  it('with the local cache cleared, the memory layer (memory-bank) answers', async () => {
    const hierarchy = build();
    await hierarchy.clear();
    const before = docsRequests();
    const result = await hierarchy.fetch(question, lookup);
    assert.equal(result.success, true, result.error);
    assert.equal(result.source, 'memory');
    assert.equal(result.cached, false);
    assert.match(result.content ?? '', /useEffect cleanup/);
    assert.equal(docsRequests(), before, 'docs was not asked');
    assert.equal(result.trail.find((entry) => entry.layer === 'memory')?.server, 'memory-bank');
  });

  it('hedged mode over the same servers gives the same answer', async () => {
    const hierarchy = build({ mode: 'hedged', cache: { cacheDir: tempDir('hierarchy-cache-hedged-') } });
    const result = await hierarchy.fetch('custom hooks', lookup);
    assert.equal(result.success, true, result.error);
    assert.match(result.content ?? '', /custom hooks/);
    assert.ok(['memory', 'docs'].includes(result.source ?? ''));
  });
});
