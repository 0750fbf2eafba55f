/**
 * Workspace trust: servers declared by the workspace (its `.mcp-integration/mcp-config.yaml` and its
 * `.vscode/mcp.json`) never start while the workspace is in Restricted Mode, and do start once the
 * person trusts it. Checked in the process table (a marker only those servers' env carries) and in
 * the request log of the loopback API only the workspace's server talks to.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { FakeContext7Api } from '../fixtures/context7-api';
import { context7Server, memoryBankServer } from '../helpers/servers';
import { processesWithEnvMarker } from './harness/process-table';
import { useSession } from './harness/session';
import { waitFor } from './harness/wait';
import { answerInputBox, runCommand } from './harness/workbench';
import { readAnswerPanel } from './harness/panels';

const MARKER = `mcp-e2e-workspace-server-${randomUUID()}`;

describe('Restricted Mode: workspace-declared servers', function () {
  let workspaceApi: FakeContext7Api | undefined;
  before(async () => {
    workspaceApi = await FakeContext7Api.start();
  });
  after(async () => {
    await workspaceApi?.close();
  });
  const api = (): FakeContext7Api => {
    if (!workspaceApi) throw new Error('the workspace API did not start');
    return workspaceApi;
  };

  const session = useSession({
    name: 'restricted-mode',
    workspaceTrust: true,
    // The workspace redefines context7 to use its own API (the one only it talks to) and marks it.
    workspaceServers: () => [context7Server(api().apiUrl, { env: { MCP_E2E_MARKER: MARKER } })],
    // And declares one more server the VS Code way.
    prepareWorkspace: (dirs) => {
      const notes = memoryBankServer(path.join(dirs.root, 'workspace-notes'), { env: { MCP_E2E_MARKER: MARKER } });
      if (notes.transport.transport !== 'stdio') throw new Error('expected a stdio server');
      const { command, args, env } = notes.transport;
      mkdirSync(path.join(dirs.workspace, '.vscode'), { recursive: true });
      writeFileSync(
        path.join(dirs.workspace, '.vscode', 'mcp.json'),
        JSON.stringify({ servers: { 'workspace-notes': { type: 'stdio', command, args, env } } }, null, 2),
      );
    },
  });

  it('keeps them stopped while the workspace is not trusted', async function () {
    const { page } = session();
    // Nobody has trusted this folder yet, so it opens in Restricted Mode.
    await page
      .locator('.statusbar-item', { hasText: /Restricted Mode/i })
      .first()
      .waitFor({ state: 'visible' });
    await session().screenshot('restricted-mode');

    await runCommand(page, 'MCP: Look Up');
    await answerInputBox(page, 'how to reshape a numpy array');
    await readAnswerPanel(page, (view) => view.query.includes('reshape'));
    // Give a wrongly started server every chance to show up before concluding it never did.
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      assert.deepEqual(processesWithEnvMarker(MARKER), [], 'a workspace-declared server started in Restricted Mode');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(api().requests.length, 0, 'the workspace-declared context7 server was used in Restricted Mode');
  });

  it('starts them once the person trusts the workspace', async function () {
    const { page } = session();
    await runCommand(page, 'Workspaces: Manage Workspace Trust');
    const trust = page
      .locator('.workspace-trust-editor')
      .getByRole('button', { name: /^Trust$/ })
      .first();
    await trust.click();
    await page
      .locator('.statusbar-item', { hasText: /Restricted Mode/i })
      .first()
      .waitFor({ state: 'detached' });

    await runCommand(page, 'MCP: Look Up');
    await answerInputBox(page, 'how to read a csv file with pandas');
    await readAnswerPanel(page, (view) => view.query.includes('pandas'));
    const pids = await waitFor(
      'a workspace-declared server to start after trust was granted',
      () => {
        const found = processesWithEnvMarker(MARKER);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    assert.ok(pids.length > 0);
    await session().screenshot('trusted');
  });
});
