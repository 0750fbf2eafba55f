/**
 * Servers for the runtime benchmarks, each owned by a scope: the loopback context7 API, a
 * ConnectionPool over real servers (the product's path), and bare SDK clients (the baseline).
 */
import { ConnectionPool } from '../../src/core/mcp/connection-pool';
import type { ServerDefinition } from '../../src/core/mcp/types';
import { silentLogger } from '../../src/core/ports';
import { FakeContext7Api, type FakeContext7ApiOptions } from '../../test/fixtures/context7-api';
import { connectDirect, type DirectClient } from './direct-client';
import type { BenchScope } from './scope';

/** The docs endpoint; one request there is one upstream docs call. */
export const DOCS_PATH = '/api/v2/context';

export async function startContext7Api(
  scope: BenchScope,
  options: FakeContext7ApiOptions = {},
): Promise<FakeContext7Api> {
  return scope.own(await FakeContext7Api.start(options), (api) => api.close());
}

/** Requests the loopback API has served, optionally only those to `path`. */
export function apiRequests(api: FakeContext7Api, path?: string): number {
  return path ? api.requests.filter((request) => request.path === path).length : api.requests.length;
}

export function startPool(scope: BenchScope, definitions: ServerDefinition[]): ConnectionPool {
  const pool = new ConnectionPool({
    definitions,
    storageDir: scope.tempDir('pool'),
    logger: silentLogger,
    serverLogger: () => silentLogger,
  });
  return scope.own(pool, (p) => p.shutdown());
}

export async function startDirect(scope: BenchScope, definition: ServerDefinition): Promise<DirectClient> {
  return scope.own(await connectDirect(definition), (client) => client.close());
}
