/**
 * Creates and connects the SDK transport for a definition: stdio (no shell, explicit env, stderr
 * piped) or Streamable HTTP, falling back to the older HTTP+SSE transport when a server answers
 * 4xx to Streamable HTTP's initialize.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { buildServerEnvironment } from './environment';
import type { HttpServerDefinition, StdioServerDefinition } from './types';

export interface ConnectedClient {
  client: Client;
  transport: Transport;
  /** Which protocol variant ended up in use. */
  flavour: 'stdio' | 'streamable-http' | 'sse';
}

export function createStdioTransport(definition: StdioServerDefinition): StdioClientTransport {
  return new StdioClientTransport({
    command: definition.command,
    args: definition.args,
    env: buildServerEnvironment(definition.env),
    ...(definition.cwd ? { cwd: definition.cwd } : {}),
    stderr: 'pipe',
  });
}

/** Whether Streamable HTTP was refused in a way that suggests an older SSE-only server. */
function refusedStreamableHttp(error: unknown): boolean {
  return error instanceof StreamableHTTPError && error.code !== undefined && error.code >= 400 && error.code < 500;
}

/** Connects over Streamable HTTP, or over SSE when the server refuses it with 4xx. */
export async function connectHttp(
  definition: HttpServerDefinition,
  makeClient: () => Client,
  options: RequestOptions,
): Promise<ConnectedClient> {
  const url = new URL(definition.url);
  const requestInit: RequestInit = { headers: definition.headers };
  const client = makeClient();
  const transport = new StreamableHTTPClientTransport(url, { requestInit });
  try {
    await client.connect(transport, options);
    return { client, transport, flavour: 'streamable-http' };
  } catch (error) {
    await client.close().catch(() => undefined);
    if (!refusedStreamableHttp(error) || options.signal?.aborted) throw error;
  }
  const sseClient = makeClient();
  const sse = new SSEClientTransport(url, { requestInit });
  await sseClient.connect(sse, options);
  return { client: sseClient, transport: sse, flavour: 'sse' };
}

/** True when an HTTP server says our session no longer exists (it restarted): re-create the session. */
export function isSessionExpired(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current; depth++) {
    if (current instanceof StreamableHTTPError && current.code === 404) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
