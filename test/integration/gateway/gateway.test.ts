/**
 * The gateway through the real connection pool, against real servers: context7 on the loopback
 * API, memory-bank, and the faulty stand-in (which hangs on `sleep` and changes its tools).
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { GatewayConfig, ToolSelection } from '../../../src/core/config/types';
import { CACHE_META_KEY, type CacheMeta } from '../../../src/core/gateway/cache-entries';
import { Gateway } from '../../../src/core/gateway/gateway';
import { poolToolSource } from '../../../src/core/gateway/pool-tool-source';
import type { ToolCallResult } from '../../../src/core/gateway/protocol';
import { ConnectionPool } from '../../../src/core/mcp/connection-pool';
import type { ServerDefinition } from '../../../src/core/mcp/types';
import { silentLogger } from '../../../src/core/ports';
import { ResultCache } from '../../../src/core/store/result-cache';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { context7Server, faultyServer, memoryBankServer } from '../../helpers/servers';
import { removeTempDirs, tempDir } from '../../helpers/temp';

const CALL_TIMEOUT_MS = 1500;

const config: GatewayConfig = {
  enabled: true,
  separator: '__',
  invalidateOnWrite: true,
  defaultTtlSeconds: 600,
  tools: [
    {
      kind: 'context7',
      tool: 'resolve-library-id',
      keyArgs: ['libraryName'],
      caseInsensitiveArgs: ['libraryName'],
      ttlSeconds: 600,
    },
    {
      kind: 'context7',
      tool: 'query-docs',
      keyArgs: ['libraryId', 'query'],
      caseInsensitiveArgs: [],
      sharedKey: 'library_docs',
      ttlSeconds: 600,
    },
    {
      kind: 'memory-bank',
      tool: 'memory_bank_read',
      cacheable: true,
      keyArgs: ['projectName', 'fileName'],
      caseInsensitiveArgs: [],
    },
  ],
};

const meta = (result: ToolCallResult): CacheMeta | undefined => result._meta?.[CACHE_META_KEY] as CacheMeta | undefined;
const text = (result: ToolCallResult): string =>
  result.content.map((c) => (typeof c['text'] === 'string' ? c['text'] : '')).join('\n');

describe('Gateway through the real pool and real servers', function () {
  this.timeout(60_000);
  let api: FakeContext7Api;
  let pool: ConnectionPool;
  let gateway: Gateway;
  let definitions: ServerDefinition[];
  let selection: ToolSelection = { servers: [], allow: [], deny: [] };
  const upstreamCalls: Array<{ server: string; tool: string }> = [];

  before(async () => {
    api = await FakeContext7Api.start();
    const storageDir = tempDir('gateway-pool-');
    definitions = [
      context7Server(api.apiUrl),
      memoryBankServer(tempDir('gateway-memory-bank-')),
      faultyServer('ok', { name: 'standin', timeouts: { callMs: CALL_TIMEOUT_MS } }),
    ];
    pool = new ConnectionPool({ definitions, storageDir, logger: silentLogger, serverLogger: () => silentLogger });
    pool.onCallComplete((event) => void upstreamCalls.push({ server: event.server, tool: event.tool }));
    gateway = new Gateway({
      source: poolToolSource({ pool, definitions: () => definitions, storageDir }),
      cache: new ResultCache({ cacheDir: path.join(storageDir, 'cache') }),
      config,
      selection: () => selection,
      stateFile: path.join(storageDir, 'gateway-state.json'),
    });
  });
  afterEach(() => {
    api.failWith = undefined;
    api.delayMs = 0;
    selection = { servers: [], allow: [], deny: [] };
  });
  after(async () => {
    gateway.dispose();
    await pool.shutdown();
    await api.close();
    removeTempDirs();
  });

  const docsRequests = (): number => api.requests.filter((r) => r.path === '/api/v2/context').length;

  it('aggregates every server’s tools under <server>__<tool>, annotations passed through', async () => {
    const tools = await gateway.listTools();
    const names = tools.map((t) => t.name);
    for (const expected of [
      'context7__resolve-library-id',
      'context7__query-docs',
      'memory-bank__memory_bank_read',
      'memory-bank__memory_bank_write',
      'standin__echo',
      'standin__sleep',
    ])
      assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
    const docs = tools.find((t) => t.name === 'context7__query-docs')?.definition;
    assert.equal(docs?.annotations?.readOnlyHint, true);
    assert.equal(docs.annotations.idempotentHint, true);
    assert.ok(docs.inputSchema.properties && 'libraryId' in docs.inputSchema.properties);
  });

  it('answers the second identical read-only call from the cache: one upstream request in the API log', async () => {
    const before = docsRequests();
    const args = { libraryId: '/pandas-dev/pandas', query: 'merge frames' };
    const first = await gateway.callTool('context7__query-docs', args, { client: 'test' });
    const second = await gateway.callTool('context7__query-docs', args, { client: 'test' });
    assert.match(text(first), /pandas/);
    assert.equal(text(second), text(first));
    assert.equal(meta(second)?.cached, true);
    assert.equal(docsRequests(), before + 1);
  });

  it('does not cache an answer the server marked isError', async () => {
    api.failWith = 500;
    const before = docsRequests();
    const args = { libraryId: '/numpy/numpy', query: 'broadcasting' };
    const first = await gateway.callTool('context7__query-docs', args);
    const second = await gateway.callTool('context7__query-docs', args);
    assert.notEqual(meta(second)?.cached, true);
    assert.equal(docsRequests(), before + 2);
    assert.ok(first.isError === true || /error|failed/i.test(text(first)), text(first));
    api.failWith = undefined;
    const healthy = await gateway.callTool('context7__query-docs', args);
    assert.equal(meta(healthy)?.cached, false);
    assert.equal(healthy.isError, undefined);
  });

  it('a write call invalidates the server’s cached reads', async () => {
    const read = { projectName: 'demo', fileName: 'projectbrief.md' };
    await gateway.callTool('memory-bank__memory_bank_write', { ...read, content: 'first brief' });
    const reads = (): number => upstreamCalls.filter((c) => c.tool === 'memory_bank_read').length;
    const first = await gateway.callTool('memory-bank__memory_bank_read', read);
    assert.match(text(first), /first brief/);
    const cached = await gateway.callTool('memory-bank__memory_bank_read', read);
    assert.equal(meta(cached)?.cached, true);
    const readsBefore = reads();
    await gateway.callTool('memory-bank__memory_bank_update', { ...read, content: 'second brief' });
    const after = await gateway.callTool('memory-bank__memory_bank_read', read);
    assert.match(text(after), /second brief/);
    assert.equal(meta(after)?.cached, false);
    assert.equal(reads(), readsBefore + 1);
  });

  it('turns a hung upstream tool into a tool error within its call timeout', async () => {
    const started = Date.now();
    const result = await gateway.callTool('standin__sleep', { ms: 60_000 });
    const elapsed = Date.now() - started;
    assert.equal(result.isError, true);
    assert.match(text(result), /tim(ed )?out/i);
    assert.ok(elapsed < CALL_TIMEOUT_MS + 1000, `ended after ${elapsed} ms`);
  });

  it('makes one upstream request for 500 identical concurrent calls', async () => {
    api.delayMs = 100;
    const before = docsRequests();
    const args = { libraryId: '/numpy/numpy', query: 'concurrent question' };
    const results = await Promise.all(
      Array.from({ length: 500 }, () => gateway.callTool('context7__query-docs', args)),
    );
    assert.equal(docsRequests(), before + 1);
    assert.ok(results.every((r) => r.isError !== true && text(r) === text(results[0] as ToolCallResult)));
  });

  it('exposes only what the profile selects', async () => {
    selection = { servers: ['context7', 'standin'], allow: [], deny: ['standin/sleep'] };
    const names = (await gateway.listTools()).map((t) => t.name);
    assert.ok(names.includes('context7__query-docs'));
    assert.ok(names.includes('standin__echo'));
    assert.ok(!names.some((n) => n.startsWith('memory-bank__')));
    assert.ok(!names.includes('standin__sleep'));
    await assert.rejects(gateway.callTool('memory-bank__memory_bank_read', {}), /Unknown tool/);
  });

  it('passes a server’s tools/list_changed on to its clients', async () => {
    await gateway.listTools();
    const changed = new Promise<void>((resolve) => {
      const subscription = gateway.onListChanged(() => {
        subscription.dispose();
        resolve();
      });
    });
    await gateway.callTool('standin__add_tool', { name: 'late_tool' });
    await changed;
    assert.ok((await gateway.listTools()).some((t) => t.name === 'standin__late_tool'));
  });
});
