import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../../src/core/ports';
import type { CachedAnswer } from '../../../src/core/store/cache-types';
import { ResultCache } from '../../../src/core/store/result-cache';
import { cleanTempDirsAfter, tempDir } from '../../helpers/temp';

const answer = (content: string): CachedAnswer => ({
  content,
  source: 'docs',
  contextType: 'library_api',
  storedAt: 0,
});

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = (): void => undefined;
  return {
    warnings,
    trace: ignore,
    debug: ignore,
    info: ignore,
    error: ignore,
    warn: (m: string) => void warnings.push(m),
  };
}

describe('ResultCache: what a write reports', () => {
  cleanTempDirsAfter();

  it('says the disk kept an entry, or why not', async () => {
    const cache = new ResultCache({ cacheDir: tempDir('result-writes-'), disk: { maxEntryBytes: 500 } });
    assert.deepEqual(await cache.set('small', answer('x'), 60), { persisted: true });
    assert.deepEqual(await cache.set('huge', answer('x'.repeat(2000)), 60), {
      persisted: false,
      error: 'the entry is larger than the per-entry cap',
    });
    assert.equal((await cache.get('huge'))?.level, 'memory', 'the memory level still answers');
    assert.deepEqual(await cache.set('none', answer('x'), 0), { persisted: false, error: 'nothing to store' });
    assert.deepEqual(await cache.set('skip', answer('x'), 60, 'bypass'), {
      persisted: false,
      error: 'nothing to store',
    });
    assert.equal(cache.peek('none'), undefined);
    assert.equal(cache.peek('skip'), undefined);
  });

  it('says there is no disk level, and still answers from memory', async () => {
    const cache = new ResultCache();
    assert.deepEqual(await cache.set('k', answer('v'), 60), {
      persisted: false,
      error: 'the cache has no disk level',
    });
    assert.equal(cache.peek('k')?.value.content, 'v');
    assert.deepEqual(cache.stats(), {
      memoryEntries: 1,
      memoryBytes: cache.stats().memoryBytes,
      diskEntries: 0,
      diskBytes: 0,
    });
    assert.ok(cache.stats().memoryBytes > 0);
    assert.equal(cache.sharedLevel, undefined);
  });

  it('reports a failed disk write with its reason and logs it; opening, clearing and deleting on a broken disk level are logged, not thrown', async () => {
    const blocker = path.join(tempDir('result-writes-'), 'file');
    writeFileSync(blocker, 'x');
    const logger = recordingLogger();
    const cache = new ResultCache({ cacheDir: path.join(blocker, 'sub'), logger });
    const write = await cache.set('k', answer('v'), 60);
    assert.equal(write.persisted, false);
    assert.match(write.error ?? '', /ENOTDIR|not a directory/);
    assert.ok(logger.warnings.includes('Result cache: disk write failed; the answer stays in memory only'));
    await cache.open();
    await cache.clear();
    await cache.delete('k');
    for (const warning of [
      'Result cache: could not open the disk cache',
      'Result cache: clear failed',
      'Result cache: delete failed',
    ])
      assert.ok(logger.warnings.includes(warning), warning);
    assert.equal(cache.peek('k'), undefined);
  });
});
