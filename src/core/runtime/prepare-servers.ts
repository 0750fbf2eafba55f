/**
 * Last checks before server definitions reach the pool: workspace-declared servers are held back
 * in an untrusted workspace, and folders that servers expect to exist (memory-bank refuses to
 * start without its root) are created.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ServerDefinition } from '../mcp/types';
import type { HostPorts, Logger } from '../ports';
import type { LoadedConfiguration } from './config-stores';

const WORKSPACE_ORIGINS: ReadonlySet<ServerDefinition['origin']> = new Set([
  'workspace',
  'vscode-mcp-json',
  'dot-mcp-json',
]);

export function isWorkspaceDeclared(definition: ServerDefinition): boolean {
  return WORKSPACE_ORIGINS.has(definition.origin);
}

/** Disables servers a workspace declared when the workspace is not trusted (they could run anything). */
export function applyTrust(
  definitions: ServerDefinition[],
  trusted: boolean,
  logger: Logger,
  hint?: string,
): ServerDefinition[] {
  if (trusted) return definitions;
  return definitions.map((definition) => {
    if (!isWorkspaceDeclared(definition) || !definition.enabled) return definition;
    logger.warn(
      `Server "${definition.name}" is declared by the workspace (${describeOrigin(definition)}) and stays off ` +
        `until the workspace is trusted${hint ? `: ${hint}` : ''}`,
    );
    return { ...definition, enabled: false };
  });
}

function describeOrigin(definition: ServerDefinition): string {
  if (definition.origin === 'vscode-mcp-json') return '.vscode/mcp.json';
  if (definition.origin === 'dot-mcp-json') return '.mcp.json';
  return '.mcp-integration/mcp-config.yaml';
}

/** Creates MEMORY_BANK_ROOT and the folder of MEMORY_FILE_PATH for the servers that need them. */
export async function ensureServerFolders(definitions: ServerDefinition[], logger: Logger): Promise<void> {
  for (const definition of definitions) {
    if (!definition.enabled || definition.transport.transport !== 'stdio') continue;
    const env = definition.transport.env;
    const folders = [
      definition.kind === 'memory-bank' ? env.MEMORY_BANK_ROOT : undefined,
      definition.kind === 'server-memory' && env.MEMORY_FILE_PATH ? path.dirname(env.MEMORY_FILE_PATH) : undefined,
    ].filter((folder): folder is string => Boolean(folder));
    for (const folder of folders) {
      await fs
        .mkdir(folder, { recursive: true })
        .catch((error: unknown) => logger.warn(`Could not create ${folder} for server "${definition.name}"`, error));
    }
  }
}

/** The definitions the pool gets from a loaded configuration: trust applied, folders created. */
export async function serversToRun(
  loaded: LoadedConfiguration,
  ports: Pick<HostPorts, 'logger' | 'isWorkspaceTrusted' | 'untrustedHint'>,
): Promise<ServerDefinition[]> {
  const trusted = ports.isWorkspaceTrusted?.() ?? true;
  for (const setting of loaded.untrustedSettings)
    ports.logger.warn(
      `${setting} is ignored until the workspace is trusted${ports.untrustedHint ? `: ${ports.untrustedHint}` : ''}`,
    );
  const servers = applyTrust(loaded.servers, trusted, ports.logger, ports.untrustedHint);
  await ensureServerFolders(servers, ports.logger);
  return servers;
}
