import { strict as assert } from 'node:assert';
import { Gateway } from '../../../src/core/gateway/gateway';
import { hierarchyTools, type HierarchyToolsApi } from '../../../src/core/gateway/hierarchy-tools';
import { type DrainReport, type HttpServeOptions, serveHttp } from '../../../src/core/serve/http';
import { ResultCache } from '../../../src/core/store/result-cache';
import { FakeSource } from '../gateway/fake-source';
import { mcpPost, toolCall } from '../../helpers/raw-http';
import { waitFor } from '../../helpers/wait';

const TOKEN = 'unit-token-0123456789abcdef';

/** A runtime whose lookups wait until the test releases them. */
class BlockingRuntime {
  started = 0;
  private releases: Array<() => void> = [];
  private waiters: Array<() => void> = [];

  async lookup(query: string): Promise<unknown> {
    this.started += 1;
    this.waiters.splice(0).forEach((wake) => wake());
    await new Promise<void>((resolve) => this.releases.push(resolve));
    return {
      success: true,
      content: query,
      source: 'memory',
      cached: false,
      latencyMs: 1,
      contextType: 'general',
      trail: [],
    };
  }

  /** Resolves once `count` lookups are running. */
  async untilStarted(count: number): Promise<void> {
    while (this.started < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  releaseAll(): void {
    this.releases.splice(0).forEach((release) => release());
  }
}

interface BlockingServe {
  url: string;
  /** Resolves with the drain report once `serveHttp` has returned. */
  done: Promise<DrainReport>;
  /** The shutdown's progress lines so far. */
  notices: string[];
}

/** `serveHttp` over a gateway whose `lookup` tool waits on `runtime`; resolves once it listens. */
async function serveBlocking(
  runtime: BlockingRuntime,
  signal: AbortSignal,
  options: Partial<HttpServeOptions> = {},
): Promise<BlockingServe> {
  // The fake implements lookup, the one method the lookup tool calls.
  const local = hierarchyTools(runtime as unknown as HierarchyToolsApi);
  const gateway = new Gateway({
    source: new FakeSource([]),
    cache: new ResultCache({}),
    config: { enabled: true, separator: '__', invalidateOnWrite: true, defaultTtlSeconds: 60, tools: [] },
    localTools: () => local,
  });
  const notices: string[] = [];
  let url = '';
  let done: Promise<DrainReport> | undefined;
  await new Promise<void>((resolve) => {
    done = serveHttp(
      { gateway },
      {
        port: 0,
        tokens: { tokens: [TOKEN], file: '(test)', generated: false },
        signal,
        notice: (line) => notices.push(line),
        onListening: (endpoint) => {
          url = endpoint;
          resolve();
        },
        ...options,
      },
    );
  });
  return { url, done: done as Promise<DrainReport>, notices };
}

describe('serveHttp in-flight cap', () => {
  it('answers 503 with Retry-After beyond the cap, touching nothing, and serves again once calls finish', async () => {
    const runtime = new BlockingRuntime();
    const stop = new AbortController();
    const { url } = await serveBlocking(runtime, stop.signal, { limits: { maxInFlight: 2 } });
    const auth = { authorization: `Bearer ${TOKEN}` };
    try {
      const running = [1, 2].map((id) => mcpPost(url, toolCall(id, 'lookup', { query: `q${id}` }), auth));
      await runtime.untilStarted(2);
      const refused = await mcpPost(url, toolCall(3, 'lookup', { query: 'q3' }), auth);
      assert.equal(refused.status, 503);
      assert.equal(refused.headers['retry-after'], '1');
      assert.equal(runtime.started, 2, 'the refused call never reached the runtime');
      runtime.releaseAll();
      assert.deepEqual(
        (await Promise.all(running)).map((r) => r.status),
        [200, 200],
      );
      const again = mcpPost(url, toolCall(4, 'lookup', { query: 'q4' }), auth);
      await runtime.untilStarted(3);
      runtime.releaseAll();
      assert.equal((await again).status, 200);
    } finally {
      runtime.releaseAll();
      stop.abort();
    }
  });
});

describe('serveHttp graceful shutdown', () => {
  const auth = { authorization: `Bearer ${TOKEN}` };

  it('refuses new connections at once and lets a call in flight finish with its answer', async () => {
    const runtime = new BlockingRuntime();
    const stop = new AbortController();
    const served = await serveBlocking(runtime, stop.signal, { drainTimeoutMs: 10_000 });
    try {
      const running = mcpPost(served.url, toolCall(1, 'lookup', { query: 'slow question' }), auth);
      await runtime.untilStarted(1);
      stop.abort();
      await waitFor(() => served.notices.some((line) => line.startsWith('stopping')), {
        what: 'the shutdown to begin',
      });
      await assert.rejects(
        mcpPost(served.url, toolCall(2, 'lookup', { query: 'late question' }), auth),
        (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
      );
      assert.equal(runtime.started, 1, 'the refused call never reached the runtime');
      runtime.releaseAll();
      const answer = await running;
      assert.equal(answer.status, 200);
      assert.match(answer.body, /slow question/);
      assert.doesNotMatch(answer.body, /"isError":true/);
      assert.deepEqual(await served.done, { inFlight: 1, cancelled: 0 });
      assert.match(served.notices.at(-1) ?? '', /^stopped: 1 call\(s\) finished, 0 cancelled/);
    } finally {
      runtime.releaseAll();
    }
  });

  it('ends a call still running at the drain bound as a tool error and returns within the bound', async () => {
    const runtime = new BlockingRuntime();
    const stop = new AbortController();
    const bound = 300;
    const served = await serveBlocking(runtime, stop.signal, { drainTimeoutMs: bound });
    try {
      const running = mcpPost(served.url, toolCall(1, 'lookup', { query: 'never answered' }), auth);
      await runtime.untilStarted(1);
      const started = performance.now();
      stop.abort();
      const answer = await running;
      assert.equal(answer.status, 200);
      assert.match(answer.body, /"isError":true/);
      assert.match(answer.body, /shutting down; retry the call/);
      assert.deepEqual(await served.done, { inFlight: 1, cancelled: 1 });
      const elapsed = performance.now() - started;
      assert.ok(elapsed >= bound - 20, `waited the bound: ${elapsed.toFixed(0)} ms`);
      assert.ok(elapsed < bound + 1000, `returned within the bound and the grace: ${elapsed.toFixed(0)} ms`);
    } finally {
      runtime.releaseAll();
    }
  });

  it('stops at once when nothing is in flight', async () => {
    const stop = new AbortController();
    const served = await serveBlocking(new BlockingRuntime(), stop.signal);
    stop.abort();
    assert.deepEqual(await served.done, { inFlight: 0, cancelled: 0 });
  });
});
