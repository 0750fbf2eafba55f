import { strict as assert } from 'node:assert';
import type { PreloadProgress } from '../../../src/core/api';
import { DEFAULT_TOPICS, libraryDocsQuery } from '../../../src/core/preload/queries';
import { PredictivePreloader, type PredictivePreloaderOptions } from '../../../src/core/preload/predictive-preloader';
import { detection, FakeHierarchy, FakeLibraries, settle } from './fakes';

describe('PredictivePreloader', () => {
  let t: number;
  let current: PredictivePreloader | undefined;
  const make = async (
    hierarchy: FakeHierarchy,
    over: Partial<PredictivePreloaderOptions> = {},
    start = true,
  ): Promise<PredictivePreloader> => {
    const created = new PredictivePreloader({
      strategy: 'balanced',
      concurrency: 2,
      callsPerMinute: 1000,
      costBudgetUsd: 10,
      topics: ['overview'],
      hierarchy,
      libraries: new FakeLibraries(),
      now: () => t,
      ...over,
    });
    current = created;
    if (start) await created.startBackgroundPreloading();
    return created;
  };

  beforeEach(() => {
    t = Date.UTC(2025, 0, 1);
  });
  afterEach(() => current?.dispose());

  it('builds the library docs query hovers and preloading share', () => {
    assert.deepEqual(libraryDocsQuery('/numpy/numpy', DEFAULT_TOPICS[0] ?? ''), {
      text: 'overview',
      contextType: 'library_api',
      libraryId: '/numpy/numpy',
      hints: { topic: 'overview' },
    });
  });

  it('fetches every topic of each imported library and marks it ready', async () => {
    const hierarchy = new FakeHierarchy();
    const preloader = await make(hierarchy, { topics: ['overview', 'api'] });
    await preloader.preloadForDocument(detection('file:///a.py', ['numpy', 'torch']));
    await preloader.whenIdle();
    assert.deepEqual(hierarchy.calls.map((c) => `${c.query.libraryId} ${c.query.text}`).sort(), [
      '/numpy/numpy api',
      '/numpy/numpy overview',
      '/torch/torch api',
      '/torch/torch overview',
    ]);
    assert.deepEqual(
      preloader.states().map((s) => [s.libraryId, s.status, s.documents]),
      [
        ['/numpy/numpy', 'ready', ['file:///a.py']],
        ['/torch/torch', 'ready', ['file:///a.py']],
      ],
    );
  });

  it('loads visible documents first', async () => {
    const hierarchy = new FakeHierarchy(false);
    const preloader = await make(hierarchy, { concurrency: 1 });
    await preloader.preloadForDocument(detection('file:///hidden.py', ['a1', 'a2', 'a3']));
    await preloader.preloadForDocument(detection('file:///visible.py', ['b1']), { visible: true });
    for (let i = 0; i < 4; i++) {
      await settle();
      hierarchy.calls[i]?.release();
    }
    await preloader.whenIdle();
    assert.deepEqual(hierarchy.libraries(), ['/a1/a1', '/b1/b1', '/a2/a2', '/a3/a3']);
  });

  it('never runs more than `concurrency` libraries at once', async () => {
    const hierarchy = new FakeHierarchy();
    const preloader = await make(hierarchy, { concurrency: 3 });
    await preloader.preloadForDocument(
      detection(
        'file:///a.py',
        Array.from({ length: 12 }, (_, i) => `lib${i}`),
      ),
    );
    await preloader.whenIdle();
    assert.equal(hierarchy.calls.length, 12);
    assert.equal(hierarchy.maxInFlight, 3);
  });

  it('stops calling upstream when the cost budget is spent', async () => {
    const hierarchy = new FakeHierarchy();
    const preloader = await make(hierarchy, { costPerCallUsd: 0.1, costBudgetUsd: 0.25, concurrency: 1 });
    const summary = await preloader.preloadLibraries(
      ['a', 'b', 'c', 'd', 'e'].map((m) => ({ module: m, libraryId: `/${m}` })),
    );
    assert.equal(hierarchy.calls.length, 2);
    assert.deepEqual([summary.libraries, summary.loaded, summary.failed], [5, 2, 3]);
    assert.ok(Math.abs(preloader.spentCostUsd - 0.2) < 1e-9);
    assert.match(preloader.states().find((s) => s.libraryId === '/e')?.error ?? '', /budget/);
  });

  it('spends at most callsPerMinute upstream calls per minute', async () => {
    const hierarchy = new FakeHierarchy();
    const fetchTimes: number[] = [];
    const timed = Object.assign(Object.create(hierarchy) as FakeHierarchy, {
      fetch: (q: Parameters<FakeHierarchy['fetch']>[0], s: AbortSignal) => {
        fetchTimes.push(t);
        return hierarchy.fetch(q, s);
      },
    });
    const preloader = await make(timed, { callsPerMinute: 2, concurrency: 1, sleep: async (ms) => void (t += ms) });
    const start = t;
    await preloader.preloadLibraries(['a', 'b', 'c', 'd', 'e'].map((m) => ({ module: m, libraryId: `/${m}` })));
    assert.deepEqual(
      fetchTimes.map((x) => x - start),
      [0, 0, 30_000, 60_000, 90_000],
    );
  });

  it('runs one job per library however many documents import it', async () => {
    const hierarchy = new FakeHierarchy(false);
    const preloader = await make(hierarchy);
    await preloader.preloadForDocument(detection('file:///a.py', ['numpy']));
    await preloader.preloadForDocument(detection('file:///b.py', ['numpy']), { visible: true });
    await settle();
    hierarchy.calls.forEach((c) => c.release());
    await preloader.whenIdle();
    assert.equal(hierarchy.calls.length, 1);
    assert.deepEqual(preloader.states()[0]?.documents, ['file:///a.py', 'file:///b.py']);
  });

  it('skips the standard library, unresolved modules and already-cached docs', async () => {
    const hierarchy = new FakeHierarchy();
    hierarchy.cached.add('/numpy/numpy#overview');
    const preloader = await make(hierarchy);
    await preloader.preloadForDocument(
      detection('file:///a.py', ['numpy', 'torch'], { stdlib: ['os'], unresolved: ['mystery'] }),
    );
    await preloader.whenIdle();
    assert.deepEqual(hierarchy.libraries(), ['/torch/torch']);
    const states = Object.fromEntries(preloader.states().map((s) => [s.module, s.status]));
    assert.deepEqual(states, { numpy: 'ready', torch: 'ready', mystery: 'skipped' });
    const summary = await preloader.preloadLibraries([
      { module: 'numpy', language: 'python' },
      { module: 'unknown-lib', language: 'python' },
      { module: 'pandas', language: 'python' },
    ]);
    assert.deepEqual([summary.libraries, summary.alreadyCached, summary.loaded, summary.failed], [3, 1, 1, 0]);
  });

  it("cancels a closed document's work unless another open document needs the library", async () => {
    const hierarchy = new FakeHierarchy(false);
    const preloader = await make(hierarchy, { concurrency: 1 });
    await preloader.preloadForDocument(detection('file:///a.py', ['x', 'y', 'z']));
    await preloader.preloadForDocument(detection('file:///b.py', ['y']));
    await settle();
    assert.equal(hierarchy.calls[0]?.query.libraryId, '/x/x');
    preloader.cancelDocument('file:///a.py');
    assert.equal(hierarchy.calls[0].signal.aborted, true, 'the in-flight fetch is aborted');
    await settle();
    hierarchy.calls[1]?.release();
    await preloader.whenIdle();
    assert.deepEqual(hierarchy.libraries(), ['/x/x', '/y/y']);
    const states = Object.fromEntries(preloader.states().map((s) => [s.module, [s.status, s.documents]]));
    assert.deepEqual(states, { x: ['cancelled', []], y: ['ready', ['file:///b.py']], z: ['cancelled', []] });
  });

  it('does no work for a ready library when its document is re-detected after an edit', async () => {
    const hierarchy = new FakeHierarchy();
    const preloader = await make(hierarchy);
    await preloader.preloadForDocument(detection('file:///a.py', ['numpy']));
    await preloader.whenIdle();
    const events: PreloadProgress[] = [];
    preloader.onProgress((p) => events.push(p));
    await preloader.preloadForDocument(detection('file:///a.py', ['numpy']), { visible: true });
    await preloader.preloadForDocument(detection('file:///b.py', ['numpy']));
    await preloader.whenIdle();
    assert.equal(hierarchy.calls.length, 1, 'fetched once');
    assert.deepEqual(events, [], 'no progress flicker');
    assert.deepEqual(
      preloader.states().map((s) => [s.status, s.documents]),
      [['ready', ['file:///a.py', 'file:///b.py']]],
    );
  });

  it('reports progress as work is queued, runs and finishes', async () => {
    const hierarchy = new FakeHierarchy();
    const preloader = await make(hierarchy, { concurrency: 1 });
    const events: PreloadProgress[] = [];
    preloader.onProgress((p) => events.push(p));
    await preloader.preloadForDocument(detection('file:///a.py', ['a', 'b']));
    await preloader.whenIdle();
    assert.deepEqual(events.at(-1), { queued: 0, running: 0, done: 2, failed: 0 });
    assert.ok(events.some((e) => e.running === 1 && e.queued === 1 && e.current === 'a'));
    assert.ok(events.every((e) => e.running <= 1));
  });

  it('AGGRESSIVE adds predicted and manifest libraries; BALANCED does not', async () => {
    const run = async (strategy: 'balanced' | 'aggressive'): Promise<string[]> => {
      const hierarchy = new FakeHierarchy();
      const preloader = await make(hierarchy, {
        strategy,
        learning: {
          predictLibraries: (command, limit) =>
            command === 'lookup' ? ['/pandas/pandas', '/scipy/scipy'].slice(0, limit) : [],
        },
        manifests: { workspaceLibraries: async () => [{ module: 'requests', language: 'python' }] },
      });
      await preloader.preloadForDocument(detection('file:///a.py', ['numpy']), { visible: true });
      await preloader.whenIdle();
      preloader.dispose();
      return hierarchy.libraries().sort();
    };
    assert.deepEqual(await run('balanced'), ['/numpy/numpy']);
    assert.deepEqual(await run('aggressive'), ['/numpy/numpy', '/pandas/pandas', '/requests/requests', '/scipy/scipy']);
  });

  it('preloads for a command: its libraries, and in AGGRESSIVE what learning predicts for it', async () => {
    const hierarchy = new FakeHierarchy();
    const preloader = await make(hierarchy, {
      strategy: 'aggressive',
      learning: { predictLibraries: (command) => (command === 'fix' ? ['/pytest/pytest'] : []) },
    });
    await preloader.preloadForCommand('fix', { libraryIds: ['/numpy/numpy'] });
    await preloader.whenIdle();
    assert.deepEqual(hierarchy.libraries().sort(), ['/numpy/numpy', '/pytest/pytest']);
  });

  it('does nothing in the background when off or not started, but explicit requests still run', async () => {
    const hierarchy = new FakeHierarchy();
    const preloader = await make(hierarchy, {}, false);
    await preloader.preloadForDocument(detection('file:///a.py', ['numpy']));
    await preloader.whenIdle();
    assert.equal(hierarchy.calls.length, 0);
    await preloader.startBackgroundPreloading();
    await preloader.whenIdle();
    assert.deepEqual(hierarchy.libraries(), ['/numpy/numpy'], 'documents opened before start are caught up');
    preloader.setStrategy('off');
    await preloader.preloadForDocument(detection('file:///b.py', ['torch']));
    await preloader.whenIdle();
    assert.equal(hierarchy.calls.length, 1);
    const summary = await preloader.preloadLibraries([{ module: 'torch', libraryId: '/torch/torch' }]);
    assert.equal(summary.loaded, 1);
  });

  it('bounds the queue, letting a more urgent library displace the least urgent', async () => {
    const hierarchy = new FakeHierarchy(false);
    const preloader = await make(hierarchy, { concurrency: 1, maxQueue: 2 });
    await preloader.preloadForDocument(detection('file:///a.py', ['a', 'b', 'c', 'd']));
    let states = Object.fromEntries(preloader.states().map((s) => [s.module, s.status]));
    assert.deepEqual(states, { a: 'loading', b: 'queued', c: 'queued', d: 'skipped' });
    await preloader.preloadForDocument(detection('file:///v.py', ['v']), { visible: true });
    states = Object.fromEntries(preloader.states().map((s) => [s.module, s.status]));
    assert.equal(states.v, 'queued');
    assert.equal(states.c, 'skipped');
    assert.equal(preloader.progress().queued, 2);
  });

  it('cancels an explicit request through its AbortSignal', async () => {
    const hierarchy = new FakeHierarchy(false);
    const preloader = await make(hierarchy, { concurrency: 1 });
    const controller = new AbortController();
    const pending = preloader.preloadLibraries(
      ['a', 'b', 'c'].map((m) => ({ module: m, libraryId: `/${m}` })),
      { signal: controller.signal },
    );
    await settle();
    controller.abort();
    const summary = await pending;
    assert.deepEqual([summary.loaded, summary.failed], [0, 0]);
    assert.equal(hierarchy.calls[0]?.signal.aborted, true);
    assert.deepEqual(
      preloader.states().map((s) => s.status),
      ['cancelled', 'cancelled', 'cancelled'],
    );
  });

  it('records a failed fetch with its error and does not retry it in the background at once', async () => {
    const hierarchy = new FakeHierarchy(false);
    const preloader = await make(hierarchy);
    await preloader.preloadForDocument(detection('file:///a.py', ['numpy']));
    await settle();
    hierarchy.calls[0]?.release({ success: false, error: 'context7 timed out' });
    await preloader.whenIdle();
    assert.deepEqual(
      preloader.states().map((s) => [s.status, s.error]),
      [['failed', 'context7 timed out']],
    );
    await preloader.preloadForDocument(detection('file:///b.py', ['numpy']));
    await preloader.whenIdle();
    assert.equal(hierarchy.calls.length, 1);
  });
});
