/**
 * What agent mode sees depends on workspace trust: servers the workspace declares in
 * `.vscode/mcp.json` (routed entries, commented out for VS Code, included) are exposed through
 * the gateway only in a trusted workspace, and only then count as duplicates to route. Real
 * runtimes over the real server-memory and context7 (loopback API).
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { McpIntegrationApi } from '../../../src/core/api';
import { findDuplicates } from '../../../src/core/duplicates/find-duplicates';
import { routeEntries } from '../../../src/core/duplicates/routed-entries';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { writeTestConfig } from '../../helpers/config-files';
import { packageBin } from '../../helpers/servers';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { RuntimeTracker, testHost } from './host';

describe('Agent servers and workspace trust (real runtime)', function () {
  this.timeout(60_000);
  const makeDir = cleanTempDirsAfter();
  const tracker = new RuntimeTracker();
  let api: FakeContext7Api;
  let workspace: string;
  let mcpJson: string;

  const memoryEntry = (file: string): Record<string, unknown> => ({
    command: process.execPath,
    args: [packageBin('@modelcontextprotocol/server-memory')],
    env: { MEMORY_FILE_PATH: file },
  });

  before(async () => {
    api = await FakeContext7Api.start();
    workspace = makeDir('agent-trust-ws-');
    mkdirSync(path.join(workspace, '.vscode'));
    const declared = JSON.stringify(
      {
        servers: {
          'ws-notes': memoryEntry(path.join(workspace, 'notes.jsonl')),
          'ws-routed': memoryEntry(path.join(workspace, 'routed.jsonl')),
        },
      },
      null,
      2,
    );
    mcpJson = routeEntries(declared, ['ws-routed']);
    writeFileSync(path.join(workspace, '.vscode', 'mcp.json'), mcpJson);
  });
  after(async () => {
    await tracker.shutdownAll();
    await api.close();
  });

  async function runtimeWith(trusted: boolean): Promise<McpIntegrationApi> {
    const configDir = makeDir('agent-trust-config-');
    writeTestConfig(configDir, { context7ApiUrl: api.apiUrl, preloadStrategy: 'off' });
    return tracker.create(
      testHost({ storageDir: makeDir('agent-trust-storage-'), configDir, workspaceDir: workspace, trusted }),
    );
  }

  const exposedServers = (runtime: McpIntegrationApi): Array<{ name: string; kind: 'generic' }> =>
    runtime.getServerStatuses().map((status) => ({ name: status.name, kind: 'generic' as const }));

  it('in Restricted Mode, exposes none of the workspace’s servers and offers no routing', async () => {
    const runtime = await runtimeWith(false);
    const names = (await runtime.gateway?.listTools())?.map((tool) => tool.name) ?? [];
    assert.ok(
      names.some((name) => name.startsWith('memory-bank__') || name.startsWith('context7__')),
      `the user's servers stay: ${names.join(', ')}`,
    );
    assert.ok(names.includes('lookup'));
    assert.deepEqual(
      names.filter((name) => name.startsWith('ws-')),
      [],
    );
    assert.deepEqual(findDuplicates(mcpJson, exposedServers(runtime)), []);
  });

  it('in a trusted workspace, exposes declared and routed servers, and the declared one is a duplicate', async () => {
    const runtime = await runtimeWith(true);
    const gateway = runtime.gateway;
    assert.ok(gateway);
    const names = (await gateway.listTools()).map((tool) => tool.name);
    for (const name of ['ws-notes__read_graph', 'ws-routed__read_graph'])
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    const graph = await gateway.callTool('ws-routed__read_graph', {}, { client: 'test-agent' });
    assert.notEqual(graph.isError, true);
    assert.deepEqual(findDuplicates(mcpJson, exposedServers(runtime)), [
      { name: 'ws-notes', exposedAs: 'ws-notes', reason: 'same-name' },
    ]);
  });
});
