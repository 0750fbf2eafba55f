/**
 * An in-process `UpstreamToolSource` for gateway unit tests (scripted tools, every call recorded),
 * and the plain configuration and warning-collecting logger those tests share.
 */
import type { GatewayConfig } from '../../../src/core/config/types';
import type { UpstreamServer, UpstreamToolSource } from '../../../src/core/gateway/ports';
import type { ToolCallResult, ToolDefinition } from '../../../src/core/gateway/protocol';
import type { Disposable, Logger } from '../../../src/core/ports';

/** No tool rules: cacheability comes from the tools' annotations alone. */
export const PLAIN_CONFIG: GatewayConfig = {
  enabled: true,
  separator: '__',
  invalidateOnWrite: true,
  defaultTtlSeconds: 60,
  tools: [],
};

/** A logger that keeps the warnings' messages. */
export function warningsLogger(warnings: string[]): Logger {
  return { trace() {}, debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) };
}

export type FakeHandler = (
  args: Record<string, unknown>,
  signal?: AbortSignal,
) => Promise<ToolCallResult> | ToolCallResult;

export interface FakeTool {
  definition: ToolDefinition;
  handler: FakeHandler;
}

export function tool(
  name: string,
  annotations: ToolDefinition['annotations'] = {},
  handler: FakeHandler = (args) => ({ content: [{ type: 'text', text: `${name} ${JSON.stringify(args)}` }] }),
): FakeTool {
  return {
    definition: { name, description: `the ${name} tool`, inputSchema: { type: 'object' }, annotations },
    handler,
  };
}

export const READ_ONLY = { readOnlyHint: true, idempotentHint: true } as const;

export class FakeSource implements UpstreamToolSource {
  readonly calls: Array<{ server: string; tool: string; args: Record<string, unknown> }> = [];
  readonly listCalls: string[] = [];
  readonly tools = new Map<string, FakeTool[]>();
  readonly versions = new Map<string, string>();
  private readonly changeListeners = new Set<(server: string) => void>();
  private readonly callListeners = new Set<(server: string, tool: string) => void>();
  /** Listing a server in here waits for this promise. */
  readonly listGates = new Map<string, Promise<void>>();

  constructor(private readonly serverList: UpstreamServer[]) {}

  servers(): UpstreamServer[] {
    return this.serverList;
  }

  async listTools(server: string): Promise<ToolDefinition[]> {
    this.listCalls.push(server);
    await this.listGates.get(server);
    const tools = this.tools.get(server);
    if (!tools) throw new Error(`${server} cannot be listed`);
    return tools.map((t) => t.definition);
  }

  async callTool(
    server: string,
    name: string,
    args: Record<string, unknown>,
    options?: { signal?: AbortSignal },
  ): Promise<ToolCallResult> {
    this.calls.push({ server, tool: name, args });
    const found = this.tools.get(server)?.find((t) => t.definition.name === name);
    if (!found) throw new Error(`no tool ${name} on ${server}`);
    try {
      return await found.handler(args, options?.signal);
    } finally {
      for (const listener of this.callListeners) listener(server, name);
    }
  }

  async identity(server: string): Promise<string> {
    return `${server}@${this.versions.get(server) ?? '1.0.0'}`;
  }

  onToolsChanged(listener: (server: string) => void): Disposable {
    this.changeListeners.add(listener);
    return { dispose: () => void this.changeListeners.delete(listener) };
  }

  onCallCompleted(listener: (server: string, tool: string) => void): Disposable {
    this.callListeners.add(listener);
    return { dispose: () => void this.callListeners.delete(listener) };
  }

  changeTools(server: string, tools: FakeTool[]): void {
    this.tools.set(server, tools);
    for (const listener of this.changeListeners) listener(server);
  }

  callsTo(toolName: string): number {
    return this.calls.filter((c) => c.tool === toolName).length;
  }
}
