/** Host ports for runtime tests: temp storage, the repository's shipped config, a temp user config. */
import path from 'node:path';
import type { McpIntegrationApi, RuntimeSettings } from '../../../src/core/api';
import { type HostPorts, type Logger, type SecretsPort, silentLogger } from '../../../src/core/ports';
import { createRuntime } from '../../../src/core/runtime';

export const shippedConfigDir = path.resolve(__dirname, '..', '..', '..', 'config');

export interface TestHostOptions {
  storageDir: string;
  /** User config folder (holds the test mcp-config.yaml). */
  configDir: string;
  /** Workspace root; its `.mcp-integration/` folder is the workspace config layer. */
  workspaceDir?: string;
  trusted?: boolean;
  logger?: Logger;
  /** Where `${secret:…}` values come from; by default no secret is set. */
  secrets?: SecretsPort;
}

export function testHost(options: TestHostOptions): HostPorts {
  return {
    storageDir: options.storageDir,
    logger: options.logger ?? silentLogger,
    serverLogger: () => silentLogger,
    secrets: options.secrets ?? { get: () => Promise.resolve(undefined) },
    config: {
      defaultsDir: shippedConfigDir,
      userDir: options.configDir,
      ...(options.workspaceDir ? { workspaceDir: path.join(options.workspaceDir, '.mcp-integration') } : {}),
    },
    ...(options.workspaceDir ? { workspaceFolder: options.workspaceDir } : {}),
    isWorkspaceTrusted: () => options.trusted ?? true,
  };
}

/** Runtimes a suite created, so its `after` hook can shut every one down. */
export class RuntimeTracker {
  private readonly runtimes: McpIntegrationApi[] = [];

  async create(host: HostPorts, settings: Partial<RuntimeSettings> = {}): Promise<McpIntegrationApi> {
    const runtime = await createRuntime(host, { installationId: 'test', ...settings });
    this.runtimes.push(runtime);
    return runtime;
  }

  async shutdownAll(): Promise<void> {
    await Promise.all(this.runtimes.splice(0).map((runtime) => runtime.shutdown()));
  }
}
