/**
 * The runtime's gateway: the pool as its upstream, the lookups' result cache, the profile in force
 * for the `gateway` command choosing the tools, the hierarchy's own tools, and the monitor hearing
 * every call (a per-tool row; agent traffic counted in the hit rate; upstream calls per server).
 */
import type { GatewayConfig, ServerDefinition } from '../config/types';
import { Gateway } from '../gateway/gateway';
import { hierarchyTools, type HierarchyToolsApi } from '../gateway/hierarchy-tools';
import { poolToolSource } from '../gateway/pool-tool-source';
import type { UpstreamToolSource } from '../gateway/ports';
import type { ConnectionPool } from '../mcp/connection-pool';
import type { Monitor } from '../monitor/monitor';
import type { Logger } from '../ports';
import type { MCPProfileManager } from '../profiles/profile-manager';
import type { ResultCache } from '../store/result-cache';

/** The command whose profile decides the tools agents see. */
export const GATEWAY_COMMAND = 'gateway';
/** The context type upstream calls through the gateway are recorded under. */
export const GATEWAY_CALL_TYPE = 'agent';

export interface RuntimeGatewayOptions {
  pool: ConnectionPool;
  definitions: () => readonly ServerDefinition[];
  storageDir: string;
  stateFile: string;
  cache: ResultCache;
  config: GatewayConfig;
  profiles: () => MCPProfileManager;
  monitor: Monitor;
  api: HierarchyToolsApi;
  logger: Logger;
}

export function createRuntimeGateway(options: RuntimeGatewayOptions): Gateway {
  const pool = poolToolSource({ pool: options.pool, definitions: options.definitions, storageDir: options.storageDir });
  let enabled = options.config.enabled;
  // With the gateway switched off, agents still get the hierarchy's own tools, and no upstream one.
  const source: UpstreamToolSource = { ...pool, servers: () => (enabled ? pool.servers() : []) };
  const local = hierarchyTools(options.api);
  const gateway = new Gateway({
    source,
    cache: options.cache,
    config: options.config,
    selection: () => options.profiles().profileFor(GATEWAY_COMMAND).tools ?? { servers: [], allow: [], deny: [] },
    localTools: () => local,
    stateFile: options.stateFile,
    logger: options.logger,
    observer: {
      onCall: (call) => {
        options.monitor.recordToolCall({
          client: call.client,
          server: call.server,
          tool: call.tool,
          latencyMs: call.latencyMs,
          ok: call.ok,
          cacheable: call.cacheable,
          hit: call.cached || call.shared,
          costUsd: call.costUsd,
        });
        if (call.upstream)
          options.monitor.recordCall({
            server: call.server,
            contextType: GATEWAY_CALL_TYPE,
            latencyMs: call.latencyMs,
            ok: call.ok,
            ...(call.error ? { error: call.error } : {}),
          });
      },
    },
  });
  const update = gateway.updateConfig.bind(gateway);
  gateway.updateConfig = (config) => {
    enabled = config.enabled;
    update(config);
  };
  return gateway;
}
