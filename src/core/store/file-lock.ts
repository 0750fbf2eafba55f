/**
 * A lock file for read-modify-write of a small state file that several processes share (two VS
 * Code windows, a window and the CLI). The lock is a file created exclusively (`O_EXCL`) holding
 * the owner's pid; it is broken when that process is gone (killed with -9 mid-update) or when it
 * is older than `staleMs` (a hung owner, or a pid reused by a stranger).
 */
import { constants, promises as fs } from 'node:fs';
import { O_NOFOLLOW, PRIVATE_FILE_MODE } from './private-files';

export interface FileLockOptions {
  /** How long to wait for the lock before giving up. Default 5 s. */
  timeoutMs?: number;
  /** Age after which a lock is broken even if its owner seems alive. Default 10 s. */
  staleMs?: number;
}

export class LockTimeoutError extends Error {
  constructor(readonly lockFile: string) {
    super(`could not take the lock ${lockFile} in time`);
  }
}

const RETRY_MS = 15;

/** Runs `task` while holding `lockFile`; the lock is released however `task` ends. */
export async function withFileLock<T>(
  lockFile: string,
  task: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  await acquire(lockFile, options.timeoutMs ?? 5_000, options.staleMs ?? 10_000);
  try {
    return await task();
  } finally {
    await fs.unlink(lockFile).catch(() => undefined);
  }
}

async function acquire(lockFile: string, timeoutMs: number, staleMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await fs.open(
        lockFile,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW,
        PRIVATE_FILE_MODE,
      );
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isAbandoned(lockFile, staleMs)) {
      await fs.unlink(lockFile).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) throw new LockTimeoutError(lockFile);
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

async function isAbandoned(lockFile: string, staleMs: number): Promise<boolean> {
  try {
    const [stat, text] = await Promise.all([fs.lstat(lockFile), fs.readFile(lockFile, 'utf8')]);
    if (Date.now() - stat.mtimeMs > staleMs) return true;
    const pid = Number(text);
    // An empty file is a lock being written right now; give its owner the benefit of the doubt.
    return Number.isInteger(pid) && pid > 0 && !isAlive(pid);
  } catch {
    return false; // gone already, or unreadable for a moment: just retry
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
