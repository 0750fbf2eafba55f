/**
 * One error type for everything an MCP server can do wrong, whichever of the three styles it uses:
 * a result with `isError: true`, a thrown JSON-RPC error, or a normal-looking text that is really
 * an upstream failure. Errors are never cached.
 */
export type McpErrorKind =
  | 'tool-error' // result with isError: true
  | 'protocol-error' // thrown JSON-RPC error (unknown tool, invalid params, internal error)
  | 'upstream-error' // text result that reports an upstream failure (offline, 404, 429)
  | 'timeout'
  | 'unavailable' // not started, crashed, circuit open
  | 'cancelled';

export class McpError extends Error {
  override readonly name = 'McpError';
  constructor(
    readonly kind: McpErrorKind,
    readonly server: string,
    message: string,
    readonly tool?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isMcpError(value: unknown): value is McpError {
  return value instanceof McpError;
}

/** A configuration error with its location, so a host can point at the exact spot. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    /** Dotted key path, e.g. `servers.context7.command`. Empty for syntax errors. */
    readonly keyPath: string,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${keyPath ? keyPath + ': ' : ''}${detail}`);
  }
}
