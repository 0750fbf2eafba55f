/**
 * The MCP server `serve` runs: the runtime's gateway (every enabled server's tools as
 * `<server>__<tool>`, its resources and prompts, plus the hierarchy's `lookup`, `find_fix`,
 * `remember_fix` and `stats`). Built on the SDK's low-level `Server`, because the tools are
 * described in their servers' own JSON Schemas: the high-level `McpServer` would want them as
 * schema objects it owns and re-serialises; here they pass through untouched.
 *
 * One `GatewayServing` is shared by every connection of one endpoint (stdio) or every request
 * (stateless HTTP); `createGatewayServer` makes the per-connection / per-request instance.
 */
import {
  CLIENT_INFO_META_KEY,
  type CallToolResult,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { McpIntegrationApi } from '../api';
import type { Gateway } from '../gateway/gateway';
import { UnknownResourceError } from '../gateway/forwarding';
import type { JsonObjectSchema } from '../gateway/protocol';
import { UnknownToolError } from '../gateway/types';
import type { Disposable } from '../ports';
import { SecretRedactor } from '../redaction';
import { relayToConnection, type ServeLogs, withRequestLogs } from './request-logs';

/** The server's name and version as clients see them. */
export const SERVE_IMPLEMENTATION = { name: 'mcp-integration', version: '0.1.0' } as const;

/** Request bodies larger than this are refused (a call's arguments are a sentence or a page). */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** What clients are told the server is for. */
const INSTRUCTIONS =
  'One front for every configured MCP server: their tools are named <server>__<tool>, and read-only answers come from a shared cache (results carry _meta "mcp-integration/cache"). Also: lookup (cached knowledge hierarchy), find_fix and remember_fix (known fixes for diagnostics), stats.';

/** The part of the runtime `serve` needs. */
export type ServeApi = Pick<McpIntegrationApi, 'gateway'>;

export interface GatewayServingOptions {
  /** The name calls are recorded under in the monitor when the client does not name itself. */
  client?: string;
  /** Masks secrets in error texts; default: well-known token formats only. */
  redact?: (text: string) => string;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * State shared by every server instance of one endpoint: the gateway it serves, the output
 * schemas clients were told about (the SDK projects results against them), and list changes.
 */
export class GatewayServing {
  /** Output schema of each exposed tool as last listed, for the SDK's result projection. */
  private readonly outputSchemas = new Map<string, JsonObjectSchema | undefined>();
  private readonly redactText: (text: string) => string;
  /** Set when a shutdown gives up waiting: every later call ends as a tool error at once. */
  private stopping = false;
  /** Ends one call under way with the shutdown's tool error (per call, removed when it ends: no leak). */
  private readonly cancellers = new Set<() => void>();
  readonly fallbackClient: string;

  constructor(
    private readonly api: ServeApi,
    options: GatewayServingOptions = {},
  ) {
    this.fallbackClient = options.client ?? 'mcp-client';
    const redactor = new SecretRedactor();
    this.redactText = options.redact ?? ((text) => redactor.redact(text));
  }

  /**
   * Ends every call still under way with a tool error at once (a shutdown past its drain bound).
   * Their answers are no longer awaited; the runtime's shutdown that follows ends the upstream work.
   */
  cancelCalls(): void {
    this.stopping = true;
    for (const cancel of this.cancellers) cancel();
  }

  /** The gateway in force; a runtime that is not running is a clear protocol error. */
  gateway(): Gateway {
    const gateway = this.api.gateway;
    if (!gateway) throw new ProtocolError(ProtocolErrorCode.InternalError, 'MCP Integration is not running');
    return gateway;
  }

  /**
   * Calls `listener` when the gateway's tool list changes. Follows a replaced gateway (a runtime
   * restarted in the host): checked whenever the list is asked for.
   */
  onToolListChanged(listener: () => void): Disposable {
    let current: Gateway | undefined;
    let subscription: Disposable | undefined;
    const follow = (): void => {
      const gateway = this.api.gateway;
      if (gateway === current) return;
      subscription?.dispose();
      current = gateway;
      subscription = gateway?.onListChanged(listener);
    };
    follow();
    this.followers.add(follow);
    return {
      dispose: () => {
        this.followers.delete(follow);
        subscription?.dispose();
      },
    };
  }

  private readonly followers = new Set<() => void>();

  async listTools(signal: AbortSignal): Promise<Array<Record<string, unknown>>> {
    for (const follow of this.followers) follow();
    const tools = await this.gateway().listTools({ signal });
    this.outputSchemas.clear();
    for (const tool of tools) this.outputSchemas.set(tool.name, tool.definition.outputSchema);
    return tools.map((tool) => tool.definition);
  }

  outputSchema(name: string): JsonObjectSchema | undefined {
    return this.outputSchemas.get(name);
  }

  /** Any failure but an unknown name becomes a tool error, its text free of secrets. */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    client: string,
    signal: AbortSignal,
  ): Promise<CallToolResult> {
    const cancelled = (): CallToolResult => ({
      content: [{ type: 'text', text: `${name}: cancelled, the gateway is shutting down; retry the call` }],
      isError: true,
    });
    if (this.stopping) return cancelled();
    let cancel!: () => void;
    const cancelledByShutdown = new Promise<CallToolResult>((resolve) => (cancel = () => resolve(cancelled())));
    this.cancellers.add(cancel);
    try {
      const call = this.gateway().callTool(name, args, { client, signal }) as Promise<CallToolResult>;
      const result = await Promise.race([call, cancelledByShutdown]);
      return result.isError === true ? this.redactResult(result) : result;
    } catch (error) {
      if (error instanceof UnknownToolError) throw new ProtocolError(ProtocolErrorCode.InvalidParams, error.message);
      if (error instanceof ProtocolError) throw error;
      return { content: [{ type: 'text', text: this.redactText(`${name}: ${errorText(error)}`) }], isError: true };
    } finally {
      this.cancellers.delete(cancel);
    }
  }

  /** An error result's text blocks masked: upstream errors echo requests, environments and stderr. */
  private redactResult(result: CallToolResult): CallToolResult {
    return {
      ...result,
      content: result.content.map((block) =>
        block.type === 'text' ? { ...block, text: this.redactText(block.text) } : block,
      ),
    };
  }

  redact(text: string): string {
    return this.redactText(text);
  }
}

/** The client's name: the per-request envelope (2026-07-28), else the `initialize` one, else the fallback. */
function clientName(server: Server, ctx: ServerContext, fallback: string): string {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const info = envelope?.[CLIENT_INFO_META_KEY] as { name?: unknown } | undefined;
  if (typeof info?.name === 'string' && info.name !== '') return info.name.slice(0, 100);
  // Still the only source on a 2025-era connection.
  const legacy = server.getClientVersion()?.name;
  return typeof legacy === 'string' && legacy !== '' ? legacy.slice(0, 100) : fallback;
}

export interface GatewayServerOptions {
  logs?: ServeLogs;
  /**
   * Push `notifications/tools/list_changed` on this instance's own connection (stdio). Stateless
   * HTTP instances live for one request; there the endpoint publishes changes on its listen bus.
   */
  pushListChanged?: boolean;
}

/** One server instance over `serving`: per stdio connection, or per HTTP request. */
export function createGatewayServer(serving: GatewayServing, options: GatewayServerOptions = {}): Server {
  // The low-level Server is what the SDK offers for schemas it does not own (see the file comment).
  const server = new Server(SERVE_IMPLEMENTATION, {
    capabilities: {
      tools: { listChanged: true },
      resources: {},
      prompts: {},
      logging: {},
    },
    instructions: INSTRUCTIONS,
  });
  const { logs } = options;
  const stops: Array<() => void> = [];
  if (logs?.scope === 'connection') stops.push(relayToConnection(server, logs.relay));
  if (options.pushListChanged) {
    const subscription = serving.onToolListChanged(() => {
      server.sendToolListChanged().catch(() => undefined);
    });
    stops.push(() => subscription.dispose());
  }
  server.onclose = () => stops.splice(0).forEach((stop) => stop());

  server.setRequestHandler('tools/list', async (_request, ctx) => ({
    tools: (await serving.listTools(ctx.mcpReq.signal)) as never,
  }));
  server.setRequestHandler('tools/call', async (request, ctx) =>
    withRequestLogs(logs, ctx, async () => {
      const { name } = request.params;
      const args = (request.params.arguments ?? {}) as Record<string, unknown>;
      const result = await serving.callTool(
        name,
        args,
        clientName(server, ctx, serving.fallbackClient),
        ctx.mcpReq.signal,
      );
      return server.projectCallToolResult(result, serving.outputSchema(name));
    }),
  );
  server.setRequestHandler('resources/list', async (_request, ctx) => ({
    resources: await serving.gateway().forwarded.listResources(ctx.mcpReq.signal),
  }));
  server.setRequestHandler('resources/read', async (request, ctx) => {
    try {
      return (await serving.gateway().forwarded.readResource(request.params.uri, ctx.mcpReq.signal)) as never;
    } catch (error) {
      if (error instanceof UnknownResourceError) throw new ResourceNotFoundError(request.params.uri);
      throw new ProtocolError(ProtocolErrorCode.InternalError, serving.redact(errorText(error)));
    }
  });
  server.setRequestHandler('prompts/list', async (_request, ctx) => ({
    prompts: await serving.gateway().forwarded.listPrompts(ctx.mcpReq.signal),
  }));
  server.setRequestHandler('prompts/get', async (request, ctx) => {
    try {
      const args = request.params.arguments ?? {};
      return (await serving.gateway().forwarded.getPrompt(request.params.name, args, ctx.mcpReq.signal)) as never;
    } catch (error) {
      if (error instanceof UnknownToolError)
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt "${request.params.name}"`);
      throw new ProtocolError(ProtocolErrorCode.InternalError, serving.redact(errorText(error)));
    }
  });
  return server;
}
