import { strict as assert } from 'node:assert';
import { WalkProgress } from '../../../src/core/hierarchy/walk-progress';

describe('hierarchy/walk-progress', () => {
  it('reports finished attempts as they ended and running ones as cancelled, with their time so far', () => {
    let now = 10;
    const progress = new WalkProgress(() => now);
    const memory = progress.begin('memory', 'bank');
    now = 20;
    progress.begin('docs', 'context7');
    now = 30;
    progress.finish(memory, { layer: 'memory', server: 'bank', outcome: 'miss', latencyMs: 20 });
    progress.finish(undefined, { layer: 'skipped', outcome: 'skipped', latencyMs: 0 });
    now = 50;
    assert.equal(progress.now(), 50);
    assert.deepEqual(progress.snapshotCancelled('the caller left'), [
      { layer: 'memory', server: 'bank', outcome: 'miss', latencyMs: 20 },
      { layer: 'skipped', outcome: 'skipped', latencyMs: 0 },
      { layer: 'docs', server: 'context7', outcome: 'cancelled', latencyMs: 30, detail: 'the caller left' },
    ]);
    assert.deepEqual(
      progress.trail.map((entry) => entry.layer),
      ['memory', 'skipped'],
      'a snapshot does not change the trail',
    );
  });

  it('has nothing running once every attempt finished', () => {
    const progress = new WalkProgress(() => 0);
    const attempt = progress.begin('docs', 'context7');
    progress.finish(attempt, { layer: 'docs', server: 'context7', outcome: 'hit', latencyMs: 0 });
    assert.deepEqual(progress.snapshotCancelled('late'), [
      { layer: 'docs', server: 'context7', outcome: 'hit', latencyMs: 0 },
    ]);
  });
});
