/**
 * Files the runtime keeps in its storage folder are the user's own: folders are created 0700 and
 * files 0600, and nothing here follows a symbolic link. A link planted where a state or log file
 * belongs (`learning.json -> ~/.bashrc`) must neither be read through nor written through:
 * reads and appends open with `O_NOFOLLOW`, and atomic writes create a fresh temp file
 * (`O_EXCL`) and rename it over the name, which replaces a link instead of writing to its target.
 * (`write-file-atomic` resolves the target with `realpath` first, which is exactly what must not
 * happen here.)
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fs, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** `O_NOFOLLOW` where the platform has it (not on Windows, where links need privileges anyway). */
export const O_NOFOLLOW: number = (constants as { O_NOFOLLOW?: number }).O_NOFOLLOW ?? 0;

/** Whether an error says the path was a symbolic link that `O_NOFOLLOW` refused to open. */
export function isLinkRefused(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ELOOP' || code === 'EMLINK';
}

/** Creates a folder (and its parents) for our own state, readable by the user only (the umask can only narrow 0700). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

export function ensurePrivateDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Narrows a folder the runtime owns (its storage folder) to the user alone: mkdir's mode only
 * applies to folders it creates, so a folder made by an older version keeps its mode otherwise.
 * A folder we may not change stays as it is.
 */
export async function narrowToUser(dir: string): Promise<void> {
  await fs.chmod(dir, PRIVATE_DIR_MODE).catch(() => undefined);
}

/** Reads a file as UTF-8 without following a link at its name; a link rejects with ELOOP. */
export async function readFileNoFollow(file: string): Promise<string> {
  const handle = await fs.open(file, constants.O_RDONLY | O_NOFOLLOW);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Opens a file for appending (created 0600) without following a link at its name. */
export function openAppendNoFollowSync(file: string): number {
  return openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | O_NOFOLLOW, PRIVATE_FILE_MODE);
}

export interface AtomicWriteOptions {
  /** fsync the data before the rename (state files: yes; cache entries: not needed). */
  fsync: boolean;
}

/**
 * Writes `data` to `file` atomically and privately: a temp file `<file>.<hex>` is created
 * exclusively with mode 0600, written, optionally synced, and renamed over `file`. A crash leaves
 * the old content or the new, never a mix; a stale temp file is the only trace.
 */
export async function writePrivateFileAtomic(file: string, data: string, options: AtomicWriteOptions): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}`;
  const handle = await fs.open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW,
    PRIVATE_FILE_MODE,
  );
  let renamed = false;
  try {
    try {
      await handle.writeFile(data, 'utf8');
      // Stryker disable next-line ConditionalExpression: fsync only matters across a power loss, which no test can cause
      if (options.fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
    renamed = true;
  } finally {
    if (!renamed) await fs.unlink(temp).catch(() => undefined);
  }
}

/** The folder a file lives in, created private. */
export function ensureParentPrivate(file: string): Promise<void> {
  return ensurePrivateDir(path.dirname(file));
}
