import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import type { Logger } from '../../../src/core/ports';
import { silentLogger } from '../../../src/core/ports';
import type { CacheEntry } from '../../../src/core/store/cache-types';
import type { PartitionPolicy } from '../../../src/core/store/partitions';
import { RedisSharedCache, type RedisSharedCacheOptions } from '../../../src/core/store/redis-shared-cache';
import type { SharedCacheState } from '../../../src/core/store/shared-level';
import { observeRedis, type RedisObserver } from '../../helpers/redis-observer';
import { freePort, TestRedis } from '../../helpers/redis-server';
import { waitFor } from '../../helpers/wait';

const PREFIX = 'unit:';
const hash = (key: string): string => createHash('sha256').update(key).digest('hex');
const sharedKey = (key: string): string => `${PREFIX}v1:s:${hash(key)}`;
const teamKey = (key: string): string => `${PREFIX}v1:t:${hash(key)}`;
const privateKey = (partition: string, key: string): string =>
  `${PREFIX}v1:p:${encodeURIComponent(partition)}:${hash(key)}`;

/** Content decides the partition, so one policy serves every instance of a test. */
const byContent: PartitionPolicy = {
  partitionOf: (answer) =>
    answer.content.startsWith('shared') ? 'shared' : answer.content.startsWith('team') ? 'team' : 'private',
};

const entry = (content: string, expiresAt = Date.now() + 60_000): CacheEntry => ({
  value: { content, source: 'docs', contextType: 'library_api', storedAt: 1 },
  expiresAt,
});

function warnings(lines: string[]): Logger {
  return {
    ...silentLogger,
    warn: (message) => void lines.push(message),
    info: (m) => void lines.push(m),
    debug: (m) => void lines.push(m),
  };
}

describe('store/redis-shared-cache on a real Redis', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let observer: RedisObserver;
  const open: RedisSharedCache[] = [];

  before(async () => {
    redis = await TestRedis.start();
    observer = await observeRedis(redis.url);
  });
  after(async () => {
    await observer.close();
    await redis.stop();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((cache) => cache.close()));
    await redis.command('FLUSHALL');
  });

  function make(partition: string, overrides: Partial<RedisSharedCacheOptions> = {}): RedisSharedCache {
    const cache = new RedisSharedCache({
      url: redis.url,
      prefix: PREFIX,
      partition,
      policy: byContent,
      opTimeoutMs: 2_000,
      lease: { ttlMs: 2_000, waitMs: 2_000, maxHoldMs: 10_000 },
      logger: silentLogger,
      ...overrides,
    });
    open.push(cache);
    return cache;
  }

  async function instance(
    partition: string,
    overrides: Partial<RedisSharedCacheOptions> = {},
  ): Promise<RedisSharedCache> {
    const cache = make(partition, overrides);
    assert.ok(await cache.whenReady(5_000), 'connected');
    return cache;
  }

  const raw = (...args: string[]): Promise<unknown> => observer.command(...args);
  const keys = async (): Promise<string[]> => ((await raw('KEYS', '*')) as string[]).sort();

  it('keeps each answer under its partition key, below the prefix, in an envelope naming the partition', async () => {
    const cache = await instance('ada lovelace/x');
    assert.ok(await cache.set('q', entry('private answer')));
    assert.ok(await cache.set('docs', entry('shared docs')));
    assert.ok(await cache.set('fix', entry('team fix')));
    assert.deepEqual(await keys(), [privateKey('ada lovelace/x', 'q'), sharedKey('docs'), teamKey('fix')].sort());
    assert.ok(privateKey('ada lovelace/x', 'q').includes(':p:ada%20lovelace%2Fx:'));
    const partitionOf = async (redisKey: string): Promise<unknown> =>
      (JSON.parse((await raw('GET', redisKey)) as string) as { partition: unknown }).partition;
    assert.equal(await partitionOf(privateKey('ada lovelace/x', 'q')), 'private:ada lovelace/x');
    assert.equal(await partitionOf(sharedKey('docs')), 'shared');
    assert.equal(await partitionOf(teamKey('fix')), 'team');
    assert.equal(cache.health().writes, 3);
    assert.equal(cache.health().partition, 'ada lovelace/x');
  });

  it('reads private first, then shared, then team; others read only shared and team; delete spares the team', async () => {
    const ada = await instance('ada');
    const bob = await instance('bob');
    assert.ok(await ada.set('q', entry('private to ada')));
    assert.ok(await ada.set('q', entry('shared answer')));
    assert.ok(await bob.set('q', entry('team answer')));
    assert.equal((await ada.get('q'))?.value.content, 'private to ada');
    assert.equal((await bob.get('q'))?.value.content, 'shared answer');
    await ada.delete('q');
    assert.deepEqual(await keys(), [teamKey('q')], "ada's private and the shared value are gone");
    assert.equal((await ada.get('q'))?.value.content, 'team answer');
    assert.equal((await bob.get('other'))?.value.content, undefined);
    assert.deepEqual([ada.health().lookups, ada.health().hits, bob.health().lookups, bob.health().hits], [2, 2, 2, 1]);
    assert.equal(bob.health().hitRate, 0.5);
  });

  it('another prefix is another cache', async () => {
    const ada = await instance('ada');
    const elsewhere = await instance('ada', { prefix: 'other:' });
    assert.ok(await ada.set('docs', entry('shared docs')));
    assert.equal(await elsewhere.get('docs'), undefined);
    assert.ok(await elsewhere.set('docs', entry('shared elsewhere')));
    assert.equal((await ada.get('docs'))?.value.content, 'shared docs');
    assert.ok((await keys()).includes(`other:v1:s:${hash('docs')}`));
  });

  it('never stores an entry that has expired or expires now (TTL 0)', async () => {
    const now = Date.now();
    const cache = await instance('ada', { now: () => now });
    assert.equal(await cache.set('zero', entry('shared zero', now)), false);
    assert.equal(await cache.set('past', entry('shared past', now - 1)), false);
    assert.deepEqual(await keys(), []);
    assert.equal(cache.health().writes, 0);
    assert.ok(await cache.set('soon', entry('shared soon', now + 30_000)));
  });

  it('Redis expires a value with its entry, to the next whole millisecond', async () => {
    const cache = await instance('ada');
    const expiresAt = Date.now() + 30_000.25;
    assert.ok(await cache.set('docs', entry('shared docs', expiresAt)));
    assert.equal(await raw('PEXPIRETIME', sharedKey('docs')), Math.ceil(expiresAt));
  });

  it('an entry over the size cap is not written, and the older value under its key is removed', async () => {
    const cache = await instance('ada', { maxEntryBytes: 1_000 });
    assert.ok(await cache.set('docs', entry('shared small')));
    assert.equal(await cache.set('docs', entry(`shared ${'x'.repeat(1_000)}`)), false);
    assert.deepEqual(await keys(), []);
    assert.equal(await cache.get('docs'), undefined);
    assert.equal(cache.health().writes, 1);
  });

  it('a value over the reader’s cap is dropped as corrupt and deleted', async () => {
    const writer = await instance('ada');
    const reader = await instance('bob', { maxEntryBytes: 300 });
    assert.ok(await writer.set('docs', entry(`shared ${'x'.repeat(500)}`)));
    assert.equal(await reader.get('docs'), undefined);
    assert.equal(reader.health().dropped, 1);
    await waitFor(async () => (await keys()).length === 0, { what: 'the value to be deleted' });
  });

  it('drops and deletes a corrupt value, ignores a foreign one and an expired one, returning none', async () => {
    const lines: string[] = [];
    const cache = await instance('ada', { logger: warnings(lines) });
    await raw('SET', privateKey('ada', 'torn'), '{"v":1,"key":"torn"');
    assert.equal(await cache.get('torn'), undefined);
    assert.ok(lines.includes('Shared cache: ignored a corrupt value (not JSON)'), lines.join('\n'));
    await waitFor(async () => !(await keys()).includes(privateKey('ada', 'torn')), {
      what: 'the corrupt value to be deleted',
    });

    assert.ok(await cache.set('other', entry('private other')));
    await raw('COPY', privateKey('ada', 'other'), privateKey('ada', 'copied'));
    assert.equal(await cache.get('copied'), undefined);
    assert.ok(lines.includes('Shared cache: ignored a foreign value (written for another key)'));
    assert.equal(cache.health().dropped, 2);

    const later = await instance('ada', { now: () => Date.now() + 120_000 });
    assert.equal(await later.get('other'), undefined, 'expired for a reader whose clock is past it');
    assert.equal(later.health().dropped, 0, 'an expired value is not dropped');
    assert.equal(later.health().hits, 0);
    assert.deepEqual(await keys(), [privateKey('ada', 'copied'), privateKey('ada', 'other')].sort(), 'both kept');
  });

  it('never returns an answer from the shared or team partition that the reader’s policy puts elsewhere', async () => {
    const loose = await instance('mallory', { policy: { partitionOf: () => 'shared' } });
    const teamy = await instance('mallory', { policy: { partitionOf: () => 'team' } });
    assert.ok(await loose.set('a', entry('private secret')));
    assert.ok(await teamy.set('b', entry('private other')));
    const lines: string[] = [];
    const bob = await instance('bob', { logger: warnings(lines) });
    assert.equal(await bob.get('a'), undefined);
    assert.equal(await bob.get('b'), undefined);
    assert.equal(bob.health().dropped, 2);
    assert.deepEqual(
      lines.filter((line) => line.startsWith('Shared cache: ignored')),
      [
        'Shared cache: ignored a foreign value (an answer that does not belong in the shared partition)',
        'Shared cache: ignored a foreign value (an answer that does not belong in the team partition)',
      ],
    );
    assert.equal((await keys()).length, 2, 'a foreign value is left alone');
    assert.equal(bob.health().errors, 0, 'and nothing is tried on it');
  });

  it('a write Redis refuses for memory is not kept, and the level is full: reads go on', async () => {
    const small = await TestRedis.start({ maxMemory: '2mb' });
    try {
      const cache = await instance('ada', { url: small.url });
      let kept = true;
      for (let i = 0; i < 50 && kept; i++) kept = await cache.set(`docs ${i}`, entry(`shared ${'x'.repeat(200_000)}`));
      assert.equal(kept, false, 'a write was refused');
      assert.equal(cache.health().state, 'full');
      assert.match(cache.health().lastError ?? '', /^OOM /u);
      assert.match((await cache.get('docs 0'))?.value.content ?? '', /^shared x/u);
    } finally {
      await small.stop();
    }
  });

  it('claims a lease per key under the prefix; a waiter answered is counted', async () => {
    const ada = await instance('ada');
    const bob = await instance('bob');
    const first = await ada.claim('cold');
    assert.equal(first.kind, 'leader');
    assert.deepEqual(await keys(), [`${PREFIX}v1:lease:${hash('cold')}`]);
    const waiting = bob.claim('cold');
    assert.ok(await ada.set('cold', entry('shared cold answer')));
    const answered = await waiting;
    assert.equal(answered.kind === 'answered' ? answered.entry.value.content : answered.kind, 'shared cold answer');
    assert.equal(bob.health().leaseWaitsAnswered, 1);
    assert.equal(ada.health().leaseWaitsAnswered, 0);
    await first.release();
    assert.deepEqual(await keys(), [sharedKey('cold')]);
  });

  it('without a connection: claims are alone, reads miss and writes are not kept, at once', async () => {
    const cache = make('ada', { url: `redis://127.0.0.1:${await freePort()}` });
    assert.equal(await cache.whenReady(100), false);
    const started = performance.now();
    assert.equal((await cache.claim('q', AbortSignal.timeout(10_000))).kind, 'alone');
    assert.equal(await cache.get('q'), undefined);
    assert.equal(await cache.set('q', entry('shared q')), false);
    assert.ok(performance.now() - started < 500);
    assert.equal(cache.health().writes, 0);
    assert.equal(cache.health().lookups, 1);
    assert.equal(cache.health().skipped, 2, 'the claim sent nothing');
  });

  it('reports state changes to listeners until disposed, and closes', async () => {
    const cache = make('ada');
    const states: SharedCacheState[] = [];
    const subscription = cache.onStateChange((health) => states.push(health.state));
    assert.equal(cache.health().state, 'connecting');
    assert.ok(await cache.whenReady(5_000));
    assert.deepEqual(states, ['up']);
    subscription.dispose();
    await cache.close();
    assert.deepEqual(states, ['up']);
    assert.equal(cache.health().state, 'closed');
  });

  it('never shows the password of the URL: not in its endpoint, errors or log lines', async () => {
    const lines: string[] = [];
    const cache = make('ada', { url: `redis://ada:s3cret-pw@127.0.0.1:${redis.port}`, logger: warnings(lines) });
    await waitFor(() => cache.health().lastError, { what: 'the refused login to be noted' });
    const health = cache.health();
    assert.equal(health.endpoint, `redis://127.0.0.1:${redis.port}`);
    assert.notEqual(health.state, 'up');
    assert.ok(lines.length > 0);
    const shown = JSON.stringify({ health, lines });
    assert.ok(!shown.includes('s3cret-pw'), shown);
    assert.ok(!shown.includes('ada:'), shown);
  });
});
