/**
 * The connection pool as the gateway's `UpstreamToolSource`. The only gateway file that knows the
 * pool and the SDK it runs on: moving the pool to another SDK version changes this file alone.
 *
 * Two things the pool does not expose yet are read from what it already publishes: the version a
 * server reported (from its persisted tool-list file, written before `listTools` resolves) and
 * tool-list changes (from the tool names in its status events; a change of descriptions or schemas
 * under the same names is not seen here).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConnectionPool } from '../mcp/connection-pool';
import { definitionHash } from '../mcp/tool-list-cache';
import type { ServerDefinition } from '../mcp/types';
import type { Disposable } from '../ports';
import type { UpstreamServer, UpstreamToolSource } from './ports';
import type { ToolCallResult, ToolDefinition } from './protocol';

export interface PoolToolSourceOptions {
  pool: ConnectionPool;
  /** The current server definitions (the pool serves the enabled ones). */
  definitions: () => readonly ServerDefinition[];
  /** The folder the pool persists its tool lists in (`ConnectionPoolOptions.storageDir`). */
  storageDir: string;
}

export function poolToolSource(options: PoolToolSourceOptions): UpstreamToolSource {
  const { pool } = options;
  const definition = (name: string): ServerDefinition | undefined =>
    options.definitions().find((d) => d.name === name && d.enabled && pool.has(name));
  return {
    servers: (): UpstreamServer[] =>
      options
        .definitions()
        .filter((d) => d.enabled && pool.has(d.name))
        .map((d) => ({ name: d.name, kind: d.kind, costPerCallUsd: d.costPerCallUsd })),
    listTools: async (server, call) =>
      (await pool.caller(server).listTools(call?.signal ? { signal: call.signal } : undefined)) as ToolDefinition[],
    callTool: async (server, tool, args, call) =>
      (await pool
        .caller(server)
        .callTool(tool, args, call?.signal ? { signal: call.signal } : undefined)) as ToolCallResult,
    identity: async (server) => {
      const found = definition(server);
      if (!found) return `${server}@unknown`;
      const hash = definitionHash(found);
      return `${hash}:${(await reportedVersion(options.storageDir, server, hash)) ?? 'unknown'}`;
    },
    onToolsChanged: (listener): Disposable => {
      const lastNames = new Map(pool.statuses().map((status) => [status.name, status.toolNames.join('\n')]));
      return pool.onStatusChange((statuses) => {
        for (const status of statuses) {
          const names = status.toolNames.join('\n');
          const before = lastNames.get(status.name);
          lastNames.set(status.name, names);
          // The first names a server reports are not a change: its list was simply unknown until then.
          if (before !== undefined && before !== '' && before !== names) listener(status.name);
        }
      });
    },
    onCallCompleted: (listener) => pool.onCallComplete((event) => listener(event.server, event.tool)),
  };
}

/** `name@version` the server reported, as the pool persisted it with its tool list. */
async function reportedVersion(storageDir: string, server: string, hash: string): Promise<string | undefined> {
  try {
    const data = JSON.parse(await readFile(path.join(storageDir, 'mcp-tool-lists.json'), 'utf8')) as {
      servers?: Record<string, { definitionHash?: string; serverVersion?: string }>;
    };
    const entry = data.servers?.[server];
    return entry?.definitionHash === hash && typeof entry.serverVersion === 'string' ? entry.serverVersion : undefined;
  } catch {
    return undefined;
  }
}
