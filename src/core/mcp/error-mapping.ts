/**
 * Turns whatever the SDK or a transport throws into our McpError with the right kind, so callers
 * handle one error type. Already-mapped errors pass through unchanged.
 */
import { type ClientSdk, loadedClientSdk } from './sdk';
import { McpError, type McpErrorKind } from '../errors';

/**
 * The kind of a thrown error: the SDK's own timeout and connection-closed codes (local `SdkError`s
 * since SDK v2), JSON-RPC errors from the server (`ProtocolError`, or any numeric `code`),
 * cancellation (an aborted signal or an AbortError), else the server is unavailable. The one place
 * this decision is made, for the pool and the adapters alike.
 */
export function classifyThrown(error: unknown, signal?: AbortSignal): McpErrorKind {
  if (error instanceof McpError) return error.kind;
  if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) return 'cancelled';
  const sdk = loadedClientSdk();
  if (sdk) return classifySdkError(error, sdk) ?? fallbackKind(error);
  return fallbackKind(error);
}

/** The kind of an error the SDK threw, or undefined for anything else. */
function classifySdkError(error: unknown, sdk: ClientSdk): McpErrorKind | undefined {
  const { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } = sdk;
  // An HTTP status means the server answered (as v1's numeric StreamableHTTPError code did).
  if (error instanceof SdkHttpError) return 'protocol-error';
  if (error instanceof SdkError) {
    if (error.code === SdkErrorCode.RequestTimeout) return 'timeout';
    // A result that fails the SDK's own schema check is a protocol problem, not a dead server.
    if (error.code === SdkErrorCode.InvalidResult) return 'protocol-error';
    return 'unavailable';
  }
  if (error instanceof ProtocolError) return 'protocol-error';
  return undefined;
}

/** Any other JSON-RPC error (a numeric `code`) is a protocol error; the rest means unavailable. */
function fallbackKind(error: unknown): McpErrorKind {
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number')
    return 'protocol-error';
  return 'unavailable';
}

export function toMcpError(error: unknown, server: string, tool?: string): McpError {
  if (error instanceof McpError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const kind = classifyThrown(error);
  const sdk = loadedClientSdk();
  const closed = sdk !== undefined && error instanceof sdk.SdkError && error.code === sdk.SdkErrorCode.ConnectionClosed;
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
