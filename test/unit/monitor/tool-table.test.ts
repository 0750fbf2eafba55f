import { strict as assert } from 'node:assert';
import { Monitor } from '../../../src/core/monitor/monitor';

describe('Monitor: per-tool table of gateway calls', () => {
  it('counts calls, hits, errors, latency and cost per tool, and agent traffic in the hit rate', () => {
    const monitor = new Monitor({ evaluateIntervalMs: 0 });
    const call = { client: 'agent', server: 'context7', tool: 'query-docs', ok: true, cacheable: true, costUsd: 0 };
    for (let i = 0; i < 2; i++) monitor.recordToolCall({ ...call, latencyMs: 150, hit: false, costUsd: 0.001 });
    for (let i = 0; i < 3; i++) monitor.recordToolCall({ ...call, latencyMs: 0.5, hit: true });
    monitor.recordToolCall({
      ...call,
      client: 'vscode-lm',
      tool: 'write',
      cacheable: false,
      ok: false,
      latencyMs: 10,
      hit: false,
    });
    const data = monitor.getDashboardData();
    const docs = data.tools.find((t) => t.tool === 'query-docs');
    assert.equal(docs?.calls, 5);
    assert.equal(docs.cacheHits, 3);
    assert.equal(docs.hitRate, 0.6);
    assert.ok(docs.p50LatencyMs < 1 && docs.p95LatencyMs > 100);
    assert.equal(docs.costUsd, 0.002);
    const write = data.tools.find((t) => t.tool === 'write');
    assert.deepEqual([write?.errors, write?.hitRate, write?.clients], [1, 0, ['vscode-lm']]);
    // Only cacheable calls are cache lookups: 3 hits of 5.
    assert.equal(data.summary.cacheLookups, 5);
    assert.equal(data.summary.cacheHitRate, 0.6);
    monitor.stop();
  });
});
