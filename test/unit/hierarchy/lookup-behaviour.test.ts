import { strict as assert } from 'node:assert';
import { KnowledgeHierarchy } from '../../../src/core/hierarchy/knowledge-hierarchy';
import { HierarchyStatsCollector } from '../../../src/core/hierarchy/hierarchy-stats';
import type { CacheLookupEvent } from '../../../src/core/hierarchy/types';
import type { KnowledgeQuery } from '../../../src/core/knowledge';
import { FakeAdapter, layer } from './fake-adapter';
import { waitFor } from '../../helpers/wait';

const echo = (q: KnowledgeQuery): string =>
  `answer to ${q.text} (${q.libraryId ?? 'no library'}, ${q.language ?? 'any'})`;

describe('KnowledgeHierarchy: what a lookup is keyed by', () => {
  it('two different concurrent questions each get their own answer', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: (q) => `about ${q.text}`, latencyMs: 5 });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    const [a, b] = await Promise.all([hierarchy.fetch('arrays'), hierarchy.fetch('tensors')]);
    assert.equal(a.content, 'about arrays');
    assert.equal(b.content, 'about tensors');
    assert.equal(docs.calls.length, 2);
    await hierarchy.shutdown();
  });

  it('the same question in two cache modes does not share a walk', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'x', latencyMs: 5 });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    await Promise.all([hierarchy.fetch('q'), hierarchy.fetch('q', { cacheMode: 'bypass' })]);
    assert.equal(docs.calls.length, 2);
    await hierarchy.shutdown();
  });

  it('the same question about two libraries is answered and cached per library', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: echo });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    const numpy = await hierarchy.fetch('getting started', { libraryId: 'numpy' });
    const torch = await hierarchy.fetch('getting started', { libraryId: 'torch' });
    assert.equal(numpy.content, 'answer to getting started (numpy, any)');
    assert.equal(torch.content, 'answer to getting started (torch, any)');
    assert.equal(torch.cached, false);
    const again = await hierarchy.fetch('getting started', { libraryId: 'numpy' });
    assert.equal(again.cached, true);
    assert.equal(again.content, numpy.content);
    await hierarchy.shutdown();
  });

  it('passes the language option to the layers and caches per language', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: echo });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    const python = await hierarchy.fetch('json parsing', { language: 'python' });
    const go = await hierarchy.fetch('json parsing', { language: 'go' });
    assert.equal(python.content, 'answer to json parsing (no library, python)');
    assert.equal(go.content, 'answer to json parsing (no library, go)');
    assert.equal(docs.calls[0]?.language, 'python');
    assert.equal(
      (await hierarchy.fetch({ text: 'json parsing', contextType: 'general', language: 'python' })).cached,
      true,
    );
    await hierarchy.shutdown();
  });

  it('options override the query object’s own context type, language and library', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: echo });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    const result = await hierarchy.fetch(
      { text: 'q', contextType: 'general', language: 'go', libraryId: 'numpy' },
      { contextType: 'library_api', language: 'python', libraryId: 'torch' },
    );
    assert.equal(result.contextType, 'library_api');
    assert.deepEqual(docs.calls[0], { text: 'q', contextType: 'library_api', language: 'python', libraryId: 'torch' });
    await hierarchy.shutdown();
  });

  it('getCached and peekCached find an entry under its library and language only', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'numpy intro' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    await hierarchy.fetch('intro', { libraryId: 'numpy', language: 'python', contextType: 'library_api' });
    const address = { libraryId: 'numpy', language: 'python', contextType: 'library_api' as const };
    assert.equal((await hierarchy.getCached('intro', address))?.content, 'numpy intro');
    assert.equal(hierarchy.peekCached('intro', address)?.content, 'numpy intro');
    assert.equal(hierarchy.peekCached('intro', address)?.trail[0]?.detail, 'memory');
    assert.equal(await hierarchy.getCached('intro', { ...address, libraryId: 'torch' }), null);
    assert.equal(hierarchy.peekCached('intro', { ...address, language: 'go' }), null);
    await hierarchy.shutdown();
  });
});

describe('KnowledgeHierarchy: invalidate', () => {
  it('forgets only the entry of the given library', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: echo });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    await hierarchy.fetch('intro', { libraryId: 'numpy' });
    await hierarchy.fetch('intro', { libraryId: 'torch' });
    await hierarchy.invalidate('intro', { libraryId: 'numpy' });
    assert.equal(await hierarchy.getCached('intro', { libraryId: 'numpy' }), null);
    assert.notEqual(await hierarchy.getCached('intro', { libraryId: 'torch' }), null);
    await hierarchy.shutdown();
  });

  it('forgets the entry addressed by a query object, with its language', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: echo });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    const query: KnowledgeQuery = { text: 'intro', contextType: 'library_api', language: 'python', libraryId: 'numpy' };
    await hierarchy.fetch(query);
    await hierarchy.fetch({ ...query, language: 'go' });
    await hierarchy.invalidate(query);
    assert.equal(await hierarchy.getCached(query), null);
    assert.notEqual(await hierarchy.getCached({ ...query, language: 'go' }), null);
    await hierarchy.shutdown();
  });

  it('with a context type forgets that type only; without one, every type', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'x' });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('docs', 3, [docs])],
      ttlByType: { custom_type: 60 },
    });
    for (const contextType of ['library_api', 'error_solution', 'custom_type'])
      await hierarchy.fetch('q', { contextType });
    await hierarchy.invalidate('q', { contextType: 'library_api' });
    assert.equal(await hierarchy.getCached('q', { contextType: 'library_api' }), null);
    assert.notEqual(await hierarchy.getCached('q', { contextType: 'error_solution' }), null);
    await hierarchy.invalidate('q');
    assert.equal(await hierarchy.getCached('q', { contextType: 'error_solution' }), null);
    assert.equal(await hierarchy.getCached('q', { contextType: 'custom_type' }), null, 'types known from the TTLs too');
    await hierarchy.shutdown();
  });

  it('forgets the library-scoped key in the memory layers', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: null, writable: true });
    const docs = new FakeAdapter({ serverName: 'context7', answer: null });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('memory', 1, [memory]), layer('docs', 3, [docs])] });
    await hierarchy.invalidate({ text: 'intro', contextType: 'library_api', libraryId: 'numpy' });
    assert.deepEqual(memory.invalidated, ['intro [numpy]']);
    assert.deepEqual(docs.invalidated, [], 'read-only layers are not asked');
    await hierarchy.shutdown();
  });

  it('a memory layer failing to forget does not fail the invalidation', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: null, writable: true });
    memory.invalidate = () => Promise.reject(new Error('server gone'));
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('memory', 1, [memory])] });
    await hierarchy.invalidate('q');
    await hierarchy.shutdown();
  });
});

describe('KnowledgeHierarchy: a TTL of 0 keeps nothing', () => {
  it('store with a TTL of 0 writes neither the cache nor any layer', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: null, writable: true });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('memory', 1, [memory])] });
    const report = await hierarchy.store('k', 'v', { contextType: 'general', ttlSeconds: 0 });
    assert.deepEqual(report, { cached: false, layers: [], persisted: false, persistError: 'the TTL is 0' });
    assert.equal(memory.stored.length, 0);
    assert.equal(await hierarchy.getCached('k'), null);
    await hierarchy.shutdown();
  });

  it('store without a TTL uses its context type’s TTL, and a type with TTL 0 stores nothing', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: null, writable: true });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('memory', 1, [memory])],
      ttlByType: { library_api: 0 },
      defaultTtlSeconds: 120,
    });
    assert.equal((await hierarchy.store('k', 'v', { contextType: 'library_api' })).cached, false);
    assert.equal((await hierarchy.store('k', 'v', { contextType: 'general' })).cached, true);
    assert.equal(memory.stored[0]?.options.ttlSeconds, 120);
    assert.equal(hierarchy.ttlFor('general'), 120);
    assert.equal(hierarchy.ttlFor('library_api'), 0);
    await hierarchy.shutdown();
  });

  it('an upstream answer of a type with TTL 0 is neither cached nor written back', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: null, writable: true });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'fresh each time' });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('memory', 1, [memory]), layer('docs', 3, [docs])],
      ttlByType: { library_api: 0 },
    });
    await hierarchy.fetch('q', { contextType: 'library_api' });
    await hierarchy.flush();
    assert.equal(memory.stored.length, 0);
    assert.equal((await hierarchy.fetch('q', { contextType: 'library_api' })).cached, false);
    assert.equal(docs.calls.length, 2);
    await hierarchy.shutdown();
  });

  it('the default TTL is one day', async () => {
    const hierarchy = new KnowledgeHierarchy({ layers: [] });
    assert.equal(hierarchy.ttlFor('general'), 86_400);
    await hierarchy.shutdown();
  });

  it('store reports a layer that refused the write, and keeps the others', async () => {
    const refusing = new FakeAdapter({ serverName: 'memory-bank', answer: null, writable: true, failStore: true });
    const accepting = new FakeAdapter({ serverName: 'server-memory', answer: null, writable: true });
    const readOnly = new FakeAdapter({ serverName: 'context7', answer: null });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('memory', 1, [refusing, accepting]), layer('docs', 3, [readOnly])],
    });
    const report = await hierarchy.store('fix', 'do this', { contextType: 'error_solution', ttlSeconds: 60 });
    assert.deepEqual(report.layers, [
      { layer: 'memory', server: 'memory-bank', ok: false, error: 'store refused' },
      { layer: 'memory', server: 'server-memory', ok: true },
    ]);
    assert.equal(accepting.stored[0]?.options.contextType, 'error_solution');
    await hierarchy.shutdown();
  });
});

describe('KnowledgeHierarchy: write-back targets', () => {
  it('writes back only to faster write-back layers, never to the answering one or slower ones', async () => {
    const fast = new FakeAdapter({ serverName: 'memory-bank', answer: null, writable: true });
    const answering = new FakeAdapter({ serverName: 'server-memory', answer: 'from the middle', writable: true });
    const slower = new FakeAdapter({ serverName: 'serena', answer: null, writable: true });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('memory', 1, [fast]), layer('graph', 2, [answering]), layer('project', 3, [slower])],
      writeBack: { enabled: true, layers: ['memory', 'graph', 'project'] },
    });
    const result = await hierarchy.fetch('q', { libraryId: 'numpy' });
    assert.equal(result.source, 'graph');
    await hierarchy.flush();
    assert.deepEqual(
      fast.stored.map((s) => s.key),
      ['q [numpy]'],
    );
    assert.equal(answering.stored.length, 0);
    assert.equal(slower.stored.length, 0);
    await hierarchy.shutdown();
  });

  it('writes back only to the configured write-back layers', async () => {
    const notConfigured = new FakeAdapter({ serverName: 'serena', answer: null, writable: true });
    const configured = new FakeAdapter({ serverName: 'memory-bank', answer: null, writable: true });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'd' });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('project', 1, [notConfigured]), layer('memory', 2, [configured]), layer('docs', 3, [docs])],
    });
    await hierarchy.fetch('q');
    await hierarchy.flush();
    assert.equal(notConfigured.stored.length, 0);
    assert.equal(configured.stored.length, 1);
    await hierarchy.shutdown();
  });

  it('refresh mode writes a fresh answer back; a cache hit writes nothing back', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: null, writable: true, remembers: false });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'd' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('memory', 1, [memory]), layer('docs', 3, [docs])] });
    await hierarchy.fetch('q');
    await hierarchy.fetch('q');
    await hierarchy.flush();
    assert.equal(memory.stored.length, 1);
    await hierarchy.fetch('q', { cacheMode: 'refresh' });
    await hierarchy.flush();
    assert.equal(memory.stored.length, 2);
    await hierarchy.shutdown();
  });
});

describe('KnowledgeHierarchy: walking modes and cancellation', () => {
  it('sequential mode never asks a second layer while the first is still working', async () => {
    const slowMemory = new FakeAdapter({ serverName: 'memory-bank', answer: 'slow but sure', latencyMs: 60 });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const hierarchy = new KnowledgeHierarchy({
      mode: 'sequential',
      layers: [layer('memory', 1, [slowMemory], { latencyTargetMs: 1 }), layer('docs', 3, [docs])],
    });
    const result = await hierarchy.fetch('q');
    assert.equal(result.source, 'memory');
    assert.equal(docs.calls.length, 0);
    assert.equal(hierarchy.mode, 'sequential');
    await hierarchy.shutdown();
  });

  it('a hedged hierarchy takes the first good answer', async () => {
    const slowMemory = new FakeAdapter({ serverName: 'memory-bank', answer: 'slow', latencyMs: 2000 });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('memory', 1, [slowMemory], { latencyTargetMs: 5, timeoutMs: 5000 }), layer('docs', 3, [docs])],
      mode: 'hedged',
    });
    assert.equal(hierarchy.mode, 'hedged');
    assert.equal((await hierarchy.fetch('q')).source, 'docs');
    await hierarchy.shutdown();
  });

  it('a lookup cut short by shutdown reports the cancellation and asks no later layer', async () => {
    const slow = new FakeAdapter({ serverName: 'memory-bank', answer: null, latencyMs: 5000 });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'never asked' });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('memory', 1, [slow], { timeoutMs: 10_000 }), layer('docs', 3, [docs])],
    });
    let walking!: () => void;
    const walked = new Promise<void>((resolve) => (walking = resolve));
    const pending = hierarchy.fetch('q', { onWalk: () => setImmediate(walking) });
    await walked;
    await hierarchy.shutdown();
    const result = await pending;
    assert.equal(result.success, false);
    assert.equal(result.cached, false);
    assert.equal(result.error, 'lookup cancelled (the knowledge hierarchy is shutting down)');
    assert.deepEqual(
      result.trail
        .filter((entry) => entry.layer !== 'local-cache')
        .map((entry) => [entry.layer, entry.outcome, entry.detail]),
      [['memory', 'cancelled', 'the knowledge hierarchy is shutting down']],
    );
    assert.equal(docs.calls.length, 0);
    assert.equal(hierarchy.getStats().perLayer.docs?.attempts, 0);
  });

  it('hedged: shutdown ends the walk and reports the cancellation', async () => {
    const slow = new FakeAdapter({ serverName: 'memory-bank', answer: 'late', latencyMs: 5000 });
    const hierarchy = new KnowledgeHierarchy({
      mode: 'hedged',
      layers: [layer('memory', 1, [slow], { latencyTargetMs: 60_000, timeoutMs: 10_000 })],
    });
    let walking!: () => void;
    const walked = new Promise<void>((resolve) => (walking = resolve));
    const pending = hierarchy.fetch('q', { onWalk: () => setImmediate(walking) });
    await walked;
    await hierarchy.shutdown();
    const result = await pending;
    assert.match(result.error ?? '', /^lookup cancelled/);
    assert.equal(slow.aborted, 1);
    assert.equal(result.trail.find((entry) => entry.layer === 'memory')?.outcome, 'cancelled');
  });

  it('hedged: a caller leaving mid-walk gets the running layers reported as cancelled', async () => {
    const slow = new FakeAdapter({ serverName: 'memory-bank', answer: 'late', latencyMs: 5000 });
    const slower = new FakeAdapter({ serverName: 'context7', answer: 'later', latencyMs: 5000 });
    const hierarchy = new KnowledgeHierarchy({
      mode: 'hedged',
      layers: [
        layer('memory', 1, [slow], { latencyTargetMs: 1, timeoutMs: 10_000 }),
        layer('docs', 3, [slower], { latencyTargetMs: 60_000, timeoutMs: 10_000 }),
      ],
    });
    const controller = new AbortController();
    const pending = hierarchy.fetch('q', { signal: controller.signal });
    await waitFor(() => slower.calls.length > 0, { what: 'the hedged call to the docs layer' });
    controller.abort();
    const result = await pending;
    assert.equal(result.error, 'cancelled by the caller');
    assert.deepEqual(
      result.trail.filter((entry) => entry.layer !== 'local-cache').map((entry) => [entry.layer, entry.outcome]),
      [
        ['memory', 'cancelled'],
        ['docs', 'cancelled'],
      ],
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(slow.aborted + slower.aborted, 2);
    await hierarchy.shutdown();
  });

  it('a layer whose adapter timed out does not go on to its next adapter', async () => {
    const hung = new FakeAdapter({ serverName: 'memory-bank', hang: true });
    const second = new FakeAdapter({ serverName: 'server-memory', answer: 'too late for this layer' });
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('memory', 1, [hung, second], { timeoutMs: 30 }), layer('docs', 3, [docs])],
    });
    const result = await hierarchy.fetch('q');
    assert.equal(result.source, 'docs');
    assert.equal(second.calls.length, 0);
    assert.deepEqual(
      result.trail.filter((entry) => entry.layer === 'memory').map((entry) => entry.outcome),
      ['timeout'],
    );
    await hierarchy.shutdown();
  });

  it('every layer missing ends in one summary naming each attempt', async () => {
    const memory = new FakeAdapter({ serverName: 'memory-bank', answer: null });
    const docs = new FakeAdapter({ serverName: 'context7', error: new Error('rate limited') });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('memory', 1, [memory]), layer('docs', 3, [docs])] });
    const result = await hierarchy.fetch('q', { contextType: 'library_api' });
    assert.equal(
      result.error,
      'No layer had an answer for this library_api question. memory (memory-bank): miss; docs (context7): error — rate limited',
    );
    await hierarchy.shutdown();
  });

  it('no layer allowed for a context type is a failure that names the rule', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'd' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])], authority: { error_solution: [] } });
    const result = await hierarchy.fetch('q', { contextType: 'error_solution' });
    assert.equal(result.error, 'no layer may answer "error_solution" questions (authority rules)');
    assert.equal(docs.calls.length, 0);
    await hierarchy.shutdown();
  });
});

describe('KnowledgeHierarchy: what is reported', () => {
  it('lookups that skip the cache emit no cache-lookup event; failures are never cached', async () => {
    const lookups: CacheLookupEvent[] = [];
    const docs = new FakeAdapter({ serverName: 'context7', answer: (q) => (q.text === 'known' ? 'd' : null) });
    const hierarchy = new KnowledgeHierarchy({
      layers: [layer('docs', 3, [docs])],
      observer: { onCacheLookup: (event) => lookups.push(event) },
    });
    await hierarchy.fetch('known', { cacheMode: 'refresh' });
    await hierarchy.fetch('known', { cacheMode: 'bypass' });
    await hierarchy.fetch('q', { signal: AbortSignal.abort() });
    assert.equal(lookups.length, 0);
    const failed = await hierarchy.fetch('unknown');
    assert.equal(failed.cached, false);
    assert.equal(failed.source, null);
    assert.equal(failed.content, null);
    assert.deepEqual(
      lookups.map((event) => [event.hit, event.level, event.contextType]),
      [[false, null, 'general']],
    );
    await hierarchy.shutdown();
  });

  it('counts an answer that came upstream as a miss in the hit rate', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'd' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    assert.equal(hierarchy.getStats().hitRate, 0);
    await hierarchy.fetch('q');
    const stats = hierarchy.getStats();
    assert.equal(stats.hits, 0);
    assert.equal(stats.hitRate, 0);
    assert.equal(stats.diskHits, 0);
    assert.deepEqual(hierarchy.layerNames, ['docs']);
    await hierarchy.shutdown();
  });

  it('an answer is reported with its source layer and is not marked cached', async () => {
    const docs = new FakeAdapter({ serverName: 'context7', answer: 'd' });
    const hierarchy = new KnowledgeHierarchy({ layers: [layer('docs', 3, [docs])] });
    const result = await hierarchy.fetch('q', { contextType: 'library_api' });
    assert.deepEqual(
      [result.success, result.cached, result.source, result.contextType, result.error],
      [true, false, 'docs', 'library_api', undefined],
    );
    assert.equal('error' in result, false);
    await hierarchy.shutdown();
  });
});

describe('HierarchyStatsCollector', () => {
  it('computes percentiles over the latencies in sorted order, whatever order they came in', () => {
    const stats = new HierarchyStatsCollector([]);
    for (const latency of [90, 10, 50, 30, 70]) stats.lookupDone(true, latency);
    assert.deepEqual(stats.latency(), { p50: 50, p95: 90, p99: 90 });
  });

  it('replaces the oldest latency once the window is full', () => {
    const stats = new HierarchyStatsCollector([], 2);
    stats.lookupDone(true, 1000);
    stats.lookupDone(true, 1);
    stats.lookupDone(false, 2);
    assert.deepEqual(stats.latency(), { p50: 1, p95: 2, p99: 2 });
    stats.lookupDone(false, 3);
    assert.deepEqual(stats.latency(), { p50: 2, p95: 3, p99: 3 });
    assert.equal(stats.answered, 2);
    assert.equal(stats.failed, 2);
  });

  it('counts per-layer outcomes, ignores skipped attempts and learns new layers', () => {
    const stats = new HierarchyStatsCollector(['memory']);
    for (const outcome of ['hit', 'miss', 'error', 'timeout', 'cancelled', 'skipped'] as const)
      stats.layerAttempt('memory', outcome);
    stats.layerAttempt('late', 'hit');
    const layers = stats.snapshotLayers();
    assert.deepEqual(layers.memory, { attempts: 5, hits: 1, misses: 1, errors: 1, timeouts: 1, cancelled: 1 });
    assert.deepEqual(layers.late, { attempts: 1, hits: 1, misses: 0, errors: 0, timeouts: 0, cancelled: 0 });
    layers.memory.hits = 99;
    assert.equal(stats.snapshotLayers().memory?.hits, 1, 'a snapshot is a copy');
  });

  it('counts cache hits per level', () => {
    const stats = new HierarchyStatsCollector([]);
    stats.cacheHit('memory');
    stats.cacheHit('disk');
    stats.cacheHit('disk');
    assert.deepEqual([stats.memoryHits, stats.diskHits], [1, 2]);
  });
});
