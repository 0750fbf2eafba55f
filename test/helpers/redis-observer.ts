/**
 * A test's own connection to a test Redis, for the values the inline helper of `redis-server.ts`
 * cannot read (bulk strings, arrays, `INFO` sections): what a store wrote, exactly as Redis holds it.
 */
import { strict as assert } from 'node:assert';
import { silentLogger } from '../../src/core/ports';
import { RedisConnection } from '../../src/core/store/redis-connection';
import { SharedHealth } from '../../src/core/store/shared-health';

export interface RedisObserver {
  /** Runs one command; fails the test if Redis does not answer it. */
  command(...args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

export async function observeRedis(url: string): Promise<RedisObserver> {
  const connection = new RedisConnection({
    url,
    opTimeoutMs: 2_000,
    health: new SharedHealth('redis://observer', 'observer', Date.now),
    logger: silentLogger,
  });
  assert.ok(await connection.whenReady(5_000), 'the observer connected');
  return {
    async command(...args) {
      const result = await connection.command(args);
      assert.ok(result.ok, `${args[0] ?? 'the command'} answered`);
      return result.value;
    },
    close: () => connection.close(),
  };
}
