import { strict as assert } from 'node:assert';
import type { GatewayConfig, ToolSelection } from '../../../src/core/config/types';
import { Gateway } from '../../../src/core/gateway/gateway';
import { hierarchyTools, type HierarchyToolsApi } from '../../../src/core/gateway/hierarchy-tools';
import { exposedToolName, VALID_TOOL_NAME } from '../../../src/core/gateway/naming';
import { ResultCache } from '../../../src/core/store/result-cache';
import { FakeSource, READ_ONLY, tool } from './fake-source';

const baseConfig: GatewayConfig = {
  enabled: true,
  separator: '__',
  invalidateOnWrite: true,
  defaultTtlSeconds: 60,
  tools: [],
};

function twoServers(): FakeSource {
  const source = new FakeSource([
    { name: 'context7', kind: 'context7', costPerCallUsd: 0 },
    { name: 'github', kind: 'github', costPerCallUsd: 0 },
  ]);
  const queryDocs = tool('query-docs', READ_ONLY);
  queryDocs.definition.outputSchema = { type: 'object', properties: { docs: { type: 'string' } } };
  queryDocs.definition.inputSchema = {
    type: 'object',
    properties: { libraryId: { type: 'string' } },
    required: ['libraryId'],
  };
  source.tools.set('context7', [tool('resolve-library-id', READ_ONLY), queryDocs]);
  source.tools.set('github', [tool('search_issues', READ_ONLY), tool('delete_repo', { destructiveHint: true })]);
  return source;
}

const fakeApi: HierarchyToolsApi = {
  lookup: async (query) => ({
    success: true,
    content: `answer to ${query}`,
    source: 'docs',
    latencyMs: 1,
    cached: false,
    contextType: 'general',
    trail: [],
  }),
  findFix: async () => ({
    success: false,
    content: null,
    source: null,
    latencyMs: 1,
    cached: false,
    contextType: 'error_solution',
    trail: [],
    signature: 'sig',
    error: 'none',
  }),
  rememberFix: async (diagnostic) => `sig:${diagnostic.message}`,
  getDashboardData: () => {
    throw new Error('not used');
  },
};

describe('Gateway: tool list', () => {
  it('names tools <server><separator><tool> within ^[a-zA-Z0-9_-]{1,64}$, deterministically and without collisions', () => {
    assert.equal(exposedToolName('context7', 'query-docs', '__'), 'context7__query-docs');
    assert.equal(exposedToolName('context7', 'query-docs', '-'), 'context7-query-docs');
    const odd = exposedToolName('my.server', 'files/read', '__');
    const long = exposedToolName('a'.repeat(40), 'b'.repeat(40), '__');
    const longOther = exposedToolName('a'.repeat(40), `${'b'.repeat(39)}c`, '__');
    for (const name of [odd, long, longOther]) assert.match(name, VALID_TOOL_NAME);
    assert.equal(odd, exposedToolName('my.server', 'files/read', '__'));
    assert.notEqual(exposedToolName('my.server', 'files/read', '__'), exposedToolName('my_server', 'files_read', '__'));
    assert.notEqual(long, longOther);
  });

  it('aggregates every server’s tools with descriptions, schemas and annotations passed through, then its own tools', async () => {
    const gateway = new Gateway({
      source: twoServers(),
      cache: new ResultCache(),
      config: baseConfig,
      localTools: () => hierarchyTools(fakeApi),
    });
    const tools = await gateway.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      [
        'context7__resolve-library-id',
        'context7__query-docs',
        'github__search_issues',
        'github__delete_repo',
        'lookup',
        'find_fix',
        'remember_fix',
        'stats',
      ],
    );
    const docs = tools.find((t) => t.name === 'context7__query-docs')?.definition;
    assert.equal(docs?.description, 'the query-docs tool');
    assert.deepEqual(docs.inputSchema.required, ['libraryId']);
    assert.deepEqual(docs.outputSchema?.properties, { docs: { type: 'string' } });
    assert.deepEqual(docs.annotations, READ_ONLY);
    const remember = tools.find((t) => t.name === 'remember_fix')?.definition;
    assert.equal(remember?.annotations?.readOnlyHint, false);
  });

  it('exposes what the profile selects: servers, allow and deny patterns (deny wins); own tools by pattern only', async () => {
    let selection: ToolSelection = { servers: ['context7'], allow: [], deny: [] };
    const gateway = new Gateway({
      source: twoServers(),
      cache: new ResultCache(),
      config: baseConfig,
      selection: () => selection,
      localTools: () => hierarchyTools(fakeApi),
    });
    const names = async (): Promise<string[]> => (await gateway.listTools()).map((t) => t.name);
    assert.deepEqual(await names(), [
      'context7__resolve-library-id',
      'context7__query-docs',
      'lookup',
      'find_fix',
      'remember_fix',
      'stats',
    ]);
    selection = {
      servers: [],
      allow: ['*/search_*', 'context7/*', 'mcp-integration/lookup'],
      deny: ['context7/resolve-*'],
    };
    assert.deepEqual(await names(), ['context7__query-docs', 'github__search_issues', 'lookup']);
    await assert.rejects(gateway.callTool('github__delete_repo', {}), /Unknown tool/);
  });

  it('answers without a slow server, then announces its tools; a server that fails to list is left out', async () => {
    const source = twoServers();
    let release!: () => void;
    source.listGates.set('github', new Promise((resolve) => (release = resolve)));
    source.tools.delete('context7');
    const gateway = new Gateway({ source, cache: new ResultCache(), config: baseConfig, listWaitMs: 20 });
    let changed!: () => void;
    const announced = new Promise<void>((resolve) => (changed = resolve));
    gateway.onListChanged(() => changed());
    assert.deepEqual(await gateway.listTools(), []);
    release();
    await announced;
    assert.deepEqual(
      (await gateway.listTools()).map((t) => t.name),
      ['github__search_issues', 'github__delete_repo'],
    );
  });

  it('forwards a server’s tools/list_changed and config changes to its clients', async () => {
    const source = twoServers();
    const gateway = new Gateway({ source, cache: new ResultCache(), config: baseConfig });
    let changes = 0;
    gateway.onListChanged(() => changes++);
    await gateway.listTools();
    source.changeTools('github', [tool('search_code', READ_ONLY)]);
    assert.equal(changes, 1);
    assert.ok((await gateway.listTools()).some((t) => t.name === 'github__search_code'));
    gateway.updateConfig({ ...baseConfig, separator: '-' });
    assert.equal(changes, 2);
    assert.ok((await gateway.listTools()).some((t) => t.name === 'github-search_code'));
  });

  it('serves its own tools, checking their arguments', async () => {
    const gateway = new Gateway({
      source: twoServers(),
      cache: new ResultCache(),
      config: baseConfig,
      localTools: () => hierarchyTools(fakeApi),
    });
    await gateway.listTools();
    const answer = await gateway.callTool('lookup', { query: 'numpy arrays' });
    assert.equal(answer.content[0]?.['text'], 'answer to numpy arrays');
    assert.equal(answer.structuredContent?.['source'], 'docs');
    const bad = await gateway.callTool('remember_fix', { message: 'E1' });
    assert.equal(bad.isError, true);
    assert.match(String(bad.content[0]?.['text']), /"solution" must be a non-empty string/);
    const stored = await gateway.callTool('remember_fix', { message: 'E1', solution: 'do X' });
    assert.equal(stored.structuredContent?.['signature'], 'sig:E1');
    const noFix = await gateway.callTool('find_fix', { message: 'E2' });
    assert.equal(noFix.isError, true);
  });
});
