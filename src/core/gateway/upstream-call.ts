/** One upstream call as the gateway makes it: failures become error results, and which results may be cached. */
import { CONTEXT7_UPSTREAM_FAILURES, matchUpstreamFailure } from '../adapters/upstream-failures';
import type { UpstreamServer, UpstreamToolSource } from './ports';
import { resultText, textResult, type ToolCallResult } from './protocol';

export interface CallOutcome {
  result: ToolCallResult;
  ok: boolean;
  error?: string;
}

/** Calls a tool; a thrown failure (timeout, crash, open circuit, protocol error) becomes an `isError` result. */
export async function callUpstream(
  source: UpstreamToolSource,
  server: UpstreamServer,
  tool: string,
  args: Record<string, unknown>,
  signal: AbortSignal | undefined,
): Promise<CallOutcome> {
  try {
    const result = await source.callTool(server.name, tool, args, signal ? { signal } : {});
    return {
      result,
      ok: result.isError !== true,
      ...(result.isError ? { error: resultText(result).slice(0, 500) } : {}),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { result: textResult(`${server.name}/${tool} failed: ${message}`, true), ok: false, error: message };
  }
}

/** Errors never enter the cache; neither do context7's failure texts dressed as answers. */
export function cacheableResult(server: UpstreamServer, result: ToolCallResult): boolean {
  if (result.isError === true) return false;
  if (server.kind !== 'context7') return true;
  return matchUpstreamFailure(resultText(result), CONTEXT7_UPSTREAM_FAILURES) === undefined;
}
