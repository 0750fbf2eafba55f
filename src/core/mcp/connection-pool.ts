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
import { type CallCompleteEvent, SupervisedServer } from './supervised-server';
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

/** New definitions, prepared but not applied: the servers they describe, and the swap. */
export interface PoolUpdate {
  /** Whether an enabled server with this name is configured once the update applies. */
  has(name: string): boolean;
  /** The `ToolCaller` the server will have once the update applies (the replacement of a changed one). */
  caller(name: string): ToolCaller;
  /**
   * Swaps the prepared servers in: removed and changed servers stop, the replacements of running
   * ones start once their predecessor is gone, unchanged ones keep running untouched.
   */
  apply(): Promise<void>;
}

interface PoolEntry {
  server: SupervisedServer;
  hash: string;
}

/** Grace period before SIGKILL on shutdown, ms. */
const defaultGraceMs = 2000;

export class ConnectionPool {
  private servers = new Map<string, PoolEntry>();
  /** Bumped by every applied update, so an update prepared against older servers cannot apply. */
  private version = 0;
  private readonly statusListeners = new Set<(statuses: ServerStatus[]) => void>();
  private readonly callListeners = new Set<(event: CallCompleteEvent) => void>();
  private readonly toolCache: ToolListCache;
  private shuttingDown = false;

  constructor(private readonly options: ConnectionPoolOptions) {
    this.toolCache = new ToolListCache(options.storageDir, options.logger);
    for (const definition of options.definitions) {
      if (definition.enabled)
        this.servers.set(definition.name, { server: this.create(definition), hash: fullDefinitionHash(definition) });
    }
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
    return [...this.servers.values()].map((entry) => entry.server.status());
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
    const targets = name ? [this.get(name)] : this.running().filter((s) => s.isRunning);
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
    await this.prepareUpdate(definitions).apply();
  }

  /**
   * Builds the replacement servers for new definitions without touching the running ones, so a
   * caller can build everything else that depends on them first and swap all at once (or drop the
   * update: nothing was started, nothing needs undoing). Only the last prepared update applies: an
   * update prepared before another one was applied refuses to.
   */
  prepareUpdate(definitions: ServerDefinition[]): PoolUpdate {
    const version = this.version;
    const wanted = new Map(definitions.filter((d) => d.enabled).map((d) => [d.name, d]));
    const next = new Map<string, PoolEntry>();
    const gates = new Map<string, (previousStopped: Promise<void>) => void>();
    for (const [name, definition] of wanted) {
      const hash = fullDefinitionHash(definition);
      const current = this.servers.get(name);
      if (current && current.hash === hash) {
        next.set(name, current);
        continue;
      }
      // A replacement waits for its predecessor's exit, which only begins when the update applies.
      const previousStopped = current
        ? new Promise<void>((resolve) => gates.set(name, (stopped) => resolve(stopped)))
        : undefined;
      next.set(name, { server: this.create(definition, previousStopped), hash });
    }
    const caller = (name: string): SupervisedServer => {
      const entry = next.get(name);
      if (!entry) throw unknownServer(name);
      return entry.server;
    };
    return {
      has: (name) => next.has(name),
      caller,
      apply: async () => {
        // After shutdown nothing may be added: a server added now would never be stopped.
        if (this.shuttingDown) return;
        if (version !== this.version) throw new Error('the connection pool changed after this update was prepared');
        // Stryker disable next-line UpdateOperator: any change of the counter makes older updates refuse
        this.version++;
        // Stryker disable next-line ArrayDeclaration: a non-promise entry in `Promise.all` is already settled
        const work: Promise<void>[] = [];
        for (const [name, entry] of this.servers) {
          const replacement = next.get(name);
          if (replacement === entry) continue;
          const wasRunning = entry.server.isRunning;
          const stopped = entry.server.stop();
          work.push(stopped);
          gates.get(name)?.(stopped);
          if (replacement && wasRunning) work.push(replacement.server.start().catch(() => undefined));
        }
        this.servers = next;
        this.emitStatus();
        await Promise.all(work);
      },
    };
  }

  /** Closes every session; processes still alive after `graceMs` (default 2000) are SIGKILLed. */
  async shutdown(graceMs = defaultGraceMs): Promise<void> {
    this.shuttingDown = true;
    await Promise.all(this.running().map((s) => s.stop(graceMs)));
  }

  private running(): SupervisedServer[] {
    return [...this.servers.values()].map((entry) => entry.server);
  }

  private get(name: string): SupervisedServer {
    const entry = this.servers.get(name);
    if (!entry) throw unknownServer(name);
    return entry.server;
  }

  private create(definition: ServerDefinition, startAfter?: Promise<void>): SupervisedServer {
    const server: SupervisedServer = new SupervisedServer({
      definition,
      clientInfo: this.options.clientInfo ?? { name: 'mcp-integration', version: '0.1.0' },
      logger: this.options.logger,
      serverLogger: this.options.serverLogger(definition.name),
      toolCache: this.toolCache,
      backoff: this.options.backoff,
      breaker: this.options.breaker,
      restartProactively: this.options.restartProactively,
      // A prepared replacement is silent until its update applies: it is not one of the pool's servers yet.
      onStatusChange: () => {
        if (this.servers.get(definition.name)?.server === server) this.emitStatus();
      },
      onCallComplete: (event) => this.emitCall(event),
      startAfter,
    });
    return server;
  }

  private emitStatus(): void {
    // Stryker disable next-line ConditionalExpression: saves building statuses nobody hears; the loop below does nothing then
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

function unknownServer(name: string): McpError {
  return new McpError('unavailable', name, `No enabled MCP server named "${name}" is configured`);
}
