import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { silentLogger } from '../../../src/core/ports';
import type { CachedAnswer } from '../../../src/core/store/cache-types';
import { partitionPolicy } from '../../../src/core/store/partitions';
import { RedisSharedCache } from '../../../src/core/store/redis-shared-cache';
import { ResultCache } from '../../../src/core/store/result-cache';
import type { SharedCacheLevel, SharedCacheState } from '../../../src/core/store/shared-level';
import { TestRedis } from '../../helpers/redis-server';
import { cleanTempDirsAfter } from '../../helpers/temp';

const PREFIX = 'deg:';
const OP_TIMEOUT_MS = 300;
const docs = (content: string): CachedAnswer => ({
  content,
  source: 'docs',
  contextType: 'library_api',
  storedAt: Date.now(),
  metadata: { server: 'context7' },
});
const sharedKey = (key: string): string => `${PREFIX}v1:s:${createHash('sha256').update(key).digest('hex')}`;

/** Resolves when the level reaches `state` (at once if it is there), rejects after `timeoutMs`. */
function reaches(level: SharedCacheLevel, state: SharedCacheState, timeoutMs = 15_000): Promise<void> {
  if (level.health().state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`still ${level.health().state}, not ${state}, after ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = level.onStateChange((health) => {
      if (health.state !== state) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

describe('shared level degradation on a real Redis', function () {
  const tempDir = cleanTempDirsAfter();
  let redis: TestRedis;
  let shared: RedisSharedCache;
  let cache: ResultCache;

  beforeEach(async () => {
    redis = await TestRedis.start();
    shared = new RedisSharedCache({
      url: redis.url,
      prefix: PREFIX,
      partition: 'ada',
      policy: partitionPolicy({ sharedServers: ['context7'], privateServers: [] }),
      opTimeoutMs: OP_TIMEOUT_MS,
      connectTimeoutMs: 1_000,
      lease: { ttlMs: 2_000, waitMs: 2_000, maxHoldMs: 10_000 },
      logger: silentLogger,
    });
    cache = new ResultCache({ cacheDir: tempDir('degradation-'), shared, logger: silentLogger });
    assert.ok(await shared.whenReady(5_000));
  });

  afterEach(async () => {
    await cache.close();
    await redis.stop();
  });

  it('Redis stopped: lookups answer from the local levels without waiting, and Redis is used again once it returns', async () => {
    await cache.set('before', docs('written while up'), 60);
    await cache.flush();
    assert.equal(await redis.command(`EXISTS ${sharedKey('before')}`), ':1');

    await redis.stop();
    await reaches(shared, 'down');
    const started = performance.now();
    assert.equal(await cache.get('never stored', 'use', { claim: true }), undefined);
    assert.ok(performance.now() - started < OP_TIMEOUT_MS, 'a down Redis is skipped, not waited for');
    assert.equal((await cache.get('before'))?.value.content, 'written while up', 'the local levels still answer');
    const written = await cache.set('during', docs('written while down'), 60);
    assert.equal(written.persisted, true, 'the disk level keeps what Redis cannot');
    assert.ok(shared.health().skipped > 0);

    await redis.start();
    await reaches(shared, 'up');
    await cache.set('after', docs('written after the return'), 60);
    await cache.flush();
    assert.equal(await redis.command(`EXISTS ${sharedKey('after')}`), ':1', 'the shared level is used again');
  });

  it('Redis hanging: operations time out, then it is skipped until a probe finds it answering again', async () => {
    redis.freeze();
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      assert.equal(await cache.get(`hung ${i}`), undefined);
      assert.ok(performance.now() - started < OP_TIMEOUT_MS * 4, 'each read is bounded by the operation timeout');
    }
    await reaches(shared, 'slow');
    const started = performance.now();
    assert.equal(await cache.get('while slow'), undefined);
    assert.ok(performance.now() - started < OP_TIMEOUT_MS, 'a slow Redis is skipped at once');

    redis.thaw();
    await reaches(shared, 'up');
    await cache.set('after thaw', docs('back'), 60);
    await cache.flush();
    assert.equal(await redis.command(`EXISTS ${sharedKey('after thaw')}`), ':1');
  });

  it('Redis full: writes are refused and reported, reads still answer', async () => {
    await cache.set('kept', docs('stored before it filled up'), 60);
    await cache.flush();
    assert.equal(await redis.command('CONFIG SET maxmemory 1'), '+OK');
    await cache.set('refused', docs('no room'), 60);
    await cache.flush();
    assert.equal(shared.health().state, 'full');
    assert.match(shared.health().lastError ?? '', /^OOM/);
    cache.clearMemory();
    const other = new ResultCache({ shared });
    assert.equal((await other.get('kept'))?.level, 'shared', 'reads continue while writes are refused');
  });
});
