import { strict as assert } from 'node:assert';
import { type CallToolResult, Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type {
  DiagnosticInfo,
  FixResult,
  LookupOptions,
  McpIntegrationApi,
  RuntimeDashboardData,
} from '../../../src/core/api';
import type { FetchResult } from '../../../src/core/knowledge';
import { LogRelay } from '../../../src/core/serve/log-relay';
import { createHierarchyServer } from '../../../src/core/serve/tools';

/** A small in-process stand-in for the runtime: records calls, answers from a map. */
class FakeRuntime {
  readonly lookups: Array<{ query: string; options?: LookupOptions }> = [];
  readonly stored = new Map<string, { value: string; contextType?: string; ttlSeconds?: number }>();
  failStore = false;

  async lookup(query: string, options?: LookupOptions): Promise<FetchResult> {
    this.lookups.push({ query, options });
    const hit = this.stored.get(query);
    const base = {
      latencyMs: 1,
      cached: Boolean(hit),
      contextType: options?.contextType ?? 'general',
      trail: [{ layer: 'local-cache', outcome: hit ? 'hit' : 'miss', latencyMs: 1 } as const],
    };
    return hit
      ? { ...base, success: true, content: hit.value, source: 'local-cache' }
      : { ...base, success: false, content: null, source: null, error: 'No layer had an answer' };
  }

  async store(key: string, value: string, options: { contextType?: string; ttlSeconds?: number } = {}): Promise<void> {
    if (this.failStore) throw new Error('MCP Integration is disabled');
    this.stored.set(key, { value, ...options });
  }

  async findFix(diagnostic: DiagnosticInfo): Promise<FixResult> {
    const signature = `error:${diagnostic.source ?? ''}:${diagnostic.code ?? ''}:${diagnostic.message.toLowerCase()}`;
    const edit = { startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 3, newText: 'let' };
    return {
      success: true,
      content: 'use let',
      source: 'memory',
      latencyMs: 2,
      cached: false,
      contextType: 'error_solution',
      trail: [],
      signature,
      edit,
    };
  }

  getDashboardData(): RuntimeDashboardData {
    return {
      summary: { totalCalls: 4, cacheHits: 1 },
      hierarchy: { mode: 'sequential', hitRate: 0.5, entries: 2 },
      serverStatuses: [{ name: 'context7', state: 'ready', pid: 42 }],
      alerts: [],
    } as unknown as RuntimeDashboardData; // the stats tool reads only these fields
  }
}

describe('createHierarchyServer (tools over an in-memory MCP connection)', () => {
  let runtime: FakeRuntime;
  let client: Client;
  let relay: LogRelay;

  const call = async (name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
    await client.callTool({ name, arguments: args });
  const text = (result: CallToolResult): string =>
    result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');

  beforeEach(async () => {
    runtime = new FakeRuntime();
    relay = new LogRelay();
    // The fake implements the methods the tools call; the rest of the facade is never touched.
    const server = createHierarchyServer(runtime as unknown as McpIntegrationApi, {
      logs: { relay, scope: 'connection' },
    });
    // Both halves of a linked pair come from one package (the client's), as the SDK requires.
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 'unit', version: '1.0.0' });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  });

  afterEach(async () => {
    await client.close();
  });

  it('lists the four tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.deepEqual([...byName.keys()].sort(), ['find_fix', 'lookup', 'stats', 'store']);
    assert.deepEqual(byName.get('lookup')?.inputSchema.required, ['query']);
    assert.deepEqual(byName.get('store')?.inputSchema.required?.slice().sort(), ['key', 'value']);
    assert.deepEqual(byName.get('find_fix')?.inputSchema.required, ['message']);
    assert.equal(byName.get('lookup')?.annotations?.readOnlyHint, true);
    for (const name of ['lookup', 'store', 'find_fix', 'stats'])
      assert.equal(byName.get(name)?.outputSchema?.type, 'object', `${name} declares an output schema`);
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

  it('with request scope (stateless HTTP), relays only what is logged while a tool call runs', async () => {
    const requestRelay = new LogRelay();
    const server = createHierarchyServer(
      {
        ...runtime,
        lookup: async (query: string) => {
          requestRelay.tap('info', `looking up ${query}`);
          return runtime.lookup(query);
        },
      } as unknown as McpIntegrationApi,
      { logs: { relay: requestRelay, scope: 'request' } },
    );
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const scoped = new Client({ name: 'unit-request-scope', version: '1.0.0' });
    await Promise.all([server.connect(serverSide), scoped.connect(clientSide)]);
    try {
      const received: unknown[] = [];
      scoped.setNotificationHandler('notifications/message', (n) => void received.push(n.params.data));
      await scoped.setLoggingLevel('info');
      requestRelay.tap('info', 'before the call');
      await scoped.callTool({ name: 'lookup', arguments: { query: 'q' } });
      requestRelay.tap('info', 'after the call');
      await scoped.ping();
      assert.deepEqual(received, ['looking up q']);
      assert.equal(requestRelay.listenerCount, 0, 'the call stopped listening when it ended');
    } finally {
      await scoped.close();
    }
  });

  it('store then lookup passes the context type and TTL through and returns the answer as text', async () => {
    const stored = await call('store', { key: 'k', value: 'v', contextType: 'project_memory', ttlSeconds: 60 });
    assert.equal(text(stored), 'stored k');
    assert.deepEqual(stored.structuredContent, { stored: true, key: 'k' });
    assert.deepEqual(runtime.stored.get('k'), { value: 'v', contextType: 'project_memory', ttlSeconds: 60 });
    const found = await call('lookup', { query: 'k', contextType: 'project_memory' });
    assert.equal(found.isError, undefined);
    assert.equal(text(found), 'v');
    assert.equal((found.structuredContent as { cached: boolean }).cached, true);
    assert.equal(runtime.lookups[0]?.options?.contextType, 'project_memory');
    assert.ok(runtime.lookups[0].options.signal instanceof AbortSignal, 'the request signal reaches the runtime');
  });

  it('a lookup without an answer is a tool error carrying the reason', async () => {
    const missed = await call('lookup', { query: 'nothing' });
    assert.equal(missed.isError, true);
    assert.equal(text(missed), 'No layer had an answer');
    assert.equal((missed.structuredContent as { success: boolean }).success, false);
  });

  it('a failing store is a tool error, not a protocol error', async () => {
    runtime.failStore = true;
    const result = await call('store', { key: 'k', value: 'v' });
    assert.equal(result.isError, true);
    assert.match(text(result), /disabled/);
  });

  it('find_fix returns the solution, its signature and its edit', async () => {
    const fix = await call('find_fix', { message: 'Bad', source: 'ts', code: '1' });
    assert.equal(text(fix), 'use let');
    const structured = fix.structuredContent as { signature: string; edit: { newText: string } };
    assert.equal(structured.signature, 'error:ts:1:bad');
    assert.equal(structured.edit.newText, 'let');
  });

  it('stats returns the summary, hierarchy and server states', async () => {
    const stats = await call('stats');
    const data = stats.structuredContent as {
      summary: { totalCalls: number };
      hierarchy: { entries: number };
      servers: Array<{ pid: number }>;
    };
    assert.equal(data.summary.totalCalls, 4);
    assert.equal(data.hierarchy.entries, 2);
    assert.equal(data.servers[0]?.pid, 42);
    assert.deepEqual(JSON.parse(text(stats)), data);
  });

  it('rejects arguments outside the schema', async () => {
    const result = await call('lookup', { query: '' });
    assert.equal(result.isError, true);
    assert.equal(runtime.lookups.length, 0);
  });
});
