/**
 * The one way adapters call a tool: passes the caller's AbortSignal through and turns all three
 * error styles into an `McpError` (see `normalize.ts`).
 */
import type { ToolCaller } from '../mcp/types';
import { toMcpError } from '../mcp/error-mapping';
import { type NormalizedResult, normalizeToolResult } from './normalize';
import type { UpstreamFailurePattern } from './upstream-failures';

export interface InvokeOptions {
  signal?: AbortSignal;
  /** Failure texts to detect in successful-looking results. Default: the common set. */
  upstreamPatterns?: readonly UpstreamFailurePattern[];
}

/** Calls `tool` and returns its normalised result, or throws an `McpError`. */
export async function invokeTool(
  caller: ToolCaller,
  tool: string,
  args: Record<string, unknown>,
  options: InvokeOptions = {},
): Promise<NormalizedResult> {
  const { signal } = options;
  if (signal?.aborted) throw toMcpError(signal.reason, { server: caller.serverName, tool, signal });
  let result;
  try {
    result = await caller.callTool(tool, args, signal ? { signal } : undefined);
  } catch (error) {
    throw toMcpError(error, { server: caller.serverName, tool, signal });
  }
  return normalizeToolResult(caller.serverName, tool, result, { upstreamPatterns: options.upstreamPatterns });
}
