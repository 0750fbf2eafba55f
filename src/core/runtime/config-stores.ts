/**
 * The three configuration files, each layered (shipped defaults < user < workspace) and each
 * keeping its last good content when an edit breaks it. One `load()` re-reads all three.
 */
import { LayeredConfigStore } from '../config/layered-store';
import { McpConfigLoader, ProfilesConfigLoader } from '../config/load-config';
import type { McpConfig, ProfilesConfig } from '../config/types';
import type { ConfigError } from '../errors';
import { libraryCacheSchema, type LibraryCacheFile } from '../libraries/schema';
import type { ServerDefinition } from '../mcp/types';
import type { HostPorts } from '../ports';

export const LIBRARY_CACHE_FILE = 'library-cache.yaml';
/** One bad library or pattern is reported and dropped; the rest of the file still applies. */
const LIBRARY_CACHE_RECOVERABLE = ['common_libraries.*', 'detection_patterns.*.*'];

export interface LoadedConfiguration {
  mcp: McpConfig;
  servers: ServerDefinition[];
  profiles: ProfilesConfig;
  libraries: LibraryCacheFile;
  errors: ConfigError[];
  /** `file: key` for each workspace setting left out because the workspace is not trusted. */
  untrustedSettings: string[];
}

export class ConfigLayerStores {
  private readonly mcp: McpConfigLoader;
  private readonly profiles: ProfilesConfigLoader;
  private readonly libraries: LayeredConfigStore<LibraryCacheFile>;

  constructor(ports: HostPorts) {
    this.mcp = new McpConfigLoader({
      locations: ports.config,
      secrets: ports.secrets,
      workspaceFolder: ports.workspaceFolder,
      isWorkspaceTrusted: ports.isWorkspaceTrusted,
    });
    this.profiles = new ProfilesConfigLoader(ports.config);
    this.libraries = new LayeredConfigStore(libraryCacheSchema, {
      fileName: LIBRARY_CACHE_FILE,
      locations: ports.config,
      recoverable: LIBRARY_CACHE_RECOVERABLE,
    });
  }

  async load(): Promise<LoadedConfiguration> {
    const [mcp, profiles, libraries] = await Promise.all([
      this.mcp.load(),
      this.profiles.load(),
      this.libraries.load(),
    ]);
    return {
      mcp: mcp.config,
      servers: mcp.servers,
      profiles: profiles.config,
      libraries: libraries.value,
      errors: [...mcp.errors, ...profiles.errors, ...libraries.errors],
      untrustedSettings: mcp.layers.flatMap((l) => (l.untrustedKeys ?? []).map((key) => `${l.file}: ${key}`)),
    };
  }
}
