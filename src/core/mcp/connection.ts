/**
 * One live session with one server: an SDK `Client` over its transport. Every request is bounded
 * by its own timeout and the caller's signal; a dying process rejects pending requests at once
 * (the SDK fails them on transport close); `close()` asks politely, then SIGKILLs after a grace
 * period so no process is ever left behind.
 */
import type { Readable } from 'node:stream';
import type { Client } from '@modelcontextprotocol/client';
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { McpError } from '../errors';
import type { Logger } from '../ports';
import { toMcpError } from './error-mapping';
import { guardRequest } from './request-guard';
import { type ClientSdk, loadClientSdk } from './sdk';
import { StderrCapture } from './stderr-capture';
import { connectHttp, createStdioTransport } from './transports';
import type { CallToolResult, ServerDefinition, Tool } from './types';

export interface ConnectionOptions {
  definition: ServerDefinition;
  clientInfo: { name: string; version: string };
  logger: Logger;
  /** Receives the server's stderr, line by line. */
  serverLogger: Logger;
  /**
   * Called once if the session ends without `close()` (process exit, HTTP stream gone). `crashed` is
   * false when the SDK closed a healthy server on purpose (an answer over the stdio size limit):
   * that is not a reason to restart it.
   */
  onUnexpectedClose: (reason: string, crashed: boolean) => void;
  /** Called when the server sends notifications/tools/list_changed. */
  onToolListChanged: () => void;
}

export interface RequestBounds {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The SDK's own timeout sits just behind ours, so our clearer message wins but the SDK still cleans up. */
const sdkTimeoutSlackMs = 50;
/** After SIGKILL, how long to wait for the exit to be reaped before giving up waiting. */
const reapWaitMs = 2000;
/** How the SDK's stdio read buffer says one message was larger than it accepts. */
const oversizeMessage = /ReadBuffer exceeded maximum size/;

export class Connection {
  private closedByUs = false;
  /** Unexpected closes are reported only once the session was fully open; earlier ones fail `open()`. */
  private opened = false;
  private ended = false;
  private resolveExit: () => void = () => undefined;
  private readonly exited = new Promise<void>((resolve) => (this.resolveExit = resolve));
  /** The client whose session this is (set before connect for stdio, after it for HTTP). */
  private client: Client | undefined;
  /** Every client made, including an HTTP attempt that fell back, so close() releases them all. */
  private readonly clients: Client[] = [];
  private stdio: StdioClientTransport | undefined;
  private stderr: StderrCapture | undefined;
  /** Set when the SDK dropped the session because one answer exceeded its stdio message limit. */
  private oversize: string | undefined;

  private constructor(private readonly options: ConnectionOptions) {}

  /**
   * Starts the server (stdio) or opens a session (HTTP) and completes initialize within `bounds`.
   * `onCreated` receives the connection before initialize completes (so a starting server's pid shows).
   */
  static async open(
    options: ConnectionOptions,
    bounds: RequestBounds,
    onCreated?: (connection: Connection) => void,
  ): Promise<Connection> {
    const connection = new Connection(options);
    onCreated?.(connection);
    try {
      await guardRequest((signal) => connection.connect(signal, bounds.timeoutMs), {
        server: options.definition.name,
        operation: 'initialize',
        timeoutMs: bounds.timeoutMs,
        signal: bounds.signal,
      });
    } catch (error) {
      await connection.close(0);
      throw connection.explain(toMcpError(error, { server: options.definition.name }));
    }
    if (connection.ended) {
      throw connection.explain(
        new McpError('unavailable', options.definition.name, `${options.definition.name} exited during start`),
      );
    }
    connection.opened = true;
    return connection;
  }

  get name(): string {
    return this.options.definition.name;
  }

  /** Process id of a stdio server while it runs. */
  get pid(): number | undefined {
    return this.stdio?.pid ?? undefined;
  }

  /** Whether the session has ended (either way). */
  get isClosed(): boolean {
    return this.ended;
  }

  /** The protocol version agreed at initialize (e.g. `2025-11-25`), once open. */
  get protocolVersion(): string | undefined {
    return this.client?.getNegotiatedProtocolVersion();
  }

  /** `name@version` the server reported at initialize. */
  get serverVersion(): string {
    const info = this.client?.getServerVersion();
    return info ? `${info.name}@${info.version}` : 'unknown';
  }

  async listTools(bounds: RequestBounds): Promise<Tool[]> {
    const client = this.requireClient();
    // Without a cursor, SDK v2 walks every page itself (capped at `listMaxPages`).
    return this.guarded('tools/list', undefined, bounds, async (signal) => {
      const result = await client.listTools(undefined, { signal, timeout: bounds.timeoutMs + sdkTimeoutSlackMs });
      return result.tools;
    });
  }

  async callTool(name: string, args: Record<string, unknown>, bounds: RequestBounds): Promise<CallToolResult> {
    const client = this.requireClient();
    return this.guarded('tools/call', name, bounds, (signal) =>
      client.callTool({ name, arguments: args }, { signal, timeout: bounds.timeoutMs + sdkTimeoutSlackMs }),
    );
  }

  /**
   * Closes the session: the client closes the transport (stdin end for stdio), and if the process
   * is still alive after `graceMs` it is SIGKILLed. Resolves once the process is gone.
   */
  async close(graceMs = 2000): Promise<void> {
    this.closedByUs = true;
    const pid = this.pid;
    const closing = Promise.all(this.clients.map((c) => c.close().catch(() => undefined)));
    if (!this.client || this.options.definition.transport.transport !== 'stdio') this.markEnded();
    const grace = await raceTimeout(this.exited, graceMs);
    if (!grace && pid !== undefined) {
      this.options.logger.debug(`${this.name} (pid ${pid}) did not exit within ${graceMs} ms; killing it`);
      killQuietly(pid);
      await raceTimeout(this.exited, reapWaitMs);
    }
    // The SDK's close waits on its own timers; don't hold shutdown hostage to them.
    void closing;
  }

  private async connect(signal: AbortSignal, timeoutMs: number): Promise<void> {
    const { definition } = this.options;
    const requestOptions = { signal, timeout: timeoutMs + sdkTimeoutSlackMs };
    const sdk = await loadClientSdk();
    if (signal.aborted) throw new McpError('cancelled', this.name, `start of ${this.name} was cancelled`);
    if (definition.transport.transport === 'stdio') {
      const transport = createStdioTransport(sdk, definition.transport);
      this.stdio = transport;
      this.stderr = new StderrCapture(transport.stderr as Readable | null, this.options.serverLogger);
      const client = this.makeClient(sdk);
      this.client = client;
      await client.connect(transport, requestOptions);
    } else {
      const connected = await connectHttp(sdk, definition.transport, () => this.makeClient(sdk), requestOptions);
      this.client = connected.client;
      this.options.logger.debug(`${this.name}: connected over ${connected.flavour}`);
    }
  }

  private makeClient(sdk: ClientSdk): Client {
    const client = new sdk.Client(this.options.clientInfo, { capabilities: {} });
    this.clients.push(client);
    client.onclose = () => {
      if (this.client === client) this.markEnded();
    };
    client.onerror = (error) => {
      if (this.client === client && oversizeMessage.test(error.message)) {
        const limitMiB = Math.round(sdk.STDIO_DEFAULT_MAX_BUFFER_SIZE / (1024 * 1024));
        this.oversize = `an answer from ${this.name} was larger than the ${limitMiB} MiB stdio message limit, so the SDK closed the connection`;
      }
      this.options.logger.debug(`${this.name}: transport error: ${error.message}`);
    };
    client.setNotificationHandler('notifications/tools/list_changed', () => this.options.onToolListChanged());
    return client;
  }

  private markEnded(): void {
    if (this.ended) return;
    this.ended = true;
    this.resolveExit();
    if (!this.closedByUs && this.opened) {
      if (this.oversize) return this.options.onUnexpectedClose(this.oversize, false);
      const tail = this.stderr?.lastLines();
      this.options.onUnexpectedClose(tail ? `server exited: ${tail}` : 'server exited', true);
    }
  }

  private requireClient(): Client {
    if (!this.client || this.ended) throw new McpError('unavailable', this.name, `${this.name} is not connected`);
    return this.client;
  }

  private async guarded<T>(
    operation: string,
    tool: string | undefined,
    bounds: RequestBounds,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    try {
      return await guardRequest(run, {
        server: this.name,
        tool,
        operation,
        timeoutMs: bounds.timeoutMs,
        signal: bounds.signal,
      });
    } catch (error) {
      // The call whose answer was too large: say so, as an error about the answer, not the server.
      if (this.oversize) throw new McpError('protocol-error', this.name, this.oversize, tool, { cause: error });
      throw this.explain(toMcpError(error, { server: this.name, tool }));
    }
  }

  /** Adds the server's last stderr lines to an `unavailable` error: usually the actual reason. */
  private explain(error: McpError): McpError {
    const tail = this.stderr?.lastLines();
    if (error.kind !== 'unavailable' || !tail || error.message.includes(tail)) return error;
    return new McpError(error.kind, error.server, `${error.message}; stderr: ${tail}`, error.tool, {
      cause: error.cause ?? error,
    });
  }
}

function raceTimeout(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
