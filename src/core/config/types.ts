/**
 * The normalised, camelCase configuration the rest of the core reads. Produced from the three
 * YAML files by `loadMcpConfig` / `loadProfilesConfig`; every default is already applied.
 */
import type { ContextType } from '../knowledge';
import type { ServerDefinition } from '../mcp/types';
import type { HierarchyMode } from '../hierarchy/types';
import type { PreloadStrategy } from '../preload/types';

export type LayerName = 'team' | 'memory' | 'code-symbols' | 'docs' | 'github';

export interface HierarchyLayerConfig {
  name: LayerName;
  /** Server names tried in order inside the layer. */
  servers: string[];
  /** 1 is asked first. */
  priority: number;
  latencyTargetMs: number;
  /** Hard limit for one attempt at this layer. */
  timeoutMs: number;
}

export interface KnowledgeHierarchyConfig {
  enabled: boolean;
  mode: HierarchyMode;
  /** Sorted by priority. */
  layers: HierarchyLayerConfig[];
  /** Context type → layers allowed to answer it; types not listed may use every layer. */
  authority: Record<ContextType, LayerName[]>;
  writeBack: { enabled: boolean; layers: LayerName[] };
}

export interface CacheConfig {
  memoryMaxEntries: number;
  memoryMaxBytes: number;
  diskMaxEntries: number;
  diskMaxBytes: number;
  /** Seconds; always has a `default` entry. Use `ttlFor` to read it. */
  ttlByType: Record<ContextType, number>;
}

export interface TriggerPatternConfig {
  /** Regex source (case-insensitive); absent for condition-only rules. */
  pattern?: string;
  server: string;
  contextType: ContextType;
  confidence: number;
  languages?: string[];
  diagnosticSources?: string[];
  diagnosticCodes?: string[];
  cursor?: 'import' | 'call-of-imported-name' | 'error-handling';
  /** Where the rule is written, for error messages. */
  location?: { file: string; line: number; column: number };
}

export interface SmartTriggersConfig {
  enabled: boolean;
  patterns: TriggerPatternConfig[];
}

export interface MonitoringConfig {
  alerts: {
    errorRate: { warning: number; error: number };
    /** Alert when p95 latency exceeds `factor` × the layer's latency target. */
    latencyOverTargetFactor: number;
    cacheHitRateMin: number;
    costBudgetUsdDaily: number;
    serverDown: { enabled: boolean; afterSeconds: number };
  };
  history: { bucketSeconds: number; buckets: number };
}

export interface PreloadConfig {
  strategy: PreloadStrategy;
  concurrency: number;
  callsPerMinute: number;
  costBudgetUsd: number;
}

/** How the gateway treats one upstream tool; see `gateway.tools` in mcp-config.yaml. */
export interface GatewayToolRule {
  server?: string;
  kind?: ServerDefinition['kind'];
  tool: string;
  cacheable?: boolean;
  keyArgs?: string[];
  caseInsensitiveArgs: string[];
  ttlSeconds?: number;
  sharedKey?: 'library_docs';
  invalidates?: boolean;
}

export interface GatewayConfig {
  enabled: boolean;
  separator: string;
  invalidateOnWrite: boolean;
  defaultTtlSeconds: number;
  tools: GatewayToolRule[];
}

/** `shared_cache`: the result cache's shared level on Redis. */
export interface SharedCacheConfig {
  /** The URL with placeholders resolved; undefined means there is no shared level. */
  url?: string;
  prefix: string;
  /** The partition with placeholders resolved. */
  partition: string;
  opTimeoutMs: number;
  connectTimeoutMs: number;
  maxEntryBytes: number;
  lease: { ttlMs: number; waitMs: number; maxHoldMs: number };
  privateServers: string[];
  /** Remembered fixes go to the team partition, signed with `partition` as who remembered them. */
  teamMemory: boolean;
}

export interface McpConfig {
  enabled: boolean;
  rolloutPercent: number;
  knowledgeHierarchy: KnowledgeHierarchyConfig;
  cache: CacheConfig;
  context7: { libraryCache: { enabled: boolean; fallback: { useResolveApi: boolean }; preloadTopics: string[] } };
  smartTriggers: SmartTriggersConfig;
  monitoring: MonitoringConfig;
  preload: PreloadConfig;
  learning: { halfLifeDays: number };
  gateway: GatewayConfig;
  sharedCache: SharedCacheConfig;
}

export interface ProfileConfig {
  name: string;
  description: string;
  servers: string[];
  parallelInit: boolean;
  /** Which upstream tools agents see through the gateway while this profile is in force. */
  tools?: ToolSelection;
}

/**
 * Tool selection for the gateway. Patterns are `server/tool` with `*` as a wildcard
 * (`context7/*`, `github/search_*`, `*\/delete_*`). Empty lists mean: no restriction.
 */
export interface ToolSelection {
  /** Servers whose tools are exposed; empty means every enabled server. */
  servers: string[];
  /** When non-empty, only tools matching one of these are exposed. */
  allow: string[];
  /** Tools matching one of these are never exposed (wins over `allow`). */
  deny: string[];
}

export interface ProfilesConfig {
  profiles: ProfileConfig[];
  /** Command name → profile name. */
  commands: Record<string, string>;
  defaultProfile: string;
}

export type { ServerDefinition };

/** The TTL in seconds for a context type, falling back to the `default` entry. */
export function ttlFor(cache: CacheConfig, contextType: ContextType): number {
  return cache.ttlByType[contextType] ?? cache.ttlByType['default'] ?? 86_400;
}
