/**
 * A small JSON document persisted atomically (write to a temp file, fsync, rename), so a crash
 * mid-write leaves the previous version intact. A corrupt or unreadable file is moved aside and
 * replaced by the initial value with a warning: learned state is worth keeping, never worth a crash.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Logger } from '../ports';

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
      text = await fs.readFile(this.options.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.options.initial();
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
      // Learned state and tool lists are the user's own: readable by the user only.
      await fs.mkdir(path.dirname(this.options.path), { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.options.path, data, { fsync: true, mode: 0o600 });
    });
    // Keep the chain alive after a failed write; the caller still sees the rejection.
    this.writing = next.catch(() => undefined);
    return next;
  }
}
