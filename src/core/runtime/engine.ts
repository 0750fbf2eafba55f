/**
 * The engine: the adapters of the enabled servers and the knowledge hierarchy over them, built
 * from one configuration. It is rebuilt (never patched) when the configuration or the hierarchy
 * mode changes, so a lookup always sees one consistent set of layers.
 */
import { createMcpAdapters } from '../adapters/create-adapters';
import { KnowledgeHierarchy } from '../hierarchy/knowledge-hierarchy';
import type { KnowledgeAdapter } from '../knowledge';
import type { LearningSystem } from '../learning/learning-system';
import type { ToolCaller } from '../mcp/types';
import type { Monitor } from '../monitor/monitor';
import type { HostPorts } from '../ports';
import type { ResultCache } from '../store/result-cache';
import type { LoadedConfiguration } from './config-stores';
import { buildLayers } from './layers';
import type { RuntimeSettings } from './settings';

export interface Engine {
  adapters: Map<string, KnowledgeAdapter>;
  hierarchy: KnowledgeHierarchy;
}

/** The servers an engine may call: the pool, or a prepared pool update that has not applied yet. */
export interface EngineServers {
  has(name: string): boolean;
  caller(name: string): ToolCaller;
}

export interface EngineDeps {
  ports: Pick<HostPorts, 'logger' | 'symbols'>;
  cache: ResultCache;
  learning: LearningSystem;
  monitor: Monitor;
}

export function buildEngine(
  loaded: LoadedConfiguration,
  settings: RuntimeSettings,
  servers: EngineServers,
  deps: EngineDeps,
): Engine {
  const { logger } = deps.ports;
  const config = loaded.mcp;
  const enabled = loaded.servers.filter((s) => s.enabled && servers.has(s.name));
  const adapters = createMcpAdapters(enabled, (name) => servers.caller(name), {
    logger,
    symbols: deps.ports.symbols,
  });
  const hierarchy = new KnowledgeHierarchy({
    layers: buildLayers(config.knowledgeHierarchy, adapters, logger),
    authority: config.knowledgeHierarchy.authority,
    ttlByType: config.cache.ttlByType,
    defaultTtlSeconds: config.cache.ttlByType['default'],
    mode: settings.hierarchyMode,
    cache: deps.cache,
    writeBack: config.knowledgeHierarchy.writeBack,
    routeOrder: (contextType, layers) => deps.learning.routingOrder(contextType, layers),
    observer: {
      onCacheLookup: (event) => deps.monitor.recordCacheLookup(event.hit),
      onLayerAttempt: (event) => {
        if (!event.server || event.outcome === 'skipped' || event.outcome === 'cancelled') return;
        const ok = event.outcome === 'hit' || event.outcome === 'miss';
        deps.monitor.recordCall({
          server: event.server,
          contextType: event.contextType,
          latencyMs: event.latencyMs,
          ok,
          ...(event.error ? { error: event.error } : {}),
        });
      },
    },
    logger,
  });
  return { adapters, hierarchy };
}
