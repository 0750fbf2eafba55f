/**
 * The in-host suite in desktop VS Code (Electron), for machines that can download a VS Code build:
 *
 *   npm run build && node --import tsx test/e2e/run-electron.ts
 *
 * `@vscode/test-electron` downloads VS Code (into `.vscode-test/`), starts it with this project as
 * the extension under development and runs `runner-extension/out/suite.js`'s `run()` in its
 * extension host: the same bundled `test/e2e/in-host/*.test.ts` the code-server runner executes.
 * Not part of `npm run test:e2e`: the machines that run that reach no VS Code download.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildRunnerExtension } from './harness/build-runner';
import { baseSettings } from './harness/code-server';
import { writeMcpConfig } from './harness/mcp-config';
import { exampleWorkspace, projectRoot, runnerExtensionDir } from './harness/paths';
import { FakeContext7Api } from '../fixtures/context7-api';
import { context7Server, memoryBankServer, serverMemoryServer } from '../helpers/servers';

async function main(): Promise<void> {
  await buildRunnerExtension();
  const root = mkdtempSync(path.join(tmpdir(), 'mcp-e2e-electron-'));
  const api = await FakeContext7Api.start();
  try {
    const workspace = path.join(root, 'workspace');
    cpSync(exampleWorkspace, workspace, { recursive: true });
    const configDir = path.join(root, 'config');
    const memoryBankRoot = path.join(root, 'memory-bank');
    mkdirSync(memoryBankRoot, { recursive: true });
    writeMcpConfig(configDir, [
      memoryBankServer(memoryBankRoot),
      serverMemoryServer(path.join(root, 'memory.jsonl')),
      context7Server(api.apiUrl),
    ]);
    // The same user settings the code-server sessions get, pointing the extension at this config.
    const userDataDir = path.join(root, 'user-data');
    mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    writeFileSync(
      path.join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({ ...baseSettings(false), 'mcpIntegration.configDirectory': configDir }, null, 2),
    );
    await runTests({
      extensionDevelopmentPath: projectRoot,
      extensionTestsPath: path.join(runnerExtensionDir, 'out', 'suite.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userDataDir}`],
      extensionTestsEnv: { MCP_E2E_WORKSPACE: workspace },
    });
  } finally {
    await api.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`In-host suite failed in VS Code (Electron): ${String(error)}\n`);
  process.exit(1);
});
