/**
 * A small JSON document persisted atomically (write to a temp file, fsync, rename), so a crash
 * mid-write leaves the previous version intact. A corrupt or unreadable file is moved aside and
 * replaced by the initial value with a warning: learned state is worth keeping, never worth a crash.
 * The file is the user's alone (0600 in a 0700 folder) and a symbolic link at its name is neither
 * read through nor written through (see `private-files.ts`).
 */
import { promises as fs } from 'node:fs';
import type { Logger } from '../ports';
import { ensureParentPrivate, isLinkRefused, readFileNoFollow, writePrivateFileAtomic } from './private-files';

export interface JsonStateFileOptions<T> {
  /** Absolute path of the JSON file. Its folder is created on first write. */
  path: string;
  /** Value used when the file is missing or corrupt. */
  initial: () => T;
  /** Checks a parsed value; return null to treat it as corrupt. Default: accept anything. */
  validate?: (value: unknown) => T | null;
  logger?: Logger;
}

export class JsonStateFile<T> {
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: JsonStateFileOptions<T>) {}

  get path(): string {
    return this.options.path;
  }

  /** Reads the file; missing → initial value; corrupt → moved to `<file>.corrupt-<time>` and initial value. */
  async read(): Promise<T> {
    let text: string;
    try {
      text = await readFileNoFollow(this.options.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.options.initial();
      if (isLinkRefused(error)) {
        this.options.logger?.warn(
          `${this.options.path} is a symbolic link; it is not followed, and the next save replaces the link`,
        );
        return this.options.initial();
      }
      this.options.logger?.warn(`Could not read ${this.options.path}; starting fresh`, error);
      return this.options.initial();
    }
    try {
      const parsed: unknown = JSON.parse(text);
      const value = this.options.validate ? this.options.validate(parsed) : (parsed as T);
      if (value !== null) return value;
    } catch {
      // fall through: treated as corrupt below
    }
    const aside = `${this.options.path}.corrupt-${Date.now()}`;
    await fs.rename(this.options.path, aside).catch(() => undefined);
    this.options.logger?.warn(`${this.options.path} was corrupt; moved it to ${aside} and started fresh`);
    return this.options.initial();
  }

  /** Writes atomically. Writes are serialised so the last call always wins on disk. */
  write(value: T): Promise<void> {
    const data = JSON.stringify(value);
    const next = this.writing.then(async () => {
      await ensureParentPrivate(this.options.path);
      await writePrivateFileAtomic(this.options.path, data, { fsync: true });
    });
    // Keep the chain alive after a failed write; the caller still sees the rejection.
    this.writing = next.catch(() => undefined);
    return next;
  }
}
