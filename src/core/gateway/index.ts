/** The agent's MCP front: upstream tools re-exported through the runtime's pool, cache and monitor. */
export { Gateway, LOCAL_SERVER, type GatewayOptions } from './gateway';
export { createGatewayHandlers, type GatewayHandlers } from './handlers';
export { HIERARCHY_TOOL_DEFINITIONS, hierarchyTools, type HierarchyToolsApi } from './hierarchy-tools';
export { CACHE_META_KEY, type CacheMeta } from './cache-entries';
export { exposedToolName, VALID_TOOL_NAME } from './naming';
export { poolToolSource, type PoolToolSourceOptions } from './pool-tool-source';
export type { UpstreamServer, UpstreamServerKind, UpstreamToolSource, UpstreamCallOptions } from './ports';
export * from './protocol';
export * from './types';
export { UnknownResourceError } from './forwarding';
