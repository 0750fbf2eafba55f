/**
 * The runtime's gateway over real servers: what the preloader fetched answers the agent's identical
 * `query-docs` call without an upstream request, the agent's answer serves hovers, and the
 * dashboard's per-tool table and hit rate count the agent's calls.
 */
import { strict as assert } from 'node:assert';
import type { McpIntegrationApi } from '../../../src/core/api';
import { CACHE_META_KEY, type CacheMeta } from '../../../src/core/gateway/cache-entries';
import type { ToolCallResult } from '../../../src/core/gateway/protocol';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { writeTestConfig } from '../../helpers/config-files';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { RuntimeTracker, testHost } from './host';

const meta = (result: ToolCallResult): CacheMeta | undefined => result._meta?.[CACHE_META_KEY] as CacheMeta | undefined;

describe('Runtime gateway over real context7 and memory-bank', function () {
  this.timeout(60_000);
  const makeDir = cleanTempDirsAfter();
  const tracker = new RuntimeTracker();
  let api: FakeContext7Api;
  let runtime: McpIntegrationApi;
  const docsRequests = (): Array<Record<string, string>> =>
    api.requests.filter((r) => r.path === '/api/v2/context').map((r) => r.query);

  before(async () => {
    api = await FakeContext7Api.start();
    const configDir = makeDir('gateway-runtime-config-');
    writeTestConfig(configDir, { context7ApiUrl: api.apiUrl, memoryTimeoutMs: 10_000, preloadStrategy: 'off' });
    runtime = await tracker.create(testHost({ storageDir: makeDir('gateway-runtime-storage-'), configDir }));
  });
  after(async () => {
    await tracker.shutdownAll();
    await api.close();
  });

  it('exposes the configured servers’ tools and the hierarchy’s own', async () => {
    const names = (await runtime.gateway?.listTools())?.map((t) => t.name) ?? [];
    for (const name of [
      'context7__query-docs',
      'context7__resolve-library-id',
      'lookup',
      'find_fix',
      'remember_fix',
      'stats',
    ])
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  });

  it('answers the agent from preloaded docs, and hovers from the agent’s answer', async () => {
    const gateway = runtime.gateway;
    assert.ok(gateway);
    const uri = 'file:///work/train.py';
    await runtime.openDocument({ uri, languageId: 'python', text: 'import numpy as np\n' });
    const summary = await runtime.preloadDocument(uri);
    assert.equal(summary.loaded, 1);
    const preloaded = docsRequests().find((q) => q['libraryId'] === '/numpy/numpy');
    assert.ok(preloaded, 'the preloader asked context7 for numpy docs');
    const before = docsRequests().length;
    const answer = await gateway.callTool(
      'context7__query-docs',
      { libraryId: '/numpy/numpy', query: preloaded['query'] },
      { client: 'test-agent' },
    );
    assert.equal(meta(answer)?.cached, true);
    assert.equal(docsRequests().length, before);

    // The reverse: the agent asks first, the hover (which reads the first preload topic) finds it.
    assert.equal(runtime.cachedDocsFor('/pandas-dev/pandas'), null);
    const fetched = await gateway.callTool(
      'context7__query-docs',
      { libraryId: '/pandas-dev/pandas', query: preloaded['query'] },
      { client: 'test-agent' },
    );
    assert.equal(meta(fetched)?.cached, false);
    assert.match(runtime.cachedDocsFor('/pandas-dev/pandas') ?? '', /pandas/i);
  });

  it('shows the agent’s calls in the per-tool table and the hit rate', async () => {
    const data = runtime.getDashboardData();
    const row = data.tools.find((t) => t.server === 'context7' && t.tool === 'query-docs');
    assert.deepEqual([row?.calls, row?.cacheHits, row?.clients], [2, 1, ['test-agent']]);
    assert.ok(data.summary.cacheLookups >= 2);
    const stats = await runtime.gateway?.callTool('stats', {}, { client: 'test-agent' });
    assert.ok(Array.isArray(stats?.structuredContent?.['tools']));
  });
});
