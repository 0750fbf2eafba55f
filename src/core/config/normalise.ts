/** Turns the validated snake_case file content into the camelCase `McpConfig` and server list. */
import { ConfigError } from '../errors';
import type { ServerDefinition } from '../mcp/types';
import type { ConfigLayerName, ConfigLocation } from './layered-store';
import type { ConfigPath } from './locate';
import type { McpConfigFile, ServerEntry } from './mcp-config-schema';
import { inferServerKind } from './server-kind';
import { normaliseSharedCache } from './shared-cache';
import type { HierarchyLayerConfig, McpConfig, TriggerPatternConfig } from './types';

/** Default per-attempt limit as a multiple of the layer's latency target. */
const LAYER_TIMEOUT_FACTOR = 4;
const DEFAULT_TTL_SECONDS = 86_400;

export interface NormaliseContext {
  locate(path: ConfigPath): ConfigLocation;
  layerOf(path: ConfigPath): ConfigLayerName | undefined;
}

export function normaliseMcpConfig(file: McpConfigFile, where: NormaliseContext): McpConfig {
  const h = file.knowledge_hierarchy;
  const layers: HierarchyLayerConfig[] = h.layers
    .map((l) => ({
      name: l.name,
      servers: l.servers,
      priority: l.priority,
      latencyTargetMs: l.latency_target_ms,
      timeoutMs: l.timeout_ms ?? l.latency_target_ms * LAYER_TIMEOUT_FACTOR,
    }))
    .sort((a, b) => a.priority - b.priority);
  const patterns: TriggerPatternConfig[] = file.smart_triggers.patterns.map((t, i) => ({
    pattern: t.pattern,
    server: t.mcp,
    contextType: t.type,
    confidence: t.confidence,
    languages: t.languages,
    diagnosticSources: t.diagnostic_sources,
    diagnosticCodes: t.diagnostic_codes,
    cursor: t.cursor,
    location: where.locate(['smart_triggers', 'patterns', i]),
  }));
  const alerts = file.monitoring.alerts;
  return {
    enabled: file.enabled,
    rolloutPercent: file.rollout_percent,
    knowledgeHierarchy: {
      enabled: h.enabled,
      mode: h.mode,
      layers,
      authority: h.authority,
      writeBack: { enabled: h.write_back.enabled, layers: h.write_back.layers },
    },
    cache: {
      memoryMaxEntries: file.cache.memory_max_entries,
      memoryMaxBytes: file.cache.memory_max_bytes,
      diskMaxEntries: file.cache.disk_max_entries,
      diskMaxBytes: file.cache.disk_max_bytes,
      ttlByType: { default: DEFAULT_TTL_SECONDS, ...file.cache.ttl_by_type },
    },
    context7: {
      libraryCache: {
        enabled: file.context7.library_cache.enabled,
        fallback: { useResolveApi: file.context7.library_cache.fallback.use_resolve_api },
        preloadTopics: file.context7.library_cache.preload_topics,
      },
    },
    smartTriggers: { enabled: file.smart_triggers.enabled, patterns },
    monitoring: {
      alerts: {
        errorRate: { ...alerts.error_rate },
        latencyOverTargetFactor: alerts.latency_over_target.factor,
        cacheHitRateMin: alerts.cache_hit_rate_min,
        costBudgetUsdDaily: alerts.cost_budget_usd.daily,
        serverDown: { enabled: alerts.server_down.enabled, afterSeconds: alerts.server_down.after_seconds },
      },
      history: { bucketSeconds: file.monitoring.history.bucket_seconds, buckets: file.monitoring.history.buckets },
    },
    preload: {
      strategy: file.preload.strategy,
      concurrency: file.preload.concurrency,
      callsPerMinute: file.preload.calls_per_minute,
      costBudgetUsd: file.preload.cost_budget_usd,
    },
    learning: { halfLifeDays: file.learning.half_life_days },
    gateway: {
      enabled: file.gateway.enabled,
      separator: file.gateway.separator,
      invalidateOnWrite: file.gateway.invalidate_on_write,
      defaultTtlSeconds: file.gateway.default_ttl_seconds,
      tools: file.gateway.tools.map((rule) => ({
        ...(rule.server !== undefined ? { server: rule.server } : {}),
        ...(rule.kind !== undefined ? { kind: rule.kind } : {}),
        tool: rule.tool,
        ...(rule.cacheable !== undefined ? { cacheable: rule.cacheable } : {}),
        ...(rule.key_args !== undefined ? { keyArgs: rule.key_args } : {}),
        caseInsensitiveArgs: rule.case_insensitive_args,
        ...(rule.ttl_seconds !== undefined ? { ttlSeconds: rule.ttl_seconds } : {}),
        ...(rule.shared_key !== undefined ? { sharedKey: rule.shared_key } : {}),
        ...(rule.invalidates !== undefined ? { invalidates: rule.invalidates } : {}),
      })),
    },
    sharedCache: normaliseSharedCache(file.shared_cache),
  };
}

/**
 * Server entries → `ServerDefinition`s (placeholders still unresolved). An entry that lacks what its
 * transport needs is reported at its location and left out; the others load.
 */
export function normaliseServers(
  file: McpConfigFile,
  where: NormaliseContext,
): { servers: ServerDefinition[]; errors: ConfigError[] } {
  const servers: ServerDefinition[] = [];
  const errors: ConfigError[] = [];
  for (const [name, entry] of Object.entries(file.servers)) {
    const path = ['servers', name];
    const result = toDefinition(name, entry, where.layerOf(path) ?? 'defaults');
    if (typeof result === 'string') {
      const at = where.locate(path);
      errors.push(new ConfigError(at.file, at.line, at.column, `servers.${name}`, result));
    } else {
      servers.push(result);
    }
  }
  return { servers, errors };
}

function toDefinition(name: string, entry: ServerEntry, origin: ServerDefinition['origin']): ServerDefinition | string {
  const transportKind = entry.transport ?? (entry.url !== undefined && entry.command === undefined ? 'http' : 'stdio');
  let transport: ServerDefinition['transport'];
  if (transportKind === 'http') {
    if (!entry.url) return 'an http server needs a "url"';
    transport = { transport: 'http', url: entry.url, headers: entry.headers };
  } else {
    if (!entry.command) return 'a stdio server needs a "command"';
    transport = {
      transport: 'stdio',
      command: entry.command,
      args: entry.args,
      env: entry.env,
      ...(entry.cwd ? { cwd: entry.cwd } : {}),
    };
  }
  const mapping = entry.tool_mapping;
  const kind = entry.kind ?? inferServerKind(entry.command, entry.args, entry.url);
  return {
    name,
    kind,
    enabled: entry.enabled,
    transport,
    timeouts: {
      initializeMs: entry.timeouts.initialize_ms,
      listMs: entry.timeouts.list_ms,
      callMs: entry.timeouts.call_ms,
    },
    costPerCallUsd: entry.cost_per_call_usd,
    origin,
    ...(mapping
      ? {
          toolMapping: {
            ...(mapping.fetch
              ? {
                  fetch: {
                    tool: mapping.fetch.tool,
                    arguments: mapping.fetch.arguments,
                    ...(mapping.fetch.result_path ? { resultPath: mapping.fetch.result_path } : {}),
                  },
                }
              : {}),
            ...(mapping.store ? { store: { tool: mapping.store.tool, arguments: mapping.store.arguments } } : {}),
          },
        }
      : {}),
  };
}
