/**
 * `serve` over stdio with the SDK's `serveStdio`: one gateway server instance per connection; a
 * 2025-era client gets the `initialize` handshake it always had, a 2026-07-28 client the new one.
 * Tool-list changes are pushed on the connection (the SDK routes them onto a 2026-era client's
 * `subscriptions/listen` stream). The runtime's log messages reach a 2025-era client as they
 * happen (filtered by its `logging/setLevel`), and a 2026-era client inside each request.
 */
import { serveStdio as sdkServeStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { serialiseSends } from '../mcp/serial-send';
import { createGatewayServer, GatewayServing, type ServeApi } from './gateway-server';
import type { LogRelay } from './log-relay';
import { untilStopped } from './until-stopped';

export interface StdioServeOptions {
  signal?: AbortSignal;
  logs?: LogRelay;
  /** The name calls are recorded under in the monitor when the client does not name itself. */
  client?: string;
  /** Masks secrets in error texts. */
  redact?: (text: string) => string;
}

/** Serves over stdin/stdout until stdin ends or the process gets SIGINT/SIGTERM. */
export async function serveStdio(api: ServeApi, options: StdioServeOptions = {}): Promise<void> {
  const { done, stop } = untilStopped(options.signal);
  const relay = options.logs;
  const serving = new GatewayServing(api, {
    ...(options.client ? { client: options.client } : {}),
    ...(options.redact ? { redact: options.redact } : {}),
  });
  const wire = new StdioServerTransport();
  const handle = sdkServeStdio(
    ({ era }) =>
      createGatewayServer(serving, {
        pushListChanged: true,
        ...(relay ? { logs: { relay, scope: era === 'legacy' ? 'connection' : 'request' } } : {}),
      }),
    { transport: wire },
  );
  // Where stdout is an asynchronous pipe (macOS), every answer waiting for a full pipe would add
  // its own `drain` listener; queued, only one waits. Wrapped after the SDK set the transport's
  // `onclose`, so closing also rejects what is still queued.
  serialiseSends(wire);
  // The client closing our stdin is the normal way a stdio server is told to stop.
  process.stdin.once('end', stop);
  process.stdin.once('close', stop);
  await done;
  process.stdin.off('end', stop);
  process.stdin.off('close', stop);
  await handle.close();
}
