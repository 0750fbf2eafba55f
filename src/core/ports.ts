/**
 * Ports: the small interfaces a host (VS Code, the CLI, a test) implements so the core can run
 * anywhere. Nothing in `src/core` may import `vscode`; everything host-specific arrives through here.
 */

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** A structured logger. `args` are appended to the message by the host (errors with their stack). */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

/** Reads named secrets (`${secret:NAME}` placeholders). The CLI reads them from the environment. */
export interface SecretsPort {
  get(name: string): Promise<string | undefined>;
}

/** One symbol found by the host's own symbol providers (VS Code workspace symbols). */
export interface HostSymbol {
  name: string;
  kind: string;
  containerName?: string;
  /** Absolute file path or URI string. */
  location: string;
  line?: number;
}

/** The host's own code-symbol search, used as the code-symbol layer when no serena is configured. */
export interface SymbolsPort {
  findSymbols(query: string, signal?: AbortSignal): Promise<HostSymbol[]>;
}

/** Where configuration comes from: shipped defaults < user < workspace. */
export interface ConfigLocations {
  /** Folder holding the shipped mcp-config.yaml, mcp-profiles.yaml, library-cache.yaml. */
  defaultsDir: string;
  /** Folder with the user's overrides (any of the three files may be missing). */
  userDir?: string;
  /** Folder with the workspace's overrides (any of the three files may be missing). */
  workspaceDir?: string;
}

/** Everything a host gives the runtime. */
export interface HostPorts {
  /** A folder the runtime owns for persistent state (disk cache, learned data, tool lists). */
  storageDir: string;
  logger: Logger;
  /** Returns the log stream that receives one server's stderr. */
  serverLogger(serverName: string): Logger;
  secrets: SecretsPort;
  symbols?: SymbolsPort;
  config: ConfigLocations;
  /**
   * The open workspace folder, if any: `${workspaceFolder}` in server definitions, and where
   * `.vscode/mcp.json` and `.mcp.json` are imported from.
   */
  workspaceFolder?: string;
  /**
   * Whether what the workspace declares (its servers, its trigger patterns) may apply: VS Code's
   * workspace trust, the CLI's trust list or `--trust-workspace`. Default true (tests, benchmarks).
   */
  isWorkspaceTrusted?: () => boolean;
  /** How the user trusts the workspace in this host, added to what the runtime says it skipped. */
  untrustedHint?: string;
}

/** A logger that drops everything; handy default for tests and benchmarks. */
export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Something that can be released. */
export interface Disposable {
  dispose(): void;
}
