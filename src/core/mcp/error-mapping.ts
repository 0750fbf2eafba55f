/**
 * Turns whatever the SDK or a transport throws into our McpError with the right kind, so callers
 * handle one error type. Already-mapped errors pass through unchanged.
 */
import { ErrorCode, McpError as SdkMcpError } from '@modelcontextprotocol/sdk/types.js';
import { McpError } from '../errors';

export function toMcpError(error: unknown, server: string, tool?: string): McpError {
  if (error instanceof McpError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SdkMcpError) {
    if (error.code === ErrorCode.RequestTimeout) return new McpError('timeout', server, message, tool, { cause: error });
    if (error.code === ErrorCode.ConnectionClosed) {
      return new McpError('unavailable', server, `${server}: connection closed (${message})`, tool, { cause: error });
    }
    return new McpError('protocol-error', server, message, tool, { cause: error });
  }
  if (error instanceof Error && error.name === 'AbortError') return new McpError('cancelled', server, message, tool, { cause: error });
  return new McpError('unavailable', server, `${server}: ${message}`, tool, { cause: error });
}

/** Whether an error says something is wrong with the server itself (counts against its circuit). */
export function isHealthFailure(error: McpError): boolean {
  return error.kind === 'timeout' || error.kind === 'unavailable';
}
