import { strict as assert } from 'node:assert';
import type { Logger } from '../../../src/core/ports';
import { reconnectDelay, RedisConnection } from '../../../src/core/store/redis-connection';
import { SharedHealth } from '../../../src/core/store/shared-health';
import type { SharedCacheState } from '../../../src/core/store/shared-level';
import { freePort, TestRedis } from '../../helpers/redis-server';
import { waitFor } from '../../helpers/wait';

interface Recorded {
  level: 'debug' | 'info' | 'warn';
  message: string;
}

function recordingLogger(lines: Recorded[]): Logger {
  return {
    trace: () => undefined,
    debug: (message) => void lines.push({ level: 'debug', message }),
    info: (message) => void lines.push({ level: 'info', message }),
    warn: (message) => void lines.push({ level: 'warn', message }),
    error: (message) => void lines.push({ level: 'warn', message }),
  };
}

describe('store/redis-connection on a real Redis', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  const open: RedisConnection[] = [];

  before(async () => {
    redis = await TestRedis.start();
  });
  after(async () => {
    await redis.stop();
  });
  afterEach(async () => {
    redis.thaw();
    await Promise.all(open.splice(0).map((connection) => connection.close()));
    if (!redis.running) await redis.start();
    await redis.command('FLUSHALL');
  });

  interface Made {
    connection: RedisConnection;
    health: SharedHealth;
    logs: Recorded[];
    states: SharedCacheState[];
  }

  function connect(options: { url?: string; opTimeoutMs?: number; now?: () => number } = {}): Made {
    const now = options.now ?? Date.now;
    const health = new SharedHealth('redis://test', 'private:test', now);
    const states: SharedCacheState[] = [];
    health.onStateChange((snapshot) => states.push(snapshot.state));
    const logs: Recorded[] = [];
    const connection = new RedisConnection({
      url: options.url ?? redis.url,
      opTimeoutMs: options.opTimeoutMs ?? 2_000,
      connectTimeoutMs: 1_000,
      health,
      logger: recordingLogger(logs),
      now,
    });
    open.push(connection);
    return { connection, health, logs, states };
  }

  async function connected(options: Parameters<typeof connect>[0] = {}): Promise<Made> {
    const made = connect(options);
    assert.ok(await made.connection.whenReady(5_000), 'connected');
    return made;
  }

  /** Checks a condition holds throughout `ms` (an absence cannot be awaited as an event). */
  async function stays(holds: () => boolean, ms: number, what: string): Promise<void> {
    const until = performance.now() + ms;
    await waitFor(
      () => {
        assert.ok(holds(), `no longer ${what}`);
        return performance.now() >= until;
      },
      { what, timeoutMs: ms + 5_000, intervalMs: 20 },
    );
  }

  const reaches = (health: SharedHealth, state: SharedCacheState): Promise<boolean> =>
    waitFor(() => health.state === state, { what: `state ${state} (now ${health.state})`, timeoutMs: 10_000 });

  it('starts connecting, becomes up with an info line naming the endpoint, and answers commands', async () => {
    const { connection, health, logs, states } = connect();
    assert.equal(health.state, 'connecting');
    assert.equal(connection.usable, false);
    assert.ok(await connection.whenReady(5_000));
    assert.equal(health.state, 'up');
    assert.equal(connection.usable, true);
    assert.deepEqual(states, ['up']);
    assert.ok(logs.some((line) => line.level === 'info' && line.message === 'Shared cache: connected to redis://test'));
    assert.deepEqual(await connection.command(['SET', 'k', 'v']), { ok: true, value: 'OK' });
    assert.deepEqual(await connection.command(['GET', 'k']), { ok: true, value: 'v' });
    assert.equal(health.errors, 0);
    assert.equal(health.skipped, 0);
    const { p50, p95 } = health.snapshot().latencyMs;
    assert.ok(p50 > 0 && p95 < 1_000, `the round trip is recorded (p50 ${p50} ms, p95 ${p95} ms)`);
    assert.ok(await connection.whenReady(1), 'already up: true at once');
  });

  it('whenReady gives false after its timeout when nothing listens, and commands are skipped meanwhile', async () => {
    const { connection, health, logs } = connect({ url: `redis://127.0.0.1:${await freePort()}` });
    const started = performance.now();
    assert.equal(await connection.whenReady(150), false);
    const waited = performance.now() - started;
    assert.ok(waited >= 140 && waited < 2_000, `bounded by its timeout (${Math.round(waited)} ms)`);
    assert.deepEqual(await connection.command(['GET', 'k']), { ok: false, reason: 'skipped' });
    assert.deepEqual(await connection.command(['SET', 'k', 'v'], { write: true }), { ok: false, reason: 'skipped' });
    assert.equal(health.skipped, 2);
    assert.equal(health.errors, 0, 'a skipped command is not an error');
    await waitFor(() => health.lastError, { what: 'the refused connection to be noted' });
    assert.match(health.lastError ?? '', /ECONNREFUSED/u);
    assert.ok(
      logs.some((line) => line.level === 'debug' && /^Shared cache: .*ECONNREFUSED/u.test(line.message)),
      'failed attempts while not up are debug lines',
    );
    assert.ok(!logs.some((line) => line.level === 'warn'), 'not warnings: nothing was lost');
    await waitFor(() => logs.filter((line) => /ECONNREFUSED/u.test(line.message)).length >= 2, {
      what: 'a second connection attempt',
    });
    assert.equal(health.state, 'connecting', 'never connected: still connecting, not down');
  });

  it('reports an error reply as an error, with its message, without leaving the up state', async () => {
    const { connection, health } = await connected();
    await connection.command(['SET', 'text', 'abc']);
    const result = await connection.command(['INCR', 'text']);
    assert.equal(result.ok, false);
    assert.equal(result.reason, 'error');
    assert.match(result.error ?? '', /not an integer/u);
    assert.equal(health.errors, 1);
    assert.match(health.lastError ?? '', /not an integer/u);
    assert.equal(health.timeouts, 0);
    assert.equal(health.state, 'up');
  });

  it('a Redis that stops answering times out each command within the bound, and is slow after three', async () => {
    const { connection, health, logs, states } = await connected({ opTimeoutMs: 150 });
    redis.freeze();
    for (let i = 1; i <= 3; i++) {
      const started = performance.now();
      const result = await connection.command(['GET', 'k']);
      const took = performance.now() - started;
      assert.deepEqual(result, { ok: false, reason: 'timeout', error: 'Redis did not answer within 150 ms' });
      assert.ok(took >= 140 && took < 1_500, `bounded (${Math.round(took)} ms)`);
      assert.equal(health.timeouts, i);
      assert.equal(health.state, i < 3 ? 'up' : 'slow', `after ${i} timeouts`);
    }
    assert.equal(health.errors, 3);
    assert.equal(health.lastError, 'Redis did not answer within 150 ms');
    assert.ok(health.snapshot().latencyMs.p95 < 1_000, 'a timed-out command counts its wait');
    assert.ok(
      logs.some(
        (line) =>
          line.level === 'warn' &&
          line.message === 'Shared cache: Redis did not answer 3 operations within 150 ms; skipping it until it does',
      ),
    );
    assert.equal(connection.usable, false);
    const skipped = performance.now();
    assert.deepEqual(await connection.command(['GET', 'k']), { ok: false, reason: 'skipped' });
    assert.ok(performance.now() - skipped < 100, 'a slow Redis is skipped, not waited for');

    redis.thaw();
    await reaches(health, 'up');
    assert.deepEqual(states, ['up', 'slow', 'up']);
    assert.ok(logs.some((line) => line.level === 'info' && line.message === 'Shared cache: Redis answers again'));
    assert.deepEqual(await connection.command(['PING']), { ok: true, value: 'PONG' });
  });

  it('commands timing out together mark it slow once', async () => {
    const { connection, health, logs, states } = await connected({ opTimeoutMs: 150 });
    redis.freeze();
    const results = await Promise.all(Array.from({ length: 5 }, () => connection.command(['GET', 'k'])));
    assert.deepEqual(
      results.map((result) => (result.ok ? 'ok' : result.reason)),
      ['timeout', 'timeout', 'timeout', 'timeout', 'timeout'],
    );
    assert.equal(health.timeouts, 5);
    assert.deepEqual(states, ['up', 'slow']);
    assert.equal(logs.filter((line) => line.level === 'warn').length, 1, 'one warning');
  });

  it('close does not wait for a hung Redis: the replies owed are given up after one operation timeout', async () => {
    const { connection, health } = await connected({ opTimeoutMs: 150 });
    redis.freeze();
    assert.equal((await connection.command(['GET', 'k'])).ok, false);
    const started = performance.now();
    await connection.close();
    const took = performance.now() - started;
    assert.ok(took < 2_000, `closed in ${Math.round(took)} ms`);
    assert.equal(health.state, 'closed');
  });

  it('close drops the socket to a hung Redis instead of leaving it open', async () => {
    const sockets = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
    const { connection } = await connected({ opTimeoutMs: 150 });
    redis.freeze();
    assert.equal((await connection.command(['GET', 'k'])).ok, false);
    const open = sockets();
    await connection.close();
    await waitFor(() => sockets() === open - 1, {
      what: 'its socket to close while Redis is still hung',
      timeoutMs: 1_000,
    });
  });

  it('close lets a command in flight finish', async () => {
    const { connection } = await connected();
    const pending = connection.command(['BLPOP', 'nothing', '0.2']);
    await connection.close();
    assert.deepEqual(await pending, { ok: true, value: null });
  });

  it('an error reply that merely mentions OOM does not mark it full', async () => {
    const { connection, health } = await connected();
    const result = await connection.command(['EVAL', "return redis.error_reply('ERR no OOM here')", '0'], {
      write: true,
    });
    assert.equal(result.ok, false);
    assert.equal(result.error, 'ERR no OOM here');
    assert.equal(health.state, 'up');
  });

  it('an answer in time resets the count of timeouts in a row', async () => {
    const { connection, health } = await connected({ opTimeoutMs: 150 });
    for (let round = 0; round < 2; round++) {
      redis.freeze();
      await connection.command(['GET', 'k']);
      await connection.command(['GET', 'k']);
      redis.thaw();
      // The replies to the timed-out commands arrive first and are dropped; this one answers.
      assert.deepEqual(await connection.command(['PING']), { ok: true, value: 'PONG' });
    }
    assert.equal(health.timeouts, 4);
    assert.equal(health.state, 'up', 'never three in a row');
  });

  it('probes a slow Redis again with a growing backoff until it answers', async () => {
    const { connection, health } = await connected({ opTimeoutMs: 100 });
    redis.freeze();
    for (let i = 0; i < 3; i++) await connection.command(['GET', 'k']);
    assert.equal(health.state, 'slow');
    const slowSince = performance.now();
    // The first probe (after 250 ms) times out; the next comes 500 ms after it.
    await waitFor(() => performance.now() - slowSince > 450, { what: 'the first probe to have failed' });
    redis.thaw();
    await reaches(health, 'up');
    assert.ok(health.snapshot().latencyMs.p95 < 1_000, 'the probe counts its round trip');
    const tookMs = performance.now() - slowSince;
    assert.ok(tookMs >= 800 && tookMs < 5_000, `answered at the second probe (${Math.round(tookMs)} ms)`);
  });

  it('a Redis that goes away is down at once, skipped, and used again once it is back', async () => {
    const { connection, health, logs, states } = await connected();
    await redis.stop();
    await reaches(health, 'down');
    assert.ok(
      logs.some(
        (line) =>
          line.level === 'warn' &&
          /^Shared cache: .*; answers continue from the local cache and upstream$/u.test(line.message),
      ),
      'losing a working connection is a warning',
    );
    assert.deepEqual(await connection.command(['GET', 'k']), { ok: false, reason: 'skipped' });
    await redis.start();
    await reaches(health, 'up');
    assert.deepEqual(states.slice(0, 2), ['up', 'down']);
    assert.equal(states.at(-1), 'up');
    assert.deepEqual(await connection.command(['PING']), { ok: true, value: 'PONG' });
  });

  it('retries a lost connection with a growing backoff, not in a tight loop', async () => {
    const { health, logs } = await connected();
    await redis.stop();
    await reaches(health, 'down');
    const from = logs.length;
    const started = performance.now();
    await waitFor(() => performance.now() - started > 1_000, { what: 'a second of retries', intervalMs: 50 });
    const attempts = logs.slice(from).filter((line) => /ECONNREFUSED/u.test(line.message)).length;
    assert.ok(attempts >= 2 && attempts <= 6, `${attempts} attempts in a second`);
  });

  it('reconnection waits 100 ms doubling to 10 s, plus up to 100 ms of jitter', () => {
    const ranges: Array<[number, number, number]> = [
      [0, 100, 200],
      [1, 200, 300],
      [3, 800, 900],
      [6, 6_400, 6_500],
      [7, 10_000, 10_100],
      [10, 10_000, 10_100],
      [50, 10_000, 10_100],
    ];
    for (const [retries, min, max] of ranges) {
      const delays = Array.from({ length: 40 }, () => reconnectDelay(retries));
      for (const delay of delays) {
        assert.ok(delay >= min && delay < max, `retry ${retries}: ${delay} ms in [${min}, ${max})`);
        assert.equal(delay, Math.floor(delay), 'whole milliseconds');
      }
      assert.ok(new Set(delays).size > 1, `retry ${retries} is jittered`);
    }
  });

  it('a write refused for memory marks it full for a minute; reads still answer, then it is up again', async () => {
    let now = 1_000_000;
    const full = await TestRedis.start({ maxMemory: '2mb' });
    try {
      const { connection, health, logs } = await connected({ url: full.url, now: () => now });
      const big = 'x'.repeat(200_000);
      let refused: Awaited<ReturnType<RedisConnection['command']>> | undefined;
      for (let i = 0; i < 50 && !refused; i++) {
        const result = await connection.command(['SET', `k${i}`, big], { write: true });
        if (!result.ok) refused = result;
      }
      assert.ok(refused && !refused.ok && refused.reason === 'error', 'a write was refused');
      assert.match(refused.error ?? '', /^OOM /u);
      assert.equal(health.state, 'full');
      assert.equal(connection.usable, true, 'a full Redis is still used');
      assert.equal(
        logs.filter((line) => line.level === 'warn' && /refuses writes \(OOM /u.test(line.message)).length,
        1,
      );
      assert.ok(logs.some((line) => line.message.endsWith('answers stay local')));
      const read = await connection.command<string>(['GET', 'k0']);
      assert.ok(read.ok && read.value === big, 'reads still answer');
      assert.equal(health.state, 'full', 'until the minute is over');
      now += 59_999;
      assert.ok((await connection.command(['EXISTS', 'k0'])).ok);
      assert.equal(health.state, 'full');
      await connection.command(['SET', 'more', big], { write: true });
      assert.equal(logs.filter((line) => line.level === 'warn').length, 1, 'a second refusal while full warns no more');
      now += 59_999;
      assert.ok((await connection.command(['EXISTS', 'k0'])).ok);
      assert.equal(health.state, 'full', 'the refusal at 59.999 s started another minute');
      now += 1;
      assert.ok((await connection.command(['EXISTS', 'k0'])).ok);
      assert.equal(health.state, 'up');
      await connection.command(['SET', 'more', big], { write: true });
      assert.equal(health.state, 'full');
      const warned = logs.length;
      await full.stop();
      await waitFor(() => logs.slice(warned).some((line) => line.level === 'warn'), {
        what: 'a warning that the connection was lost',
      });
      assert.match(
        logs.slice(warned).find((line) => line.level === 'warn')?.message ?? '',
        /answers continue from the local cache and upstream$/u,
        'losing a full Redis is a warning too',
      );
    } finally {
      await full.stop();
    }
  });

  it('an OOM reply to a read does not mark it full', async () => {
    const full = await TestRedis.start({ maxMemory: '2mb' });
    try {
      const { connection, health } = await connected({ url: full.url });
      const big = 'x'.repeat(200_000);
      let refused = false;
      for (let i = 0; i < 50 && !refused; i++) refused = !(await connection.command(['SET', `k${i}`, big])).ok;
      assert.ok(refused, 'a write was refused');
      assert.equal(health.state, 'up', 'not declared a write: the state stays');
      assert.match(health.lastError ?? '', /^OOM /u);
    } finally {
      await full.stop();
    }
  });

  it('close stops it for good: closed, nothing sent, no reconnection when Redis returns', async () => {
    const { connection, health, states } = await connected();
    await connection.close();
    assert.equal(health.state, 'closed');
    assert.equal(connection.usable, false);
    assert.deepEqual(await connection.command(['PING']), { ok: false, reason: 'skipped' });
    assert.deepEqual(states, ['up', 'closed']);
    await connection.close();
    assert.equal(health.state, 'closed');
  });

  it('close while reconnecting gives up the reconnection', async () => {
    const { connection, health, states } = await connected();
    await redis.stop();
    await reaches(health, 'down');
    await connection.close();
    assert.equal(health.state, 'closed');
    await redis.start();
    // Reconnection attempts come within 100–300 ms; a reconnected client would report 'up'.
    await stays(() => health.state === 'closed', 800, 'closed once Redis is back');
    assert.equal(states.at(-1), 'closed');
  });

  it('close before the first connection is made', async () => {
    const { connection, health } = connect({ url: `redis://127.0.0.1:${await freePort()}` });
    await connection.close();
    assert.equal(health.state, 'closed');
    assert.equal(await connection.whenReady(100), false);
  });
});
