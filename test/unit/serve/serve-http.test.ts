import { strict as assert } from 'node:assert';
import { Gateway } from '../../../src/core/gateway/gateway';
import { hierarchyTools, type HierarchyToolsApi } from '../../../src/core/gateway/hierarchy-tools';
import { serveHttp } from '../../../src/core/serve/http';
import { ResultCache } from '../../../src/core/store/result-cache';
import { FakeSource } from '../gateway/fake-source';
import { mcpPost, toolCall } from '../../helpers/raw-http';

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

describe('serveHttp in-flight cap', () => {
  it('answers 503 with Retry-After beyond the cap, touching nothing, and serves again once calls finish', async () => {
    const runtime = new BlockingRuntime();
    const stop = new AbortController();
    let url = '';
    const listening = new Promise<void>((resolve) => {
      // The fake implements lookup, the one method the lookup tool calls.
      const local = hierarchyTools(runtime as unknown as HierarchyToolsApi);
      const gateway = new Gateway({
        source: new FakeSource([]),
        cache: new ResultCache({}),
        config: { enabled: true, separator: '__', invalidateOnWrite: true, defaultTtlSeconds: 60, tools: [] },
        localTools: () => local,
      });
      void serveHttp(
        { gateway },
        {
          port: 0,
          tokens: { tokens: [TOKEN], file: '(test)', generated: false },
          limits: { maxInFlight: 2 },
          signal: stop.signal,
          onListening: (endpoint) => {
            url = endpoint;
            resolve();
          },
        },
      );
    });
    await listening;
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
