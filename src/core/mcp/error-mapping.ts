/**
 * Turns whatever the SDK or a transport throws into our McpError with the right kind, so callers
 * handle one error type. Already-mapped errors pass through unchanged.
 */
import { ErrorCode, McpError as SdkMcpError } from '@modelcontextprotocol/sdk/types.js';
import { McpError, type McpErrorKind } from '../errors';

/**
 * The kind of a thrown error: the SDK's own timeout and connection-closed codes, other JSON-RPC
 * errors (any numeric `code`), cancellation (an aborted signal or an AbortError), else the server
 * is unavailable. The one place this decision is made, for the pool and the adapters alike.
 */
export function classifyThrown(error: unknown, signal?: AbortSignal): McpErrorKind {
  if (error instanceof McpError) return error.kind;
  if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) return 'cancelled';
  if (error instanceof SdkMcpError) {
    if (error.code === ErrorCode.RequestTimeout) return 'timeout';
    if (error.code === ErrorCode.ConnectionClosed) return 'unavailable';
    return 'protocol-error';
  }
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number')
    return 'protocol-error';
  return 'unavailable';
}

export function toMcpError(error: unknown, server: string, tool?: string): McpError {
  if (error instanceof McpError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const kind = classifyThrown(error);
  const closed = error instanceof SdkMcpError && error.code === ErrorCode.ConnectionClosed;
  const text = closed
    ? `${server}: connection closed (${message})`
    : kind === 'unavailable'
      ? `${server}: ${message}`
      : message;
  return new McpError(kind, server, text, tool, { cause: error });
}

/** Whether an error says something is wrong with the server itself (counts against its circuit). */
export function isHealthFailure(error: McpError): boolean {
  return error.kind === 'timeout' || error.kind === 'unavailable';
}
