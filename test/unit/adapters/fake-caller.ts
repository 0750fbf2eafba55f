/**
 * A tiny in-process `ToolCaller` (our own interface) for unit tests: each tool is a function of
 * its arguments; every call is recorded with the signal it carried.
 */
import type { CallOptions, CallToolResult, Tool, ToolCaller } from '../../../src/core/mcp/types';

export type ToolHandler = (args: Record<string, unknown>) => CallToolResult | Promise<CallToolResult>;

export interface RecordedCall {
  tool: string;
  args: Record<string, unknown>;
  signal?: AbortSignal;
}

export class FakeToolCaller implements ToolCaller {
  readonly calls: RecordedCall[] = [];
  listToolsCalls = 0;

  constructor(
    readonly serverName: string,
    private readonly handlers: Record<string, ToolHandler>,
  ) {}

  async callTool(name: string, args: Record<string, unknown>, options?: CallOptions): Promise<CallToolResult> {
    this.calls.push({ tool: name, args, signal: options?.signal });
    const handler = this.handlers[name];
    if (!handler) throw new Error(`fake has no tool ${name}`);
    return handler(args);
  }

  async listTools(): Promise<Tool[]> {
    this.listToolsCalls += 1;
    return Object.keys(this.handlers).map((name) => ({ name, inputSchema: { type: 'object' as const } }));
  }

  toolsCalled(): string[] {
    return this.calls.map((call) => call.tool);
  }
}

export function text(value: string, isError = false): CallToolResult {
  return { content: [{ type: 'text', text: value }], ...(isError ? { isError: true } : {}) };
}

export function json(value: unknown): CallToolResult {
  return text(JSON.stringify(value));
}
