import { strict as assert } from 'node:assert';
import type { CachedAnswer } from '../../../src/core/store/cache-types';
import { ResultCache } from '../../../src/core/store/result-cache';
import { FakeSharedLevel } from './fake-shared-level';
import type { LeaseClaim } from '../../../src/core/store/shared-level';
import { cleanTempDirsAfter } from '../../helpers/temp';

const answer = (content: string): CachedAnswer => ({
  content,
  source: 'docs',
  contextType: 'library_api',
  storedAt: 0,
  metadata: { server: 'context7' },
});

describe('ResultCache with a shared level', () => {
  const tempDir = cleanTempDirsAfter();

  it('reads memory, then disk, then the shared level, promoting a shared hit to memory and disk', async () => {
    const shared = new FakeSharedLevel();
    const dir = tempDir('shared-levels-');
    shared.entries.set('k', { value: answer('from a teammate'), expiresAt: Date.now() + 60_000 });
    const cache = new ResultCache({ cacheDir: dir, shared });
    const hit = await cache.get('k');
    assert.equal(hit?.level, 'shared');
    assert.equal(hit.value.content, 'from a teammate');
    assert.equal(cache.peek('k')?.level, 'memory', 'promoted to memory at once');
    await cache.flush();
    const restarted = new ResultCache({ cacheDir: dir });
    assert.equal((await restarted.get('k'))?.level, 'disk', 'and to disk, so it outlives a Redis outage');
    shared.log.length = 0;
    await cache.get('k');
    assert.deepEqual(shared.log, [], 'a memory hit never asks Redis');
  });

  it('never calls a miss certain while a shared level could answer it or hold its lease', async () => {
    const cache = new ResultCache({ shared: new FakeSharedLevel() });
    assert.equal(cache.certainMiss('anything'), false);
  });

  it('writes every answer to the shared level, with the same expiry', async () => {
    const shared = new FakeSharedLevel();
    const cache = new ResultCache({ shared, now: () => 1_000 });
    await cache.set('k', answer('fresh'), 60);
    await cache.flush();
    assert.equal(shared.entries.get('k')?.expiresAt, 61_000);
    await cache.set('gone', answer('x'), 60, 'bypass');
    await cache.set('zero', answer('x'), 0);
    await cache.flush();
    assert.deepEqual([...shared.entries.keys()], ['k'], 'bypass and a TTL of 0 write nothing');
  });

  it('claims the lease only when asked to, and only after every level missed', async () => {
    const shared = new FakeSharedLevel();
    const cache = new ResultCache({ shared });
    assert.equal(await cache.get('k'), undefined);
    assert.equal(shared.claims, 0, 'a plain read (hover, preload probe) never takes the lease');
    assert.equal(await cache.get('k', 'use', { claim: true }), undefined);
    assert.equal(shared.claims, 1);
    assert.equal(await cache.get('k', 'use', { claim: true }), undefined);
    assert.equal(shared.claims, 1, 'this process holds it already: no second claim');
  });

  it('gives the lease back only after the shared level has the answer', async () => {
    const shared = new FakeSharedLevel(true);
    const cache = new ResultCache({ shared });
    await cache.get('k', 'use', { claim: true });
    void cache.set('k', answer('upstream answer'), 60);
    cache.release('k');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(shared.releases, 0, 'a release after set waits for the write, which has not happened');
    shared.openWrites();
    await cache.flush();
    assert.deepEqual(shared.log.slice(-2), ['set k', 'release']);
    assert.equal(shared.releases, 1);
  });

  it('gives the lease back at once when no answer comes, and on bypass', async () => {
    const shared = new FakeSharedLevel();
    const cache = new ResultCache({ shared });
    await cache.get('a', 'use', { claim: true });
    cache.release('a');
    await cache.flush();
    assert.equal(shared.releases, 1);
    cache.release('a');
    await cache.flush();
    assert.equal(shared.releases, 1, 'releasing twice gives back once');
    await cache.get('b', 'use', { claim: true });
    await cache.set('b', answer('x'), 60, 'bypass');
    await cache.flush();
    assert.equal(shared.releases, 2);
  });

  it("returns another instance's answer from a claim as a shared hit", async () => {
    const shared = new FakeSharedLevel();
    shared.nextClaim = () =>
      Promise.resolve({ kind: 'answered', entry: { value: answer('theirs'), expiresAt: Date.now() + 60_000 } });
    const cache = new ResultCache({ shared });
    const hit = await cache.get('k', 'use', { claim: true });
    assert.equal(hit?.level, 'shared');
    assert.equal(hit.value.content, 'theirs');
    assert.equal(cache.peek('k')?.value.content, 'theirs');
  });

  it('makes one claim for concurrent readers of one key', async () => {
    const shared = new FakeSharedLevel();
    let answerClaim = (_claim: LeaseClaim): void => undefined;
    shared.nextClaim = () => new Promise((resolve) => (answerClaim = resolve));
    const cache = new ResultCache({ shared });
    const readers = [1, 2, 3].map(() => cache.get('k', 'use', { claim: true }));
    await new Promise((resolve) => setImmediate(resolve));
    answerClaim({ kind: 'answered', entry: { value: answer('one'), expiresAt: Date.now() + 60_000 } });
    const hits = await Promise.all(readers);
    assert.equal(shared.claims, 1);
    assert.deepEqual(
      hits.map((hit) => hit?.value.content),
      ['one', 'one', 'one'],
    );
  });

  it('deletes in the shared level too, leaves it alone on clear, and closes it', async () => {
    const shared = new FakeSharedLevel();
    const cache = new ResultCache({ shared });
    await cache.set('k', answer('x'), 60);
    await cache.flush();
    await cache.clear();
    assert.ok(shared.entries.has('k'), "one person's clear leaves the team's entries");
    await cache.delete('k');
    assert.ok(!shared.entries.has('k'));
    await cache.get('held', 'use', { claim: true });
    await cache.close();
    assert.deepEqual(shared.log.slice(-2), ['release', 'close'], 'close gives back held leases first');
    assert.equal(cache.stats().shared?.endpoint, 'redis://fake');
  });
});
