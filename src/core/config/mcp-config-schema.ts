/**
 * The schema of `mcp-config.yaml` (input side, snake_case as users write it). Every key is optional
 * with a default, because a user or workspace file overrides only what it names; the shipped
 * `config/mcp-config.yaml` spells the defaults out. Objects are strict: unknown keys are errors.
 */
import { z } from 'zod';
import { checkLinearPattern } from '../triggers/linear-regex';
import { sharedCacheSchema } from './shared-cache-schema';

export const SERVER_KINDS = [
  'memory-bank',
  'server-memory',
  'serena',
  'context7',
  'github',
  'team-gateway',
  'generic',
] as const;
export const LAYER_NAMES = ['team', 'memory', 'code-symbols', 'docs', 'github'] as const;
export const CURSOR_NODES = ['import', 'call-of-imported-name', 'error-handling'] as const;

/**
 * A regular expression source; compiled here, on the linear-time engine the trigger uses, so a bad
 * one (or one that would need backtracking) is reported where it is written.
 */
export const regexSource = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    try {
      checkLinearPattern(source, { ignoreCase: true });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

const contextTypeName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'context type names are lower_snake_case');
const positiveMs = z.number().int().positive();
const fraction = z.number().min(0).max(1);
const stringMap = z.record(z.string(), z.string());

const toolCallSchema = z.strictObject({
  tool: z.string().min(1),
  /** Arguments with `{query}`, `{key}`, `{value}` placeholders substituted at call time. */
  arguments: z.record(z.string(), z.unknown()).default({}),
});

export const serverSchema = z.strictObject({
  /** Which adapter speaks to it; inferred from the command or URL when absent. */
  kind: z.enum(SERVER_KINDS).optional(),
  enabled: z.boolean().default(true),
  /** `stdio` (command) or `http` (Streamable HTTP url); inferred from `url` when absent. */
  transport: z.enum(['stdio', 'http']).optional(),
  command: z.string().min(1).optional(),
  args: z.array(z.string()).default([]),
  env: stringMap.default({}),
  cwd: z.string().min(1).optional(),
  url: z.string().min(1).optional(),
  headers: stringMap.default({}),
  timeouts: z
    .strictObject({
      initialize_ms: positiveMs.default(60_000),
      list_ms: positiveMs.default(10_000),
      call_ms: positiveMs.default(30_000),
    })
    .prefault({}),
  cost_per_call_usd: z.number().min(0).default(0).describe('USD charged per tool call, for cost tracking and budgets.'),
  tool_mapping: z
    .strictObject({
      fetch: toolCallSchema.extend({ result_path: z.string().min(1).optional() }).optional(),
      store: toolCallSchema.optional(),
    })
    .optional(),
});

const layerSchema = z.strictObject({
  name: z.enum(LAYER_NAMES),
  servers: z.array(z.string().min(1)).default([]),
  priority: z.number().int().positive(),
  latency_target_ms: positiveMs,
  /** Hard limit for one attempt at this layer; default 4 × latency_target_ms. */
  timeout_ms: positiveMs.optional(),
});

export const triggerPatternSchema = z
  .strictObject({
    /** Case-insensitive regular expression tested against the query. */
    pattern: regexSource.optional(),
    mcp: z.string().min(1),
    type: contextTypeName,
    confidence: fraction,
    languages: z.array(z.string().min(1)).optional(),
    diagnostic_sources: z.array(z.string().min(1)).optional(),
    diagnostic_codes: z.array(z.string().min(1)).optional(),
    cursor: z.enum(CURSOR_NODES).optional(),
  })
  .refine((t) => t.pattern !== undefined || t.languages || t.diagnostic_sources || t.diagnostic_codes || t.cursor, {
    message:
      'a trigger needs a pattern or at least one condition (languages, diagnostic_sources, diagnostic_codes, cursor)',
  });

/** Names of tool arguments, as the tool's input schema spells them. */
const argumentNames = z.array(z.string().min(1).max(128)).max(32);

/** How the gateway treats one upstream tool (matched by server name, or by server kind for every such server). */
export const gatewayToolRuleSchema = z
  .strictObject({
    server: z.string().min(1).optional().describe('Server name this rule applies to (wins over `kind`).'),
    kind: z.enum(SERVER_KINDS).optional().describe('Applies to every server of this kind.'),
    tool: z.string().min(1).describe('The upstream tool name.'),
    cacheable: z
      .boolean()
      .optional()
      .describe(
        'true: cache its results although the server does not declare it readOnlyHint + idempotentHint; false: never cache it.',
      ),
    key_args: argumentNames
      .optional()
      .describe('The arguments that decide the answer; the cache key uses only these (default: all arguments).'),
    case_insensitive_args: argumentNames
      .default([])
      .describe('Key arguments compared without regard to case and surrounding spaces.'),
    ttl_seconds: z.number().int().positive().optional().describe('How long a result stays cached.'),
    shared_key: z
      .enum(['library_docs'])
      .optional()
      .describe(
        'library_docs: store under the same key as preloaded library docs (arguments libraryId and query), so the two answer each other.',
      ),
    invalidates: z
      .boolean()
      .optional()
      .describe("Whether a call empties the server's cached results (default: when the tool is not read-only)."),
  })
  .refine((rule) => rule.server !== undefined || rule.kind !== undefined, {
    message: 'a gateway tool rule needs `server` or `kind`',
  });

export const mcpConfigSchema = z.strictObject({
  /** The rollback switch: false turns the whole integration off. */
  enabled: z.boolean().default(true).describe('The rollback switch: false turns every lookup off and starts nothing.'),
  rollout_percent: z
    .number()
    .min(0)
    .max(100)
    .default(100)
    .describe('Share of installations (0-100) that use the integration, stable per installation.'),
  servers: z
    .record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'server names use letters, digits, _ . -'), serverSchema)
    .default({})
    .describe('MCP servers by name: how each is started (stdio command or http url) and which adapter speaks to it.'),
  knowledge_hierarchy: z
    .strictObject({
      enabled: z.boolean().default(true),
      mode: z.enum(['sequential', 'hedged']).default('sequential'),
      layers: z
        .array(layerSchema)
        .default([])
        .describe('Layers asked in priority order (1 first): team, memory, code-symbols, docs, github.'),
      /** Context type → layers allowed to answer it. Types not listed may use every layer. */
      authority: z
        .record(contextTypeName, z.array(z.enum(LAYER_NAMES)))
        .default({})
        .describe('Context type -> layers allowed to answer it; types not listed may use every layer.'),
      write_back: z
        .strictObject({
          enabled: z.boolean().default(true),
          layers: z.array(z.enum(LAYER_NAMES)).default(['memory']),
        })
        .prefault({}),
    })
    .prefault({}),
  cache: z
    .strictObject({
      memory_max_entries: z.number().int().positive().default(5_000),
      memory_max_bytes: z
        .number()
        .int()
        .positive()
        .default(64 * 1024 * 1024),
      disk_max_entries: z.number().int().positive().default(50_000),
      disk_max_bytes: z
        .number()
        .int()
        .positive()
        .default(256 * 1024 * 1024),
      /** Seconds each context type lives in caches; `default` applies to unlisted types. */
      ttl_by_type: z
        .record(contextTypeName, z.number().int().positive())
        .default({ default: 86_400 })
        .describe('Seconds each context type lives in caches; `default` applies to unlisted types.'),
    })
    .prefault({}),
  context7: z
    .strictObject({
      library_cache: z
        .strictObject({
          enabled: z.boolean().default(true),
          fallback: z.strictObject({ use_resolve_api: z.boolean().default(true) }).prefault({}),
          preload_topics: z.array(z.string().min(1)).default([]),
        })
        .prefault({}),
    })
    .prefault({}),
  smart_triggers: z
    .strictObject({
      enabled: z.boolean().default(true),
      patterns: z
        .array(triggerPatternSchema)
        .default([])
        .describe(
          'Rules: a case-insensitive regex and/or language, diagnostic and cursor conditions -> (mcp, type, confidence).',
        ),
    })
    .prefault({}),
  monitoring: z
    .strictObject({
      alerts: z
        .strictObject({
          error_rate: z.strictObject({ warning: fraction.default(0.05), error: fraction.default(0.2) }).prefault({}),
          latency_over_target: z.strictObject({ factor: z.number().min(1).default(2) }).prefault({}),
          cache_hit_rate_min: fraction.default(0.5),
          cost_budget_usd: z.strictObject({ daily: z.number().min(0).default(5) }).prefault({}),
          server_down: z
            .strictObject({ enabled: z.boolean().default(true), after_seconds: z.number().int().min(0).default(30) })
            .prefault({}),
        })
        .prefault({}),
      history: z
        .strictObject({
          bucket_seconds: z.number().int().positive().default(60),
          buckets: z.number().int().positive().max(10_000).default(120),
        })
        .prefault({}),
    })
    .prefault({}),
  preload: z
    .strictObject({
      strategy: z
        .enum(['off', 'balanced', 'aggressive'])
        .default('balanced')
        .describe('How eagerly library docs are fetched before anyone asks.'),
      concurrency: z.number().int().positive().max(32).default(2),
      calls_per_minute: z.number().int().positive().default(60),
      cost_budget_usd: z.number().min(0).default(1),
    })
    .prefault({}),
  gateway: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe("Re-export every enabled server's tools to agents through the runtime."),
      separator: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,4}$/, 'the separator uses 1-4 letters, digits, _ or -')
        .default('__')
        .describe('Between server and tool in exposed names: <server><separator><tool>.'),
      invalidate_on_write: z
        .boolean()
        .default(true)
        .describe("A call to a tool that is not read-only empties that server's cached results."),
      default_ttl_seconds: z
        .number()
        .int()
        .positive()
        .default(3600)
        .describe('Lifetime of a cached result when no rule gives one.'),
      tools: z
        .array(gatewayToolRuleSchema)
        .default([])
        .describe('Per-tool cache rules: cacheable, key_args, ttl_seconds, shared_key, invalidates.'),
    })
    .prefault({}),
  shared_cache: sharedCacheSchema.describe(
    'The shared level of the result cache on Redis (for a team): url, prefix, partition, timeouts, lease, private_servers.',
  ),
  learning: z
    .strictObject({
      half_life_days: z
        .number()
        .positive()
        .default(14)
        .describe('Older outcomes count half as much after this many days.'),
    })
    .prefault({}),
});

/** Entries dropped on their own when invalid, so one bad entry does not reject the file. */
export const MCP_CONFIG_RECOVERABLE = ['smart_triggers.patterns.*', 'servers.*', 'gateway.tools.*'] as const;

export type McpConfigFile = z.output<typeof mcpConfigSchema>;
export type ServerEntry = z.output<typeof serverSchema>;
export type GatewayToolRuleEntry = z.output<typeof gatewayToolRuleSchema>;
