/** A ConnectionPool for tests: temp storage, silent logs, server stderr kept per server for assertions. */
import { ConnectionPool } from '../../src/core/mcp/connection-pool';
import type { ConnectionPoolOptions } from '../../src/core/mcp/connection-pool';
import type { ServerDefinition } from '../../src/core/mcp/types';
import type { Logger } from '../../src/core/ports';
import { silentLogger } from '../../src/core/ports';
import { tempDir } from './temp';

export interface TestPool {
  pool: ConnectionPool;
  storageDir: string;
  /** stderr lines per server name. */
  stderr: Map<string, string[]>;
}

function collectingLogger(lines: string[]): Logger {
  const push = (message: string): void => void lines.push(message);
  return { trace: push, debug: push, info: push, warn: push, error: push };
}

export function createTestPool(
  definitions: ServerDefinition[],
  options: Partial<Omit<ConnectionPoolOptions, 'definitions'>> = {},
): TestPool {
  const stderr = new Map<string, string[]>();
  const storageDir = options.storageDir ?? tempDir('mcp-pool-');
  const pool = new ConnectionPool({
    definitions,
    storageDir,
    logger: silentLogger,
    serverLogger: (name) => {
      const lines = stderr.get(name) ?? [];
      stderr.set(name, lines);
      return collectingLogger(lines);
    },
    ...options,
  });
  return { pool, storageDir, stderr };
}
