/**
 * MCPProfileManager: which servers a command needs (from mcp-profiles.yaml), and starting only
 * those — all at once when the profile has `parallel_init`, else one after another. A server that
 * fails to start is reported in the result, never thrown: the hierarchy works with what is up.
 */
import { ProfilesConfigLoader } from '../config/load-config';
import type { ProfileConfig, ProfilesConfig } from '../config/types';
import type { ConfigError } from '../errors';
import type { ConfigLocations } from '../ports';

export interface ServerStartFailure {
  server: string;
  error: string;
}

export interface ActivatedProfile {
  command: string;
  profile: string;
  parallel: boolean;
  /** Servers that started (or were already running), in the order they finished. */
  started: string[];
  failed: ServerStartFailure[];
  durationMs: number;
}

/** Starts one server; resolves when it is ready. The connection pool's lazy start. */
export type StartServer = (name: string) => Promise<void>;

/** Used when the configuration has no profiles at all: start nothing. */
const EMPTY_PROFILE: ProfileConfig = {
  name: 'none',
  description: 'No profiles configured',
  servers: [],
  parallelInit: true,
};

export class MCPProfileManager {
  private config: ProfilesConfig;
  private selected: string | undefined;
  private lastActivated: string | undefined;

  constructor(config: ProfilesConfig) {
    this.config = config;
  }

  /** The guide's `MCPProfileManager.create`: reads the layered mcp-profiles.yaml. */
  static async create(locations: ConfigLocations): Promise<{ manager: MCPProfileManager; errors: ConfigError[] }> {
    const { config, errors } = await new ProfilesConfigLoader(locations).load();
    return { manager: new MCPProfileManager(config), errors };
  }

  /** Applies a reloaded configuration; a selection that no longer exists is cleared. */
  update(config: ProfilesConfig): void {
    this.config = config;
    if (this.selected !== undefined && !this.find(this.selected)) this.selected = undefined;
  }

  listProfiles(): string[] {
    return this.config.profiles.map((p) => p.name);
  }

  /** The profile currently in force: the selected one, else the last activated, else the default. */
  get activeProfile(): string {
    return this.selected ?? this.lastActivated ?? this.defaultProfile().name;
  }

  /** The selected override, if any. */
  get selectedProfile(): string | undefined {
    return this.selected;
  }

  /**
   * Overrides the profile for every command until cleared with `select(undefined)`.
   * Throws for an unknown profile name (a caller bug or a stale UI choice the user should see).
   */
  select(name: string | undefined): void {
    if (name !== undefined && !this.find(name))
      throw new Error(`Unknown MCP profile "${name}". Known: ${this.listProfiles().join(', ') || 'none'}`);
    this.selected = name;
  }

  /** The profile a command uses: the selected override, its mapping, or the default profile. */
  profileFor(command: string): ProfileConfig {
    if (this.selected !== undefined) {
      const selected = this.find(this.selected);
      if (selected) return selected;
    }
    const mapped = Object.prototype.hasOwnProperty.call(this.config.commands, command)
      ? this.config.commands[command]
      : undefined;
    return (mapped !== undefined ? this.find(mapped) : undefined) ?? this.defaultProfile();
  }

  /** Starts the servers the command's profile needs. Never rejects because a server failed. */
  async activateForCommand(command: string, startServer: StartServer): Promise<ActivatedProfile> {
    const profile = this.profileFor(command);
    this.lastActivated = profile.name;
    const begin = performance.now();
    const servers = [...new Set(profile.servers)];
    const started: string[] = [];
    const failed: ServerStartFailure[] = [];
    const startOne = async (server: string): Promise<void> => {
      try {
        await startServer(server);
        started.push(server);
      } catch (error) {
        failed.push({ server, error: error instanceof Error ? error.message : String(error) });
      }
    };
    if (profile.parallelInit) {
      await Promise.all(servers.map(startOne));
    } else {
      for (const server of servers) await startOne(server);
    }
    return {
      command,
      profile: profile.name,
      parallel: profile.parallelInit,
      started,
      failed,
      durationMs: performance.now() - begin,
    };
  }

  private find(name: string): ProfileConfig | undefined {
    return this.config.profiles.find((p) => p.name === name);
  }

  private defaultProfile(): ProfileConfig {
    return this.find(this.config.defaultProfile) ?? this.config.profiles[0] ?? EMPTY_PROFILE;
  }
}
