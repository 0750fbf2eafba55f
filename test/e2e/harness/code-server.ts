/**
 * Starts code-server (VS Code 1.139 server + web workbench, run by Node 24) on a free loopback
 * port with its own user-data and extensions dirs, and stops it with everything it spawned.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertToolsInstalled, codeServerEntry, node24Binary } from './paths';
import { freeLoopbackPort } from './ports';
import { startProcess, type StartedProcess } from './processes';
import { waitFor } from './wait';

export interface CodeServerOptions {
  /** Folder for user data; `User/settings.json` is written into it. */
  userDataDir: string;
  /** Extensions dir (extensions are installed into it before start). */
  extensionsDir: string;
  /** The folder the workbench opens. */
  workspaceDir: string;
  /** User settings. Default adds `workbench.startupEditor: none` and turns workspace trust off. */
  settings?: Record<string, unknown>;
  /** Keep Restricted Mode on (workspace trust enabled). Default false. */
  workspaceTrust?: boolean;
  /** Extra environment for code-server and so for the extension host. */
  env?: Record<string, string>;
  /** Also write code-server's output here. */
  logFile?: string;
  /** Address to bind. Default `127.0.0.1` (the workbench is then reached at 127.0.0.1 either way). */
  bindHost?: string;
  /** Port to listen on. Default: a free one. */
  port?: number;
  /** How long to wait for the server to answer. Default 30000 ms. */
  startTimeoutMs?: number;
}

export interface CodeServer {
  readonly port: number;
  /** `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  /** The URL that opens the workbench on the workspace folder. */
  readonly workspaceUrl: string;
  readonly process: StartedProcess;
  readonly userDataDir: string;
  stop(): Promise<void>;
}

/** Settings every test profile gets (tests about trust turn trust back on). */
export function baseSettings(workspaceTrust: boolean): Record<string, unknown> {
  return {
    'security.workspace.trust.enabled': workspaceTrust,
    // With trust on, the folder opens in Restricted Mode without a modal prompt; tests grant trust.
    'security.workspace.trust.startupPrompt': 'never',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'git.enabled': false,
    'window.restoreWindows': 'none',
    // Keep the screen about this extension: no chat panel or AI features in screenshots.
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
  };
}

/** Environment for code-server: the harness's own, minus what would leak into its Node 24. */
function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  // The test process runs under tsx; its loader hooks and npm's settings must not reach code-server.
  delete env['NODE_OPTIONS'];
  for (const key of Object.keys(env)) if (key.startsWith('npm_')) delete env[key];
  return env;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertToolsInstalled();
  const port = options.port ?? (await freeLoopbackPort());
  mkdirSync(options.extensionsDir, { recursive: true });
  const settings = { ...baseSettings(options.workspaceTrust ?? false), ...options.settings };
  // code-server is a remote setup: settings with `machine` scope (e.g. mcpIntegration.configDirectory)
  // are read only from the Machine file, the rest from User. Both get the same settings.
  for (const scope of ['User', 'Machine']) {
    const settingsDir = path.join(options.userDataDir, scope);
    mkdirSync(settingsDir, { recursive: true });
    writeFileSync(path.join(settingsDir, 'settings.json'), JSON.stringify(settings, null, 2));
  }

  const args = [
    codeServerEntry,
    '--auth',
    'none',
    '--bind-addr',
    `${options.bindHost ?? '127.0.0.1'}:${port}`,
    '--user-data-dir',
    options.userDataDir,
    '--extensions-dir',
    options.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    options.workspaceDir,
  ];
  const child = startProcess(node24Binary, args, { env: serverEnv(options.env ?? {}), logFile: options.logFile });
  const baseUrl = `http://127.0.0.1:${port}`;
  const workspaceUrl = `${baseUrl}/?folder=${encodeURIComponent(options.workspaceDir).replace(/%2F/g, '/')}`;
  const stop = (): Promise<void> => child.stop();
  try {
    // Its health endpoint answers a moment before the workbench page does (a 404 then): both.
    await waitFor(
      `code-server to serve its workbench on ${baseUrl}`,
      async () => {
        if (child.child.exitCode !== null) {
          throw new Error(`code-server exited with ${child.child.exitCode}: ${child.output().slice(-2000)}`);
        }
        const health = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (!health.ok) return false;
        const page = await fetch(workspaceUrl, { signal: AbortSignal.timeout(2000) });
        return page.ok;
      },
      { timeoutMs: options.startTimeoutMs ?? 30_000, intervalMs: 200 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    baseUrl,
    workspaceUrl,
    process: child,
    userDataDir: options.userDataDir,
    stop,
  };
}
