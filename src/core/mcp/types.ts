/**
 * How a server is started and how the rest of the core talks to it. The connection pool
 * implements `ToolCaller`; adapters only ever see a `ToolCaller`.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';

export type { CallToolResult, Tool };

export interface StdioServerDefinition {
  transport: 'stdio';
  command: string;
  args: string[];
  /** Explicit environment (placeholders already resolved). Only these and a safe base set are passed. */
  env: Record<string, string>;
  cwd?: string;
}

export interface HttpServerDefinition {
  transport: 'http';
  url: string;
  headers: Record<string, string>;
}

export type ServerTransportDefinition = StdioServerDefinition | HttpServerDefinition;

/** Per-request timeouts in milliseconds. */
export interface ServerTimeouts {
  initializeMs: number;
  listMs: number;
  callMs: number;
}

export interface ServerDefinition {
  /** Unique name (`memory-bank`, `context7`, …). */
  name: string;
  /** Which adapter speaks to it. */
  kind: 'memory-bank' | 'server-memory' | 'serena' | 'context7' | 'github' | 'team-gateway' | 'generic';
  enabled: boolean;
  transport: ServerTransportDefinition;
  timeouts: ServerTimeouts;
  /** Cost in USD charged per tool call (for cost tracking). */
  costPerCallUsd: number;
  /** Where the definition came from; workspace-declared servers need a trusted workspace. */
  origin: 'defaults' | 'user' | 'workspace' | 'vscode-mcp-json' | 'dot-mcp-json';
  /** For `generic` servers: how fetch/store map onto its tools. */
  toolMapping?: GenericToolMapping;
}

/** YAML-driven mapping for the generic adapter. `{query}`, `{key}`, `{value}` are substituted. */
export interface GenericToolMapping {
  fetch?: { tool: string; arguments: Record<string, unknown>; resultPath?: string };
  store?: { tool: string; arguments: Record<string, unknown> };
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the server's configured call timeout. */
  timeoutMs?: number;
}

/** What adapters use to reach one server. */
export interface ToolCaller {
  readonly serverName: string;
  callTool(name: string, args: Record<string, unknown>, options?: CallOptions): Promise<CallToolResult>;
  listTools(options?: CallOptions): Promise<Tool[]>;
}

export type ServerState = 'idle' | 'starting' | 'ready' | 'backoff' | 'failed' | 'stopped';
export type CircuitState = 'closed' | 'open' | 'half-open';

/** A server's health as hosts show it (status bar tooltip, dashboard, `servers` CLI command). */
export interface ServerStatus {
  name: string;
  kind: ServerDefinition['kind'];
  state: ServerState;
  circuit: CircuitState;
  toolNames: string[];
  restarts: number;
  lastError?: string;
  lastErrorAt?: number;
  /** Process id of a stdio server while it runs. */
  pid?: number;
  /** The MCP protocol version agreed with the server (e.g. `2025-11-25`) while a session is open. */
  protocolVersion?: string;
}
