import { strict as assert } from 'node:assert';
import { KnowledgeHierarchy } from '../../../src/core/hierarchy/knowledge-hierarchy';
import type { CacheLookupEvent, LayerAttemptEvent } from '../../../src/core/hierarchy/types';
import { McpError } from '../../../src/core/errors';
import { FakeAdapter, layer } from './fake-adapter';
import { cleanTempDirsAfter, tempDir as makeTempDir } from '../../helpers/temp';

describe('KnowledgeHierarchy: caching and write-back', () => {
  cleanTempDirsAfter();
  const tempDir = (): string => makeTempDir('hierarchy-');

  it('answers a repeated question from memory, then from disk in a new instance, promoting it', async () => {
    const cacheDir = tempDir();
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'numpy docs' });
    const first = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])], cache: { cacheDir } });
    await first.fetch('numpy array', { contextType: 'library_api' });
    const hot = await first.fetch('  NumPy   array ', { contextType: 'library_api' });
    assert.equal(hot.cached, true);
    assert.equal(hot.source, 'local-cache');
    assert.equal(hot.trail[0]?.detail, 'memory');
    await first.shutdown();

    const second = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])], cache: { cacheDir } });
    const fromDisk = await second.fetch('numpy array', { contextType: 'library_api' });
    assert.equal(fromDisk.cached, true);
    assert.equal(fromDisk.trail[0]?.detail, 'disk');
    const promoted = await second.fetch('numpy array', { contextType: 'library_api' });
    assert.equal(promoted.trail[0]?.detail, 'memory');
    assert.equal(docs.calls.length, 1);
    const stats = second.getStats();
    assert.equal(stats.diskHits, 1);
    assert.equal(stats.memoryHits, 1);
    await second.shutdown();
  });

  it('keeps answers for the TTL of their context type and no longer', async () => {
    let now = 1_700_000_000_000;
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('docs', 3, [docs])],
      ttlByType: { library_api: 3600 },
      defaultTtlSeconds: 60,
      now: () => now,
      cache: { cacheDir: tempDir(), now: () => now },
    });
    await hierarchy.fetch('a', { contextType: 'library_api' });
    await hierarchy.fetch('a', { contextType: 'general' });
    now += 120_000; // past the default TTL, within the library_api one
    assert.equal((await hierarchy.fetch('a', { contextType: 'library_api' })).cached, true);
    assert.equal((await hierarchy.fetch('a', { contextType: 'general' })).cached, false);
    now += 3_600_000;
    assert.equal((await hierarchy.fetch('a', { contextType: 'library_api' })).cached, false);
    assert.equal(docs.calls.length, 4);
    await hierarchy.shutdown();
  });

  it('never caches misses or errors', async () => {
    let fail = true;
    const docs = new FakeAdapter({ serverName: 'context7', answer: () => (fail ? null : 'finally') });
    const broken = new FakeAdapter({
      serverName: 'github',
      error: new McpError('upstream-error', 'github', 'offline'),
    });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('docs', 3, [docs]), layer('github', 4, [broken])],
      cache: { cacheDir: tempDir() },
    });
    assert.equal((await hierarchy.fetch('q')).success, false);
    assert.equal((await hierarchy.fetch('q')).success, false);
    assert.equal(docs.calls.length, 2, 'the second lookup went upstream again');
    assert.equal(await hierarchy.getCached('q'), null);
    fail = false;
    assert.equal((await hierarchy.fetch('q')).content, 'finally');
    await hierarchy.shutdown();
  });

  it("writes a slower layer's answer back to the memory layer with its type's TTL", async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: null, writable: true });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs answer' });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('memory', 1, [memory]), layer('docs', 3, [docs])],
      ttlByType: { library_api: 777 },
      writeBack: { enabled: true, layers: ['memory'] },
    });
    await hierarchy.fetch('How to merge', { contextType: 'library_api' });
    await hierarchy.flush();
    assert.deepEqual(
      memory.stored.map((s) => [s.key, s.value, s.options.contextType, s.options.ttlSeconds]),
      [['How to merge', 'docs answer', 'library_api', 777]],
    );
    await hierarchy.clear();
    const again = await hierarchy.fetch('How to merge', { contextType: 'library_api' });
    assert.equal(again.source, 'memory', 'with the local cache cleared, the memory layer answers');
    assert.equal(docs.calls.length, 1);
    await hierarchy.flush();
    assert.equal(memory.stored.length, 1, 'an answer from the memory layer is not written back to itself');
    await hierarchy.shutdown();
  });

  it('does not write back when disabled, in bypass mode, or from a failing store', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: null, writable: true, failStore: true });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'x' });
    const warnings: string[] = [];
    const logger = { trace() {}, debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) };
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('memory', 1, [memory]), layer('docs', 3, [docs])],
      logger,
    });
    const result = await hierarchy.fetch('q');
    assert.equal(result.success, true, 'a failing write-back never costs the answer');
    await hierarchy.flush();
    assert.ok(warnings.some((w) => /Write-back to memory/.test(w)));

    const quiet = new FakeAdapter({ serverName: 'memory-bank', answer: null, writable: true });
    const disabled = new KnowledgeHierarchy({
      layers: [layer('memory', 1, [quiet]), layer('docs', 3, [docs])],
      writeBack: { enabled: false, layers: ['memory'] },
    });
    await disabled.fetch('q');
    const enabled = new KnowledgeHierarchy({ layers: [layer('memory', 1, [quiet]), layer('docs', 3, [docs])] });
    await enabled.fetch('q', { cacheMode: 'bypass' });
    await Promise.all([disabled.flush(), enabled.flush()]);
    assert.equal(quiet.stored.length, 0);
    assert.equal(await enabled.getCached('q'), null, 'bypass does not write the local cache either');
    await Promise.all([hierarchy.shutdown(), disabled.shutdown(), enabled.shutdown()]);
  });

  it('refresh skips the cached answer but stores the fresh one', async () => {
    let version = 1;
    const docs = new FakeAdapter({ serverName: 'context7', answer: () => `v${version}` });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    await hierarchy.fetch('q');
    version = 2;
    assert.equal((await hierarchy.fetch('q')).content, 'v1');
    const refreshed = await hierarchy.fetch('q', { cacheMode: 'refresh' });
    assert.equal(refreshed.content, 'v2');
    assert.equal(refreshed.trail[0]?.outcome, 'skipped');
    assert.equal((await hierarchy.fetch('q')).content, 'v2');
    await hierarchy.shutdown();
  });

  it('getCached and peekCached never go upstream', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    assert.equal(await hierarchy.getCached('q', { libraryId: '/numpy/numpy' }), null);
    assert.equal(hierarchy.peekCached('q', { libraryId: '/numpy/numpy' }), null);
    assert.equal(docs.calls.length, 0);
    await hierarchy.fetch('q', { libraryId: '/numpy/numpy' });
    assert.equal(hierarchy.peekCached('q', { libraryId: '/numpy/numpy' })?.content, 'docs');
    assert.equal((await hierarchy.getCached('q', { libraryId: '/numpy/numpy' }))?.cached, true);
    assert.equal(hierarchy.getStats().lookups, 1);
    await hierarchy.shutdown();
  });

  it('store writes the local cache and the writable layers; invalidate removes both', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: null, writable: true });
    const docs = new FakeAdapter({ serverName: 'context7', answer: null });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('memory', 1, [memory]), layer('docs', 3, [docs])],
      ttlByType: { error_solution: 7_776_000 },
    });
    const report = await hierarchy.store('TypeError: x is undefined', 'check x first', {
      contextType: 'error_solution',
    });
    assert.deepEqual(report, {
      cached: true,
      persisted: false,
      persistError: 'the cache has no disk level',
      layers: [{ layer: 'memory', server: 'memory-bank', ok: true }],
    });
    assert.equal(memory.stored[0]?.options.ttlSeconds, 7_776_000);
    const hit = await hierarchy.fetch('TypeError: x is undefined', { contextType: 'error_solution' });
    assert.equal(hit.cached, true);
    assert.equal(hit.content, 'check x first');

    await hierarchy.invalidate('TypeError: x is undefined');
    assert.deepEqual(memory.invalidated, ['TypeError: x is undefined']);
    const after = await hierarchy.fetch('TypeError: x is undefined', { contextType: 'error_solution' });
    assert.equal(after.success, false);
    await hierarchy.shutdown();
  });

  it('reports every cache lookup and layer attempt to the observer, and survives a throwing one', async () => {
    const attempts: LayerAttemptEvent[] = [];
    const lookups: CacheLookupEvent[] = [];
    let fetches = 0;
    const hierarchy = new KnowledgeHierarchy({
      layers: [
        layer('memory', 1, [new FakeAdapter({ serverName: 'memory-bank', answer: null })]),
        layer('docs', 3, [new FakeAdapter({ serverName: 'context7', answer: 'd' })]),
      ],
      observer: {
        onLayerAttempt: (event) => attempts.push(event),
        onCacheLookup: (event) => lookups.push(event),
        onFetch: () => {
          fetches++;
          throw new Error('observer bug');
        },
      },
    });
    const first = await hierarchy.fetch('q', { contextType: 'library_api' });
    assert.equal(first.success, true);
    await hierarchy.fetch('q', { contextType: 'library_api' });
    assert.deepEqual(
      attempts.map((a) => [a.layer, a.server, a.outcome, a.contextType]),
      [
        ['memory', 'memory-bank', 'miss', 'library_api'],
        ['docs', 'context7', 'hit', 'library_api'],
      ],
    );
    assert.deepEqual(
      lookups.map((l) => [l.hit, l.level]),
      [
        [false, null],
        [true, 'memory'],
      ],
    );
    assert.equal(fetches, 2);
    await hierarchy.shutdown();
  });
});

describe('KnowledgeHierarchy.create', () => {
  cleanTempDirsAfter();

  it('opens the disk cache up front and serves entries from a previous run', async () => {
    const cacheDir = makeTempDir('hierarchy-create-');
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'kept' });
    const first = await KnowledgeHierarchy.create({ layers: [layer('docs', 3, [docs])], cache: { cacheDir } });
    await first.fetch('q');
    await first.shutdown();
    const second = await KnowledgeHierarchy.create({ layers: [layer('docs', 3, [docs])], cache: { cacheDir } });
    assert.equal(second.getStats().diskEntries, 1, 'the index is loaded before any lookup');
    assert.equal((await second.fetch('q')).cached, true);
    const nothing = await second.store('k', 'v', { contextType: 'general', ttlSeconds: 0 });
    assert.deepEqual(nothing, { cached: false, persisted: false, persistError: 'the TTL is 0', layers: [] });
    await second.shutdown();
  });
});

describe('KnowledgeHierarchy onWalk', () => {
  it('is called once before the layers are asked on a miss, and never on a hit', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    const walks: number[] = [];
    const first = await hierarchy.fetch('q', {
      contextType: 'library_api',
      onWalk: () => walks.push(docs.calls.length),
    });
    assert.equal(first.cached, false);
    assert.deepEqual(walks, [0], 'called once, before the adapter was asked');
    const second = await hierarchy.fetch('q', { contextType: 'library_api', onWalk: () => walks.push(-1) });
    assert.equal(second.cached, true);
    assert.deepEqual(walks, [0]);
    await hierarchy.shutdown();
  });

  it('a throwing onWalk costs nothing: the answer still comes', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    const result = await hierarchy.fetch('q', {
      onWalk: () => {
        throw new Error('boom');
      },
    });
    assert.equal(result.content, 'docs');
    await hierarchy.shutdown();
  });
});
