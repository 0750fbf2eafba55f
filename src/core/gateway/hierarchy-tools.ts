/**
 * The hierarchy's own tools, served by the gateway next to the upstream ones: `lookup`,
 * `find_fix`, `remember_fix` and `stats`. Described in JSON Schema (what `tools/list` carries),
 * with arguments checked here, because clients send whatever they like.
 */
import { rememberedNote } from '../fixes/remembered-note';
import type { DiagnosticInfo, FixResult } from '../fixes/types';
import type { HierarchyMode } from '../hierarchy/types';
import type { ContextType, FetchResult } from '../knowledge';
import type { ServerStatus } from '../mcp/types';
import type { DashboardData } from '../monitor/types';
import { textResult, type ToolCallResult, type ToolDefinition } from './protocol';
import type { LocalTool } from './types';

/**
 * What the hierarchy tools need from the runtime: a slice of the facade (`McpIntegrationApi`),
 * described here in the modules' own types because modules never import the facade.
 */
export interface HierarchyToolsApi {
  lookup(
    query: string,
    options?: { contextType?: ContextType; language?: string; signal?: AbortSignal },
  ): Promise<FetchResult>;
  findFix(diagnostic: DiagnosticInfo, signal?: AbortSignal): Promise<FixResult>;
  rememberFix(diagnostic: DiagnosticInfo, solution: string): Promise<string>;
  getDashboardData(): DashboardData & {
    serverStatuses: ServerStatus[];
    hierarchy: { mode: HierarchyMode; hitRate: number; entries: number };
  };
}

const MAX_TEXT = 4000;
const MAX_SOLUTION = 64 * 1024;

const trailSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      layer: { type: 'string' },
      server: { type: 'string' },
      outcome: { type: 'string' },
      latencyMs: { type: 'number' },
      detail: { type: 'string' },
    },
    required: ['layer', 'outcome', 'latencyMs'],
  },
};

const fetchResultSchema = {
  type: 'object' as const,
  properties: {
    success: { type: 'boolean' },
    content: { type: ['string', 'null'] },
    source: { type: ['string', 'null'] },
    cached: { type: 'boolean' },
    latencyMs: { type: 'number' },
    contextType: { type: 'string' },
    trail: trailSchema,
    error: { type: 'string' },
    signature: { type: 'string' },
    rememberedBy: { type: 'string', description: 'Who remembered the fix (their partition name)' },
    rememberedAt: { type: 'number', description: 'When the fix was remembered, ms since the epoch' },
  },
  required: ['success', 'content', 'source', 'cached', 'latencyMs', 'contextType', 'trail'],
};

const diagnosticProperties = {
  message: { type: 'string', minLength: 1, maxLength: MAX_TEXT, description: 'The diagnostic message' },
  source: { type: 'string', maxLength: 200, description: 'Tool that raised it (ts, pyright, eslint, …)' },
  code: { type: 'string', maxLength: 200, description: 'Rule or error code' },
  language: { type: 'string', maxLength: 64, description: 'Language id of the file (python, typescript, …)' },
};

export const HIERARCHY_TOOL_DEFINITIONS: Record<'lookup' | 'find_fix' | 'remember_fix' | 'stats', ToolDefinition> = {
  lookup: {
    name: 'lookup',
    title: 'Look up (cached knowledge hierarchy)',
    description:
      'Answer a question through the knowledge hierarchy: local cache, then memory, code symbols, library docs and GitHub. The result says which layer answered and whether it was cached.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', minLength: 1, maxLength: MAX_TEXT, description: 'The question' },
        contextType: {
          type: 'string',
          maxLength: 64,
          description: 'library_api, error_solution, code_symbol, project_memory, … (default: guessed)',
        },
        language: { type: 'string', maxLength: 64, description: 'Language id the question is about' },
      },
      required: ['query'],
    },
    outputSchema: fetchResultSchema,
    annotations: { readOnlyHint: true, openWorldHint: true },
  },
  find_fix: {
    name: 'find_fix',
    title: 'Find a known fix',
    description:
      'Find a remembered solution for a diagnostic (compiler or linter error). Messages that differ only in names, numbers or paths share a fix. A fix says who remembered it and when (rememberedBy, rememberedAt).',
    inputSchema: { type: 'object', properties: diagnosticProperties, required: ['message'] },
    outputSchema: fetchResultSchema,
    annotations: { readOnlyHint: true },
  },
  remember_fix: {
    name: 'remember_fix',
    title: 'Remember a fix',
    description:
      'Remember the solution that fixed a diagnostic, so the same error (with other names, numbers or paths) finds it next time. Kept for the error-solution TTL (90 days by default).',
    inputSchema: {
      type: 'object',
      properties: {
        ...diagnosticProperties,
        solution: { type: 'string', minLength: 1, maxLength: MAX_SOLUTION, description: 'What fixed it' },
      },
      required: ['message', 'solution'],
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  stats: {
    name: 'stats',
    title: 'Cache and server statistics',
    description: 'Cache hit rate, calls, errors, latency percentiles, cost, per-tool figures and server states.',
    inputSchema: { type: 'object', properties: {} },
    annotations: { readOnlyHint: true },
  },
};

/** The four tools, bound to a runtime. */
export function hierarchyTools(api: HierarchyToolsApi): LocalTool[] {
  const defs = HIERARCHY_TOOL_DEFINITIONS;
  return [
    {
      definition: defs.lookup,
      call: async (args, options) => {
        const query = requiredText(args, 'query', MAX_TEXT);
        const contextType = optionalText(args, 'contextType', 64);
        const language = optionalText(args, 'language', 64);
        return fetchToolResult(
          await api.lookup(query, {
            ...(contextType ? { contextType } : {}),
            ...(language ? { language } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
          }),
        );
      },
    },
    {
      definition: defs.find_fix,
      call: async (args, options) => {
        const fix = await api.findFix(diagnosticFrom(args), options.signal);
        const result = fetchToolResult(fix, {
          signature: fix.signature,
          ...(fix.edit ? { edit: fix.edit } : {}),
          ...(fix.rememberedBy !== undefined ? { rememberedBy: fix.rememberedBy } : {}),
          ...(fix.rememberedAt !== undefined ? { rememberedAt: fix.rememberedAt } : {}),
        });
        const remembered = fix.success ? rememberedNote(fix) : undefined;
        return remembered
          ? { ...result, content: [...result.content, { type: 'text', text: `(${remembered})` }] }
          : result;
      },
    },
    {
      definition: defs.remember_fix,
      call: async (args) => {
        const solution = requiredText(args, 'solution', MAX_SOLUTION);
        const signature = await api.rememberFix(diagnosticFrom(args), solution);
        return { ...textResult(`Remembered the fix for: ${signature}`), structuredContent: { signature } };
      },
    },
    {
      definition: defs.stats,
      call: async () => {
        const data = api.getDashboardData();
        const stats = {
          summary: data.summary,
          hierarchy: data.hierarchy,
          tools: data.tools,
          servers: data.serverStatuses.map(({ name, state, circuit, restarts, pid, lastError }) => ({
            name,
            state,
            circuit,
            restarts,
            ...(pid !== undefined ? { pid } : {}),
            ...(lastError ? { lastError } : {}),
          })),
          alerts: data.alerts,
        };
        return { content: [{ type: 'text', text: JSON.stringify(stats, null, 2) }], structuredContent: stats };
      },
    },
  ];
}

/** The answer as text, the whole result as structured content; no answer is a tool error. */
export function fetchToolResult(result: FetchResult, extra: Record<string, unknown> = {}): ToolCallResult {
  const { success, content, source, cached, latencyMs, contextType, trail, error } = result;
  const text = success ? (content ?? '') : (error ?? 'no layer had an answer');
  return {
    content: [{ type: 'text', text }],
    structuredContent: {
      success,
      content,
      source,
      cached,
      latencyMs,
      contextType,
      trail,
      ...(error !== undefined ? { error } : {}),
      ...extra,
    },
    ...(success ? {} : { isError: true }),
  };
}

function diagnosticFrom(args: Record<string, unknown>): {
  message: string;
  source?: string;
  code?: string;
  language?: string;
} {
  const source = optionalText(args, 'source', 200);
  const code = optionalText(args, 'code', 200);
  const language = optionalText(args, 'language', 64);
  return {
    message: requiredText(args, 'message', MAX_TEXT),
    ...(source ? { source } : {}),
    ...(code ? { code } : {}),
    ...(language ? { language } : {}),
  };
}

function requiredText(args: Record<string, unknown>, name: string, max: number): string {
  const value = args[name];
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`"${name}" must be a non-empty string`);
  if (value.length > max) throw new Error(`"${name}" is longer than ${max} characters`);
  return value;
}

function optionalText(args: Record<string, unknown>, name: string, max: number): string | undefined {
  const value = args[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`"${name}" must be a string`);
  if (value.length > max) throw new Error(`"${name}" is longer than ${max} characters`);
  return value;
}
