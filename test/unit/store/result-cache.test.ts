import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CachedAnswer } from '../../../src/core/store/cache-types';
import { DiskCache } from '../../../src/core/store/disk-cache';
import { ResultCache } from '../../../src/core/store/result-cache';
import { cleanTempDirsAfter, tempDir as makeTempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';

const answer = (content: string): CachedAnswer => ({
  content,
  source: 'docs',
  contextType: 'library_api',
  storedAt: 0,
});

describe('ResultCache', () => {
  cleanTempDirsAfter();
  const tempDir = (): string => makeTempDir('result-cache-');

  it('serves a memory hit synchronously and a disk hit after a restart, promoting it', async () => {
    const dir = tempDir();
    const first = new ResultCache({ cacheDir: dir });
    await first.set('k', answer('numpy docs'), 60);
    assert.equal(first.peek('k')?.value.content, 'numpy docs');

    const second = new ResultCache({ cacheDir: dir });
    assert.equal(second.peek('k'), undefined, 'a new instance starts with an empty memory level');
    const fromDisk = await second.get('k');
    assert.equal(fromDisk?.level, 'disk');
    assert.equal(fromDisk.value.content, 'numpy docs');
    assert.equal(second.peek('k')?.level, 'memory', 'the disk hit was promoted');
  });

  it('knows a certain miss synchronously only once memory and the disk index both lack the key', async () => {
    const dir = tempDir();
    const first = new ResultCache({ cacheDir: dir });
    await first.set('kept', answer('numpy docs'), 60);
    assert.equal(first.certainMiss('kept'), false, 'in memory');
    const memoryOnly = new ResultCache();
    assert.equal(memoryOnly.certainMiss('absent'), true, 'no disk level, no shared level');

    const second = new ResultCache({ cacheDir: dir });
    assert.equal(second.certainMiss('absent'), false, 'the disk folder has not been scanned yet');
    await second.open();
    assert.equal(second.certainMiss('absent'), true);
    assert.equal(second.certainMiss('kept'), false, 'on disk though not in memory');
    assert.equal((await second.get('kept'))?.level, 'disk');
  });

  it('reads large entries (beyond the synchronous-read size) back intact', async () => {
    const dir = tempDir();
    const big = 'é'.repeat(100_000);
    await new ResultCache({ cacheDir: dir }).set('big', answer(big), 60);
    assert.equal((await new ResultCache({ cacheDir: dir }).get('big'))?.value.content, big);
  });

  it('honours the modes: refresh skips the read but writes, bypass does neither', async () => {
    const cache = new ResultCache({ cacheDir: tempDir() });
    await cache.set('k', answer('old'), 60);
    assert.equal(await cache.get('k', 'refresh'), undefined);
    assert.equal(await cache.get('k', 'bypass'), undefined);
    await cache.set('k', answer('new'), 60, 'refresh');
    assert.equal((await cache.get('k'))?.value.content, 'new');
    await cache.set('k', answer('ignored'), 60, 'bypass');
    assert.equal((await cache.get('k'))?.value.content, 'new');
  });

  it('expires entries by the injected clock at both levels', async () => {
    let now = 1_000_000;
    const dir = tempDir();
    const cache = new ResultCache({ cacheDir: dir, now: () => now });
    await cache.set('k', answer('short-lived'), 10);
    now += 9_000;
    assert.equal((await cache.get('k'))?.value.content, 'short-lived');
    now += 2_000;
    assert.equal(cache.peek('k'), undefined);
    assert.equal(await cache.get('k'), undefined);
    const reopened = new ResultCache({ cacheDir: dir, now: () => now });
    assert.equal(await reopened.get('k'), undefined);
    await reopened.flush();
    await waitFor(() => readdirSync(dir).length === 0, { what: 'the expired file to be cleaned up on open' });
  });

  it('does not store with a zero TTL', async () => {
    const cache = new ResultCache();
    await cache.set('k', answer('x'), 0);
    assert.equal(await cache.get('k'), undefined);
  });

  it('drops a corrupt entry instead of failing, and forgets it', async () => {
    const dir = tempDir();
    const cache = new ResultCache({ cacheDir: dir });
    await cache.set('k', answer('good'), 60);
    const [file] = readdirSync(dir);
    assert.ok(file);
    const text = readFileSync(path.join(dir, file), 'utf8');
    writeFileSync(path.join(dir, file), text.replace('good', 'evil')); // same length, wrong checksum
    const warnings: string[] = [];
    const logger = { trace() {}, debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) };
    const reopened = new ResultCache({ cacheDir: dir, logger });
    assert.equal(await reopened.get('k'), undefined);
    assert.equal(warnings.length, 1);
    await waitFor(() => readdirSync(dir).length === 0, { what: 'the unreadable file to be removed' });
  });

  it('drops a torn (truncated) entry and an empty one', async () => {
    const dir = tempDir();
    const cache = new ResultCache({ cacheDir: dir });
    await cache.set('a', answer('alpha'), 60);
    await cache.set('b', answer('beta'), 60);
    const files = readdirSync(dir).sort();
    for (const [i, file] of files.entries()) {
      const full = path.join(dir, file);
      writeFileSync(full, i === 0 ? readFileSync(full, 'utf8').slice(0, 20) : '');
    }
    const reopened = new ResultCache({ cacheDir: dir });
    assert.equal(await reopened.get('a'), undefined);
    assert.equal(await reopened.get('b'), undefined);
    await reopened.set('a', answer('alpha again'), 60);
    assert.equal((await new ResultCache({ cacheDir: dir }).get('a'))?.value.content, 'alpha again');
  });

  it('removes stale temp files left by a crash mid-write and ignores foreign files', async () => {
    const dir = tempDir();
    const cache = new DiskCache({ dir, now: () => Date.now() + 120_000 });
    const temp = `${'a'.repeat(32)}-zz-10.json.1f2e3d`;
    writeFileSync(path.join(dir, temp), '{"v":1,');
    writeFileSync(path.join(dir, 'README.txt'), 'not ours');
    await cache.open();
    await waitFor(() => readdirSync(dir).join() === 'README.txt', { what: 'only README.txt to be left' });
  });

  it('evicts the least recently used entries beyond the disk caps', async () => {
    const dir = tempDir();
    const disk = new DiskCache({ dir, maxEntries: 3 });
    const entry = (c: string): { value: CachedAnswer; expiresAt: number } => ({
      value: answer(c),
      expiresAt: Date.now() + 60_000,
    });
    await disk.set('a', entry('a'));
    await disk.set('b', entry('b'));
    await disk.set('c', entry('c'));
    assert.ok(await disk.get('a')); // a is now most recent; b is the eldest
    await disk.set('d', entry('d'));
    assert.equal(disk.size, 3);
    assert.equal(await disk.get('b'), undefined);
    assert.ok(await disk.get('a'));
    await waitFor(() => readdirSync(dir).length === 3, { what: "the evicted entry's file to be removed" });
  });

  it('enforces the disk byte cap and refuses entries over the per-entry cap', async () => {
    const disk = new DiskCache({ dir: tempDir(), maxBytes: 2000, maxEntryBytes: 1000 });
    const entry = (c: string): { value: CachedAnswer; expiresAt: number } => ({
      value: answer(c),
      expiresAt: Date.now() + 60_000,
    });
    await disk.set('huge', entry('x'.repeat(5000)));
    assert.equal(disk.size, 0);
    for (const key of ['a', 'b', 'c', 'd', 'e']) await disk.set(key, entry(key.repeat(400)));
    assert.ok(disk.bytes <= 2000, `bytes ${disk.bytes}`);
    assert.ok(await disk.get('e'));
    assert.equal(await disk.get('a'), undefined);
  });

  it('replaces an entry on rewrite and keeps one file per key', async () => {
    const dir = tempDir();
    let now = 5_000_000;
    const cache = new ResultCache({ cacheDir: dir, now: () => now });
    await cache.set('k', answer('v1'), 60);
    now += 1000;
    await cache.set('k', answer('v2'), 60);
    await waitFor(() => readdirSync(dir).length === 1, { what: 'the replaced file to be removed' });
    assert.equal((await new ResultCache({ cacheDir: dir, now: () => now }).get('k'))?.value.content, 'v2');
  });

  it('after a crash between rename and unlink, the newer write wins even with a shorter TTL', async () => {
    const dir = tempDir();
    const cache = new ResultCache({ cacheDir: dir });
    await cache.set('k', answer('old, long-lived'), 3600);
    const [oldFile = ''] = readdirSync(dir);
    const oldBytes = readFileSync(path.join(dir, oldFile));
    await cache.set('k', answer('new, short-lived'), 60);
    await cache.flush();
    await waitFor(() => readdirSync(dir).length === 1, { what: 'the old file to be removed' });
    // The crash: the old file was never unlinked.
    writeFileSync(path.join(dir, oldFile), oldBytes);
    assert.equal(readdirSync(dir).length, 2);
    assert.equal((await new ResultCache({ cacheDir: dir }).get('k'))?.value.content, 'new, short-lived');
  });

  it('does not read an entry through a symbolic link, and writes entries 0600 in a 0700 folder', async () => {
    const dir = tempDir();
    const cache = new ResultCache({ cacheDir: dir });
    await cache.set('k', answer('real'), 60);
    const [name = ''] = readdirSync(dir);
    assert.equal(statSync(path.join(dir, name)).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const elsewhere = path.join(tempDir(), 'target');
    renameSync(path.join(dir, name), elsewhere);
    symlinkSync(elsewhere, path.join(dir, name));
    assert.equal(await new ResultCache({ cacheDir: dir }).get('k'), undefined);
  });

  it('keeps working memory-only when the disk folder cannot be created', async () => {
    const blocker = path.join(tempDir(), 'file');
    writeFileSync(blocker, 'x');
    const cache = new ResultCache({ cacheDir: path.join(blocker, 'sub') });
    await cache.set('k', answer('still here'), 60);
    assert.equal((await cache.get('k'))?.value.content, 'still here');
    cache.clearMemory();
    assert.equal(await cache.get('k'), undefined);
  });

  it('delete and clear remove entries at both levels', async () => {
    const dir = tempDir();
    const cache = new ResultCache({ cacheDir: dir });
    await cache.set('a', answer('a'), 60);
    await cache.set('b', answer('b'), 60);
    await cache.delete('a');
    assert.equal(await cache.get('a'), undefined);
    assert.ok(await cache.get('b'));
    await cache.clear();
    assert.equal(await cache.get('b'), undefined);
    assert.equal(cache.stats().diskEntries, 0);
    assert.deepEqual(readdirSync(dir), []);
  });
});
