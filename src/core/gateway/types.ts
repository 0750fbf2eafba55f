/** The gateway's own vocabulary: exposed tools, calls, and what observers hear. */
import type { ToolCallResult, ToolDefinition } from './protocol';

/** One tool as the gateway's clients see it, with where it leads. */
export interface ExposedTool {
  /** The exposed name (`context7__query-docs`). */
  name: string;
  /** The upstream server, or `mcp-integration` for the hierarchy's own tools. */
  server: string;
  /** The tool's name on its server. */
  upstreamName: string;
  /** The definition clients get: the upstream one with the exposed name. */
  definition: ToolDefinition;
}

export interface GatewayCallOptions {
  signal?: AbortSignal;
  /** Who is calling (the MCP client's name, `vscode-lm`, …), for the monitor. */
  client?: string;
}

/** What the monitor hears about every call through the gateway. */
export interface GatewayCallEvent {
  client: string;
  server: string;
  tool: string;
  latencyMs: number;
  /** False for `isError` results and failed calls. */
  ok: boolean;
  /** Whether the tool's results may be cached. */
  cacheable: boolean;
  /** Answered from the cache. */
  cached: boolean;
  /** Shared an identical call already under way. */
  shared: boolean;
  /** An upstream request was made for this call. */
  upstream: boolean;
  costUsd: number;
  error?: string;
}

export interface GatewayObserver {
  onCall?(event: GatewayCallEvent): void;
}

/** A tool the gateway serves itself (the hierarchy's lookup, find_fix, remember_fix, stats). */
export interface LocalTool {
  definition: ToolDefinition;
  call(args: Record<string, unknown>, options: GatewayCallOptions): Promise<ToolCallResult>;
}

/** Thrown for a name that is not (or no longer) exposed: a protocol error for the client. */
export class UnknownToolError extends Error {
  override readonly name = 'UnknownToolError';
  constructor(readonly toolName: string) {
    super(`Unknown tool "${toolName}"`);
  }
}
