/**
 * How the runtime's log messages reach the clients of `serve`: a long-lived connection (stdio)
 * gets them as they happen; a stateless HTTP client listens only while one of its calls runs, so
 * there they ride that call's response stream. The SDK drops messages below the client's level.
 */
import type { Server, ServerContext } from '@modelcontextprotocol/server';
import type { LogRelay } from './log-relay';

export interface ServeLogs {
  relay: LogRelay;
  /** `connection` for stdio, `request` for stateless HTTP. */
  scope: 'connection' | 'request';
}

const LOGGER = 'mcp-integration';

/** Runs a request's work while the relay forwards log messages into its response (request scope). */
export async function withRequestLogs<T>(
  logs: ServeLogs | undefined,
  ctx: ServerContext,
  run: () => Promise<T>,
): Promise<T> {
  if (logs?.scope !== 'request') return run();
  // ctx.mcpReq.log applies the client's level (session level, or the request's logLevel) itself.
  const stop = logs.relay.listen((level, message) => {
    ctx.mcpReq.log(level, message, LOGGER).catch(() => undefined);
  });
  try {
    return await run();
  } finally {
    stop();
  }
}

/** Forwards every log message to a long-lived connection once it is initialised; returns the stop. */
export function relayToConnection(server: Server, relay: LogRelay): () => void {
  let stop: (() => void) | undefined;
  const previous = server.oninitialized;
  server.oninitialized = () => {
    previous?.();
    stop ??= relay.listen((level, data) => {
      server.sendLoggingMessage({ level, logger: LOGGER, data }).catch(() => undefined);
    });
  };
  return () => stop?.();
}
