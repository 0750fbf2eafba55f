/**
 * `serve --http` stopped by SIGTERM, as a load balancer's orchestrator stops an instance: the real
 * CLI process on a real Redis, real context7 behind it on the loopback API (slowed to keep a call
 * in flight). The process stops taking requests, lets the call finish (or cancels it at the
 * bound), closes its upstream servers and exits 0.
 */
import { strict as assert } from 'node:assert';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { FakeContext7Api } from '../../fixtures/context7-api';
import { callToolOverHttp, resultText } from '../../helpers/mcp-http-call';
import { waitForPidGone } from '../../helpers/processes';
import { TestRedis } from '../../helpers/redis-server';
import type { ServeProcess } from '../../helpers/serve-process';
import { startTeamInstance, untilContext7Answers, upstreamPids, writeTokenFile } from '../../helpers/team-gateway';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';
import { ensureCliBundle } from './cli-runner';

describe('serve --http: graceful shutdown on SIGTERM', function () {
  this.timeout(90_000);
  const makeDir = cleanTempDirsAfter();
  let redis: TestRedis;
  let api: FakeContext7Api;
  let token: { file: string; token: string };
  const started: ServeProcess[] = [];

  before(async function () {
    this.timeout(150_000);
    await ensureCliBundle();
    redis = await TestRedis.start();
    api = await FakeContext7Api.start();
    token = writeTokenFile(makeDir('shutdown-token-'));
  });
  afterEach(async () => {
    api.delayMs = 0;
    await Promise.all(started.splice(0).map((serve) => serve.stop(2000)));
  });
  after(async () => {
    await api.close();
    await redis.stop();
  });

  async function start(drainTimeoutMs: number): Promise<{ serve: ServeProcess; upstreamPids: number[] }> {
    const serve = await startTeamInstance({
      apiUrl: api.apiUrl,
      tokenFile: token.file,
      makeDir,
      redisUrl: redis.url,
      drainTimeoutMs,
    });
    started.push(serve);
    await untilContext7Answers(serve.url, token.token);
    return { serve, upstreamPids: await upstreamPids(serve.url, token.token) };
  }

  const call = (serve: ServeProcess, query: string): Promise<{ status: number; result: CallToolResult | undefined }> =>
    callToolOverHttp(serve.url, token.token, 'context7__query-docs', { libraryId: '/pandas-dev/pandas', query });

  it('lets a slow call in flight finish, refuses new requests, closes its servers and exits 0', async () => {
    const { serve, upstreamPids } = await start(10_000);
    assert.ok(upstreamPids.length > 0, 'context7 runs');
    api.delayMs = 1500;
    const arrived = api.received;
    const slow = call(serve, 'merge frames slowly');
    await waitFor(() => api.received > arrived, { what: 'the slow call to reach the API', timeoutMs: 20_000 });
    const signalled = performance.now();
    serve.child.kill('SIGTERM');
    await waitFor(() => serve.stderr().includes('stopping: no new requests'), { what: 'the shutdown to begin' });
    await assert.rejects(call(serve, 'a question after SIGTERM'), (error: NodeJS.ErrnoException) => {
      assert.equal(error.code, 'ECONNREFUSED');
      return true;
    });

    const answer = await slow;
    assert.equal(answer.status, 200);
    assert.equal(answer.result?.isError, undefined, resultText(answer.result));
    assert.match(resultText(answer.result), /merge frames slowly/);
    assert.equal(await serve.exited, 0);
    const elapsed = performance.now() - signalled;
    console.log(`      SIGTERM to exit with a 1.5 s call in flight: ${elapsed.toFixed(0)} ms`);
    assert.match(serve.stderr(), /stopped: 1 call\(s\) finished, 0 cancelled/);
    for (const pid of upstreamPids) assert.ok(await waitForPidGone(pid), `upstream server ${pid} was closed`);
  });

  it('cancels a call still running at --drain-timeout-ms with a tool error and exits within the bound', async () => {
    const bound = 500;
    const { serve, upstreamPids } = await start(bound);
    // Longer than the bound, shorter than context7's call timeout: the call is still running at the bound.
    api.delayMs = 8000;
    const arrived = api.received;
    const stuck = call(serve, 'a call that outlives the bound');
    await waitFor(() => api.received > arrived, { what: 'the call to reach the API', timeoutMs: 20_000 });
    const signalled = performance.now();
    serve.child.kill('SIGTERM');

    const answer = await stuck;
    assert.equal(answer.status, 200);
    assert.equal(answer.result?.isError, true);
    assert.match(resultText(answer.result), /shutting down; retry the call/);
    assert.equal(await serve.exited, 0);
    const elapsed = performance.now() - signalled;
    console.log(`      SIGTERM to exit with a call past a ${bound} ms bound: ${elapsed.toFixed(0)} ms`);
    // The bound, the cancelled call's grace (1 s) and closing the servers and Redis.
    assert.ok(elapsed < bound + 5000, `exited ${elapsed.toFixed(0)} ms after SIGTERM`);
    assert.match(serve.stderr(), /stopped: 0 call\(s\) finished, 1 cancelled/);
    for (const pid of upstreamPids) assert.ok(await waitForPidGone(pid), `upstream server ${pid} was closed`);
  });
});
