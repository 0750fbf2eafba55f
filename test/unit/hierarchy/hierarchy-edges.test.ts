/**
 * KnowledgeHierarchy at its edges: lookups that end before any layer (shut down, a caller already
 * gone, no layer allowed), the trail of each kind of cache hit, what a stored or learned entry
 * keeps, targeted invalidation, the stats' totals, and observers that are partial or throw.
 */
import { strict as assert } from 'node:assert';
import { KnowledgeHierarchy } from '../../../src/core/hierarchy/knowledge-hierarchy';
import type { HierarchyLayer } from '../../../src/core/hierarchy/types';
import { cacheKey } from '../../../src/core/store/cache-key';
import { ResultCache } from '../../../src/core/store/result-cache';
import { recordingLogger } from '../../helpers/recording-logger';
import { cleanTempDirsAfter } from '../../helpers/temp';
import { FakeSharedLevel } from '../store/fake-shared-level';
import { FakeAdapter, layer } from './fake-adapter';

/** Runs `work` and returns its result with the time it took, measured around it. */
async function timed<T>(work: () => T | Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

/** A latency the hierarchy measured inside a call: at most the call's own duration. */
function assertWithin(latencyMs: number | undefined, callMs: number): void {
  assert.ok(
    latencyMs !== undefined && latencyMs >= 0 && latencyMs <= callMs,
    `latency ${latencyMs} in a ${callMs} ms call`,
  );
}

describe('KnowledgeHierarchy: edges', () => {
  const tempDir = cleanTempDirsAfter();

  it('walks sequentially unless told otherwise', () => {
    assert.equal(new KnowledgeHierarchy({ layers: [] }).mode, 'sequential');
  });

  it('fails a lookup after shutdown at once, with an empty trail', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    await hierarchy.shutdown();
    const result = await hierarchy.fetch('numpy array');
    assert.equal(result.error, 'the knowledge hierarchy is shut down');
    assert.deepEqual(result.trail, []);
    assert.equal(docs.calls.length, 0);
  });

  it('answers a caller that already left with a cancelled cache step and asks nothing', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    const controller = new AbortController();
    controller.abort();
    const result = await hierarchy.fetch('numpy array', { signal: controller.signal });
    assert.equal(result.error, 'cancelled by the caller');
    assert.deepEqual(result.trail, [{ layer: 'local-cache', outcome: 'cancelled', latencyMs: 0 }]);
    assert.equal(docs.calls.length, 0);
  });

  it('says why no layer was asked: none enabled, or none allowed for the type; the cache miss stays in the trail', async () => {
    const none = await new KnowledgeHierarchy({ layers: [] }).fetch('numpy array');
    assert.equal(
      none.error,
      'no server is enabled, so only the local cache can answer (enable a server in mcp-config.yaml)',
    );
    assert.deepEqual(
      none.trail.map((entry) => [entry.layer, entry.outcome]),
      [['local-cache', 'miss']],
    );
    const ruled = new KnowledgeHierarchy({
      layers: [layer('docs', 3, [new FakeAdapter({ serverName: 'context7', answer: 'docs' })])],
      authority: { error_solution: ['memory'] },
    });
    const forbidden = await ruled.fetch('TypeError', { contextType: 'error_solution' });
    assert.equal(forbidden.error, 'no layer may answer "error_solution" questions (authority rules)');
  });

  it('names the cache level and a measured latency in the trail of every kind of hit', async () => {
    const cacheDir = tempDir('hierarchy-edges-');
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'numpy docs' });
    const first = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])], cache: { cacheDir } });
    await first.fetch('numpy array');
    const [hot, hotMs] = await timed(() => first.fetch('numpy array'));
    assert.deepEqual(
      hot.trail.map((entry) => [entry.layer, entry.outcome, entry.detail]),
      [['local-cache', 'hit', 'memory']],
    );
    assertWithin(hot.trail[0]?.latencyMs, hotMs);
    const [peeked, peekMs] = await timed(() => first.peekCached('numpy array'));
    assertWithin(peeked?.latencyMs, peekMs);
    await first.shutdown();

    const second = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])], cache: { cacheDir } });
    const [fromGet, getMs] = await timed(() => second.getCached('numpy array'));
    assertWithin(fromGet?.latencyMs, getMs);
    await second.shutdown();

    const third = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])], cache: { cacheDir } });
    const [fromDisk, diskMs] = await timed(() => third.fetch('numpy array'));
    assert.deepEqual(
      fromDisk.trail.map((entry) => [entry.layer, entry.outcome, entry.detail]),
      [['local-cache', 'hit', 'disk']],
    );
    assertWithin(fromDisk.trail[0]?.latencyMs, diskMs);
    await third.fetch('numpy array');
    const stats = third.getStats();
    assert.deepEqual([stats.diskHits, stats.memoryHits, stats.hits], [1, 1, 2]);
    assert.equal(docs.calls.length, 1);
    await third.shutdown();
  });

  it('counts the disk entries as the entries once the disk level holds any', async () => {
    const cacheDir = tempDir('hierarchy-edges-');
    const docs = new FakeAdapter({ serverName: 'context7', answer: (q) => `docs for ${q.text}` });
    const writer = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])], cache: { cacheDir } });
    await writer.fetch('numpy array');
    await writer.fetch('pandas frame');
    await writer.shutdown();
    const reader = await KnowledgeHierarchy.create({ layers: [layer('docs', 3, [docs])], cache: { cacheDir } });
    const stats = reader.getStats();
    assert.deepEqual([stats.entries, stats.diskEntries, stats.memoryEntries], [2, 2, 0]);
    await reader.shutdown();
  });

  it('names the cache mode when it skipped the cache', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    const result = await hierarchy.fetch('numpy array', { cacheMode: 'refresh' });
    assert.deepEqual(result.trail[0], {
      layer: 'local-cache',
      outcome: 'skipped',
      latencyMs: 0,
      detail: 'cache mode refresh',
    });
  });

  it('keeps where an entry came from: `store` for stored values with their metadata, the server for learned answers', async () => {
    const cache = new ResultCache({ cacheDir: tempDir('hierarchy-edges-') });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'numpy docs' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])], cache });
    const report = await hierarchy.store('TypeError: x', 'declare x', {
      contextType: 'error_solution',
      metadata: { team: true },
    });
    assert.deepEqual(report, { cached: true, persisted: true, layers: [] }, 'kept on disk, with no error to report');
    const stored = cache.peek(cacheKey({ text: 'TypeError: x', contextType: 'error_solution' }));
    assert.ok(stored);
    assert.equal(stored.value.source, 'store');
    assert.deepEqual(stored.value.metadata, { team: true });

    await hierarchy.fetch('numpy array');
    const learned = cache.peek(cacheKey({ text: 'numpy array', contextType: 'general' }));
    assert.ok(learned);
    assert.equal(learned.value.source, 'docs');
    assert.equal(learned.value.metadata?.['server'], 'context7');
    await hierarchy.shutdown();
  });

  it('invalidates only the context type a query object names', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    await hierarchy.fetch('numpy array', { contextType: 'library_api' });
    await hierarchy.fetch('numpy array', { contextType: 'general' });
    await hierarchy.invalidate({ text: 'numpy array', contextType: 'library_api' });
    assert.equal(hierarchy.peekCached('numpy array', { contextType: 'library_api' }), null);
    assert.equal(hierarchy.peekCached('numpy array', { contextType: 'general' })?.content, 'docs');
  });

  it('reports an unexpected failure inside a lookup as an internal error, logged, not as a cancellation', async () => {
    const logger = recordingLogger();
    const broken = {
      name: 'docs',
      priority: 3,
      latencyTargetMs: 100,
      timeoutMs: 1000,
      get adapters(): never {
        throw new Error('layer table corrupted');
      },
    } as unknown as HierarchyLayer;
    const hierarchy = new KnowledgeHierarchy({ layers: [broken], logger });
    const result = await hierarchy.fetch('numpy array');
    assert.equal(result.error, 'internal error: Error: layer table corrupted');
    assert.deepEqual(
      result.trail.map((entry) => [entry.layer, entry.outcome]),
      [['local-cache', 'miss']],
    );
    assert.deepEqual(logger.at('error'), [
      'Knowledge hierarchy: a lookup failed unexpectedly Error: layer table corrupted',
    ]);
  });

  it('works without an observer, or with one that has only some methods, and logs nothing without `onWalk`', async () => {
    const logger = recordingLogger();
    const fetched: string[] = [];
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const partial = new KnowledgeHierarchy({
      layers: [layer('docs', 3, [docs])],
      logger,
      observer: { onFetch: (result) => void fetched.push(String(result.content)) },
    });
    await partial.fetch('numpy array');
    const empty = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])], logger, observer: {} });
    await empty.fetch('numpy array');
    await empty.fetch('numpy array');
    const unobserved = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])], logger });
    await unobserved.fetch('numpy array');
    await unobserved.fetch('numpy array');
    assert.deepEqual(fetched, ['docs']);
    assert.deepEqual(logger.lines, []);
  });

  it('answers even when an observer throws, and logs it', async () => {
    const logger = recordingLogger();
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('docs', 3, [docs])],
      logger,
      observer: {
        onFetch: () => {
          throw new Error('dashboard gone');
        },
      },
    });
    const result = await hierarchy.fetch('numpy array');
    assert.equal(result.content, 'docs');
    assert.deepEqual(logger.at('warn'), ['A knowledge hierarchy observer threw Error: dashboard gone']);
  });

  it('claims the shared lease for a question every level missed, and gives it back when no layer answered', async () => {
    const shared = new FakeSharedLevel();
    const docs = new FakeAdapter({ serverName: 'context7', answer: null });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('docs', 3, [docs])],
      cache: new ResultCache({ shared }),
    });
    const result = await hierarchy.fetch('numpy array');
    assert.equal(result.success, false);
    assert.deepEqual([shared.claims, shared.releases], [1, 1]);
    await hierarchy.shutdown();
  });
});
