import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LockTimeoutError, withFileLock } from '../../../src/core/store/file-lock';
import { cleanTempDirsAfter, tempDir } from '../../helpers/temp';

/** A pid no process has: above the kernel's pid limit. */
const GONE_PID = 2 ** 22 + 1;

describe('store/file-lock', () => {
  cleanTempDirsAfter();
  const lockIn = (): string => path.join(tempDir('file-lock-'), 'state.json.lock');

  it('holds a 0600 lock with its pid while the task runs, and removes it however the task ends', async () => {
    const lock = lockIn();
    const seen = await withFileLock(lock, async () => {
      return { pid: await readFile(lock, 'utf8'), mode: (await stat(lock)).mode & 0o777 };
    });
    assert.deepEqual(seen, { pid: String(process.pid), mode: 0o600 });
    assert.equal(existsSync(lock), false);
    await assert.rejects(
      withFileLock(lock, () => Promise.reject(new Error('task failed'))),
      { message: 'task failed' },
    );
    assert.equal(existsSync(lock), false);
  });

  it('runs tasks on one lock one at a time', async () => {
    const lock = lockIn();
    const order: string[] = [];
    const task = (name: string) => () =>
      withFileLock(lock, async () => {
        order.push(`${name} in`);
        // Held long enough for the other task's attempts to find the lock taken.
        await new Promise((resolve) => setTimeout(resolve, 30));
        order.push(`${name} out`);
      });
    await Promise.all([task('a')(), task('b')()]);
    // Either may win the exclusive create; what matters is that they never overlap.
    const first = order[0] === 'a in' ? 'a' : 'b';
    const second = first === 'a' ? 'b' : 'a';
    assert.deepEqual(order, [`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
  });

  it('waits for a live owner until the timeout, then gives up naming the lock', async () => {
    const lock = lockIn();
    await writeFile(lock, String(process.pid));
    const started = Date.now();
    await assert.rejects(
      withFileLock(lock, async () => 'never', { timeoutMs: 100 }),
      (error: unknown) => {
        assert.ok(error instanceof LockTimeoutError);
        assert.equal(error.lockFile, lock);
        assert.equal(error.message, `could not take the lock ${lock} in time`);
        return true;
      },
    );
    assert.ok(Date.now() - started >= 100);
    assert.equal(existsSync(lock), true, "a live owner's lock is left alone");
  });

  it('takes over a lock whose owner is gone, or that is older than staleMs', async () => {
    const dead = lockIn();
    await writeFile(dead, String(GONE_PID));
    assert.equal(await withFileLock(dead, async () => 'mine', { timeoutMs: 1000 }), 'mine');

    const old = lockIn();
    await writeFile(old, String(process.pid));
    const past = new Date(Date.now() - 60_000);
    await utimes(old, past, past);
    assert.equal(await withFileLock(old, async () => 'mine too', { timeoutMs: 1000, staleMs: 30_000 }), 'mine too');
  });

  it('gives an empty or unreadable lock the benefit of the doubt', async () => {
    const empty = lockIn();
    await writeFile(empty, '');
    await assert.rejects(
      withFileLock(empty, async () => 'x', { timeoutMs: 60 }),
      LockTimeoutError,
    );
    const junk = lockIn();
    await writeFile(junk, 'not a pid');
    await assert.rejects(
      withFileLock(junk, async () => 'x', { timeoutMs: 60 }),
      LockTimeoutError,
    );
  });

  it('passes on errors other than an existing lock', async () => {
    const missingFolder = path.join(tempDir('file-lock-'), 'no', 'such', 'x.lock');
    await assert.rejects(
      withFileLock(missingFolder, async () => 'x'),
      { code: 'ENOENT' },
    );
  });
});
