/**
 * `mcp-integration serve`: the whole knowledge hierarchy as one MCP server, so any MCP client gets
 * its caches, fallbacks and write-back. Tools: `lookup`, `store`, `find_fix`, `stats`.
 * Transports: stdio (default) or Streamable HTTP on 127.0.0.1 (`--http PORT`), one session per client.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { McpIntegrationApi } from '../core/api';
import type { FetchResult } from '../core/knowledge';

/** The server's name and version as clients see them in `initialize`. */
export const SERVE_IMPLEMENTATION = { name: 'mcp-integration', version: '0.1.0' } as const;

/** Concurrent HTTP sessions; the oldest is closed when a new client would exceed it. */
const MAX_HTTP_SESSIONS = 32;
/** Request bodies larger than this are refused (a lookup is a sentence, a stored value a page). */
const MAX_HTTP_BODY_BYTES = 1024 * 1024;

const trailSchema = z.array(
  z.object({
    layer: z.string(),
    server: z.string().optional(),
    outcome: z.string(),
    latencyMs: z.number(),
    detail: z.string().optional(),
  }),
);
const fetchResultShape = {
  success: z.boolean(),
  content: z.string().nullable(),
  source: z.string().nullable(),
  cached: z.boolean(),
  latencyMs: z.number(),
  contextType: z.string(),
  trail: trailSchema,
  error: z.string().optional(),
};

function structured(result: FetchResult): Record<string, unknown> {
  const { success, content, source, cached, latencyMs, contextType, trail, error } = result;
  return { success, content, source, cached, latencyMs, contextType, trail, ...(error !== undefined ? { error } : {}) };
}

/** The answer as text, the whole result as structured content; no answer is a tool error. */
function fetchToolResult(result: FetchResult, extra: Record<string, unknown> = {}): CallToolResult {
  const text = result.success ? (result.content ?? '') : (result.error ?? 'no layer had an answer');
  return {
    content: [{ type: 'text', text }],
    structuredContent: { ...structured(result), ...extra },
    ...(result.success ? {} : { isError: true }),
  };
}

function textResult(text: string, isError = false): CallToolResult {
  return { content: [{ type: 'text', text }], ...(isError ? { isError: true } : {}) };
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** An `McpServer` whose tools drive `runtime`. One per client connection (an McpServer serves one transport). */
export function createHierarchyServer(runtime: McpIntegrationApi): McpServer {
  const server = new McpServer(SERVE_IMPLEMENTATION, {
    instructions:
      'Answers questions through a cached knowledge hierarchy (memory, code symbols, docs, GitHub). Repeated questions are answered from the cache.',
  });

  server.registerTool(
    'lookup',
    {
      description:
        'Answer a question through the knowledge hierarchy: local cache, then memory, code symbols, docs and GitHub. The result says which layer answered and whether it was cached.',
      inputSchema: {
        query: z.string().min(1).max(4000).describe('The question'),
        contextType: z
          .string()
          .min(1)
          .max(64)
          .optional()
          .describe('library_api, error_solution, code_symbol, project_memory, … (default: guessed)'),
      },
      outputSchema: fetchResultShape,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ query, contextType }, extra) =>
      fetchToolResult(await runtime.lookup(query, { contextType, signal: extra.signal })),
  );

  server.registerTool(
    'store',
    {
      description:
        'Store a value under a key in the local cache and the memory layer, with the TTL of its context type unless ttlSeconds is given.',
      inputSchema: {
        key: z.string().min(1).max(4000),
        value: z
          .string()
          .min(1)
          .max(MAX_HTTP_BODY_BYTES / 2),
        contextType: z.string().min(1).max(64).optional().describe('default: general'),
        ttlSeconds: z.number().positive().optional(),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    },
    async ({ key, value, contextType, ttlSeconds }) => {
      try {
        await runtime.store(key, value, { contextType, ttlSeconds });
        return textResult(`stored ${key}`);
      } catch (error) {
        return textResult(errorText(error), true);
      }
    },
  );

  server.registerTool(
    'find_fix',
    {
      description:
        'Find a remembered solution for a diagnostic; messages that differ only in names, numbers or paths share a fix.',
      inputSchema: {
        message: z.string().min(1).max(4000),
        source: z.string().max(200).optional().describe('Tool that raised it (ts, pyright, eslint, …)'),
        code: z.string().max(200).optional().describe('Rule or error code'),
      },
      annotations: { readOnlyHint: true },
    },
    async ({ message, source, code }, extra) => {
      const fix = await runtime.findFix({ message, source, code }, extra.signal);
      return fetchToolResult(fix, { signature: fix.signature, ...(fix.edit ? { edit: fix.edit } : {}) });
    },
  );

  server.registerTool(
    'stats',
    {
      description: 'Cache hit rate, calls, errors, latency percentiles, cost and server states.',
      annotations: { readOnlyHint: true },
    },
    async () => {
      const data = runtime.getDashboardData();
      const stats = {
        summary: data.summary,
        hierarchy: data.hierarchy,
        servers: data.serverStatuses,
        alerts: data.alerts,
      };
      return { content: [{ type: 'text', text: JSON.stringify(stats, null, 2) }], structuredContent: stats };
    },
  );

  return server;
}

/** Resolves when `signal` aborts or the process is asked to stop. */
function untilStopped(signal?: AbortSignal): { done: Promise<void>; stop: () => void } {
  let stop!: () => void;
  const done = new Promise<void>((resolve) => (stop = resolve));
  const onSignal = (): void => stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  signal?.addEventListener('abort', onSignal, { once: true });
  void done.then(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
  return { done, stop };
}

/** Serves over stdin/stdout until stdin ends or the process gets SIGINT/SIGTERM. */
export async function serveStdio(runtime: McpIntegrationApi, options: { signal?: AbortSignal } = {}): Promise<void> {
  const server = createHierarchyServer(runtime);
  const transport = new StdioServerTransport();
  const { done, stop } = untilStopped(options.signal);
  // The client closing our stdin is the normal way a stdio server is told to stop.
  process.stdin.once('end', stop);
  process.stdin.once('close', stop);
  transport.onclose = stop;
  await server.connect(transport);
  await done;
  process.stdin.off('end', stop);
  process.stdin.off('close', stop);
  await server.close();
}

export interface HttpServeOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one (see `onListening`). */
  port: number;
  /** Called with the endpoint URL once listening. Default: print it to stderr. */
  onListening?: (url: string) => void;
  signal?: AbortSignal;
}

/** Serves Streamable HTTP on `http://127.0.0.1:PORT/mcp` until SIGINT/SIGTERM or `signal`. */
export async function serveHttp(runtime: McpIntegrationApi, options: HttpServeOptions): Promise<void> {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer }>();

  const closeSession = async (id: string): Promise<void> => {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    await session.server.close().catch(() => undefined);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/mcp') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the MCP endpoint is /mcp\n');
      return;
    }
    const header = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(header) ? header[0] : header;
    const existing = sessionId ? sessions.get(sessionId) : undefined;
    if (existing) {
      await existing.transport.handleRequest(req, res);
      return;
    }
    if (sessionId) {
      // The SDK client re-initialises on 404 (e.g. after this process restarted).
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
      return;
    }
    // No session: only an initialize request may open one (the transport rejects anything else).
    if (sessions.size >= MAX_HTTP_SESSIONS) {
      const oldest = sessions.keys().next().value;
      if (oldest !== undefined) await closeSession(oldest);
    }
    const { port } = http.address() as AddressInfo;
    const server = createHierarchyServer(runtime);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, { transport, server }),
      onsessionclosed: (id) => closeSession(id),
      // Only this loopback endpoint may be addressed: a web page cannot reach it by DNS rebinding.
      enableDnsRebindingProtection: true,
      allowedHosts: [`127.0.0.1:${port}`, `localhost:${port}`],
      maxRequestBodySize: MAX_HTTP_BODY_BYTES,
    });
    transport.onclose = () => {
      if (transport.sessionId) void closeSession(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res);
    // A request that did not initialise a session leaves nothing behind.
    if (!transport.sessionId) await server.close().catch(() => undefined);
  };

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error: ${errorText(error)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const endpoint = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  (options.onListening ?? ((u: string) => void process.stderr.write(`mcp-integration: serving MCP on ${u}\n`)))(
    endpoint,
  );

  await untilStopped(options.signal).done;
  await Promise.all([...sessions.keys()].map(closeSession));
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
}
