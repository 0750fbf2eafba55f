/**
 * Starts the main job of the README: code-server on `examples/workspace` with the freshly built
 * extension installed into a dedicated profile under `.tools/vscode-profile`, configured with the
 * local MCP servers (memory-bank, server-memory and the real context7 server). This machine has no
 * network, so context7 talks to a loopback stand-in of its HTTP API. Ctrl+C stops everything.
 * Run through `npm start` (scripts/start-vscode.sh), which installs and builds first.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { FakeContext7Api } from '../test/fixtures/context7-api';
import { context7Server, memoryBankServer, serverMemoryServer } from '../test/helpers/servers';
import { startCodeServer } from '../test/e2e/harness/code-server';
import { installProductExtension } from '../test/e2e/harness/install-extension';
import { writeMcpConfig } from '../test/e2e/harness/mcp-config';
import { exampleWorkspace, toolsDir } from '../test/e2e/harness/paths';
import { freeLoopbackPort } from '../test/e2e/harness/ports';

const PREFERRED_PORT = Number(process.env['PORT'] ?? 8080);
const BIND_HOST = process.env['BIND_HOST'] ?? '127.0.0.1';

function say(message: string): void {
  process.stdout.write(`[start] ${message}\n`);
}

async function portIsFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, BIND_HOST, () => server.close(() => resolve(true)));
  });
}

async function main(): Promise<void> {
  const profile = path.join(toolsDir, 'vscode-profile');
  const dirs = {
    userData: path.join(profile, 'user-data'),
    extensions: path.join(profile, 'extensions'),
    config: path.join(profile, 'config'),
    memoryBank: path.join(profile, 'memory-bank'),
    serverMemory: path.join(profile, 'server-memory', 'memory.jsonl'),
  };
  for (const dir of [dirs.userData, dirs.config, dirs.memoryBank, path.dirname(dirs.serverMemory)])
    mkdirSync(dir, { recursive: true });

  // Always the build just made: drop the previous copy of the extension first.
  rmSync(dirs.extensions, { recursive: true, force: true });
  const installed = installProductExtension(dirs.extensions);
  say(`extension installed: ${path.relative(process.cwd(), installed)}`);

  const api = await FakeContext7Api.start();
  say(`no network here: context7 answers come from a loopback stand-in of its HTTP API at ${api.apiUrl}`);
  const configFile = writeMcpConfig(dirs.config, [
    memoryBankServer(dirs.memoryBank),
    serverMemoryServer(dirs.serverMemory),
    context7Server(api.apiUrl),
  ]);
  say(`MCP servers (memory-bank, server-memory, context7) configured in ${path.relative(process.cwd(), configFile)}`);

  const port = (await portIsFree(PREFERRED_PORT)) ? PREFERRED_PORT : await freeLoopbackPort();
  const logFile = path.join(profile, 'code-server.log');
  const server = await startCodeServer({
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    workspaceDir: exampleWorkspace,
    workspaceTrust: false,
    settings: { 'mcpIntegration.configDirectory': dirs.config },
    logFile,
    port,
    startTimeoutMs: 60_000,
    bindHost: BIND_HOST,
  });
  say(`code-server log: ${path.relative(process.cwd(), logFile)}`);
  say('');
  say(`Open ${server.workspaceUrl}`);
  say('Try: F1 → "MCP: Look Up…", open src/train.py and hover `np`, Ctrl+. on the error in web/broken.ts.');
  say('Press Ctrl+C to stop.');

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await server.stop();
    await api.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  server.process.child.once('exit', (code) => {
    if (stopping) return;
    say(`code-server exited (${code ?? 'signal'}); see ${logFile}`);
    void api.close().then(() => process.exit(1));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`[start] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
