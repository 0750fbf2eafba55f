/**
 * `serve` over stdio with the SDK's `serveStdio`: one server instance per connection from the same
 * factory as HTTP; a 2025-era client gets the `initialize` handshake it always had, a 2026-07-28
 * client the new one. The runtime's log messages reach a 2025-era client as they happen (filtered
 * by its `logging/setLevel`), and a 2026-era client inside each request (by its `logLevel`).
 */
import { serveStdio as sdkServeStdio } from '@modelcontextprotocol/server/stdio';
import type { McpIntegrationApi } from '../api';
import type { LogRelay } from './log-relay';
import { createHierarchyServer } from './tools';
import { untilStopped } from './until-stopped';

/** Serves over stdin/stdout until stdin ends or the process gets SIGINT/SIGTERM. */
export async function serveStdio(
  runtime: McpIntegrationApi,
  options: { signal?: AbortSignal; logs?: LogRelay } = {},
): Promise<void> {
  const { done, stop } = untilStopped(options.signal);
  const relay = options.logs;
  const handle = sdkServeStdio(({ era }) =>
    createHierarchyServer(
      runtime,
      relay ? { logs: { relay, scope: era === 'legacy' ? 'connection' : 'request' } } : {},
    ),
  );
  // The client closing our stdin is the normal way a stdio server is told to stop.
  process.stdin.once('end', stop);
  process.stdin.once('close', stop);
  await done;
  process.stdin.off('end', stop);
  process.stdin.off('close', stop);
  await handle.close();
}
