/**
 * The CLI's host ports: logs to stderr (and each server's stderr to its own file), secrets from the
 * environment, state under the XDG cache folder, configuration from the shipped defaults, the user's
 * folder (or `--config DIR`) and the current workspace's `.mcp-integration/` folder.
 */
import os from 'node:os';
import path from 'node:path';
import type { HostPorts, Logger, LogLevel } from '../core/ports';
import { createServerFileLogger, serverLogFile } from './server-log';
import { TrustList } from './trust';

const LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

export interface CliHostOptions {
  /** `--config DIR`: replaces the user configuration folder. */
  configDir?: string;
  /** `--storage DIR`; default `$XDG_CACHE_HOME/mcp-integration` or `~/.cache/mcp-integration`. */
  storageDir?: string;
  /** Workspace root whose `.mcp-integration/` folder and `.vscode/mcp.json` apply; default the cwd. */
  workspaceDir?: string;
  /** Default `warn`, so command output stays clean. */
  logLevel?: LogLevel;
  /** `--trust-workspace`: trust the workspace for this run only. */
  trustWorkspace?: boolean;
  /** Receives every log message of the runtime, whatever `logLevel` (`serve` relays them to clients). */
  logTap?: (level: LogLevel, message: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** The shipped defaults live next to the bundle (`dist/cli.js` → `config/`) or in the repository. */
export function shippedConfigDir(): string {
  return path.resolve(__dirname, '..', 'config');
}

export function defaultStorageDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'mcp-integration');
}

/** The same user folder the extension reads by default, so both hosts share one configuration. */
function defaultUserConfigDir(): string {
  return path.join(os.homedir(), '.mcp-integration');
}

export function createStderrLogger(
  level: LogLevel,
  prefix = 'mcp-integration',
  tap?: (level: LogLevel, message: string) => void,
): Logger {
  const threshold = LEVELS.indexOf(level);
  const write =
    (at: LogLevel) =>
    (message: string, ...args: unknown[]): void => {
      const below = LEVELS.indexOf(at) < threshold;
      if (below && !tap) return;
      const extra = args.map((a) =>
        a instanceof Error ? (a.stack ?? a.message) : typeof a === 'string' ? a : JSON.stringify(a),
      );
      const text = [message, ...extra].join(' ');
      tap?.(at, text);
      if (!below) process.stderr.write(`[${prefix}] ${at}: ${text}\n`);
    };
  return {
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}

export function createCliHost(options: CliHostOptions = {}): HostPorts {
  const env = options.env ?? process.env;
  const storageDir = path.resolve(options.storageDir ?? defaultStorageDir(env));
  const workspaceDir = path.resolve(options.workspaceDir ?? process.cwd());
  const trustList = new TrustList(storageDir);
  // One logger (one open file) per server for the life of the process, however often it restarts.
  const serverLoggers = new Map<string, Logger>();
  return {
    storageDir,
    logger: createStderrLogger(options.logLevel ?? 'warn', 'mcp-integration', options.logTap),
    serverLogger: (server) => {
      const file = serverLogFile(storageDir, server);
      let logger = serverLoggers.get(file);
      if (!logger) serverLoggers.set(file, (logger = createServerFileLogger(file)));
      return logger;
    },
    secrets: {
      // `${secret:NAME}` reads MCP_SECRET_NAME first, then NAME, so tokens can be namespaced.
      get: async (name) => env[`MCP_SECRET_${name}`] ?? env[name],
    },
    config: {
      defaultsDir: shippedConfigDir(),
      userDir: path.resolve(options.configDir ?? defaultUserConfigDir()),
      // A workspace overrides the configuration with files in its `.mcp-integration/` folder.
      workspaceDir: path.join(workspaceDir, '.mcp-integration'),
    },
    workspaceFolder: workspaceDir,
    // Like VS Code's Restricted Mode: what the folder declares waits for the user's say-so.
    isWorkspaceTrusted: () => options.trustWorkspace === true || trustList.isTrusted(workspaceDir),
    untrustedHint: `trust the folder with \`mcp-integration trust allow ${quoteForShell(workspaceDir)}\`, or pass --trust-workspace for one run`,
  };
}

function quoteForShell(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
