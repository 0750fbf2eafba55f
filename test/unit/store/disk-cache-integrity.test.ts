import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CacheEntry, CachedAnswer } from '../../../src/core/store/cache-types';
import { DiskCache } from '../../../src/core/store/disk-cache';
import type { Logger } from '../../../src/core/ports';
import { until } from '../../helpers/mcp-assertions';
import { cleanTempDirsAfter, tempDir as makeTempDir } from '../../helpers/temp';

const NOW = 1_800_000_000_000;
const answer = (content: string): CachedAnswer => ({
  content,
  source: 'docs',
  contextType: 'library_api',
  storedAt: 0,
});
const entry = (content: string, expiresAt = NOW + 60_000): CacheEntry => ({ value: answer(content), expiresAt });

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    trace() {},
    debug() {},
    info() {},
    error() {},
    warn: (message: string) => void warnings.push(message),
  };
}

/** The only entry file in `dir`. */
function onlyFile(dir: string): string {
  const files = readdirSync(dir);
  assert.equal(files.length, 1, `one file expected, found ${files.join(', ')}`);
  return files[0] as string;
}

/** Rewrites the single entry file's envelope and renames it so its name matches the new length. */
function tamper(dir: string, change: (envelope: Record<string, unknown>) => void): void {
  const file = onlyFile(dir);
  const envelope = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
  change(envelope);
  const data = JSON.stringify(envelope);
  const [hash, expires] = file.split('-');
  rmSync(path.join(dir, file));
  writeFileSync(path.join(dir, `${hash}-${expires}-${Buffer.byteLength(data).toString(36)}.json`), data);
}

const fileBytes = (dir: string): number =>
  readdirSync(dir).reduce((sum, file) => sum + statSync(path.join(dir, file)).size, 0);

describe('DiskCache: integrity and accounting', () => {
  cleanTempDirsAfter();
  const tempDir = (): string => makeTempDir('disk-cache-');

  it('counts the bytes of the files it finds when it reopens a folder', async () => {
    const dir = tempDir();
    const first = new DiskCache({ dir, now: () => NOW });
    await first.set('a', entry('alpha'));
    await first.set('b', entry('beta'));
    const reopened = new DiskCache({ dir, now: () => NOW });
    await reopened.open();
    assert.equal(reopened.size, 2);
    assert.equal(reopened.bytes, fileBytes(dir));
    assert.equal(reopened.dir, dir);
  });

  it('counts a rewritten key once, at its new size', async () => {
    const dir = tempDir();
    const cache = new DiskCache({ dir, now: () => NOW });
    await cache.set('k', entry('short'));
    await cache.set('k', entry('a much longer answer than before'));
    await until(() => readdirSync(dir).length === 1);
    assert.equal(cache.size, 1);
    assert.equal(cache.bytes, fileBytes(dir));
  });

  it('applies the byte cap to what it finds at open, dropping the entries nearest expiry', async () => {
    const dir = tempDir();
    const writer = new DiskCache({ dir, now: () => NOW });
    await writer.set('soon', entry('x'.repeat(300), NOW + 10_000));
    await writer.set('later', entry('y'.repeat(300), NOW + 50_000));
    const oneEntry = fileBytes(dir) / 2 + 50;
    const capped = new DiskCache({ dir, now: () => NOW, maxBytes: oneEntry });
    assert.equal(await capped.get('soon'), undefined);
    assert.equal((await capped.get('later'))?.value.content, 'y'.repeat(300));
    assert.ok(capped.bytes <= oneEntry);
  });

  it('applies the entry cap to what it finds at open', async () => {
    const dir = tempDir();
    const writer = new DiskCache({ dir, now: () => NOW });
    for (const key of ['a', 'b', 'c']) await writer.set(key, entry(key));
    const capped = new DiskCache({ dir, now: () => NOW, maxEntries: 2 });
    await capped.open();
    assert.equal(capped.size, 2);
    await until(() => readdirSync(dir).length === 2);
  });

  it('deletes expired files it finds at open', async () => {
    const dir = tempDir();
    const writer = new DiskCache({ dir, now: () => NOW });
    await writer.set('old', entry('old', NOW + 1000));
    await writer.set('fresh', entry('fresh', NOW + 60_000));
    const later = new DiskCache({ dir, now: () => NOW + 1000 });
    await later.open();
    assert.equal(later.size, 1);
    await until(() => readdirSync(dir).length === 1);
    assert.equal((await later.get('fresh'))?.value.content, 'fresh');
  });

  it('keeps the newer of two files holding one key (a crash between write and delete)', async () => {
    const dir = tempDir();
    const cache = new DiskCache({ dir, now: () => NOW });
    await cache.set('k', entry('older', NOW + 10_000));
    const olderFile = onlyFile(dir);
    const olderText = readFileSync(path.join(dir, olderFile), 'utf8');
    await cache.set('k', entry('newer', NOW + 20_000));
    await until(() => readdirSync(dir).length === 1);
    writeFileSync(path.join(dir, olderFile), olderText);
    assert.equal(readdirSync(dir).length, 2);
    const reopened = new DiskCache({ dir, now: () => NOW });
    assert.equal((await reopened.get('k'))?.value.content, 'newer');
    assert.equal(reopened.size, 1);
    assert.equal(
      reopened.bytes,
      Buffer.byteLength(
        readFileSync(
          path.join(
            dir,
            readdirSync(dir).find((f) => f !== olderFile)!,
          ),
        ),
      ),
    );
    await until(() => readdirSync(dir).length === 1);
    assert.notEqual(onlyFile(dir), olderFile);
  });

  for (const [what, change] of [
    ['names another key', (e: Record<string, unknown>) => (e.key = 'another key')],
    ['has another format version', (e: Record<string, unknown>) => (e.v = 2)],
    [
      'states another expiry than its name',
      (e: Record<string, unknown>) => (e.expiresAt = (e.expiresAt as number) + 1),
    ],
    ['has no payload text', (e: Record<string, unknown>) => (e.payload = 42)],
    [
      'holds an answer without content',
      (e: Record<string, unknown>) => {
        e.payload = JSON.stringify({ source: 'docs' });
        e.sha256 = sha256(e.payload as string);
      },
    ],
    [
      'holds an answer without a source',
      (e: Record<string, unknown>) => {
        e.payload = JSON.stringify({ content: 'x' });
        e.sha256 = sha256(e.payload as string);
      },
    ],
  ] as const) {
    it(`reads a file that ${what} as a miss and deletes it`, async () => {
      const dir = tempDir();
      await new DiskCache({ dir, now: () => NOW }).set('k', entry('value'));
      tamper(dir, change);
      const logger = recordingLogger();
      const reopened = new DiskCache({ dir, now: () => NOW, logger });
      assert.equal(await reopened.get('k'), undefined);
      assert.equal(reopened.size, 0);
      assert.equal(reopened.bytes, 0);
      assert.match(logger.warnings[0] ?? '', /corrupt/);
      await until(() => readdirSync(dir).length === 0);
    });
  }

  it('reads a file whose length differs from its name as a miss', async () => {
    const dir = tempDir();
    await new DiskCache({ dir, now: () => NOW }).set('k', entry('value'));
    const file = onlyFile(dir);
    writeFileSync(path.join(dir, file), readFileSync(path.join(dir, file), 'utf8') + ' ');
    assert.equal(await new DiskCache({ dir, now: () => NOW }).get('k'), undefined);
  });

  it('an untouched file reads back with its exact expiry', async () => {
    const dir = tempDir();
    await new DiskCache({ dir, now: () => NOW }).set('k', entry('value', NOW + 12_345));
    assert.deepEqual(await new DiskCache({ dir, now: () => NOW }).get('k'), entry('value', NOW + 12_345));
  });

  it('an entry that expires while open is a miss and its file goes', async () => {
    const dir = tempDir();
    let now = NOW;
    const cache = new DiskCache({ dir, now: () => now });
    await cache.set('k', entry('value', NOW + 1000));
    now = NOW + 1000;
    assert.equal(await cache.get('k'), undefined);
    assert.equal(cache.size, 0);
    await until(() => readdirSync(dir).length === 0);
  });

  it('writing an already expired entry stores nothing and removes the older value', async () => {
    const dir = tempDir();
    const cache = new DiskCache({ dir, now: () => NOW });
    await cache.set('k', entry('old'));
    await cache.set('k', entry('expired', NOW));
    assert.equal(await cache.get('k'), undefined);
    await until(() => readdirSync(dir).length === 0);
  });

  it('an entry too big to keep also removes the older value for its key', async () => {
    const dir = tempDir();
    const cache = new DiskCache({ dir, now: () => NOW, maxEntryBytes: 1000 });
    await cache.set('k', entry('small'));
    await cache.set('k', entry('x'.repeat(2000)));
    assert.equal(await cache.get('k'), undefined);
    assert.equal(cache.bytes, 0);
    await until(() => readdirSync(dir).length === 0);
  });

  it('over a cap, expired entries go before the least recently used live one', async () => {
    const dir = tempDir();
    let now = NOW;
    const cache = new DiskCache({ dir, now: () => now, maxEntries: 2 });
    await cache.set('long-lived', entry('keep me', NOW + 60_000));
    await cache.set('short-lived', entry('expires', NOW + 1000));
    now = NOW + 2000;
    await cache.set('new', entry('new', NOW + 60_000));
    assert.equal((await cache.get('long-lived'))?.value.content, 'keep me');
    assert.equal((await cache.get('new'))?.value.content, 'new');
  });

  it('a file that cannot be read is a miss, with a warning, and is forgotten', async () => {
    const dir = tempDir();
    const logger = recordingLogger();
    const cache = new DiskCache({ dir, now: () => NOW, logger });
    await cache.set('k', entry('value'));
    const file = path.join(dir, onlyFile(dir));
    rmSync(file);
    mkdirSync(file); // reading a folder fails with EISDIR
    assert.equal(await cache.get('k'), undefined);
    assert.equal(cache.size, 0);
    assert.match(logger.warnings[0] ?? '', /could not read/);
  });

  it('a file deleted behind its back is a quiet miss', async () => {
    const dir = tempDir();
    const logger = recordingLogger();
    const cache = new DiskCache({ dir, now: () => NOW, logger });
    await cache.set('k', entry('value'));
    rmSync(path.join(dir, onlyFile(dir)));
    assert.equal(await cache.get('k'), undefined);
    assert.deepEqual(logger.warnings, []);
    assert.equal(cache.size, 0);
  });

  it('a file that cannot be deleted is reported, and the entry is still forgotten', async () => {
    const dir = tempDir();
    const logger = recordingLogger();
    const cache = new DiskCache({ dir, now: () => NOW, logger });
    await cache.set('k', entry('value'));
    const file = path.join(dir, onlyFile(dir));
    rmSync(file);
    mkdirSync(file);
    writeFileSync(path.join(file, 'inside'), 'x'); // unlink of a folder fails
    await cache.delete('k');
    await until(() => logger.warnings.some((w) => /could not delete/.test(w)));
    assert.equal(cache.size, 0);
    assert.equal(await cache.get('k'), undefined);
  });

  it('a recently used entry survives eviction after a read moved it to the recent end', async () => {
    const dir = tempDir();
    const cache = new DiskCache({ dir, now: () => NOW, maxEntries: 2 });
    await cache.set('a', entry('a'));
    await cache.set('b', entry('b'));
    assert.ok(await cache.get('a'));
    await cache.set('c', entry('c'));
    assert.ok(await cache.get('a'));
    assert.equal(await cache.get('b'), undefined);
  });

  it('clear removes every file and resets the counts; flush waits for writes under way', async () => {
    const dir = tempDir();
    const cache = new DiskCache({ dir, now: () => NOW });
    void cache.set('a', entry('a'));
    void cache.set('b', entry('b'));
    await cache.flush();
    assert.equal(readdirSync(dir).length, 2);
    await cache.clear();
    assert.deepEqual([cache.size, cache.bytes, readdirSync(dir).length], [0, 0, 0]);
  });

  it('keeps a fresh temp file (another process may be writing it) and removes a stale one', async () => {
    const dir = tempDir();
    const fresh = `${'b'.repeat(32)}-zz-10.json.abc123`;
    writeFileSync(path.join(dir, fresh), '{');
    const cache = new DiskCache({ dir, now: () => Date.now() + 30_000 });
    await cache.open();
    const stale = new DiskCache({ dir, now: () => Date.now() + 61_000 });
    assert.ok(readdirSync(dir).includes(fresh));
    await stale.open();
    await until(() => readdirSync(dir).length === 0);
  });

  it('writes two keys in parallel without mixing them up', async () => {
    const dir = tempDir();
    const cache = new DiskCache({ dir, now: () => NOW });
    await Promise.all([
      cache.set('a', entry('for a')),
      cache.set('b', entry('for b')),
      cache.set('a', entry('a again')),
    ]);
    const reopened = new DiskCache({ dir, now: () => NOW });
    assert.equal((await reopened.get('a'))?.value.content, 'a again');
    assert.equal((await reopened.get('b'))?.value.content, 'for b');
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
