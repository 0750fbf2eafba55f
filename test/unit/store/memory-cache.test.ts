import { strict as assert } from 'node:assert';
import type { CacheEntry } from '../../../src/core/store/cache-types';
import { MemoryCache } from '../../../src/core/store/memory-cache';
import { ResultCache } from '../../../src/core/store/result-cache';
import type { Logger } from '../../../src/core/ports';
import { tempDir } from '../../helpers/temp';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const NOW = 1_800_000_000_000;
const entry = (content: string, expiresAt = NOW + 60_000, metadata?: Record<string, unknown>): CacheEntry => ({
  value: { content, source: 'docs', contextType: 'general', storedAt: 0, ...(metadata ? { metadata } : {}) },
  expiresAt,
});

describe('MemoryCache', () => {
  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = new MemoryCache({ maxEntries: 2, now: () => NOW });
    cache.set('a', entry('a'));
    cache.set('b', entry('b'));
    assert.ok(cache.get('a'));
    cache.set('c', entry('c'));
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b'), undefined);
    assert.ok(cache.get('a'));
  });

  it('keeps at most maxBytes, counting two bytes per character plus an overhead', () => {
    const cache = new MemoryCache({ maxBytes: 1000, now: () => NOW });
    cache.set('k', entry('x'.repeat(100)));
    // 128 overhead + 2 × (key 1 + content 100 + source 4)
    assert.equal(cache.bytes, 128 + 2 * 105);
    cache.set('m', entry('y', NOW + 60_000, { server: 'context7' }));
    assert.equal(cache.bytes, 128 + 2 * 105 + 128 + 2 * (1 + 1 + 4 + JSON.stringify({ server: 'context7' }).length));
    cache.set('big', entry('z'.repeat(300)));
    assert.ok(cache.bytes <= 1000);
    assert.equal(cache.get('k'), undefined, 'the eldest made room');
  });

  it('does not keep an entry larger than the whole budget, nor one already expired', () => {
    const cache = new MemoryCache({ maxBytes: 500, now: () => NOW });
    cache.set('huge', entry('x'.repeat(1000)));
    cache.set('expired', entry('x', NOW));
    assert.equal(cache.size, 0);
  });

  it('an entry is a miss from its expiry on and is dropped', () => {
    let now = NOW;
    const cache = new MemoryCache({ now: () => now });
    cache.set('k', entry('v', NOW + 1000));
    now = NOW + 999;
    assert.ok(cache.get('k'));
    now = NOW + 1000;
    assert.equal(cache.get('k'), undefined);
    assert.equal(cache.size, 0);
  });

  it('delete and clear forget entries', () => {
    const cache = new MemoryCache({ now: () => NOW });
    cache.set('a', entry('a'));
    cache.set('b', entry('b'));
    cache.delete('a');
    assert.equal(cache.get('a'), undefined);
    cache.clear();
    assert.deepEqual([cache.size, cache.bytes], [0, 0]);
  });
});

describe('ResultCache: levels and modes', () => {
  const answer = { content: 'v', source: 'docs', contextType: 'general' as const, storedAt: 0 };

  it('memory limits given to the result cache apply to its memory level', async () => {
    const cache = new ResultCache({ memory: { maxEntries: 1 }, now: () => NOW });
    await cache.set('a', answer, 60);
    await cache.set('b', answer, 60);
    assert.equal(cache.stats().memoryEntries, 1);
    assert.equal(cache.peek('a'), undefined);
  });

  it('peek answers only in use mode; get in refresh or bypass mode reads nothing', async () => {
    const cache = new ResultCache({ now: () => NOW });
    await cache.set('k', answer, 60);
    assert.equal(cache.peek('k')?.level, 'memory');
    assert.equal(cache.peek('k', 'refresh'), undefined);
    assert.equal(await cache.get('k', 'refresh'), undefined);
    assert.equal(await cache.get('k', 'bypass'), undefined);
    assert.equal((await cache.get('k'))?.expiresAt, NOW + 60_000);
  });

  it('a disk hit keeps its remaining lifetime when promoted to memory', async () => {
    const dir = tempDir('result-cache-');
    let now = NOW;
    await new ResultCache({ cacheDir: dir, now: () => now }).set('k', answer, 60);
    now = NOW + 50_000;
    const reopened = new ResultCache({ cacheDir: dir, now: () => now });
    assert.equal((await reopened.get('k'))?.level, 'disk');
    now = NOW + 60_000;
    assert.equal(reopened.peek('k'), undefined);
  });

  it('counts the disk level in its stats, and clearMemory leaves the disk level', async () => {
    const dir = tempDir('result-cache-');
    const cache = new ResultCache({ cacheDir: dir, now: () => NOW });
    await cache.set('k', answer, 60);
    const stats = cache.stats();
    assert.equal(stats.diskEntries, 1);
    assert.ok(stats.diskBytes > 0 && stats.memoryBytes > 0);
    cache.clearMemory();
    assert.equal(cache.stats().memoryEntries, 0);
    assert.equal((await cache.get('k'))?.level, 'disk');
  });

  it('a disk level that cannot open or read warns and behaves as a miss', async () => {
    const blocker = path.join(tempDir('result-cache-'), 'a-file');
    writeFileSync(blocker, 'not a folder');
    const warnings: string[] = [];
    const logger: Logger = {
      trace() {},
      debug() {},
      info() {},
      error() {},
      warn: (m: string) => void warnings.push(m),
    };
    const cache = new ResultCache({ cacheDir: blocker, now: () => NOW, logger });
    await cache.open();
    assert.equal(await cache.get('k'), undefined);
    await cache.set('k', answer, 60);
    assert.equal(cache.peek('k')?.value.content, 'v', 'memory still works');
    await cache.delete('k');
    await cache.clear();
    assert.deepEqual(
      [
        warnings.some((w) => /could not open/.test(w)),
        warnings.some((w) => /read failed/.test(w)),
        warnings.some((w) => /write failed/.test(w)),
        warnings.some((w) => /delete failed/.test(w)),
        warnings.some((w) => /clear failed/.test(w)),
      ],
      [true, true, true, true, true],
    );
  });
});
