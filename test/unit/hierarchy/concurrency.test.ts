import { strict as assert } from 'node:assert';
import { KnowledgeHierarchy } from '../../../src/core/hierarchy/knowledge-hierarchy';
import { FakeAdapter, layer } from './fake-adapter';
import { waitFor } from '../../helpers/wait';

describe('KnowledgeHierarchy: single-flight, hedging and cancellation', () => {
  it('1000 identical concurrent lookups make exactly one adapter call', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'shared', latencyMs: 5 });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => hierarchy.fetch('Same question', { contextType: 'library_api' })),
    );
    assert.equal(docs.calls.length, 1);
    assert.ok(results.every((r) => r.success && r.content === 'shared'));
    assert.equal(hierarchy.getStats().inFlight, 0);
    await hierarchy.shutdown();
  });

  it('shares a flight even when the adapter answers instantly', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'shared' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => hierarchy.fetch(i % 2 ? 'same  QUESTION' : 'same question')),
    );
    assert.equal(docs.calls.length, 1);
    await hierarchy.shutdown();
  });

  it('does not remember a failed flight: the next lookup goes upstream again', async () => {
    let answer: string | null = null;
    const docs = new FakeAdapter({ serverName: 'context7', answer: () => answer, latencyMs: 5 });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    const failed = await Promise.all([hierarchy.fetch('q'), hierarchy.fetch('q')]);
    assert.ok(failed.every((r) => !r.success));
    assert.equal(docs.calls.length, 1);
    answer = 'now there is one';
    assert.equal((await hierarchy.fetch('q')).content, 'now there is one');
    assert.equal(docs.calls.length, 2);
    await hierarchy.shutdown();
  });

  it('hedged: a slow first layer is overtaken by the next one, which wins; the first is aborted', async () => {
    const slowMemory = new FakeAdapter({ serverName: 'memory-bank', answer: 'slow answer', latencyMs: 5000 });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'fast answer', latencyMs: 5 });
    const hierarchy = new KnowledgeHierarchy({
      mode: 'hedged',
      layers: [layer('memory', 1, [slowMemory], { latencyTargetMs: 20, timeoutMs: 10_000 }), layer('docs', 3, [docs])],
    });
    const result = await hierarchy.fetch('q');
    assert.equal(result.content, 'fast answer');
    assert.equal(result.source, 'docs');
    assert.equal(slowMemory.aborted, 1, 'the loser saw its AbortSignal fire');
    const memoryEntry = result.trail.find((entry) => entry.layer === 'memory');
    assert.equal(memoryEntry?.outcome, 'cancelled');
    assert.equal(memoryEntry.detail, 'lost the hedged race');
    assert.equal(hierarchy.getStats().perLayer.memory?.cancelled, 1);
    await hierarchy.shutdown();
  });

  it('hedged: a first layer that answers within its target starts no hedge', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: 'quick', latencyMs: 5 });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'unneeded' });
    const hierarchy = new KnowledgeHierarchy({
      mode: 'hedged',
      layers: [layer('memory', 1, [memory], { latencyTargetMs: 1000 }), layer('docs', 3, [docs])],
    });
    const result = await hierarchy.fetch('q');
    assert.equal(result.source, 'memory');
    assert.equal(docs.calls.length, 0);
    await hierarchy.shutdown();
  });

  it('hedged: a miss starts the next layer at once, and all layers missing is a failure', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: null });
    const docs = new FakeAdapter({ serverName: 'context7', answer: null });
    const hierarchy = new KnowledgeHierarchy({
      mode: 'hedged',
      layers: [
        layer('memory', 1, [memory], { latencyTargetMs: 60_000 }),
        layer('docs', 3, [docs], { latencyTargetMs: 60_000 }),
      ],
    });
    const result = await hierarchy.fetch('q');
    assert.equal(result.success, false);
    assert.deepEqual(
      result.trail.map((entry) => entry.outcome),
      ['miss', 'miss', 'miss'],
    );
    await hierarchy.shutdown();
  });

  it('hedged: a slow first layer that answers before the hedge does still wins', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: 'memory wins', latencyMs: 40 });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs', latencyMs: 2000 });
    const hierarchy = new KnowledgeHierarchy({
      mode: 'hedged',
      layers: [layer('memory', 1, [memory], { latencyTargetMs: 5 }), layer('docs', 3, [docs])],
    });
    const result = await hierarchy.fetch('q');
    assert.equal(result.source, 'memory');
    assert.equal(docs.aborted, 1);
    assert.equal(result.trail.find((entry) => entry.layer === 'docs')?.outcome, 'cancelled');
    await hierarchy.shutdown();
  });

  it('a caller that aborts gets success false promptly and the layer call is aborted', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'late', latencyMs: 5000 });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs], { timeoutMs: 10_000 })] });
    const controller = new AbortController();
    const pending = hierarchy.fetch('q', { signal: controller.signal });
    await waitFor(() => docs.calls.length > 0, { what: 'the docs layer call to start' });
    controller.abort();
    const result = await pending;
    assert.equal(result.success, false);
    assert.match(result.error ?? '', /cancelled/);
    assert.equal(result.trail.at(-1)?.outcome, 'cancelled');
    assert.equal(result.trail.at(-1)?.layer, 'docs');
    assert.ok(result.latencyMs < 4000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(docs.aborted, 1);
    await hierarchy.shutdown();
  });

  it('an already aborted signal never reaches a layer', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'x' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    const result = await hierarchy.fetch('q', { signal: AbortSignal.abort() });
    assert.equal(result.success, false);
    assert.equal(docs.calls.length, 0);
    await hierarchy.shutdown();
  });

  it('one caller aborting does not abort a flight another caller still waits for', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'for the patient one', latencyMs: 40 });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    const impatient = new AbortController();
    const first = hierarchy.fetch('q', { signal: impatient.signal });
    const second = hierarchy.fetch('q');
    impatient.abort();
    const [gaveUp, waited] = await Promise.all([first, second]);
    assert.equal(gaveUp.success, false);
    assert.equal(waited.content, 'for the patient one');
    assert.equal(docs.aborted, 0);
    assert.equal(docs.calls.length, 1);
    await hierarchy.shutdown();
  });

  it('shutdown aborts lookups under way and refuses new ones', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'x', latencyMs: 5000 });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs], { timeoutMs: 10_000 })] });
    const pending = hierarchy.fetch('q');
    await waitFor(() => docs.calls.length > 0, { what: 'the docs layer call to start' });
    await hierarchy.shutdown();
    const result = await pending;
    assert.equal(result.success, false);
    assert.equal(docs.aborted, 1);
    const later = await hierarchy.fetch('q');
    assert.match(later.error ?? '', /shut down/);
  });
});

describe('KnowledgeHierarchy: stats', () => {
  it('counts lookups, hits per level, per-layer outcomes and latency percentiles', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: null });
    const docs = new FakeAdapter({
      serverName: 'context7',
      answer: (q) => (q.text.startsWith('known') ? 'doc' : null),
    });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('memory', 1, [memory]), layer('docs', 3, [docs])] });
    await hierarchy.fetch('known 1');
    await hierarchy.fetch('known 1');
    await hierarchy.fetch('unknown');
    await hierarchy.fetch('known 2');
    const stats = hierarchy.getStats();
    assert.equal(stats.lookups, 4);
    assert.equal(stats.hits, 1);
    assert.equal(stats.memoryHits, 1);
    assert.equal(stats.hitRate, 0.25);
    assert.equal(stats.answered, 3);
    assert.equal(stats.failed, 1);
    assert.deepEqual(stats.perLayer.memory, { attempts: 3, hits: 0, misses: 3, errors: 0, timeouts: 0, cancelled: 0 });
    assert.deepEqual(stats.perLayer.docs, { attempts: 3, hits: 2, misses: 1, errors: 0, timeouts: 0, cancelled: 0 });
    assert.equal(stats.entries, 2);
    assert.ok(stats.latency.p50 <= stats.latency.p95 && stats.latency.p95 <= stats.latency.p99);
    assert.ok(stats.latency.p99 > 0);
    await hierarchy.shutdown();
  });
});
