/** Public surface of the configuration package. */
export {
  loadYamlText,
  loadYamlFile,
  parseYamlLayer,
  MAX_CONFIG_BYTES,
  type YamlLoadOptions,
  type YamlLoadResult,
} from './yaml-loader';
export {
  LayeredConfigStore,
  type LayeredConfig,
  type LayerState,
  type ConfigLayerName,
  type ConfigLocation,
} from './layered-store';
export { deepMerge } from './merge';
export { formatKeyPath, type SourcePosition } from './locate';
export {
  mcpConfigSchema,
  serverSchema,
  triggerPatternSchema,
  MCP_CONFIG_RECOVERABLE,
  type McpConfigFile,
} from './mcp-config-schema';
export {
  mcpProfilesSchema,
  normaliseProfiles,
  MCP_PROFILES_RECOVERABLE,
  type McpProfilesFile,
} from './profiles-schema';
export {
  McpConfigLoader,
  ProfilesConfigLoader,
  loadMcpConfig,
  loadProfilesConfig,
  MCP_CONFIG_FILE,
  MCP_PROFILES_FILE,
  type LoadedMcpConfig,
  type LoadedProfiles,
  type McpConfigLoaderOptions,
} from './load-config';
export { loadWorkspaceMcpJson, parseMcpJsonText, inputToSecret, type McpJsonResult } from './mcp-json';
export {
  resolvePlaceholders,
  resolveServerDefinition,
  resolveServers,
  UnresolvedPlaceholderError,
  type PlaceholderContext,
} from './placeholders';
export { inferServerKind } from './server-kind';
export * from './types';
