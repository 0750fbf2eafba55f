/**
 * Creates and connects the SDK transport for a definition: stdio (no shell, explicit env, stderr
 * piped) or Streamable HTTP, falling back to the older HTTP+SSE transport when a server answers
 * 4xx to Streamable HTTP's initialize. SDK v2 keeps `SSEClientTransport` (deprecated, still
 * supported), so SSE-only servers keep working; the fallback is logged with the transport's name.
 */
import type { Client, RequestOptions, Transport } from '@modelcontextprotocol/client';
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { buildServerEnvironment } from './environment';
import { type ClientSdk, loadedClientSdk } from './sdk';
import { serialiseSends } from './serial-send';
import type { HttpServerDefinition, StdioServerDefinition } from './types';

export interface ConnectedClient {
  client: Client;
  transport: Transport;
  /** Which protocol variant ended up in use. */
  flavour: 'stdio' | 'streamable-http' | 'sse';
}

/** Writes are queued so that only one waits for the pipe to drain (see serial-send.ts). */
export function createStdioTransport(sdk: ClientSdk, definition: StdioServerDefinition): StdioClientTransport {
  const transport = new sdk.StdioClientTransport({
    command: definition.command,
    args: definition.args,
    env: buildServerEnvironment(definition.env),
    ...(definition.cwd ? { cwd: definition.cwd } : {}),
    stderr: 'pipe',
  });
  return serialiseSends(transport);
}

/** Whether Streamable HTTP was refused in a way that suggests an older SSE-only server. */
function refusedStreamableHttp(sdk: ClientSdk, error: unknown): boolean {
  return error instanceof sdk.SdkHttpError && error.status >= 400 && error.status < 500 && error.status !== 401;
}

/** Connects over Streamable HTTP, or over SSE when the server refuses it with 4xx. */
export async function connectHttp(
  sdk: ClientSdk,
  definition: HttpServerDefinition,
  makeClient: () => Client,
  options: RequestOptions,
): Promise<ConnectedClient> {
  const url = new URL(definition.url);
  const requestInit: RequestInit = { headers: definition.headers };
  const client = makeClient();
  const transport = new sdk.StreamableHTTPClientTransport(url, { requestInit });
  try {
    await client.connect(transport, options);
    return { client, transport, flavour: 'streamable-http' };
  } catch (error) {
    await client.close().catch(() => undefined);
    if (!refusedStreamableHttp(sdk, error) || options.signal?.aborted) throw error;
  }
  const sseClient = makeClient();
  const sse = new sdk.SSEClientTransport(url, { requestInit });
  try {
    await sseClient.connect(sse, options);
  } catch (error) {
    await sseClient.close().catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    // Name both transports: the server refused Streamable HTTP, and the SSE fallback failed too.
    throw new Error(`refused Streamable HTTP (4xx) and the HTTP+SSE fallback failed: ${message}`, { cause: error });
  }
  return { client: sseClient, transport: sse, flavour: 'sse' };
}

/** True when an HTTP server says our session no longer exists (it restarted): re-create the session. */
export function isSessionExpired(error: unknown): boolean {
  const sdk = loadedClientSdk();
  if (!sdk) return false;
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current; depth++) {
    if (current instanceof sdk.SdkHttpError && current.status === 404) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
