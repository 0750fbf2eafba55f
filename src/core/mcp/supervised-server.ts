/**
 * Supervises one server: lazy start shared by concurrent callers, restart after a crash with
 * exponential backoff and jitter, a fresh session after an HTTP 404, a circuit breaker that fails
 * fast while a server keeps failing, the tool-list cache, and the status hosts display.
 */
import { McpError } from '../errors';
import type { Logger } from '../ports';
import { backoffDelay, type BackoffOptions } from './backoff';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker';
import { Connection, type RequestBounds } from './connection';
import { isHealthFailure, toMcpError } from './error-mapping';
import { sleep, waitUnlessAborted } from './request-guard';
import type { ToolListCache } from './tool-list-cache';
import { isSessionExpired } from './transports';
import type {
  CallOptions,
  CallToolResult,
  ServerDefinition,
  ServerState,
  ServerStatus,
  Tool,
  ToolCaller,
} from './types';

/** What the monitor hears about every tool call. */
export interface CallCompleteEvent {
  server: string;
  tool: string;
  latencyMs: number;
  ok: boolean;
  error?: McpError;
}

export interface SupervisedServerOptions {
  definition: ServerDefinition;
  clientInfo: { name: string; version: string };
  logger: Logger;
  serverLogger: Logger;
  toolCache: ToolListCache;
  backoff?: BackoffOptions;
  breaker?: CircuitBreakerOptions;
  /** Restart a crashed server on its own after the backoff delay, not only on next use. Default false. */
  restartProactively?: boolean;
  onStatusChange: () => void;
  onCallComplete: (event: CallCompleteEvent) => void;
  /** A start waits for this first (the previous process of a replaced definition shutting down). */
  startAfter?: Promise<void>;
}

export class SupervisedServer implements ToolCaller {
  private connection: Connection | undefined;
  /** The connection being opened, so a starting server's pid is visible (and killable). */
  private opening: Connection | undefined;
  private starting: Promise<Connection> | undefined;
  private startAbort: AbortController | undefined;
  private state: ServerState = 'idle';
  private stopped = false;
  private starts = 0;
  private consecutiveFailures = 0;
  private nextStartAt = 0;
  private lastError: string | undefined;
  private lastErrorAt: number | undefined;
  private tools: { version: string; list: Tool[] } | undefined;
  private knownToolNames: string[] = [];
  private proactiveTimer: NodeJS.Timeout | undefined;
  private halfOpenTimer: NodeJS.Timeout | undefined;
  private readonly breaker: CircuitBreaker;
  /** Sessions whose death already counted against the circuit: one crash is one failure, however many calls it failed. */
  private readonly crashesCounted = new WeakSet<Connection>();

  constructor(private readonly options: SupervisedServerOptions) {
    this.breaker = new CircuitBreaker(options.breaker, Date.now, (state) => {
      options.logger.info(`${this.serverName}: circuit ${state}`);
      if (state === 'open') this.announceHalfOpenLater();
      options.onStatusChange();
    });
    void options.toolCache.lastKnownNames(options.definition).then(
      (names) => {
        if (this.knownToolNames.length === 0 && names.length > 0) {
          this.knownToolNames = names;
          options.onStatusChange();
        }
      },
      () => undefined,
    );
  }

  get serverName(): string {
    return this.options.definition.name;
  }

  get definition(): ServerDefinition {
    return this.options.definition;
  }

  /** Whether a session is open right now. */
  get isRunning(): boolean {
    return this.connection !== undefined && !this.connection.isClosed;
  }

  status(): ServerStatus {
    const circuit = this.breaker.state;
    let state = this.state;
    if (this.stopped) state = 'stopped';
    else if (circuit === 'open') state = 'failed';
    const live = this.isRunning ? this.connection : this.opening;
    const pid = live && !live.isClosed ? live.pid : undefined;
    const protocolVersion = this.isRunning ? this.connection?.protocolVersion : undefined;
    return {
      name: this.serverName,
      kind: this.options.definition.kind,
      state,
      circuit,
      toolNames: [...this.knownToolNames],
      restarts: Math.max(0, this.starts - 1),
      ...(this.lastError !== undefined ? { lastError: this.lastError, lastErrorAt: this.lastErrorAt } : {}),
      ...(pid !== undefined ? { pid } : {}),
      ...(protocolVersion !== undefined ? { protocolVersion } : {}),
    };
  }

  /** Starts the server now (instead of on first use). Rejects with McpError when it cannot. */
  async start(signal?: AbortSignal): Promise<void> {
    await this.run(undefined, signal, () => Promise.resolve(undefined));
  }

  async callTool(name: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
    const started = performance.now();
    const timeoutMs = options.timeoutMs ?? this.options.definition.timeouts.callMs;
    try {
      const result = await this.run(name, options.signal, (connection) =>
        connection.callTool(name, args, { timeoutMs, signal: options.signal }),
      );
      const error = result.isError ? new McpError('tool-error', this.serverName, firstText(result), name) : undefined;
      this.report(name, started, error);
      return result;
    } catch (error) {
      this.report(name, started, error as McpError);
      throw error;
    }
  }

  async listTools(options: CallOptions = {}): Promise<Tool[]> {
    const bounds: RequestBounds = {
      timeoutMs: options.timeoutMs ?? this.options.definition.timeouts.listMs,
      signal: options.signal,
    };
    return this.run(undefined, options.signal, async (connection) => {
      const version = connection.serverVersion;
      if (this.tools?.version === version) return this.tools.list;
      const list =
        (await this.options.toolCache.get(this.options.definition, version)) ??
        (await this.fetchTools(connection, version, bounds));
      this.rememberTools(version, list);
      return list;
    });
  }

  /** Closes the session and starts a fresh one; the circuit and backoff start over. */
  async restart(graceMs?: number): Promise<void> {
    await this.closeConnection(graceMs);
    this.breaker.reset();
    this.consecutiveFailures = 0;
    this.nextStartAt = 0;
    this.setState('idle');
    await this.start();
  }

  /** Stops for good: cancels a start in progress, closes the session, kills the process after `graceMs`. */
  async stop(graceMs?: number): Promise<void> {
    this.stopped = true;
    await this.closeConnection(graceMs);
    this.setState('stopped');
  }

  /** The breaker half-opens lazily when read; read it when the timeout ends so listeners hear of it. */
  private announceHalfOpenLater(): void {
    clearTimeout(this.halfOpenTimer);
    this.halfOpenTimer = setTimeout(() => void this.breaker.state, this.breaker.retryAfterMs + 1);
    this.halfOpenTimer.unref();
  }

  private async closeConnection(graceMs?: number): Promise<void> {
    clearTimeout(this.proactiveTimer);
    clearTimeout(this.halfOpenTimer);
    this.startAbort?.abort();
    await this.starting?.catch(() => undefined);
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close(graceMs);
  }

  /** Runs one operation through the breaker, starting the server first; an HTTP session the server forgot (404)
   * is re-created once. Health failures count against the circuit; error answers prove the server alive. */
  private async run<T>(
    tool: string | undefined,
    signal: AbortSignal | undefined,
    operation: (connection: Connection) => Promise<T>,
  ): Promise<T> {
    if (this.stopped) throw new McpError('unavailable', this.serverName, `${this.serverName} has been shut down`, tool);
    if (signal?.aborted)
      throw new McpError('cancelled', this.serverName, `${tool ?? 'request'} was cancelled before it started`, tool);
    // A half-open trial has already waited out the circuit's timeout; don't make it wait for backoff too.
    if (this.breaker.state === 'half-open') this.nextStartAt = 0;
    if (!this.breaker.tryAcquire()) {
      const retry = Math.ceil(this.breaker.retryAfterMs / 1000);
      const when = retry > 0 ? `not retrying for ${retry} s` : 'a trial request is already checking it';
      // Stryker disable next-line StringLiteral: the circuit opens only on a failure noted as the last error
      const reason = this.lastError ? `; last error: ${this.lastError}` : '';
      throw new McpError('unavailable', this.serverName, `${this.serverName} is failing; ${when}${reason}`, tool);
    }
    let used: Connection | undefined;
    try {
      let result: T;
      try {
        used = await this.ensureConnected(signal);
        result = await operation(used);
      } catch (error) {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `stop()` may run during the awaits above
        if (!isSessionExpired(error) || this.stopped) throw error;
        this.options.logger.info(`${this.serverName}: session expired; opening a new one`);
        await this.closeConnection(0);
        used = await this.ensureConnected(signal);
        result = await operation(used);
      }
      this.breaker.recordSuccess();
      this.consecutiveFailures = 0;
      return result;
    } catch (error) {
      const mcpError = toMcpError(error, { server: this.serverName, tool });
      if (isHealthFailure(mcpError) && !this.alreadyCounted(used)) {
        this.breaker.recordFailure();
        this.noteError(mcpError.message);
      } else if (isHealthFailure(mcpError)) {
        this.breaker.recordNeutral();
      } else if (mcpError.kind === 'cancelled') {
        this.breaker.recordNeutral();
      } else {
        this.breaker.recordSuccess();
      }
      throw mcpError;
    }
  }

  /** True for a dead session whose crash was already counted (marks it counted otherwise). */
  private alreadyCounted(connection: Connection | undefined): boolean {
    if (!connection?.isClosed) return false;
    if (this.crashesCounted.has(connection)) return true;
    this.crashesCounted.add(connection);
    return false;
  }

  private ensureConnected(signal: AbortSignal | undefined): Promise<Connection> {
    if (this.connection && !this.connection.isClosed) return Promise.resolve(this.connection);
    if (!this.starting) {
      this.starting = this.startConnection().finally(() => (this.starting = undefined));
    }
    return waitUnlessAborted(
      this.starting,
      signal,
      () => new McpError('cancelled', this.serverName, `waiting for ${this.serverName} to start was cancelled`),
    );
  }

  private async startConnection(): Promise<Connection> {
    const { definition } = this.options;
    await this.options.startAfter?.catch(() => undefined);
    const wait = this.nextStartAt - Date.now();
    if (wait > definition.timeouts.initializeMs) {
      throw new McpError(
        'unavailable',
        this.serverName,
        `${this.serverName} crashed; next restart in ${wait} ms (last error: ${this.lastError ?? 'unknown'})`,
      );
    }
    const abort = new AbortController();
    this.startAbort = abort;
    if (wait > 0) await sleep(wait, abort.signal);
    if (abort.signal.aborted)
      throw new McpError('cancelled', this.serverName, `start of ${this.serverName} was cancelled`);
    this.starts += 1;
    this.setState('starting');
    let opened: Connection | undefined;
    try {
      opened = await Connection.open(
        {
          definition,
          clientInfo: this.options.clientInfo,
          logger: this.options.logger,
          serverLogger: this.options.serverLogger,
          onUnexpectedClose: (reason, crashed) =>
            crashed ? this.handleCrash(opened, reason) : this.handleDroppedSession(opened, reason),
          onToolListChanged: () => this.handleToolListChanged(),
        },
        { timeoutMs: definition.timeouts.initializeMs, signal: abort.signal },
        (connection) => (this.opening = connection),
      );
    } catch (error) {
      this.handleStartFailure(toMcpError(error, { server: this.serverName }));
      throw error;
    } finally {
      this.opening = undefined;
    }
    this.connection = opened;
    this.setState('ready');
    this.options.logger.info(
      `${this.serverName}: ready (${opened.serverVersion}${opened.pid ? `, pid ${opened.pid}` : ''})`,
    );
    return opened;
  }

  private handleStartFailure(error: McpError): void {
    // A start its caller cancelled (shutdown, a lookup already answered) did not fail: no warning, no backoff.
    if (error.kind === 'cancelled') return this.setState(this.stopped ? 'stopped' : 'idle');
    this.consecutiveFailures += 1;
    this.nextStartAt = Date.now() + backoffDelay(this.consecutiveFailures - 1, this.options.backoff);
    this.noteError(error.message);
    this.options.logger.warn(`${this.serverName}: start failed: ${error.message}`);
    this.setState(this.stopped ? 'stopped' : 'backoff');
  }

  private handleCrash(connection: Connection | undefined, reason: string): void {
    // Stryker disable next-line ConditionalExpression: defensive; a connection that is no longer current was closed by us and reports nothing
    if (connection && this.connection !== connection) return;
    this.connection = undefined;
    this.consecutiveFailures += 1;
    const delay = backoffDelay(this.consecutiveFailures - 1, this.options.backoff);
    this.nextStartAt = Date.now() + delay;
    this.noteError(reason);
    this.options.logger.warn(
      `${this.serverName}: ${reason}; restarting ${this.options.restartProactively ? `in ${delay} ms` : 'on next use'}`,
    );
    this.setState('backoff');
    if (this.options.restartProactively && !this.stopped) {
      this.proactiveTimer = setTimeout(() => void this.start().catch(() => undefined), delay);
      this.proactiveTimer.unref();
    }
  }

  /** The SDK closed a healthy server on purpose (one answer over its stdio size limit): not a crash, so
   * no backoff, no restart and nothing against the circuit; the next call starts it again. */
  private handleDroppedSession(connection: Connection | undefined, reason: string): void {
    // Stryker disable next-line ConditionalExpression: defensive; a connection that is no longer current was closed by us and reports nothing
    if (connection && this.connection !== connection) return;
    this.connection = undefined;
    if (connection) this.crashesCounted.add(connection);
    this.noteError(reason);
    this.options.logger.warn(`${this.serverName}: ${reason}; it starts again on next use`);
    this.setState('idle');
  }

  private handleToolListChanged(): void {
    this.tools = undefined;
    this.options.logger.debug(`${this.serverName}: tool list changed`);
    void this.options.toolCache
      .invalidate(this.serverName)
      .then(() => this.listTools())
      .catch((error: unknown) => this.options.logger.debug(`${this.serverName}: refreshing tools failed`, error));
  }

  private async fetchTools(connection: Connection, version: string, bounds: RequestBounds): Promise<Tool[]> {
    const list = await connection.listTools(bounds);
    await this.options.toolCache.set(this.options.definition, version, list).catch((error: unknown) => {
      this.options.logger.warn(`${this.serverName}: could not persist the tool list`, error);
    });
    return list;
  }

  private rememberTools(version: string, list: Tool[]): void {
    this.tools = { version, list };
    const names = list.map((t) => t.name);
    // Stryker disable next-line StringLiteral: a separator only; tool names are identifiers, never split or joined differently
    if (names.join('\n') !== this.knownToolNames.join('\n')) {
      this.knownToolNames = names;
      this.options.onStatusChange();
    }
  }

  private noteError(message: string): void {
    this.lastError = message;
    this.lastErrorAt = Date.now();
    this.options.onStatusChange();
  }

  private setState(state: ServerState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onStatusChange();
  }

  private report(tool: string, started: number, error: McpError | undefined): void {
    const latencyMs = performance.now() - started;
    this.options.onCallComplete({ server: this.serverName, tool, latencyMs, ok: !error, ...(error ? { error } : {}) });
  }
}

function firstText(result: CallToolResult): string {
  const text = result.content.find((c) => c.type === 'text');
  return text && 'text' in text ? text.text.slice(0, 500) : 'tool reported an error';
}
