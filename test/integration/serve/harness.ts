/**
 * `serve` as its clients meet it, over both transports: stdio (the real CLI bundle, spawned the way
 * an MCP client configuration would) and Streamable HTTP (`startHttpServe` in this process over a
 * real runtime, the way the extension host runs it). Behind it: real context7 on the loopback API,
 * real memory-bank, and the faulty stand-in (hangs on `sleep`, changes its tools on `add_tool`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { stringify } from 'yaml';
import type { McpIntegrationApi } from '../../../src/core/api';
import { serialiseSends } from '../../../src/core/mcp/serial-send';
import { startHttpServe } from '../../../src/core/serve/http';
import { testConfig } from '../../helpers/config-files';
import { tsxImport } from '../../helpers/servers';
import { testHost, RuntimeTracker } from '../runtime/host';
import { cliBundle } from '../cli/cli-runner';

/** The stand-in's call timeout: a hung call must end as a tool error within it. */
export const STANDIN_CALL_TIMEOUT_MS = 1500;
/** A profile that shows context7 and the stand-in, without its `sleep`. */
export const FILTER_PROFILE = 'agent-docs';
const TOKEN = 'serve-integration-token-5d1f08a2c4';

const faultyServerFile = path.resolve(__dirname, '..', '..', 'fixtures', 'servers', 'faulty-server.ts');

export interface ServeFolders {
  configDir: string;
  storageDir: string;
  workspaceDir: string;
}

/**
 * Writes the user configuration: the test servers plus the stand-in, and `mcp-profiles.yaml`
 * with {@link FILTER_PROFILE}; `filtered` makes it the profile of the `gateway` command.
 */
export function writeServeConfig(folders: ServeFolders, apiUrl: string, filtered = false): void {
  const config = testConfig(folders.configDir, {
    context7ApiUrl: apiUrl,
    memoryTimeoutMs: 10_000,
    preloadStrategy: 'off',
  });
  const servers = config['servers'] as Record<string, unknown>;
  servers['standin'] = {
    kind: 'generic',
    command: process.execPath,
    args: ['--import', tsxImport, faultyServerFile],
    env: { FAULTY_MODE: 'ok' },
    timeouts: { initialize_ms: 15_000, list_ms: 5_000, call_ms: STANDIN_CALL_TIMEOUT_MS },
  };
  mkdirSync(folders.configDir, { recursive: true });
  writeFileSync(path.join(folders.configDir, 'mcp-config.yaml'), stringify(config));
  const profiles = {
    profiles: {
      [FILTER_PROFILE]: {
        description: 'What a docs agent needs',
        servers: ['context7', 'standin'],
        tools: { servers: ['context7', 'standin'], deny: ['standin/sleep'] },
      },
    },
    ...(filtered ? { commands: { gateway: FILTER_PROFILE } } : {}),
  };
  writeFileSync(path.join(folders.configDir, 'mcp-profiles.yaml'), stringify(profiles));
}

export interface ServeTarget {
  client: Client;
  /** The HTTP endpoint (HTTP only). */
  url?: string;
  /** Resolves with the refreshed tool names at the next `notifications/tools/list_changed`. */
  nextToolListChange(): Promise<string[]>;
  close(): Promise<void>;
}

/** Starts `serve` on the folders and connects a fresh SDK client named `name`. */
export type ServeStarter = (folders: ServeFolders, name: string) => Promise<ServeTarget>;

/** A client that refreshes its tool list on `list_changed` (legacy: the notification; modern: a listen stream). */
function listeningClient(
  name: string,
  options: ConstructorParameters<typeof Client>[1] = {},
): { client: Client; nextToolListChange: () => Promise<string[]> } {
  const waiters: Array<(names: string[]) => void> = [];
  const client = new Client(
    { name, version: '1.0.0' },
    {
      ...options,
      listChanged: {
        tools: {
          onChanged: (error, tools) => {
            if (error || !tools) return;
            const names = tools.map((tool) => tool.name);
            waiters.splice(0).forEach((wake) => wake(names));
          },
        },
      },
    },
  );
  return { client, nextToolListChange: () => new Promise((resolve) => waiters.push(resolve)) };
}

/** The command line of `mcp-integration serve` over stdio on `folders`, as an MCP client config has it. */
export function serveCommandLine(folders: ServeFolders): { command: string; args: string[] } {
  return {
    command: process.execPath,
    args: [
      cliBundle,
      '--config',
      folders.configDir,
      '--storage',
      folders.storageDir,
      '--workspace',
      folders.workspaceDir,
      'serve',
    ],
  };
}

/** `mcp-integration serve` over stdio: the CLI bundle as a child process; a 2025-era client. */
export const stdioServe: ServeStarter = async (folders, name) => {
  // Queued writes, as the runtime's own stdio transport: hundreds of concurrent calls share one pipe.
  const transport = serialiseSends(new StdioClientTransport({ ...serveCommandLine(folders), stderr: 'ignore' }));
  const { client, nextToolListChange } = listeningClient(name);
  await client.connect(transport);
  return { client, nextToolListChange, close: () => client.close() };
};

/**
 * `startHttpServe` over a runtime in this process, with a 2026-07-28 client (the era whose
 * stateless HTTP carries server notifications, on its `subscriptions/listen` stream).
 */
export const httpServe: ServeStarter = async (folders, name) => {
  const runtimes = new RuntimeTracker();
  const runtime: McpIntegrationApi = await runtimes.create(testHost(folders));
  // 500 concurrent calls (each on its own connection) are the point of one test; the caps are not.
  const served = await startHttpServe(runtime, {
    tokens: [TOKEN],
    port: 0,
    client: 'http-test-fallback',
    limits: { maxInFlight: 2000, maxUnprovenConnections: 2000 },
  });
  const transport = new StreamableHTTPClientTransport(new URL(served.url), {
    requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
  });
  const { client, nextToolListChange } = listeningClient(name, {
    versionNegotiation: { mode: { pin: '2026-07-28' } },
  });
  await client.connect(transport);
  return {
    client,
    url: served.url,
    nextToolListChange,
    close: async () => {
      await client.close();
      await served.close();
      await runtimes.shutdownAll();
    },
  };
};

/** The bearer token `httpServe` accepts. */
export const HTTP_TOKEN = TOKEN;

/**
 * The tool names once every server named by `prefixes` has listed its tools. A listing answers
 * without a server that is still starting (a busy machine) and announces it with `list_changed`
 * when it arrives; this lists again at each announcement (or each second), bounded.
 */
export async function toolsOnceListed(target: ServeTarget, prefixes: string[], timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const changed = target.nextToolListChange();
    const names = (await target.client.listTools()).tools.map((tool) => tool.name);
    const missing = prefixes.filter((prefix) => !names.some((name) => name.startsWith(prefix)));
    if (missing.length === 0) return names;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no tools from ${missing.join(', ')} within ${timeoutMs} ms: ${names.join(', ')}`);
    // Listed again at the announcement, or after a second at most (a listing also starts them).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([changed, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.min(left, 1000))))]);
    clearTimeout(timer);
  }
}
