/**
 * The tools of `mcp-integration serve`: the whole knowledge hierarchy as one MCP server, so any MCP
 * client gets its caches, fallbacks and write-back. Tools: `lookup`, `store`, `find_fix`, `stats`,
 * each with an input and an output schema the SDK validates; every failure is a tool error.
 */
import { type CallToolResult, McpServer, type ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { McpIntegrationApi } from '../api';
import type { FetchResult } from '../knowledge';
import type { LogRelay } from './log-relay';

/** The server's name and version as clients see them in `initialize`. */
export const SERVE_IMPLEMENTATION = { name: 'mcp-integration', version: '0.1.0' } as const;

/** Request bodies larger than this are refused (a lookup is a sentence, a stored value a page). */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

const trailSchema = z.array(
  z.object({
    layer: z.string(),
    server: z.string().optional(),
    outcome: z.string(),
    latencyMs: z.number(),
    detail: z.string().optional(),
  }),
);
const fetchResultSchema = z.object({
  success: z.boolean(),
  content: z.string().nullable(),
  source: z.string().nullable(),
  cached: z.boolean(),
  latencyMs: z.number(),
  contextType: z.string(),
  trail: trailSchema,
  error: z.string().optional(),
});
const editSchema = z.object({
  startLine: z.number(),
  startCharacter: z.number(),
  endLine: z.number(),
  endCharacter: z.number(),
  newText: z.string(),
});
const fixResultSchema = fetchResultSchema.extend({ signature: z.string(), edit: editSchema.optional() });
const storeResultSchema = z.object({ stored: z.boolean(), key: z.string() });
/** The dashboard's own types describe these; the schema only pins the envelope clients rely on. */
const statsSchema = z.object({
  summary: z.record(z.string(), z.unknown()),
  hierarchy: z.record(z.string(), z.unknown()),
  servers: z.array(z.record(z.string(), z.unknown())),
  alerts: z.array(z.unknown()),
});

export interface HierarchyServerOptions {
  /**
   * Relays the runtime's log messages to the client: `connection` for a long-lived connection
   * (stdio: everything, as it happens), `request` for stateless HTTP, where a client only listens
   * while one of its tool calls runs (the messages ride that call's response stream).
   */
  logs?: { relay: LogRelay; scope: 'connection' | 'request' };
}

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

/** Runs a tool body while the relay forwards log messages into this request's response. */
async function withRequestLogs<T>(
  options: HierarchyServerOptions,
  ctx: ServerContext,
  run: () => Promise<T>,
): Promise<T> {
  if (options.logs?.scope !== 'request') return run();
  // ctx.mcpReq.log applies the client's level (session level, or the request's logLevel) itself.
  const stop = options.logs.relay.listen((level, message) => {
    ctx.mcpReq.log(level, message, 'mcp-integration').catch(() => undefined);
  });
  try {
    return await run();
  } finally {
    stop();
  }
}

/** Forwards every log message to a long-lived connection; the SDK drops those below its level. */
function relayToConnection(server: McpServer, relay: LogRelay): void {
  let stop: (() => void) | undefined;
  server.server.oninitialized = () => {
    stop ??= relay.listen((level, data) => {
      server.server.sendLoggingMessage({ level, logger: 'mcp-integration', data }).catch(() => undefined);
    });
  };
  server.server.onclose = () => stop?.();
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * An `McpServer` whose tools drive `runtime`: one per stdio connection, one per HTTP request (the
 * HTTP endpoint is stateless). Declares `logging`, so `logging/setLevel` is answered.
 */
export function createHierarchyServer(runtime: McpIntegrationApi, options: HierarchyServerOptions = {}): McpServer {
  const server = new McpServer(SERVE_IMPLEMENTATION, {
    capabilities: { logging: {} },
    instructions:
      'Answers questions through a cached knowledge hierarchy (memory, code symbols, docs, GitHub). Repeated questions are answered from the cache.',
  });
  if (options.logs?.scope === 'connection') relayToConnection(server, options.logs.relay);

  server.registerTool(
    'lookup',
    {
      description:
        'Answer a question through the knowledge hierarchy: local cache, then memory, code symbols, docs and GitHub. The result says which layer answered and whether it was cached.',
      inputSchema: z.object({
        query: z.string().min(1).max(4000).describe('The question'),
        contextType: z
          .string()
          .min(1)
          .max(64)
          .optional()
          .describe('library_api, error_solution, code_symbol, project_memory, … (default: guessed)'),
      }),
      outputSchema: fetchResultSchema,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ query, contextType }, ctx) =>
      withRequestLogs(options, ctx, async () =>
        fetchToolResult(await runtime.lookup(query, { contextType, signal: ctx.mcpReq.signal })),
      ),
  );

  server.registerTool(
    'store',
    {
      description:
        'Store a value under a key in the local cache and the memory layer, with the TTL of its context type unless ttlSeconds is given.',
      inputSchema: z.object({
        key: z.string().min(1).max(4000),
        value: z
          .string()
          .min(1)
          .max(MAX_REQUEST_BODY_BYTES / 2),
        contextType: z.string().min(1).max(64).optional().describe('default: general'),
        ttlSeconds: z.number().positive().optional(),
      }),
      outputSchema: storeResultSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    },
    async ({ key, value, contextType, ttlSeconds }, ctx) =>
      withRequestLogs(options, ctx, async () => {
        try {
          await runtime.store(key, value, { contextType, ttlSeconds });
          return { ...textResult(`stored ${key}`), structuredContent: { stored: true, key } };
        } catch (error) {
          return textResult(errorText(error), true);
        }
      }),
  );

  server.registerTool(
    'find_fix',
    {
      description:
        'Find a remembered solution for a diagnostic; messages that differ only in names, numbers or paths share a fix.',
      inputSchema: z.object({
        message: z.string().min(1).max(4000),
        source: z.string().max(200).optional().describe('Tool that raised it (ts, pyright, eslint, …)'),
        code: z.string().max(200).optional().describe('Rule or error code'),
      }),
      outputSchema: fixResultSchema,
      annotations: { readOnlyHint: true },
    },
    async ({ message, source, code }, ctx) =>
      withRequestLogs(options, ctx, async () => {
        const fix = await runtime.findFix({ message, source, code }, ctx.mcpReq.signal);
        return fetchToolResult(fix, { signature: fix.signature, ...(fix.edit ? { edit: fix.edit } : {}) });
      }),
  );

  server.registerTool(
    'stats',
    {
      description: 'Cache hit rate, calls, errors, latency percentiles, cost and server states.',
      outputSchema: statsSchema,
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
