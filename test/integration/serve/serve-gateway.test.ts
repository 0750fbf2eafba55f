/**
 * `serve` serves the gateway: a real SDK client against `serve` over stdio (the CLI bundle, a
 * 2025-era client) and over Streamable HTTP (`startHttpServe` in-process, a 2026-07-28 client),
 * with real context7 on the loopback API, real memory-bank and the faulty stand-in behind it.
 */
import { strict as assert } from 'node:assert';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { CACHE_META_KEY, type CacheMeta } from '../../../src/core/gateway/cache-entries';
import type { ToolMetrics } from '../../../src/core/monitor/types';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { mcpPost, rawRequest } from '../../helpers/raw-http';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { ensureCliBundle } from '../cli/cli-runner';
import {
  HTTP_TOKEN,
  httpServe,
  STANDIN_CALL_TIMEOUT_MS,
  stdioServe,
  writeServeConfig,
  type ServeFolders,
  type ServeStarter,
  type ServeTarget,
  toolsOnceListed,
} from './harness';

const text = (result: CallToolResult): string => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
const meta = (result: CallToolResult): CacheMeta | undefined => result._meta?.[CACHE_META_KEY] as CacheMeta | undefined;

const transports: Array<[string, ServeStarter]> = [
  ['stdio', stdioServe],
  ['HTTP', httpServe],
];

for (const [label, start] of transports) {
  describe(`serve over ${label}: the gateway to a real SDK client`, function () {
    this.timeout(60_000);
    const makeDir = cleanTempDirsAfter();
    const clientName = `serve-it-${label.toLowerCase()}`;
    let api: FakeContext7Api;
    let target: ServeTarget;
    const folders = (tag: string): ServeFolders => ({
      configDir: makeDir(`serve-${tag}-config-`),
      storageDir: makeDir(`serve-${tag}-storage-`),
      workspaceDir: makeDir(`serve-${tag}-ws-`),
    });
    const call = (name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
      target.client.callTool({ name, arguments: args });
    const docsRequests = (): number => api.requests.filter((r) => r.path === '/api/v2/context').length;

    before(async function () {
      this.timeout(150_000);
      await ensureCliBundle();
      api = await FakeContext7Api.start();
      const main = folders('main');
      writeServeConfig(main, api.apiUrl);
      target = await start(main, clientName);
      await toolsOnceListed(target, ['context7__', 'memory-bank__', 'standin__']);
    });
    afterEach(() => {
      api.failWith = undefined;
      api.delayMs = 0;
    });
    after(async () => {
      await target.close();
      await api.close();
    });

    it('aggregates every server’s tools as <server>__<tool>, schemas and annotations passed through, plus the hierarchy’s', async () => {
      const { tools } = await target.client.listTools();
      const names = tools.map((t) => t.name);
      for (const expected of [
        'context7__resolve-library-id',
        'context7__query-docs',
        'memory-bank__memory_bank_read',
        'memory-bank__memory_bank_write',
        'standin__echo',
        'standin__sleep',
        'lookup',
        'find_fix',
        'remember_fix',
        'stats',
      ])
        assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
      assert.ok(!names.includes('store'), 'the old store tool is gone');
      const docs = tools.find((t) => t.name === 'context7__query-docs');
      assert.ok(docs);
      assert.equal(docs.annotations?.readOnlyHint, true);
      assert.deepEqual(Object.keys(docs.inputSchema.properties ?? {}).sort(), ['libraryId', 'query']);
    });

    it('answers the second identical read-only call from the cache: one upstream request, _meta says so', async () => {
      const before = docsRequests();
      const args = { libraryId: '/pandas-dev/pandas', query: `merge frames over ${label}` };
      const first = await call('context7__query-docs', args);
      const second = await call('context7__query-docs', args);
      assert.equal(first.isError, undefined, text(first));
      assert.match(text(first), /pandas/i);
      assert.equal(text(second), text(first));
      assert.equal(meta(first)?.cached, false);
      assert.equal(meta(second)?.cached, true);
      assert.equal(docsRequests(), before + 1);
      const stats = (await call('stats')).structuredContent as { tools: ToolMetrics[] };
      const row = stats.tools.find((t) => t.server === 'context7' && t.tool === 'query-docs');
      assert.ok(row, 'the monitor has a row for the tool');
      assert.ok(row.clients.includes(clientName), `the client is named in the monitor: ${row.clients.join(', ')}`);
      assert.ok(row.cacheHits >= 1);
    });

    it('never caches an answer that failed upstream', async () => {
      api.failWith = 500;
      const before = docsRequests();
      const args = { libraryId: '/numpy/numpy', query: `broadcasting over ${label}` };
      const first = await call('context7__query-docs', args);
      const second = await call('context7__query-docs', args);
      assert.ok(first.isError === true || /error|failed/i.test(text(first)), text(first));
      assert.notEqual(meta(second)?.cached, true);
      assert.equal(docsRequests(), before + 2);
      api.failWith = undefined;
      const healthy = await call('context7__query-docs', args);
      assert.equal(healthy.isError, undefined);
      assert.equal(meta(healthy)?.cached, false);
    });

    it('a write call invalidates the server’s cached reads', async () => {
      const read = { projectName: `demo-${label.toLowerCase()}`, fileName: 'projectbrief.md' };
      const written = await call('memory-bank__memory_bank_write', { ...read, content: 'first brief' });
      assert.notEqual(written.isError, true, text(written));
      assert.match(text(await call('memory-bank__memory_bank_read', read)), /first brief/);
      const cached = await call('memory-bank__memory_bank_read', read);
      assert.equal(meta(cached)?.cached, true);
      await call('memory-bank__memory_bank_update', { ...read, content: 'second brief' });
      const after = await call('memory-bank__memory_bank_read', read);
      assert.match(text(after), /second brief/);
      assert.equal(meta(after)?.cached, false);
    });

    it('passes an upstream tools/list_changed on to the client', async () => {
      await target.client.listTools();
      const changed = target.nextToolListChange();
      const added = await call('standin__add_tool', { name: `late_${label.toLowerCase()}` });
      assert.equal(added.isError, undefined, text(added));
      const names = await changed;
      assert.ok(names.includes(`standin__late_${label.toLowerCase()}`), names.join(', '));
    });

    it('ends a hung upstream tool within its call timeout, as a tool error', async () => {
      const started = Date.now();
      const result = await call('standin__sleep', { ms: 60_000 });
      const elapsed = Date.now() - started;
      assert.equal(result.isError, true);
      assert.match(text(result), /tim(ed )?out/i);
      assert.ok(elapsed < STANDIN_CALL_TIMEOUT_MS + 1000, `ended after ${elapsed} ms`);
    });

    // Over stdio 500 calls share one pipe; over stateless HTTP each is a request of its own, and the
    // server instances made per request share one flight.
    const concurrent = 500;
    it(`makes one upstream request for ${concurrent} identical concurrent calls`, async function () {
      // 500 stateless HTTP requests at once take seconds on a busy machine (the stdio bound is below).
      this.timeout(60_000);
      api.delayMs = 100;
      const before = docsRequests();
      const args = { libraryId: '/numpy/numpy', query: `concurrent question over ${label}` };
      const started = performance.now();
      const results = await Promise.all(Array.from({ length: concurrent }, () => call('context7__query-docs', args)));
      const elapsed = performance.now() - started;
      console.log(`      ${concurrent} concurrent calls over ${label}: ${elapsed.toFixed(0)} ms, one upstream request`);
      assert.equal(docsRequests(), before + 1);
      const first = text(results[0] as CallToolResult);
      assert.ok(results.every((r) => r.isError !== true && text(r) === first));
      const own = results.filter((r) => meta(r)?.shared !== true && meta(r)?.cached !== true).length;
      assert.equal(own, 1, 'every call but one joined the flight or found its answer');
      // The bound holds for the shared pipe; HTTP's time is the machine's HTTP stack (logged above).
      if (label === 'stdio') assert.ok(elapsed < 5000, `took ${elapsed.toFixed(0)} ms`);
    });

    it('exposes only what the gateway’s profile selects', async function () {
      this.timeout(180_000);
      const filtered = folders('filtered');
      writeServeConfig(filtered, api.apiUrl, true);
      const narrow = await start(filtered, `${clientName}-filtered`);
      try {
        const names = await toolsOnceListed(narrow, ['context7__', 'standin__'], 120_000);
        assert.ok(names.includes('context7__query-docs'), names.join(', '));
        assert.ok(names.includes('standin__echo'));
        assert.ok(!names.includes('standin__sleep'), 'denied by the profile');
        assert.ok(!names.some((n) => n.startsWith('memory-bank__')), 'not a server of the profile');
        assert.ok(names.includes('lookup'), 'the hierarchy’s own tools stay');
        await assert.rejects(
          narrow.client.callTool({ name: 'memory-bank__memory_bank_read', arguments: {} }),
          /Unknown tool/,
        );
      } finally {
        await narrow.close();
      }
    });

    if (label === 'HTTP')
      it('refuses a request without the token (401) and a foreign Host or Origin (403)', async () => {
        const url = target.url;
        assert.ok(url);
        const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
        const auth = { authorization: `Bearer ${HTTP_TOKEN}` };
        const anonymous = await mcpPost(url, list);
        assert.equal(anonymous.status, 401);
        assert.match(String(anonymous.headers['www-authenticate']), /Bearer/);
        assert.equal((await mcpPost(url, list, { authorization: 'Bearer not-the-token-at-all-0000' })).status, 401);
        assert.equal((await mcpPost(url, list, { ...auth, host: 'evil.example:80' })).status, 403);
        assert.equal((await mcpPost(url, list, { ...auth, origin: 'https://evil.example' })).status, 403);
        assert.equal((await rawRequest(url.replace(/\/mcp$/, '/other'), { method: 'GET', headers: auth })).status, 404);
        assert.equal((await mcpPost(url, list, auth)).status, 200);
      });
  });
}
