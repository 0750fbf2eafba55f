import { strict as assert } from 'node:assert';
import { getEventListeners } from 'node:events';
import { silentLogger } from '../../../src/core/ports';
import type { CacheEntry } from '../../../src/core/store/cache-types';
import { RedisConnection } from '../../../src/core/store/redis-connection';
import { type LeaseOptions, RedisLeases } from '../../../src/core/store/redis-lease';
import { SharedHealth } from '../../../src/core/store/shared-health';
import type { LeaseClaim } from '../../../src/core/store/shared-level';
import { observeRedis, type RedisObserver } from '../../helpers/redis-observer';
import { freePort, TestRedis } from '../../helpers/redis-server';
import { waitFor } from '../../helpers/wait';

const KEY = 'lease:q';
const answer: CacheEntry = {
  value: { content: 'the answer', source: 'docs', contextType: 'library_api', storedAt: 0 },
  expiresAt: Date.now() + 60_000,
};
const nothing = (): Promise<CacheEntry | undefined> => Promise.resolve(undefined);
const isLeader = (claim: LeaseClaim): claim is Extract<LeaseClaim, { kind: 'leader' }> => claim.kind === 'leader';

describe('store/redis-lease on a real Redis', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let observer: RedisObserver;
  const connections: RedisConnection[] = [];
  const leaseSets: RedisLeases[] = [];
  const health: SharedHealth[] = [];

  before(async () => {
    redis = await TestRedis.start();
    observer = await observeRedis(redis.url);
  });
  after(async () => {
    await observer.close();
    await redis.stop();
  });
  afterEach(async () => {
    for (const leases of leaseSets.splice(0)) leases.close();
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
    await redis.command('FLUSHALL');
  });

  async function leases(options: Partial<LeaseOptions> = {}, url = redis.url): Promise<RedisLeases> {
    const connectionHealth = new SharedHealth('redis://test', 'private:test', Date.now);
    health.push(connectionHealth);
    const connection = new RedisConnection({
      url,
      opTimeoutMs: 2_000,
      health: connectionHealth,
      logger: silentLogger,
    });
    connections.push(connection);
    if (url === redis.url) assert.ok(await connection.whenReady(5_000), 'connected');
    const made = new RedisLeases(connection, { ttlMs: 2_000, waitMs: 2_000, maxHoldMs: 10_000, ...options });
    leaseSets.push(made);
    return made;
  }

  const get = async (key: string): Promise<string | null> => (await observer.command('GET', key)) as string | null;

  /** Another instance holds the lease on KEY; returns its release. */
  async function heldByAnother(): Promise<() => Promise<void>> {
    const held = await (await leases()).claim(KEY, nothing);
    assert.ok(isLeader(held));
    return held.release;
  }

  const pttl = async (): Promise<number> => Number((await redis.command(`PTTL ${KEY}`)).slice(1));
  const exists = async (): Promise<boolean> => (await redis.command(`EXISTS ${KEY}`)) === ':1';

  it('the first claim on a free key leads: the lease is in Redis with its TTL and a token of its own', async () => {
    const mine = await leases({ ttlMs: 3_000 });
    const claim = await mine.claim(KEY, nothing);
    assert.ok(isLeader(claim));
    const left = await pttl();
    assert.ok(left > 2_000 && left <= 3_000, `expires with the lease TTL (PTTL ${left} ms)`);
    assert.match((await get(KEY)) ?? '', /^[0-9a-f-]{36}:1$/u);
    const second = await (await leases()).claim('lease:other', nothing);
    assert.ok(isLeader(second));
    const claimAgain = await mine.claim('lease:third', nothing);
    assert.ok(isLeader(claimAgain));
    assert.match((await get('lease:third')) ?? '', /:2$/u, 'each claim has its own token');
    assert.notEqual(
      (await get('lease:other'))?.split(':')[0],
      (await get('lease:third'))?.split(':')[0],
      'each instance has its own id',
    );
    await claim.release();
    assert.equal(await exists(), false, 'released');
    const evals = async (): Promise<string | undefined> =>
      /cmdstat_eval:calls=(\d+)/u.exec(String(await observer.command('INFO', 'commandstats')))?.[1];
    const before = await evals();
    await claim.release();
    assert.equal(await evals(), before, 'a second release sends nothing');
  });

  it('a claim that finds the answer already stored takes no lease', async () => {
    const mine = await leases();
    const claim = await mine.claim(KEY, () => Promise.resolve(answer));
    assert.deepEqual(claim, { kind: 'answered', entry: answer });
    assert.equal(await exists(), false, 'the lease taken with the read is given back at once');
  });

  it('a claim on a held lease waits and gets the answer the holder stores', async () => {
    const release = await heldByAnother();
    const holderStored: { entry?: CacheEntry } = {};
    let reads = 0;
    const waiting = (await leases()).claim(KEY, () => {
      reads++;
      return Promise.resolve(holderStored.entry);
    });
    await waitFor(() => reads >= 2, { what: 'the waiter to poll' });
    holderStored.entry = answer;
    assert.deepEqual(await waiting, { kind: 'answered', entry: answer });
    assert.equal(await exists(), true, "the holder's lease is left to the holder");
    await release();
  });

  it('a holder that releases without an answer lets the waiter lead', async () => {
    const release = await heldByAnother();
    let reads = 0;
    const waiting = (await leases()).claim(KEY, () => {
      reads++;
      return Promise.resolve(undefined);
    });
    await waitFor(() => reads >= 2, { what: 'the waiter to poll' });
    await release();
    const next = await waiting;
    assert.ok(isLeader(next), 'the waiter took the lease');
    assert.equal(await exists(), true);
    await next.release();
    assert.equal(await exists(), false);
  });

  it('waits at most waitMs, polling soon and then less often', async () => {
    const release = await heldByAnother();
    const readsAt: number[] = [];
    const started = performance.now();
    const claim = await (
      await leases({ waitMs: 400 })
    ).claim(KEY, () => {
      readsAt.push(performance.now() - started);
      return Promise.resolve(undefined);
    });
    const waited = performance.now() - started;
    assert.equal(claim.kind, 'alone');
    assert.ok(waited >= 390 && waited < 1_500, `bounded by waitMs (${Math.round(waited)} ms)`);
    // Pauses of 5, 10, 20, 40, 80, 100, 100… ms: about 8 reads in 400 ms.
    assert.ok(readsAt.length >= 5 && readsAt.length <= 12, `${readsAt.length} reads in 400 ms`);
    assert.ok((readsAt[1] ?? Infinity) - (readsAt[0] ?? 0) < 60, 'the first poll comes soon');
    assert.ok((readsAt[2] ?? Infinity) - (readsAt[1] ?? 0) < 60, 'and the second');
    const longestGap = Math.max(...readsAt.slice(1).map((at, i) => at - (readsAt[i] ?? 0)));
    assert.ok(longestGap >= 60, `later polls are spaced out (${Math.round(longestGap)} ms)`);
    assert.ok(longestGap < 250, `but never more than 100 ms apart (${Math.round(longestGap)} ms)`);
    await release();
  });

  it('an abort ends the wait at once', async () => {
    const release = await heldByAnother();
    const controller = new AbortController();
    let reads = 0;
    const started = performance.now();
    const waiting = (await leases({ waitMs: 10_000 })).claim(
      KEY,
      () => {
        reads++;
        return Promise.resolve(undefined);
      },
      controller.signal,
    );
    await waitFor(() => reads >= 5, { what: 'the waiter to poll' });
    controller.abort();
    assert.equal((await waiting).kind, 'alone');
    assert.ok(performance.now() - started < 2_000, 'not the whole wait');
    await release();
  });

  it('an abort during a pause wakes the waiter at once', async () => {
    const release = await heldByAnother();
    const controller = new AbortController();
    let reads = 0;
    let abortedAt = 0;
    const waiting = (await leases({ waitMs: 10_000 })).claim(
      KEY,
      () => {
        // From the seventh round on the pauses are 100 ms: abort 10 ms into one.
        if (++reads === 8)
          setTimeout(() => {
            abortedAt = performance.now();
            controller.abort();
          }, 10);
        return Promise.resolve(undefined);
      },
      controller.signal,
    );
    assert.equal((await waiting).kind, 'alone');
    const late = performance.now() - abortedAt;
    assert.ok(late < 60, `answered ${Math.round(late)} ms after the abort, not at the end of the pause`);
    await release();
  });

  it('a wait with a signal leaves no listener on it', async () => {
    const release = await heldByAnother();
    const controller = new AbortController();
    let most = 0;
    const claim = await (
      await leases({ waitMs: 300 })
    ).claim(
      KEY,
      () => {
        most = Math.max(most, getEventListeners(controller.signal, 'abort').length);
        return Promise.resolve(undefined);
      },
      controller.signal,
    );
    assert.equal(claim.kind, 'alone');
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    assert.ok(most <= 1, `at most one at a time (${most})`);
    await release();
  });

  it('a lease Redis refuses for memory marks the level full; the claim goes alone', async () => {
    const small = await TestRedis.start({ maxMemory: '2mb' });
    try {
      const mine = await leases({}, small.url);
      assert.ok(await connections.at(-1)?.whenReady(5_000));
      const filler = connections.at(-1);
      // Filled with ever smaller values, so that even a lease (a few bytes) no longer fits.
      let filled = 0;
      for (const size of [200_000, 10_000, 100]) {
        let refused = false;
        for (let i = 0; i < 400 && !refused; i++)
          refused = !(await filler?.command(['SET', `fill${filled++}`, 'x'.repeat(size)]))?.ok;
        assert.ok(refused, `Redis refuses values of ${size} bytes`);
      }
      assert.equal(health.at(-1)?.state, 'up', 'a refused plain command does not mark it full');
      assert.equal((await mine.claim(KEY, nothing)).kind, 'alone');
      assert.equal(health.at(-1)?.state, 'full', 'the refused lease does');
    } finally {
      await small.stop();
    }
  });

  it('an aborted claim on a held lease does not wait at all', async () => {
    const release = await heldByAnother();
    let reads = 0;
    const claim = await (
      await leases({ waitMs: 10_000 })
    ).claim(
      KEY,
      () => {
        reads++;
        return Promise.resolve(undefined);
      },
      AbortSignal.abort(),
    );
    assert.equal(claim.kind, 'alone');
    assert.equal(reads, 1);
    await release();
  });

  it('without a usable Redis the claim is alone at once (or answered from what the read finds)', async () => {
    const down = await leases({ waitMs: 10_000 }, `redis://127.0.0.1:${await freePort()}`);
    const started = performance.now();
    assert.equal((await down.claim(KEY, nothing)).kind, 'alone');
    assert.deepEqual(await down.claim(KEY, () => Promise.resolve(answer)), { kind: 'answered', entry: answer });
    assert.ok(performance.now() - started < 1_000, 'no waiting');
  });

  it('the holder renews its lease while it works, past the TTL', async () => {
    const holder = await leases({ ttlMs: 150 });
    const held = await holder.claim(KEY, nothing);
    assert.ok(isLeader(held));
    const started = performance.now();
    let lowest = Infinity;
    await waitFor(
      async () => {
        const left = await pttl();
        assert.ok(left > 0, 'the lease never lapses while held');
        lowest = Math.min(lowest, left);
        return performance.now() - started > 600;
      },
      { what: 'four lease TTLs to pass', intervalMs: 20 },
    );
    assert.ok(lowest > 25, `renewed every third of the TTL (lowest PTTL ${lowest} ms)`);
    await held.release();
    assert.equal(await exists(), false);
  });

  it('renewal stops after maxHoldMs: the lease then expires even if never released', async () => {
    const holder = await leases({ ttlMs: 200, maxHoldMs: 300 });
    const held = await holder.claim(KEY, nothing);
    assert.ok(isLeader(held));
    const started = performance.now();
    await waitFor(async () => !(await exists()), { what: 'the lease to expire', timeoutMs: 3_000, intervalMs: 20 });
    const lasted = performance.now() - started;
    assert.ok(lasted >= 300, `renewed until maxHoldMs (${Math.round(lasted)} ms)`);
  });

  it('close stops every renewal: the leases held expire within one TTL', async () => {
    const holder = await leases({ ttlMs: 200 });
    const claims = [await holder.claim(KEY, nothing), await holder.claim('lease:second', nothing)];
    assert.ok(claims.every(isLeader));
    holder.close();
    await waitFor(async () => (await redis.command('DBSIZE')) === ':0', {
      what: 'both leases to expire',
      timeoutMs: 3_000,
      intervalMs: 20,
    });
  });

  it("a holder whose lease expired and was taken by another neither renews nor releases the other's", async () => {
    const slow = await leases({ ttlMs: 200, maxHoldMs: 0 });
    const held = await slow.claim(KEY, nothing);
    assert.ok(isLeader(held));
    await waitFor(async () => !(await exists()), {
      what: 'the first lease to expire',
      timeoutMs: 3_000,
      intervalMs: 20,
    });
    const other = await (await leases({ ttlMs: 5_000 })).claim(KEY, nothing);
    assert.ok(isLeader(other));
    const token = await get(KEY);
    assert.ok(token);
    await held.release();
    assert.equal(await get(KEY), token, "the late release left the other's lease");
    await other.release();
    assert.equal(await exists(), false);
  });

  it("renewal compares the token: it never extends another's lease", async () => {
    const holder = await leases({ ttlMs: 150 });
    const held = await holder.claim(KEY, nothing);
    assert.ok(isLeader(held));
    // Someone else's lease under the key, with a short life: the holder's renewals must not extend it.
    assert.equal(await redis.command(`SET ${KEY} someone-else PX 400`), '+OK');
    await waitFor(async () => !(await exists()), {
      what: "the other's lease to expire",
      timeoutMs: 3_000,
      intervalMs: 20,
    });
    await held.release();
  });
});
