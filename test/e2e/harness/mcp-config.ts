/**
 * Writes the MCP Integration configuration a test's code-server uses: `mcp-config.yaml` with the
 * servers as absolute `node <script>` commands from this project's node_modules (so nothing depends
 * on the extension host's PATH or working directory).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ServerDefinition } from '../../../src/core/mcp/types';

/** The file name the configuration loader reads from each config folder. */
export const MCP_CONFIG_FILE_NAME = 'mcp-config.yaml';

/** One `servers.<name>` entry of `mcp-config.yaml`, in the snake_case users write. */
export function serverEntry(server: ServerDefinition): Record<string, unknown> {
  const transport = server.transport;
  const common = {
    kind: server.kind,
    enabled: server.enabled,
    timeouts: {
      initialize_ms: server.timeouts.initializeMs,
      list_ms: server.timeouts.listMs,
      call_ms: server.timeouts.callMs,
    },
  };
  if (transport.transport === 'http')
    return { ...common, transport: 'http', url: transport.url, headers: transport.headers };
  return {
    ...common,
    transport: 'stdio',
    command: transport.command,
    args: transport.args,
    env: transport.env,
    ...(transport.cwd ? { cwd: transport.cwd } : {}),
  };
}

/** Writes `<dir>/mcp-config.yaml` declaring `servers` (plus any other top-level `extra` keys). */
export function writeMcpConfig(
  dir: string,
  servers: readonly ServerDefinition[],
  extra: Record<string, unknown> = {},
): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, MCP_CONFIG_FILE_NAME);
  const document = {
    ...extra,
    servers: Object.fromEntries(servers.map((server) => [server.name, serverEntry(server)])),
  };
  writeFileSync(file, `# Written by the end-to-end harness.\n${stringify(document)}`);
  return file;
}
