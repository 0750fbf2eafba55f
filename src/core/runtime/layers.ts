/**
 * Turns the configured hierarchy layers into live ones: each layer gets the adapters of its
 * enabled servers, in the configured order. The code-symbol layer falls back to the host's own
 * symbol search when no serena is running; a layer with no adapter is left out (and reported).
 */
import type { KnowledgeHierarchyConfig } from '../config/types';
import type { HierarchyLayer } from '../hierarchy/types';
import type { KnowledgeAdapter } from '../knowledge';
import type { Logger } from '../ports';

export const HOST_SYMBOLS_ADAPTER = 'host-symbols';

export function buildLayers(
  config: KnowledgeHierarchyConfig,
  adapters: Map<string, KnowledgeAdapter>,
  logger: Logger,
): HierarchyLayer[] {
  const layers: HierarchyLayer[] = [];
  for (const layer of config.layers) {
    const members = layer.servers.flatMap((name) => {
      const adapter = adapters.get(name);
      return adapter ? [adapter] : [];
    });
    if (layer.name === 'code-symbols' && members.length === 0) {
      const host = adapters.get(HOST_SYMBOLS_ADAPTER);
      if (host) members.push(host);
    }
    if (members.length === 0) {
      logger.info(
        `Layer "${layer.name}" has no enabled server (${layer.servers.join(', ') || 'none listed'}); it is skipped`,
      );
      continue;
    }
    layers.push({
      name: layer.name,
      priority: layer.priority,
      latencyTargetMs: layer.latencyTargetMs,
      timeoutMs: layer.timeoutMs,
      adapters: members,
    });
  }
  return layers;
}

/** Each server's latency target is its layer's, so the Monitor can judge servers by it. */
export function latencyTargetsByServer(config: KnowledgeHierarchyConfig): Record<string, number> {
  const targets: Record<string, number> = {};
  for (const layer of config.layers) for (const server of layer.servers) targets[server] ??= layer.latencyTargetMs;
  return targets;
}
