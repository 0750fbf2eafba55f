/**
 * Turns whatever the SDK or a transport throws into our McpError with the right kind, so callers
 * handle one error type. Already-mapped errors pass through unchanged.
 */
import { type ClientSdk, loadedClientSdk } from './sdk';
import { isMcpError, McpError, type McpErrorKind } from '../errors';

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

/** Where an error happened: the server, the tool being called (if any), and the caller's signal. */
export interface ErrorSite {
  server: string;
  tool?: string;
  /** When aborted, the error means `cancelled` whatever was thrown. */
  signal?: AbortSignal;
}

/** Longest message kept from a thrown error (a server may put a whole page in one). */
const MAX_ERROR_MESSAGE_LENGTH = 500;

/**
 * The one mapper from anything thrown (by the SDK, a transport, a server) to an `McpError`, for
 * the pool and the adapters alike. Errors that already are ours pass through unchanged. The site
 * is an options object so that a call with its arguments swapped cannot type-check (the error is
 * `unknown`, so positional strings would).
 */
export function toMcpError(error: unknown, site: ErrorSite): McpError {
  if (isMcpError(error)) return error;
  const { server, tool } = site;
  const kind = classifyThrown(error, site.signal);
  const where = tool ?? server;
  if (kind === 'cancelled') return new McpError('cancelled', server, `${where}: cancelled`, tool, { cause: error });
  const message = truncate(error instanceof Error ? error.message : String(error));
  const sdk = loadedClientSdk();
  const closed = sdk !== undefined && error instanceof sdk.SdkError && error.code === sdk.SdkErrorCode.ConnectionClosed;
  // The server's name leads when the server itself is the problem; the tool's when the call was.
  const text = closed
    ? `${server}: connection closed (${message})`
    : kind === 'unavailable'
      ? `${server}: ${tool ? `${tool}: ` : ''}${message}`
      : `${where}: ${message}`;
  return new McpError(kind, server, text, tool, { cause: error });
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_MESSAGE_LENGTH ? `${text.slice(0, MAX_ERROR_MESSAGE_LENGTH)}…` : text;
}

/** Whether an error says something is wrong with the server itself (counts against its circuit). */
export function isHealthFailure(error: McpError): boolean {
  return error.kind === 'timeout' || error.kind === 'unavailable';
}
