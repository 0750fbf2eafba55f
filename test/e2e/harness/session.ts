/**
 * One end-to-end session: a copy of the example workspace, the loopback context7 API, an MCP
 * configuration pointing at real local servers, code-server with the built extension installed,
 * and a Chromium page on the workbench. `dispose()` stops all of it and removes the temp folder.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, type Dirent } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ServerDefinition } from '../../../src/core/mcp/types';
import { FakeContext7Api, type FakeLibrary } from '../../fixtures/context7-api';
import { context7Server, memoryBankServer, serenaStandIn, serverMemoryServer } from '../../helpers/servers';
import { buildRunnerExtension, standaloneInHostFiles } from './build-runner';
import { startCodeServer, type CodeServer } from './code-server';
import { installProductExtension, installUnpackedExtension } from './install-extension';
import { writeMcpConfig } from './mcp-config';
import { exampleWorkspace, resultsDir, runnerExtensionDir } from './paths';
import { waitFor } from './wait';
import { launchBrowser, openWorkbench, screenshot, type BrowserSession } from './workbench';

/** Folders of one session, all under `root` (a fresh temp dir). */
export interface SessionDirs {
  root: string;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  /** What `mcpIntegration.configDirectory` points at (holds the user `mcp-config.yaml`). */
  userConfig: string;
  memoryBankRoot: string;
  serverMemoryFile: string;
  serenaMemories: string;
  /** HOME of code-server and everything it starts. */
  home: string;
}

/** What a test may change about its session. */
export interface SessionOptions {
  /** Used for log and screenshot names. */
  name: string;
  /** Keep workspace trust on (the workspace opens in Restricted Mode). Default false. */
  workspaceTrust?: boolean;
  /** Libraries the loopback context7 API knows besides its defaults. */
  extraLibraries?: FakeLibrary[];
  /** Servers of the user configuration. Default: {@link defaultUserServers}. */
  userServers?: (context: { dirs: SessionDirs; api: FakeContext7Api }) => ServerDefinition[];
  /** Servers the workspace declares in `.mcp-integration/mcp-config.yaml`. Default: none. */
  workspaceServers?: (context: { dirs: SessionDirs; api: FakeContext7Api }) => ServerDefinition[];
  /** Changes the workspace copy before code-server opens it (e.g. adds `.vscode/mcp.json`). */
  prepareWorkspace?: (dirs: SessionDirs) => void;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** Install the in-host runner extension and run the in-host suite. Default false. */
  inHostSuite?: boolean;
  /** The in-host files to run (`name.test.ts`). Default: every standalone one. */
  inHostFiles?: readonly string[];
  /** Also install the product extension. Default true. */
  installProduct?: boolean;
}

export interface Session {
  readonly dirs: SessionDirs;
  readonly api: FakeContext7Api;
  readonly codeServer: CodeServer;
  readonly page: Page;
  /** Where the in-host runner writes its results (when `inHostSuite`). */
  readonly inHostResultsFile: string;
  /** The code-server log (kept under test-results/e2e). */
  readonly logFile: string;
  screenshot(name: string): Promise<string>;
  /** The extension host's logs concatenated (for assertions and failure messages). */
  extensionHostLog(): string;
  dispose(): Promise<void>;
}

/** The real local servers, each in the session's own folders; context7 talks to the loopback API. */
export function defaultUserServers({ dirs, api }: { dirs: SessionDirs; api: FakeContext7Api }): ServerDefinition[] {
  const timeouts = { initializeMs: 20_000, listMs: 10_000, callMs: 10_000 };
  return [
    memoryBankServer(dirs.memoryBankRoot, { timeouts }),
    serverMemoryServer(dirs.serverMemoryFile, { timeouts }),
    context7Server(api.apiUrl, { timeouts }),
    serenaStandIn({ project: dirs.workspace, memoriesDir: dirs.serenaMemories, timeouts }),
  ];
}

function makeDirs(name: string): SessionDirs {
  const root = mkdtempSync(path.join(tmpdir(), `mcp-e2e-${name.replace(/[^a-z0-9]+/gi, '-')}-`));
  const dirs: SessionDirs = {
    root,
    workspace: path.join(root, 'workspace'),
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    userConfig: path.join(root, 'config'),
    memoryBankRoot: path.join(root, 'memory-bank'),
    serverMemoryFile: path.join(root, 'server-memory', 'memory.jsonl'),
    serenaMemories: path.join(root, 'serena-memories'),
    home: path.join(root, 'home'),
  };
  for (const dir of [
    dirs.home,
    dirs.userDataDir,
    dirs.extensionsDir,
    dirs.userConfig,
    dirs.memoryBankRoot,
    dirs.serenaMemories,
    path.dirname(dirs.serverMemoryFile),
  ]) {
    mkdirSync(dir, { recursive: true });
  }
  cpSync(exampleWorkspace, dirs.workspace, { recursive: true });
  return dirs;
}

function readLogsUnder(dir: string): string {
  if (!existsSync(dir)) return '';
  const parts: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSafe(folder)) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.log'))
        parts.push(`--- ${path.relative(dir, full)}\n${readFileSync(full, 'utf8')}`);
    }
  };
  walk(dir);
  return parts.join('\n');
}

function readdirSafe(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Starts everything; on any failure stops what already started and rethrows. */
export async function startSession(options: SessionOptions): Promise<Session> {
  const dirs = makeDirs(options.name);
  const keptLogs = path.join(resultsDir, `${options.name}-logs`);
  const cleanups: Array<() => Promise<void> | void> = [
    () => rmSync(dirs.root, { recursive: true, force: true }),
    // The extension host's logs (one per output channel, incl. each server's stderr) outlive the session.
    () => {
      const logs = path.join(dirs.userDataDir, 'logs');
      if (existsSync(logs)) cpSync(logs, keptLogs, { recursive: true });
    },
  ];
  const runCleanups = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const api = await FakeContext7Api.start();
    cleanups.push(() => api.close());
    for (const library of options.extraLibraries ?? []) api.addLibrary(library);

    writeMcpConfig(dirs.userConfig, (options.userServers ?? defaultUserServers)({ dirs, api }));
    const workspaceServers = options.workspaceServers?.({ dirs, api }) ?? [];
    if (workspaceServers.length > 0) writeMcpConfig(path.join(dirs.workspace, '.mcp-integration'), workspaceServers);
    options.prepareWorkspace?.(dirs);

    if (options.installProduct !== false) installProductExtension(dirs.extensionsDir);
    const inHostResultsFile = path.join(dirs.root, 'in-host-results.json');
    if (options.inHostSuite) {
      await buildRunnerExtension();
      installUnpackedExtension(runnerExtensionDir, dirs.extensionsDir, ['package.json', 'out']);
    }

    // Screenshots and logs of an earlier run of this session must not pass for this run's.
    mkdirSync(resultsDir, { recursive: true });
    for (const file of readdirSync(resultsDir))
      if (file.startsWith(`${options.name}-`)) rmSync(path.join(resultsDir, file), { recursive: true, force: true });
    const logFile = path.join(resultsDir, `${options.name}-code-server.log`);
    rmSync(logFile, { force: true });
    const codeServer = await startCodeServer({
      userDataDir: dirs.userDataDir,
      extensionsDir: dirs.extensionsDir,
      workspaceDir: dirs.workspace,
      workspaceTrust: options.workspaceTrust ?? false,
      settings: {
        'mcpIntegration.configDirectory': dirs.userConfig,
        'mcpIntegration.logLevel': 'debug',
        ...options.settings,
      },
      env: {
        // Anything that falls back to the home folder (shipped defaults use ${userHome}) stays in the session.
        HOME: dirs.home,
        ...(options.inHostSuite
          ? {
              MCP_E2E_RESULTS: inHostResultsFile,
              MCP_E2E_WORKSPACE: dirs.workspace,
              MCP_E2E_IN_HOST_FILES: (options.inHostFiles ?? standaloneInHostFiles()).join(','),
            }
          : {}),
      },
      logFile,
    });
    cleanups.push(() => codeServer.stop());

    const browser: BrowserSession = await launchBrowser();
    cleanups.push(() => browser.close());
    const page = browser.page;
    try {
      await openWorkbench(page, codeServer.workspaceUrl);
    } catch (error) {
      await screenshot(page, `${options.name}-workbench-did-not-load`).catch(() => undefined);
      throw error;
    }

    const session: Session = {
      dirs,
      api,
      codeServer,
      page,
      inHostResultsFile,
      logFile,
      screenshot: (name) => screenshot(page, `${options.name}-${name}`),
      extensionHostLog: () => readLogsUnder(path.join(dirs.userDataDir, 'logs')),
      dispose: runCleanups,
    };
    return session;
  } catch (error) {
    await runCleanups();
    throw error;
  }
}

/**
 * Mocha wiring: starts a session before the suite, screenshots any failed test, and disposes the
 * session after the suite (also on failure). Returns a getter for the running session.
 */
export function useSession(options: SessionOptions): () => Session {
  let session: Session | undefined;
  before(async function () {
    this.timeout(180_000);
    session = await startSession(options);
  });
  afterEach(async function () {
    const test = this.currentTest;
    if (session && test?.state === 'failed') {
      const file = await session.screenshot(`FAILED-${test.title}`).catch(() => undefined);
      if (file) process.stderr.write(`  screenshot of the failure: ${file}\n`);
    }
  });
  after(async function () {
    this.timeout(60_000);
    await session?.dispose();
    session = undefined;
  });
  return () => {
    if (!session) throw new Error('The e2e session did not start (see the before hook error)');
    return session;
  };
}

/**
 * Waits for the in-host runner's results file and returns its parsed content. A modal dialog in the
 * workbench (e.g. "save changes?" after a test closed dirty editors) blocks the extension host's
 * command until someone answers it: that fails at once, quoting the dialog, instead of timing out.
 */
export async function readInHostResults<T>(session: Session, timeoutMs = 240_000): Promise<T> {
  const dialog = session.page.locator('.monaco-dialog-box');
  const outcome = await waitFor(
    'the in-host suite to write its results',
    async () => {
      if (existsSync(session.inHostResultsFile)) return { text: readFileSync(session.inHostResultsFile, 'utf8') };
      if (await dialog.isVisible()) return { dialog: (await dialog.innerText()).replace(/\s+/g, ' ').trim() };
      return undefined;
    },
    { timeoutMs, intervalMs: 500 },
  );
  if ('dialog' in outcome) {
    await session.screenshot('in-host-blocked-by-dialog').catch(() => undefined);
    throw new Error(`A modal dialog blocked the in-host suite: "${outcome.dialog}"`);
  }
  return JSON.parse(outcome.text) as T;
}
