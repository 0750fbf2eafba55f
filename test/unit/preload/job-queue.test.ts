import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { BACKGROUND_HOLDER, holderKey } from '../../../src/core/preload/holders';
import { JobQueue, type PreloadJob } from '../../../src/core/preload/job-queue';

const job = (priority: number, seq: number): PreloadJob => ({
  libraryId: `/lib/${seq}`,
  module: `lib${seq}`,
  priority,
  seq,
  holders: new Map([[holderKey(BACKGROUND_HOLDER), BACKGROUND_HOLDER]]),
  status: 'queued',
  controller: new AbortController(),
  done: Promise.resolve('skipped'),
  settle: () => undefined,
});

describe('JobQueue', () => {
  it('never exceeds its size, and always hands out the most urgent (then oldest) job', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 40 }),
        (maxSize, priorities) => {
          const queue = new JobQueue(maxSize);
          const kept: PreloadJob[] = [];
          priorities.forEach((priority, seq) => {
            const added = job(priority, seq);
            const { evicted, rejected } = queue.push(added);
            if (!rejected) kept.push(added);
            if (evicted) kept.splice(kept.indexOf(evicted), 1);
            assert.ok(queue.size <= maxSize);
            assert.equal(queue.size, kept.length);
          });
          const expected = [...kept].sort((a, b) => a.priority - b.priority || a.seq - b.seq);
          const drained: PreloadJob[] = [];
          for (let next = queue.shift(); next; next = queue.shift()) drained.push(next);
          assert.deepEqual(
            drained.map((j) => j.seq),
            expected.map((j) => j.seq),
          );
        },
      ),
    );
  });

  it('evicts the least urgent job only for a more urgent one', () => {
    const queue = new JobQueue(2);
    queue.push(job(2, 1));
    queue.push(job(3, 2));
    assert.equal(queue.push(job(3, 3)).rejected, true);
    assert.equal(queue.push(job(0, 4)).evicted?.seq, 2);
  });
});
