/**
 * The entry points the runtime uses: the layered `mcp-config.yaml` (plus servers imported from the
 * workspace's mcp.json files, placeholders resolved) and the layered `mcp-profiles.yaml`. Each loader
 * keeps the last good content of every file between reloads.
 */
import type { ConfigError } from '../errors';
import type { ServerDefinition } from '../mcp/types';
import type { ConfigLocations, SecretsPort } from '../ports';
import { sortErrors } from './issues';
import { LayeredConfigStore, type LayerState } from './layered-store';
import { MCP_CONFIG_RECOVERABLE, mcpConfigSchema, type McpConfigFile } from './mcp-config-schema';
import { loadWorkspaceMcpJson } from './mcp-json';
import { normaliseMcpConfig, normaliseServers } from './normalise';
import { resolveServers } from './placeholders';
import { resolveSharedCache } from './shared-cache';
import {
  MCP_PROFILES_RECOVERABLE,
  mcpProfilesSchema,
  normaliseProfiles,
  type McpProfilesFile,
} from './profiles-schema';
import type { McpConfig, ProfilesConfig } from './types';

export const MCP_CONFIG_FILE = 'mcp-config.yaml';
export const MCP_PROFILES_FILE = 'mcp-profiles.yaml';

export interface McpConfigLoaderOptions {
  locations: ConfigLocations;
  secrets: SecretsPort;
  /** Environment for `${env:…}`; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** The open workspace folder: `${workspaceFolder}` and where `.vscode/mcp.json` / `.mcp.json` are read. Default: none. */
  workspaceFolder?: string;
  /** Import servers from the workspace's `.vscode/mcp.json` and `.mcp.json` (default true). */
  importMcpJson?: boolean;
  /** Whether the workspace's trigger patterns apply (default: trusted). */
  isWorkspaceTrusted?: () => boolean;
}

export interface LoadedMcpConfig {
  config: McpConfig;
  /** Every server, placeholders resolved; ones that could not be resolved come back disabled. */
  servers: ServerDefinition[];
  errors: ConfigError[];
  layers: LayerState[];
}

export class McpConfigLoader {
  private readonly store: LayeredConfigStore<McpConfigFile>;

  constructor(private readonly options: McpConfigLoaderOptions) {
    this.store = new LayeredConfigStore(mcpConfigSchema, {
      fileName: MCP_CONFIG_FILE,
      locations: options.locations,
      recoverable: MCP_CONFIG_RECOVERABLE,
      // Trigger patterns run on every question; the shared cache decides where answers go.
      restricted: { keys: ['smart_triggers', 'shared_cache'], isTrusted: options.isWorkspaceTrusted ?? (() => true) },
    });
  }

  /** (Re)reads every layer; never throws for bad content — problems come back in `errors`. */
  async load(): Promise<LoadedMcpConfig> {
    const layered = await this.store.load();
    const errors = [...layered.errors];
    const placeholders = {
      secrets: this.options.secrets,
      env: this.options.env,
      workspaceFolder: this.options.workspaceFolder,
    };
    const normalised = normaliseMcpConfig(layered.value, layered);
    const shared = await resolveSharedCache(normalised.sharedCache, placeholders, (key) =>
      layered.locate(['shared_cache', key]),
    );
    errors.push(...shared.errors);
    const config = { ...normalised, sharedCache: shared.config };
    const fromYaml = normaliseServers(layered.value, layered);
    errors.push(...fromYaml.errors);
    const locations = new Map(fromYaml.servers.map((s) => [s.name, layered.locate(['servers', s.name])]));
    const servers = [...fromYaml.servers];
    if (this.options.workspaceFolder && this.options.importMcpJson !== false) {
      const imported = await loadWorkspaceMcpJson(this.options.workspaceFolder);
      errors.push(...imported.errors);
      // A server of the same name declared in YAML wins (it is the more specific configuration).
      for (const server of imported.servers) {
        if (servers.some((s) => s.name === server.name)) continue;
        servers.push(server);
        const at = imported.locations.get(server.name);
        if (at) locations.set(server.name, at);
      }
    }
    const resolved = await resolveServers(
      servers,
      placeholders,
      (server) => locations.get(server.name) ?? { file: MCP_CONFIG_FILE, line: 1, column: 1 },
    );
    errors.push(...resolved.errors);
    return { config, servers: resolved.servers, errors: sortErrors(errors), layers: layered.layers };
  }
}

export interface LoadedProfiles {
  config: ProfilesConfig;
  errors: ConfigError[];
  layers: LayerState[];
}

export class ProfilesConfigLoader {
  private readonly store: LayeredConfigStore<McpProfilesFile>;

  constructor(locations: ConfigLocations) {
    this.store = new LayeredConfigStore(mcpProfilesSchema, {
      fileName: MCP_PROFILES_FILE,
      locations,
      recoverable: MCP_PROFILES_RECOVERABLE,
    });
  }

  async load(): Promise<LoadedProfiles> {
    const layered = await this.store.load();
    const { config, errors } = normaliseProfiles(layered.value, (path) => layered.locate(path));
    return { config, errors: sortErrors([...layered.errors, ...errors]), layers: layered.layers };
  }
}

/** One-shot convenience: load `mcp-config.yaml` once. */
export function loadMcpConfig(options: McpConfigLoaderOptions): Promise<LoadedMcpConfig> {
  return new McpConfigLoader(options).load();
}

/** One-shot convenience: load `mcp-profiles.yaml` once. */
export function loadProfilesConfig(locations: ConfigLocations): Promise<LoadedProfiles> {
  return new ProfilesConfigLoader(locations).load();
}
