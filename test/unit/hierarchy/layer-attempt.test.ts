import { strict as assert } from 'node:assert';
import { Cancellation } from '../../../src/core/hierarchy/cancellation';
import { abortDetail, runLayer, type AttemptContext } from '../../../src/core/hierarchy/layer-attempt';
import type { LayerAttemptEvent } from '../../../src/core/hierarchy/types';
import { WalkProgress } from '../../../src/core/hierarchy/walk-progress';
import { FakeAdapter, layer } from './fake-adapter';

function context(now: () => number = () => performance.now()): AttemptContext & { events: LayerAttemptEvent[] } {
  const events: LayerAttemptEvent[] = [];
  return {
    events,
    query: { text: 'numpy arrays', contextType: 'library_api' },
    progress: new WalkProgress(now),
    report: (event) => void events.push(event),
  };
}

describe('hierarchy/layer-attempt', () => {
  it('skips a layer without adapters, saying so', async () => {
    const ctx = context(() => 0);
    assert.deepEqual(await runLayer(layer('empty', 1, []), ctx, new Cancellation()), { outcome: 'skipped' });
    assert.deepEqual(ctx.progress.trail, [
      { layer: 'empty', outcome: 'skipped', latencyMs: 0, detail: 'no adapter configured' },
    ]);
    assert.deepEqual(ctx.events, [
      { layer: 'empty', server: null, contextType: 'library_api', outcome: 'skipped', latencyMs: 0 },
    ]);
  });

  it('is an error when any adapter failed and none answered; a miss when all just missed', async () => {
    const failing = new FakeAdapter({ serverName: 'broken', error: new Error('boom') });
    const missing = new FakeAdapter({ serverName: 'empty', answer: null });
    const ctx = context();
    assert.deepEqual(await runLayer(layer('docs', 1, [failing, missing]), ctx, new Cancellation()), {
      outcome: 'error',
    });
    assert.deepEqual(
      ctx.events.map((e) => [e.server, e.outcome, e.error]),
      [
        ['broken', 'error', 'boom'],
        ['empty', 'miss', undefined],
      ],
    );
    assert.deepEqual(
      await runLayer(
        layer('docs', 1, [missing, new FakeAdapter({ serverName: 'other' })]),
        context(),
        new Cancellation(),
      ),
      { outcome: 'miss' },
    );
  });

  it('answers with the first adapter that has an answer, naming its layer and server', async () => {
    const ctx = context();
    const result = await runLayer(
      layer('docs', 1, [
        new FakeAdapter({ serverName: 'empty', answer: null }),
        new FakeAdapter({ serverName: 'context7', answer: 'arrays docs' }),
      ]),
      ctx,
      new Cancellation(),
    );
    assert.equal(result.outcome, 'hit');
    assert.equal(result.answer?.content, 'arrays docs');
    assert.equal(result.answer.layer, 'docs');
    assert.equal(result.answer.server, 'context7');
  });

  it('records the adapters after a cancellation as cancelled, with the reason, without asking them', async () => {
    const cancellation = new Cancellation();
    cancellation.abort('shutting down');
    const adapter = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const ctx = context(() => 0);
    assert.deepEqual(await runLayer(layer('docs', 1, [adapter]), ctx, cancellation), { outcome: 'cancelled' });
    assert.equal(adapter.calls.length, 0);
    assert.deepEqual(ctx.progress.trail, [
      { layer: 'docs', server: 'context7', outcome: 'cancelled', latencyMs: 0, detail: 'shutting down' },
    ]);
    assert.equal(abortDetail(new Error('x')), 'cancelled');
  });

  it('times out the adapters left once the layer budget is used up, without asking them', async () => {
    let now = 0;
    const slow = new FakeAdapter({ serverName: 'slow', answer: null });
    const fetch = slow.fetch.bind(slow);
    slow.fetch = async (...args) => {
      now += 500;
      return fetch(...args);
    };
    const next = new FakeAdapter({ serverName: 'next', answer: 'docs' });
    const ctx = context(() => now);
    const result = await runLayer(layer('docs', 1, [slow, next], { timeoutMs: 500 }), ctx, new Cancellation());
    assert.deepEqual(result, { outcome: 'timeout' });
    assert.equal(next.calls.length, 0);
    assert.deepEqual(ctx.progress.trail.at(-1), {
      layer: 'docs',
      server: 'next',
      outcome: 'timeout',
      latencyMs: 0,
      detail: 'layer budget of 500 ms used up',
    });
    assert.equal(ctx.progress.trail[0]?.latencyMs, 500);
  });
});
