/**
 * Agent mode's path through MCP Integration in a real extension host: VS Code's own MCP client,
 * started on our "MCP Integration" server definition, offers the gateway's tools as language-model
 * tools beside ours; invoking a gateway tool goes VS Code's client → the loopback endpoint in this
 * extension host → the gateway → the real context7 server (loopback API), and the same call again
 * is answered from the runtime's cache, as its per-tool metrics show.
 *
 * The server is started by the person at the keyboard ("MCP: List Servers" → Start Server, driven
 * by `test/e2e/agent-mode.test.ts`), so the first test waits, bounded, for its tools to appear.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { McpIntegrationExtensionApi } from '../../../src/vscode/api-facade';

const EXTENSION_ID = 'mcp-integration.mcp-integration';
const QUERY_DOCS = 'context7__query-docs';

async function activatedApi(): Promise<McpIntegrationExtensionApi> {
  const extension = vscode.extensions.getExtension<McpIntegrationExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const api = await extension.activate();
  await api.testing.ready();
  return api;
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function toolText(result: vscode.LanguageModelToolResult): string {
  return result.content
    .filter((part): part is vscode.LanguageModelTextPart => part instanceof vscode.LanguageModelTextPart)
    .map((part) => part.value)
    .join('');
}

describe('MCP Integration as agent mode’s MCP server', function () {
  this.timeout(120_000);
  let api: McpIntegrationExtensionApi;
  let queryDocs: string;

  before(async () => {
    api = await activatedApi();
  });

  it('VS Code offers the gateway’s tools from our server definition, beside our own language-model tools', async () => {
    queryDocs = await waitFor(
      `VS Code's tool for ${QUERY_DOCS} in vscode.lm.tools`,
      () => vscode.lm.tools.find((tool) => tool.name.endsWith(QUERY_DOCS))?.name,
      100_000,
    );
    const names = vscode.lm.tools.map((tool) => tool.name);
    for (const tool of ['context7__resolve-library-id', 'memory-bank__memory_bank_read'])
      assert.ok(
        names.some((name) => name.endsWith(tool)),
        `${tool} in ${names.join(', ')}`,
      );
    for (const ours of ['mcpIntegration_lookup', 'mcpIntegration_findFix', 'mcpIntegration_rememberFix'])
      assert.ok(names.includes(ours), ours);
    assert.match(api.testing.agentToolsVersion() ?? '', /^[0-9a-f]{16}$/);
  });

  it('answers a gateway tool through VS Code’s MCP client, and the same call again from the cache', async () => {
    const row = (): { calls: number; cacheHits: number; clients: string[] } | undefined =>
      api.getDashboardData().tools.find((t) => t.server === 'context7' && t.tool === 'query-docs');
    const before = row() ?? { calls: 0, cacheHits: 0, clients: [] };
    const input = { libraryId: '/numpy/numpy', query: 'reshape an array without copying' };
    const first = toolText(await vscode.lm.invokeTool(queryDocs, { input, toolInvocationToken: undefined }));
    assert.match(first, /numpy/i);
    const second = toolText(await vscode.lm.invokeTool(queryDocs, { input, toolInvocationToken: undefined }));
    assert.equal(second, first);
    const after = row();
    assert.ok(after, 'the per-tool table has context7/query-docs');
    assert.equal(after.calls - before.calls, 2);
    assert.equal(after.cacheHits - before.cacheHits, 1, 'the second call was a cache hit');
    assert.ok(after.clients.length > 0);
    assert.ok(api.getDashboardData().summary.cacheHitRate > 0);
  });
});
