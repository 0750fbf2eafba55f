/**
 * Starts the real connection pool over a set of server definitions for one test suite, and shuts
 * it down (no process left) after the suite.
 */
import path from 'node:path';
import { ConnectionPool } from '../../../src/core/mcp/connection-pool';
import type { ServerDefinition } from '../../../src/core/mcp/types';
import { silentLogger } from '../../../src/core/ports';
import { tsxImport } from '../../helpers/servers';
import { tempDir } from '../../helpers/temp';

export function startPool(definitions: ServerDefinition[]): ConnectionPool {
  return new ConnectionPool({
    definitions,
    storageDir: tempDir('adapters-pool-'),
    logger: silentLogger,
    serverLogger: () => silentLogger,
  });
}

/** TEST FIXTURE: a github-like server that throws -32603 "fetch failed" on every search. */
export function githubOfflineServer(): ServerDefinition {
  return {
    name: 'github-offline',
    kind: 'github',
    enabled: true,
    transport: {
      transport: 'stdio',
      command: process.execPath,
      args: ['--import', tsxImport, path.join(__dirname, 'fixtures', 'github-offline-server.ts')],
      env: {},
    },
    timeouts: { initializeMs: 10_000, listMs: 5_000, callMs: 5_000 },
    costPerCallUsd: 0,
    origin: 'defaults',
  };
}
