/**
 * The agent surfaces in a real extension host: our language-model tools are registered with VS
 * Code (`vscode.lm.tools`), invoking the lookup tool answers from the hierarchy, and the `@mcp`
 * chat participant is registered. (code-server's workbench shows no chat view without a chat
 * provider, so `@mcp /docs …` cannot be typed there; `workbench.action.chat.open` opens nothing.)
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { McpIntegrationExtensionApi } from '../../../src/vscode/api-facade';

const EXTENSION_ID = 'mcp-integration.mcp-integration';
const TOOLS = ['mcpIntegration_lookup', 'mcpIntegration_findFix', 'mcpIntegration_rememberFix'];

async function activatedApi(): Promise<McpIntegrationExtensionApi> {
  const extension = vscode.extensions.getExtension<McpIntegrationExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const api = await extension.activate();
  await api.testing.ready();
  return api;
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function toolText(result: vscode.LanguageModelToolResult): string {
  return result.content
    .filter((part): part is vscode.LanguageModelTextPart => part instanceof vscode.LanguageModelTextPart)
    .map((part) => part.value)
    .join('');
}

describe('MCP Integration for agents and chat', function () {
  this.timeout(90_000);
  let api: McpIntegrationExtensionApi;

  before(async () => {
    api = await activatedApi();
  });

  it('registers its language-model tools with VS Code, as the manifest declares them', async () => {
    const names = await waitFor('our tools in vscode.lm.tools', () => {
      const found = vscode.lm.tools.map((t) => t.name);
      return TOOLS.every((name) => found.includes(name)) ? found : undefined;
    });
    for (const name of TOOLS) assert.ok(names.includes(name), name);
    const lookup = vscode.lm.tools.find((t) => t.name === 'mcpIntegration_lookup');
    assert.deepEqual((lookup?.inputSchema as { required?: string[] } | undefined)?.required, ['query']);
  });

  it('answers vscode.lm.invokeTool on the lookup tool from the hierarchy, saying where the answer came from', async () => {
    const input = { query: 'numpy reshape an array', contextType: 'library_api', language: 'python' };
    const first = toolText(
      await vscode.lm.invokeTool('mcpIntegration_lookup', { input, toolInvocationToken: undefined }),
    );
    assert.match(first, /\(source: [\w-]+ · [\d.]+ ms · (cached|not cached)\)$/);
    const second = toolText(
      await vscode.lm.invokeTool('mcpIntegration_lookup', { input, toolInvocationToken: undefined }),
    );
    assert.ok(!first.startsWith('No answer'), first);
    assert.match(second, /· cached\)$/);
  });

  it('registers the @mcp chat participant', () => {
    assert.equal(api.testing.chatActivity().registered, true);
    const contributed = (
      vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
        contributes: { chatParticipants: { id: string }[] };
      }
    ).contributes.chatParticipants.map((p) => p.id);
    assert.deepEqual(contributed, ['mcpIntegration.mcp']);
  });
});
