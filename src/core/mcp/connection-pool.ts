/**
 * All configured servers, each started lazily on first use and reused. Hands adapters a
 * `ToolCaller` per server, reports status and per-call events, applies definition changes by
 * restarting only the servers whose definitions changed, and shuts everything down with no
 * process left behind.
 */
import { McpError } from '../errors';
import type { Disposable, Logger } from '../ports';
import type { BackoffOptions } from './backoff';
import type { CircuitBreakerOptions } from './circuit-breaker';
import { SupervisedServer, type CallCompleteEvent } from './supervised-server';
import { fullDefinitionHash, ToolListCache } from './tool-list-cache';
import type { ServerDefinition, ServerStatus, ToolCaller } from './types';

export type { CallCompleteEvent };

export interface ConnectionPoolOptions {
  /** Server definitions; disabled ones are ignored. */
  definitions: ServerDefinition[];
  /** Folder for persisted state (the tool-list cache, `mcp-tool-lists.json`). */
  storageDir: string;
  logger: Logger;
  /** Returns the logger that receives one server's stderr. */
  serverLogger: (serverName: string) => Logger;
  /** Name and version sent at initialize. Default `{ name: 'mcp-integration', version: '0.1.0' }`. */
  clientInfo?: { name: string; version: string };
  /** Restart backoff. Default: 250 ms doubling to 30 s, 50 % jitter. */
  backoff?: BackoffOptions;
  /** Circuit breaker. Default: opens after 3 consecutive failures, half-opens after 10 s. */
  breaker?: CircuitBreakerOptions;
  /** Restart a crashed server after its backoff delay without waiting for the next use. Default false. */
  restartProactively?: boolean;
}

/** Grace period before SIGKILL on shutdown, ms. */
const defaultGraceMs = 2000;

export class ConnectionPool {
  private readonly servers = new Map<string, SupervisedServer>();
  private readonly hashes = new Map<string, string>();
  private readonly statusListeners = new Set<(statuses: ServerStatus[]) => void>();
  private readonly callListeners = new Set<(event: CallCompleteEvent) => void>();
  private readonly toolCache: ToolListCache;
  private shuttingDown = false;

  constructor(private readonly options: ConnectionPoolOptions) {
    this.toolCache = new ToolListCache(options.storageDir, options.logger);
    for (const definition of options.definitions) if (definition.enabled) this.add(definition);
  }

  /** Whether an enabled server with this name is configured. */
  has(name: string): boolean {
    return this.servers.has(name);
  }

  /** The `ToolCaller` for a server. Throws McpError `unavailable` for an unknown or disabled server. */
  caller(name: string): ToolCaller {
    return this.get(name);
  }

  /**
   * Starts a server now rather than on first use (profiles start their servers in parallel).
   * Rejects with McpError (`unavailable` for an unknown server, `timeout`, …) when it cannot.
   */
  async start(name: string): Promise<void> {
    await this.get(name).start();
  }

  statuses(): ServerStatus[] {
    return [...this.servers.values()].map((s) => s.status());
  }

  onStatusChange(listener: (statuses: ServerStatus[]) => void): Disposable {
    this.statusListeners.add(listener);
    return { dispose: () => this.statusListeners.delete(listener) };
  }

  onCallComplete(listener: (event: CallCompleteEvent) => void): Disposable {
    this.callListeners.add(listener);
    return { dispose: () => this.callListeners.delete(listener) };
  }

  /**
   * Restarts one server (or every running one) with a fresh circuit. Resolves when done; a server
   * that fails to start shows it in its status rather than rejecting here.
   */
  async restart(name?: string): Promise<void> {
    const targets = name ? [this.get(name)] : [...this.servers.values()].filter((s) => s.isRunning);
    await Promise.all(
      targets.map((s) =>
        s.restart().catch((error: unknown) => {
          this.options.logger.warn(`${s.serverName}: restart failed`, error);
        }),
      ),
    );
  }

  /**
   * Applies new definitions: removed servers stop, changed ones are replaced (and started again if
   * they were running), unchanged ones keep running untouched. A replacement never starts before
   * the old process is gone. Ignored after `shutdown`.
   */
  async updateDefinitions(definitions: ServerDefinition[]): Promise<void> {
    // After shutdown nothing may be added: a server added now would never be stopped.
    if (this.shuttingDown) return;
    const wanted = new Map(definitions.filter((d) => d.enabled).map((d) => [d.name, d]));
    const work: Promise<void>[] = [];
    for (const [name, server] of [...this.servers]) {
      const next = wanted.get(name);
      if (next && fullDefinitionHash(next) === this.hashes.get(name)) continue;
      const wasRunning = server.isRunning;
      const stopped = server.stop();
      this.servers.delete(name);
      this.hashes.delete(name);
      work.push(stopped);
      if (next) {
        const replacement = this.add(next, stopped);
        if (wasRunning) work.push(replacement.start().catch(() => undefined));
      }
    }
    for (const [name, definition] of wanted) if (!this.servers.has(name)) this.add(definition);
    this.emitStatus();
    await Promise.all(work);
  }

  /** Closes every session; processes still alive after `graceMs` (default 2000) are SIGKILLed. */
  async shutdown(graceMs = defaultGraceMs): Promise<void> {
    this.shuttingDown = true;
    await Promise.all([...this.servers.values()].map((s) => s.stop(graceMs)));
  }

  private get(name: string): SupervisedServer {
    const server = this.servers.get(name);
    if (!server) throw new McpError('unavailable', name, `No enabled MCP server named "${name}" is configured`);
    return server;
  }

  private add(definition: ServerDefinition, startAfter?: Promise<void>): SupervisedServer {
    const server = new SupervisedServer({
      definition,
      clientInfo: this.options.clientInfo ?? { name: 'mcp-integration', version: '0.1.0' },
      logger: this.options.logger,
      serverLogger: this.options.serverLogger(definition.name),
      toolCache: this.toolCache,
      backoff: this.options.backoff,
      breaker: this.options.breaker,
      restartProactively: this.options.restartProactively,
      onStatusChange: () => this.emitStatus(),
      onCallComplete: (event) => this.emitCall(event),
      startAfter,
    });
    this.servers.set(definition.name, server);
    this.hashes.set(definition.name, fullDefinitionHash(definition));
    return server;
  }

  private emitStatus(): void {
    if (this.statusListeners.size === 0) return;
    const statuses = this.statuses();
    for (const listener of this.statusListeners) this.safely(() => listener(statuses));
  }

  private emitCall(event: CallCompleteEvent): void {
    for (const listener of this.callListeners) this.safely(() => listener(event));
  }

  private safely(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.options.logger.warn('A connection-pool listener threw', error);
    }
  }
}
