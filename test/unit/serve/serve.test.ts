import { strict as assert } from 'node:assert';
import { type CallToolResult, Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { DiagnosticInfo, FixResult, LookupOptions, RuntimeDashboardData } from '../../../src/core/api';
import { CACHE_META_KEY, type CacheMeta } from '../../../src/core/gateway/cache-entries';
import { Gateway } from '../../../src/core/gateway/gateway';
import { hierarchyTools, type HierarchyToolsApi } from '../../../src/core/gateway/hierarchy-tools';
import type { FetchResult } from '../../../src/core/knowledge';
import { createGatewayServer, GatewayServing } from '../../../src/core/serve/gateway-server';
import { LogRelay } from '../../../src/core/serve/log-relay';
import { ResultCache } from '../../../src/core/store/result-cache';
import { FakeSource, READ_ONLY, tool } from '../gateway/fake-source';

/** A small in-process stand-in for the runtime's hierarchy: records calls, answers from a map. */
class FakeRuntime implements HierarchyToolsApi {
  readonly lookups: Array<{ query: string; options?: LookupOptions }> = [];
  readonly remembered = new Map<string, string>();

  lookup(query: string, options?: LookupOptions): Promise<FetchResult> {
    this.lookups.push({ query, options });
    const hit = this.remembered.get(query);
    const base = {
      latencyMs: 1,
      cached: Boolean(hit),
      contextType: options?.contextType ?? 'general',
      trail: [{ layer: 'local-cache', outcome: hit ? 'hit' : 'miss', latencyMs: 1 } as const],
    };
    return Promise.resolve(
      hit
        ? { ...base, success: true, content: hit, source: 'local-cache' }
        : { ...base, success: false, content: null, source: null, error: 'No layer had an answer' },
    );
  }

  findFix(diagnostic: DiagnosticInfo): Promise<FixResult> {
    const signature = `error:${diagnostic.source ?? ''}:${diagnostic.code ?? ''}:${diagnostic.message.toLowerCase()}`;
    const solution = this.remembered.get(signature);
    return Promise.resolve({
      success: solution !== undefined,
      content: solution ?? null,
      source: solution ? 'memory' : null,
      latencyMs: 2,
      cached: false,
      contextType: 'error_solution',
      trail: [],
      signature,
    });
  }

  rememberFix(diagnostic: DiagnosticInfo, solution: string): Promise<string> {
    const signature = `error:${diagnostic.source ?? ''}:${diagnostic.code ?? ''}:${diagnostic.message.toLowerCase()}`;
    this.remembered.set(signature, solution);
    return Promise.resolve(signature);
  }

  getDashboardData(): RuntimeDashboardData {
    return {
      summary: { totalCalls: 4, cacheHits: 1 },
      hierarchy: { mode: 'sequential', hitRate: 0.5, entries: 2 },
      serverStatuses: [{ name: 'context7', state: 'ready', circuit: 'closed', restarts: 0 }],
      alerts: [],
    } as unknown as RuntimeDashboardData; // the stats tool reads only these fields
  }
}

const SECRET_TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

function upstream(): FakeSource {
  const source = new FakeSource([{ name: 'docs', kind: 'generic', costPerCallUsd: 0 }]);
  const schema = { type: 'object' as const, properties: { q: { type: 'string', pattern: '^[a-z]+$' } } };
  source.tools.set('docs', [
    { ...tool('search', READ_ONLY), definition: { ...tool('search', READ_ONLY).definition, inputSchema: schema } },
    tool('explode', READ_ONLY, () => {
      throw new Error(`upstream said: token ${SECRET_TOKEN} is invalid`);
    }),
  ]);
  return source;
}

describe('createGatewayServer (the gateway over an in-memory MCP connection)', () => {
  let runtime: FakeRuntime;
  let source: FakeSource;
  let gateway: Gateway;
  let client: Client;
  let relay: LogRelay;
  let clientCalls: string[];

  const call = (name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
    client.callTool({ name, arguments: args });
  const text = (result: CallToolResult): string =>
    result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');

  beforeEach(async () => {
    runtime = new FakeRuntime();
    relay = new LogRelay();
    source = upstream();
    clientCalls = [];
    const local = hierarchyTools(runtime);
    gateway = new Gateway({
      source,
      cache: new ResultCache({}),
      config: { enabled: true, separator: '__', invalidateOnWrite: true, defaultTtlSeconds: 60, tools: [] },
      localTools: () => local,
      observer: { onCall: (event) => void clientCalls.push(event.client) },
    });
    const serving = new GatewayServing({ gateway });
    const server = createGatewayServer(serving, { logs: { relay, scope: 'connection' }, pushListChanged: true });
    // Both halves of a linked pair come from one package (the client's), as the SDK requires.
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 'unit-client', version: '1.0.0' });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  });

  afterEach(async () => {
    await client.close();
    gateway.dispose();
  });

  it('lists upstream tools under <server>__<tool> with their JSON Schemas untouched, then the hierarchy tools', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      ['docs__search', 'docs__explode', 'lookup', 'find_fix', 'remember_fix', 'stats'],
    );
    const search = tools.find((t) => t.name === 'docs__search');
    assert.ok(search);
    assert.deepEqual(search.inputSchema, {
      type: 'object',
      properties: { q: { type: 'string', pattern: '^[a-z]+$' } },
    });
    assert.deepEqual(search.annotations, READ_ONLY);
    assert.equal(
      tools.find((t) => t.name === 'store'),
      undefined,
      'the old store tool is gone',
    );
    assert.equal(client.getServerCapabilities()?.tools?.listChanged, true);
  });

  it('answers a repeated read-only call from the cache with _meta, and records the client name', async () => {
    const first = await call('docs__search', { q: 'arrays' });
    const second = await call('docs__search', { q: 'arrays' });
    assert.equal(source.callsTo('search'), 1);
    assert.equal(text(second), text(first));
    assert.equal((second._meta?.[CACHE_META_KEY] as CacheMeta | undefined)?.cached, true);
    await gateway.flush();
    assert.deepEqual(clientCalls, ['unit-client', 'unit-client']);
  });

  it('an upstream failure is a tool error with secrets masked', async () => {
    const result = await call('docs__explode', {});
    assert.equal(result.isError, true);
    assert.ok(!text(result).includes(SECRET_TOKEN), text(result));
    assert.match(text(result), /redacted/);
  });

  it('an unknown tool is a protocol error, not a tool result', async () => {
    await assert.rejects(call('docs__nothing', {}), /Unknown tool/);
  });

  it('tells the client when the tool list changed', async () => {
    await client.listTools();
    const changed = new Promise<void>((resolve) =>
      client.setNotificationHandler('notifications/tools/list_changed', () => resolve()),
    );
    source.changeTools('docs', [tool('search', READ_ONLY), tool('fresh', READ_ONLY)]);
    await changed;
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'docs__fresh'));
  });

  it('remember_fix then find_fix through the hierarchy tools', async () => {
    const remembered = await call('remember_fix', { message: 'Bad', source: 'ts', code: '1', solution: 'use let' });
    assert.equal(remembered.isError, undefined);
    const fix = await call('find_fix', { message: 'Bad', source: 'ts', code: '1' });
    assert.equal(text(fix), 'use let');
    assert.equal((fix.structuredContent as { signature: string }).signature, 'error:ts:1:bad');
  });

  it('a lookup without an answer is a tool error carrying the reason; bad arguments too', async () => {
    const missed = await call('lookup', { query: 'nothing' });
    assert.equal(missed.isError, true);
    assert.equal(text(missed), 'No layer had an answer');
    const bad = await call('lookup', { query: '' });
    assert.equal(bad.isError, true);
    assert.equal(runtime.lookups.length, 1);
  });

  it('stats returns the summary, hierarchy and server states', async () => {
    const stats = await call('stats');
    const data = stats.structuredContent as { summary: { totalCalls: number }; hierarchy: { entries: number } };
    assert.equal(data.summary.totalCalls, 4);
    assert.equal(data.hierarchy.entries, 2);
  });

  it('answers logging/setLevel and relays the runtime log at or above the level the client set', async () => {
    assert.ok(client.getServerCapabilities()?.logging, 'the logging capability is declared');
    const received: Array<{ level: string; data: unknown }> = [];
    client.setNotificationHandler('notifications/message', (n) => {
      received.push({ level: n.params.level, data: n.params.data });
    });
    await client.setLoggingLevel('warning');
    relay.tap('info', 'too chatty');
    relay.tap('warn', 'context7: slow');
    relay.tap('error', 'memory-bank: exited');
    // A round trip after the taps: notifications sent before its answer have arrived by then.
    await client.ping();
    assert.deepEqual(received, [
      { level: 'warning', data: 'context7: slow' },
      { level: 'error', data: 'memory-bank: exited' },
    ]);
  });

  it('forwards no resources or prompts when no server has them', async () => {
    assert.deepEqual((await client.listResources()).resources, []);
    assert.deepEqual((await client.listPrompts()).prompts, []);
  });
});
