/**
 * The hedged walk on its own: who wins, when the next layer starts, and how a cancelled or
 * finished walk stops starting layers.
 */
import { strict as assert } from 'node:assert';
import { Cancellation } from '../../../src/core/hierarchy/cancellation';
import type { AttemptContext } from '../../../src/core/hierarchy/layer-attempt';
import { walkLayers } from '../../../src/core/hierarchy/walk';
import { WalkProgress } from '../../../src/core/hierarchy/walk-progress';
import { waitFor } from '../../helpers/wait';
import { FakeAdapter, layer } from './fake-adapter';

function context(): AttemptContext {
  return {
    query: { text: 'numpy arrays', contextType: 'library_api' },
    progress: new WalkProgress(() => performance.now()),
    report: () => undefined,
  };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('hierarchy/walk (hedged)', () => {
  it('ends with no answer over no layers, in either mode', async () => {
    assert.equal(await walkLayers('hedged', [], context(), new Cancellation()), undefined);
    assert.equal(await walkLayers('sequential', [], context(), new Cancellation()), undefined);
  });

  it('asks no layer when the walk is cancelled before it starts', async () => {
    const adapter = new FakeAdapter({ serverName: 'memory-bank', answer: 'docs' });
    const cancellation = new Cancellation();
    cancellation.abort('shutting down');
    assert.equal(await walkLayers('hedged', [layer('memory', 1, [adapter])], context(), cancellation), undefined);
    assert.equal(adapter.calls.length, 0);
  });

  it('ends with no answer when cancelled mid-walk, and starts no layer after that', async () => {
    const slow = new FakeAdapter({ serverName: 'memory-bank', answer: 'late', latencyMs: 5000 });
    const later = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const cancellation = new Cancellation();
    const ctx = context();
    const walking = walkLayers(
      'hedged',
      [layer('memory', 1, [slow], { latencyTargetMs: 60_000 }), layer('docs', 2, [later])],
      ctx,
      cancellation,
    );
    await waitFor(() => slow.calls.length > 0, { what: 'the first layer asked' });
    cancellation.abort('the caller left');
    assert.equal(await walking, undefined);
    await waitFor(() => slow.aborted === 1, { what: 'the running layer aborted' });
    await nextTurn();
    assert.equal(later.calls.length, 0, 'the next layer was never started');
    assert.deepEqual(
      ctx.progress.trail.map((entry) => [entry.layer, entry.outcome]),
      [['memory', 'cancelled']],
      'no attempt is recorded for a layer the walk never reached',
    );
  });

  it('keeps waiting for a slow first layer when the layer hedged after it misses, and takes its answer', async () => {
    const slow = new FakeAdapter({ serverName: 'memory-bank', answer: 'from memory', latencyMs: 150 });
    const missing = new FakeAdapter({ serverName: 'context7', answer: null });
    const answer = await walkLayers(
      'hedged',
      [layer('memory', 1, [slow], { latencyTargetMs: 1 }), layer('docs', 2, [missing])],
      context(),
      new Cancellation(),
    );
    assert.equal(missing.calls.length, 1, 'the docs layer was started by the hedge');
    assert.equal(answer?.content, 'from memory');
  });

  it('ends with no answer once every layer missed, the first one last', async () => {
    const slowMiss = new FakeAdapter({ serverName: 'memory-bank', answer: null, latencyMs: 100 });
    const fastMiss = new FakeAdapter({ serverName: 'context7', answer: null });
    const answer = await walkLayers(
      'hedged',
      [layer('memory', 1, [slowMiss], { latencyTargetMs: 1 }), layer('docs', 2, [fastMiss])],
      context(),
      new Cancellation(),
    );
    assert.equal(answer, undefined);
    assert.deepEqual([slowMiss.calls.length, fastMiss.calls.length], [1, 1]);
  });

  it('starts each successor once: a miss after the hedge already started the next layer starts nothing more', async () => {
    const firstMiss = new FakeAdapter({ serverName: 'memory-bank', answer: null, latencyMs: 60 });
    const second = new FakeAdapter({ serverName: 'serena', answer: 'from serena', latencyMs: 200 });
    const third = new FakeAdapter({ serverName: 'context7', answer: 'from context7' });
    const answer = await walkLayers(
      'hedged',
      [
        layer('memory', 1, [firstMiss], { latencyTargetMs: 1 }),
        layer('code', 2, [second], { latencyTargetMs: 60_000 }),
        layer('docs', 3, [third]),
      ],
      context(),
      new Cancellation(),
    );
    assert.equal(answer?.content, 'from serena');
    assert.equal(third.calls.length, 0);
  });

  it('starts no layer after the walk was won, when the layers it aborted report back', async () => {
    const winner = new FakeAdapter({ serverName: 'memory-bank', answer: 'from memory', latencyMs: 60 });
    const loser = new FakeAdapter({ serverName: 'serena', answer: 'late', latencyMs: 5000 });
    const never = new FakeAdapter({ serverName: 'context7', answer: 'docs' });
    const answer = await walkLayers(
      'hedged',
      [
        layer('memory', 1, [winner], { latencyTargetMs: 1 }),
        layer('code', 2, [loser], { latencyTargetMs: 60_000 }),
        layer('docs', 3, [never]),
      ],
      context(),
      new Cancellation(),
    );
    assert.equal(answer?.content, 'from memory');
    await waitFor(() => loser.aborted === 1, { what: 'the losing layer aborted' });
    await nextTurn();
    assert.equal(never.calls.length, 0);
  });
});
