import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { silentLogger } from '../../../src/core/ports';
import type { CacheEntry } from '../../../src/core/store/cache-types';
import { partitionPolicy } from '../../../src/core/store/partitions';
import { RedisSharedCache, type RedisSharedCacheOptions } from '../../../src/core/store/redis-shared-cache';
import { TestRedis } from '../../helpers/redis-server';

const PREFIX = 'it:';
const hash = (key: string): string => createHash('sha256').update(key).digest('hex');

const docs = (content: string, ttlMs = 60_000): CacheEntry => ({
  value: {
    content,
    source: 'docs',
    contextType: 'library_api',
    storedAt: Date.now(),
    metadata: { server: 'context7' },
  },
  expiresAt: Date.now() + ttlMs,
});
const fix = (content: string): CacheEntry => ({
  value: { content, source: 'store', contextType: 'error_solution', storedAt: Date.now() },
  expiresAt: Date.now() + 60_000,
});

describe('shared level on a real Redis', function () {
  let redis: TestRedis;
  const open: RedisSharedCache[] = [];

  before(async () => {
    redis = await TestRedis.start();
  });
  after(async () => {
    await Promise.all(open.splice(0).map((cache) => cache.close()));
    await redis.stop();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((cache) => cache.close()));
    await redis.command('FLUSHALL');
  });

  async function instance(
    partition: string,
    overrides: Partial<RedisSharedCacheOptions> = {},
  ): Promise<RedisSharedCache> {
    const cache = new RedisSharedCache({
      url: redis.url,
      prefix: PREFIX,
      partition,
      policy: partitionPolicy({ sharedServers: ['context7'], privateServers: [] }),
      // Generous: the machine running the tests is shared; the slow-Redis test sets its own.
      opTimeoutMs: 2_000,
      lease: { ttlMs: 2_000, waitMs: 5_000, maxHoldMs: 10_000 },
      logger: silentLogger,
      ...overrides,
    });
    open.push(cache);
    assert.ok(await cache.whenReady(5_000), 'connected');
    return cache;
  }

  it("answers one instance's docs on another, and keeps a partition's private answers to itself", async () => {
    const alice = await instance('alice');
    const bob = await instance('bob');
    const aliceElsewhere = await instance('alice');
    assert.ok(await alice.set('numpy docs', docs('numpy.array: …')));
    assert.ok(await alice.set('KeyError fix', fix('check the key first')));

    assert.equal((await bob.get('numpy docs'))?.value.content, 'numpy.array: …', 'docs are shared');
    assert.equal(await bob.get('KeyError fix'), undefined, "bob never reads alice's private answers");
    assert.equal(
      (await aliceElsewhere.get('KeyError fix'))?.value.content,
      'check the key first',
      "alice's other instance does",
    );
    assert.equal(await redis.command(`EXISTS ${PREFIX}v1:p:alice:${hash('KeyError fix')}`), ':1');
    assert.equal(await redis.command(`EXISTS ${PREFIX}v1:s:${hash('KeyError fix')}`), ':0');
    assert.equal(bob.health().hits, 1);
    assert.equal(bob.health().lookups, 2);
  });

  it('stores with the entry expiry (PXAT) and refuses entries over the size cap', async () => {
    const cache = await instance('alice', { maxEntryBytes: 1_000 });
    assert.ok(await cache.set('short', docs('soon gone', 30_000)));
    const pttl = Number((await redis.command(`PTTL ${PREFIX}v1:s:${hash('short')}`)).slice(1));
    assert.ok(pttl > 25_000 && pttl <= 30_000, `Redis expires it with the entry (PTTL ${pttl} ms)`);
    assert.equal(await cache.set('big', docs('x'.repeat(2_000))), false);
    assert.equal(await redis.command(`EXISTS ${PREFIX}v1:s:${hash('big')}`), ':0');
  });

  it('drops a corrupt value (and deletes it) and ignores a foreign one, never returning either', async () => {
    const cache = await instance('alice');
    const sharedKey = (key: string): string => `${PREFIX}v1:s:${hash(key)}`;
    assert.equal(await redis.command(`SET ${sharedKey('garbled')} {v:1,key:garbled`), '+OK', 'a torn envelope');
    assert.equal(await cache.get('garbled'), undefined);
    assert.ok(await cache.set('other', docs('for another key')));
    const copied = await redis.command(`COPY ${sharedKey('other')} ${sharedKey('copied')}`);
    assert.equal(copied, ':1');
    assert.equal(await cache.get('copied'), undefined, 'a value written for another key is foreign');
    assert.equal(cache.health().dropped, 2);
    assert.equal(await redis.command(`EXISTS ${sharedKey('garbled')}`), ':0', 'the corrupt value was deleted');
  });

  it('never returns a private answer someone put in the shared partition', async () => {
    const alice = await instance('alice');
    const bob = await instance('bob');
    // Written by an instance whose policy called it shared (a misconfigured teammate).
    const loose = await instance('mallory', {
      policy: { partitionOf: () => 'shared' },
    });
    assert.ok(await loose.set('fix', fix('a private fix')));
    assert.equal(await bob.get('fix'), undefined);
    assert.equal(await alice.get('fix'), undefined);
    assert.equal(bob.health().dropped, 1);
  });

  it('single-flight across instances: the first claim leads, the others get its answer', async () => {
    const a = await instance('alice');
    const b = await instance('bob');
    const c = await instance('carol');
    const first = await a.claim('cold question');
    assert.equal(first.kind, 'leader');
    const waiting = [b.claim('cold question'), c.claim('cold question')];
    assert.ok(await a.set('cold question', docs('the one upstream answer')));
    await first.release();
    const others = await Promise.all(waiting);
    assert.deepEqual(
      others.map((claim) => (claim.kind === 'answered' ? claim.entry.value.content : claim.kind)),
      ['the one upstream answer', 'the one upstream answer'],
    );
    assert.equal(await redis.command(`EXISTS ${PREFIX}v1:lease:${hash('cold question')}`), ':0');
  });

  it("a dead holder's lease expires; a failed holder's release lets the next one lead", async () => {
    const holder = await instance('alice', { lease: { ttlMs: 300, waitMs: 5_000, maxHoldMs: 10_000 } });
    const next = await instance('bob', { lease: { ttlMs: 300, waitMs: 5_000, maxHoldMs: 10_000 } });
    const held = await holder.claim('q');
    assert.equal(held.kind, 'leader');
    // The holder dies without releasing: its renewals stop with its connection.
    await holder.close();
    const started = performance.now();
    const taken = await next.claim('q');
    assert.equal(taken.kind, 'leader', 'the lease expired and the waiter took it');
    assert.ok(performance.now() - started < 3_000, 'within about one lease TTL, not the whole wait');
    await taken.release();
    const third = await instance('carol');
    const again = await third.claim('q');
    assert.equal(again.kind, 'leader', 'released without an answer: the next miss leads at once');
  });

  it('waits for a busy holder only as long as wait_ms', async () => {
    const holder = await instance('alice');
    const waiter = await instance('bob', { lease: { ttlMs: 2_000, waitMs: 200, maxHoldMs: 10_000 } });
    const held = await holder.claim('slow question');
    assert.equal(held.kind, 'leader');
    const started = performance.now();
    assert.equal((await waiter.claim('slow question')).kind, 'alone');
    const waited = performance.now() - started;
    assert.ok(waited >= 190 && waited < 2_000, `bounded wait (${Math.round(waited)} ms)`);
    await held.release();
  });
});
