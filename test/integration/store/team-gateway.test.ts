/**
 * The team gateway as a team runs it: one real Redis and three real `mcp-integration serve --http`
 * processes (the built CLI, each with its own configuration and storage, the same `shared_cache`)
 * in front of real context7 on the loopback API. The test client plays the load balancer: it
 * spreads calls over the instances and, on a connection error, retries on another one.
 */
import { strict as assert } from 'node:assert';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { CACHE_META_KEY, type CacheMeta } from '../../../src/core/gateway/cache-entries';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { callToolOverHttp, resultText } from '../../helpers/mcp-http-call';
import { isPidAlive } from '../../helpers/processes';
import { mcpPost } from '../../helpers/raw-http';
import { TestRedis } from '../../helpers/redis-server';
import type { ServeProcess } from '../../helpers/serve-process';
import { startTeamInstance, untilContext7Answers, upstreamPids, writeTokenFile } from '../../helpers/team-gateway';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';
import { ensureCliBundle } from '../cli/cli-runner';

const PREFIX = 'team:';
/** Instances 0 and 1 belong to one person's partition, instance 2 to another's. */
const PARTITIONS = ['alice', 'alice', 'bob'] as const;

const meta = (result: CallToolResult | undefined): CacheMeta | undefined =>
  result?._meta?.[CACHE_META_KEY] as CacheMeta | undefined;

/** Connection-level failures a load balancer answers by sending the request elsewhere. */
const RETRIABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

describe('team gateway: three serve --http processes on one Redis', function () {
  this.timeout(120_000);
  const makeDir = cleanTempDirsAfter();
  let redis: TestRedis;
  let api: FakeContext7Api;
  let token: string;
  let instances: ServeProcess[] = [];
  const orphans: number[] = [];
  /** Requests the client sent again to another instance after a connection error. */
  let retried = 0;

  const docsRequests = (): number => api.requests.filter((r) => r.path === '/api/v2/context').length;
  const docs = (query: string, library = '/numpy/numpy') => ({ libraryId: library, query });

  /** Calls on instance `first`, and on the next live one when the connection fails (a load balancer). */
  async function balancedCall(first: number, name: string, args: Record<string, unknown>, timeoutMs = 30_000) {
    let lastError: unknown;
    for (let attempt = 0; attempt < instances.length; attempt += 1) {
      const instance = instances[(first + attempt) % instances.length] as ServeProcess;
      try {
        const answer = await callToolOverHttp(instance.url, token, name, args, timeoutMs);
        if (answer.status !== 503) return { ...answer, instance: (first + attempt) % instances.length };
        lastError = new Error(`instance ${(first + attempt) % instances.length} answered 503`);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const hungUp = (error as Error).message === 'socket hang up';
        if (!hungUp && (code === undefined || !RETRIABLE.has(code))) throw error;
        lastError = error;
        retried += 1;
      }
    }
    throw lastError;
  }

  before(async function () {
    this.timeout(180_000);
    await ensureCliBundle();
    redis = await TestRedis.start();
    api = await FakeContext7Api.start();
    const tokens = writeTokenFile(makeDir('team-token-'));
    token = tokens.token;
    const started = performance.now();
    instances = await Promise.all(
      PARTITIONS.map((partition) =>
        startTeamInstance({
          apiUrl: api.apiUrl,
          tokenFile: tokens.file,
          makeDir,
          redisUrl: redis.url,
          prefix: PREFIX,
          partition,
        }),
      ),
    );
    await Promise.all(instances.map((instance) => untilContext7Answers(instance.url, token)));
    console.log(`      three instances up and warm in ${(performance.now() - started).toFixed(0)} ms`);
  });

  afterEach(() => {
    api.delayMs = 0;
  });

  after(async () => {
    await Promise.all(instances.map((instance) => instance.stop(5000)));
    // The servers of an instance killed with -9 had no one to close them.
    for (const pid of orphans) if (isPidAlive(pid)) process.kill(pid, 'SIGTERM');
    await api.close();
    await redis.stop();
  });

  it('answers a question asked on one instance from Redis on the other two: one upstream call', async () => {
    const before = docsRequests();
    const question = docs('broadcasting rules across instances');
    const first = await balancedCall(0, 'context7__query-docs', question);
    assert.equal(first.result?.isError, undefined, resultText(first.result));
    assert.equal(meta(first.result)?.cached, false);
    await waitFor(async () => (await redis.keys(`${PREFIX}v1:s:*`)).length > 0, { what: 'the answer in Redis' });
    for (const other of [1, 2]) {
      const answer = await balancedCall(other, 'context7__query-docs', question);
      assert.equal(answer.instance, other);
      assert.equal(meta(answer.result)?.cached, true, `a hit on instance ${other}`);
      assert.equal(resultText(answer.result), resultText(first.result));
    }
    assert.equal(docsRequests(), before + 1);
  });

  it('makes one upstream call for 300 identical concurrent cold calls spread over the three', async () => {
    api.delayMs = 300;
    const before = docsRequests();
    const question = docs('300 identical cold calls', '/pandas-dev/pandas');
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) => balancedCall(i % 3, 'context7__query-docs', question)),
    );
    const elapsed = performance.now() - started;
    console.log(`      300 concurrent cold calls over three instances: ${elapsed.toFixed(0)} ms`);
    assert.equal(docsRequests(), before + 1, 'one upstream call in all');
    const text = resultText(answers[0]?.result);
    assert.match(text, /300 identical cold calls/);
    assert.ok(
      answers.every((a) => a.status === 200 && a.result?.isError === undefined && resultText(a.result) === text),
    );
    assert.deepEqual(
      [0, 1, 2].map((i) => answers.filter((a) => a.instance === i).length),
      [100, 100, 100],
      'each instance answered its share',
    );
  });

  it('refuses a request without a token (401) and with a foreign Host (403) on every instance', async () => {
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
    for (const instance of instances) {
      const anonymous = await mcpPost(instance.url, list);
      assert.equal(anonymous.status, 401);
      assert.match(String(anonymous.headers['www-authenticate']), /^Bearer/);
      const foreign = await mcpPost(instance.url, list, { authorization: `Bearer ${token}`, host: 'evil.example' });
      assert.equal(foreign.status, 403);
      assert.ok(!foreign.body.includes(token));
    }
  });

  it("keeps one partition's private answer (a remembered fix) from another partition", async () => {
    const diagnostic = { message: "Cannot find module 'team-secret-pkg'", source: 'ts', code: '2307' };
    const solution = 'npm install team-secret-pkg --registry https://npm.alice.internal';
    const remembered = await balancedCall(0, 'remember_fix', { ...diagnostic, solution });
    assert.equal(remembered.result?.isError, undefined, resultText(remembered.result));
    await waitFor(async () => (await redis.keys(`${PREFIX}v1:p:alice:*`)).length > 0, {
      what: "the fix in alice's partition",
    });
    assert.deepEqual(await redis.keys(`${PREFIX}v1:p:bob:*`), [], "nothing in bob's partition");
    for (const key of await redis.keys(`${PREFIX}v1:s:*`))
      assert.ok(!(await redis.command(`GET ${key}`)).includes('alice.internal'), 'nothing private in the shared one');

    const asBob = await balancedCall(2, 'find_fix', diagnostic);
    assert.equal(asBob.instance, 2);
    assert.ok(!resultText(asBob.result).includes('alice.internal'), "bob's instance does not serve alice's fix");
    assert.equal(asBob.result?.isError, true, 'no fix for bob');
  });

  it('kill -9 of one instance under load: every request is answered by the others within a bound', async () => {
    const victim = instances[2] as ServeProcess;
    orphans.push(...(await upstreamPids(victim.url, token)));
    api.delayMs = 100;
    // 40 questions asked 4 times each: misses, hits and lease waits, on all three instances.
    const questions = Array.from({ length: 160 }, (_, i) => docs(`load question ${i % 40}`, '/psf/requests'));
    const boundMs = 20_000;
    let done = 0;
    let next = 0;
    const latencies: number[] = [];
    const worker = async (): Promise<void> => {
      while (next < questions.length) {
        const index = next++;
        const started = performance.now();
        const answer = await balancedCall(
          index % 3,
          'context7__query-docs',
          questions[index] as object as Record<string, unknown>,
          boundMs,
        );
        latencies.push(performance.now() - started);
        assert.equal(answer.status, 200);
        assert.equal(answer.result?.isError, undefined, resultText(answer.result));
        assert.match(resultText(answer.result), new RegExp(`load question ${index % 40}\\b`));
        done += 1;
      }
    };
    const load = Promise.all(Array.from({ length: 24 }, worker));
    await waitFor(() => done >= 40, { what: 'the load to be under way', timeoutMs: 30_000 });
    victim.child.kill('SIGKILL');
    await load;
    assert.equal(done, questions.length, 'every request answered');
    assert.ok(retried > 0, 'requests meant for the killed instance were sent elsewhere');
    assert.equal(await victim.exited, null, 'the instance was killed');
    const worst = Math.max(...latencies);
    console.log(
      `      kill -9 under load: ${done} answers (${retried} retried elsewhere), slowest ${worst.toFixed(0)} ms`,
    );
    assert.ok(worst < boundMs, `slowest request ${worst.toFixed(0)} ms`);
    assert.ok(docsRequests() >= 40, 'each question went upstream at least once');
  });
});
