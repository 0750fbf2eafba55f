/**
 * `UpstreamToolSource`: all the gateway needs from the servers behind it. The runtime adapts its
 * connection pool to this (`pool-tool-source.ts`, the one file that knows the pool), tests use
 * in-process fakes, and a move to another SDK changes only that adapter.
 */
import type { Disposable } from '../ports';
import type {
  PromptDefinition,
  PromptResult,
  ResourceDefinition,
  ResourceReadResult,
  ToolCallResult,
  ToolDefinition,
} from './protocol';

/** The server kinds the configuration knows (rules may match a kind rather than a name). */
export type UpstreamServerKind =
  'memory-bank' | 'server-memory' | 'serena' | 'context7' | 'github' | 'team-gateway' | 'generic';

export interface UpstreamServer {
  name: string;
  kind: UpstreamServerKind;
  /** USD charged per upstream call (cost tracking). */
  costPerCallUsd: number;
}

export interface UpstreamCallOptions {
  signal?: AbortSignal;
}

export interface UpstreamToolSource {
  /** The enabled servers whose tools may be exposed. */
  servers(): UpstreamServer[];
  /** The server's full tool list (starting it when needed). Rejects when it cannot be listed. */
  listTools(server: string, options?: UpstreamCallOptions): Promise<ToolDefinition[]>;
  /**
   * Calls a tool and returns its raw result (`isError` results included). Rejects for protocol
   * errors, timeouts, crashes and open circuits; never hangs past the server's call timeout.
   */
  callTool(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    options?: UpstreamCallOptions,
  ): Promise<ToolCallResult>;
  /**
   * Who answers: the server's definition and the version it reported, as one opaque string. Cached
   * results are keyed by it, so a changed definition or an upgraded server never sees old answers.
   */
  identity(server: string): Promise<string>;
  /** Fires with a server's name when its tool list changed. */
  onToolsChanged(listener: (server: string) => void): Disposable;
  /** Fires after every call made to a server by anyone (adapters too): lets writes invalidate. */
  onCallCompleted?(listener: (server: string, tool: string) => void): Disposable;
  /** Resources and prompts, for sources and servers that have them. */
  listResources?(server: string, options?: UpstreamCallOptions): Promise<ResourceDefinition[]>;
  readResource?(server: string, uri: string, options?: UpstreamCallOptions): Promise<ResourceReadResult>;
  listPrompts?(server: string, options?: UpstreamCallOptions): Promise<PromptDefinition[]>;
  getPrompt?(
    server: string,
    name: string,
    args: Record<string, string>,
    options?: UpstreamCallOptions,
  ): Promise<PromptResult>;
}
