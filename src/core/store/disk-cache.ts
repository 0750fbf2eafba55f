/**
 * The persistent level of the result cache: one small JSON file per entry, written atomically.
 *
 * Why not `cacache`: it is content-addressed with append-only index buckets, has no notion of
 * expiry or of a size cap (eviction means `rm.entry` plus a full `verify` garbage collection), and
 * brings a dozen dependencies. What this cache needs is small: bounded size, per-entry TTL,
 * survive restarts and crashes. File-per-entry with `write-file-atomic` (already a dependency) does
 * that in one screen of code:
 *
 * - File name `<hash>-<expiresAt>-<bytes>-<written>.json` (numbers in base 36), hash = first 128
 *   bits of SHA-256 of the canonical key, `written` a write stamp that only grows (wall-clock ms,
 *   bumped past the previous one). Expiry and size live in the name, so opening the cache is one
 *   `readdir` (no stat, no reads) and an index miss costs no disk access at all.
 * - Writes go to a private temp file (0600) and are renamed into place, so a crash leaves the old
 *   entry or the new one, never half of one; the old file is unlinked after the rename. A crash
 *   between the two leaves both: the scan keeps the newer *write* (the stamp), whatever the TTLs —
 *   a fresh answer with a short TTL must not lose to an older one with a long TTL. Writes skip
 *   fsync: this is a cache, and if a power loss leaves a renamed file empty or torn, the checks
 *   below drop it on read, which is all a cache owes. Reads do not follow symbolic links.
 * - Every file carries its full key and a SHA-256 of its payload; a file that does not parse, names
 *   another key (hash collision), has the wrong size or checksum is deleted and read as a miss.
 * - Size caps (entries and bytes) evict expired entries first, then the least recently used.
 *   Recency is tracked in process; after a restart the entries nearest expiry go first.
 *
 * Several processes may share a folder safely (every file is whole and self-verifying), but each
 * only sees the others' new entries after it reopens the folder.
 */
import { createHash } from 'node:crypto';
import { constants as fsConstants, readFile, readFileSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../ports';
import type { CacheEntry, CachedAnswer, Clock } from './cache-types';
import { ensurePrivateDir, O_NOFOLLOW, writePrivateFileAtomic } from './private-files';

export interface DiskCacheOptions {
  /** Folder owned by the cache. Created on first use. */
  dir: string;
  /** Most entries kept. Default 20 000. */
  maxEntries?: number;
  /** Most bytes kept on disk. Default 256 MiB. */
  maxBytes?: number;
  /** Entries larger than this are not written. Default 2 MiB. */
  maxEntryBytes?: number;
  /** Default `Date.now`. */
  now?: Clock;
  logger?: Logger;
}

interface IndexRecord {
  file: string;
  expiresAt: number;
  bytes: number;
  /** Write stamp from the name (0 for names written before stamps existed). */
  written: number;
}

interface Envelope {
  v: 1;
  key: string;
  expiresAt: number;
  sha256: string;
  /** The CachedAnswer as JSON text, so the checksum covers exactly the stored bytes. */
  payload: string;
}

const ENTRY_FILE = /^([0-9a-f]{32})-([0-9a-z]+)-([0-9a-z]+)(?:-([0-9a-z]+))?\.json$/u;
/** Temp files `<target>.<hex>`; left behind only by a crash mid-write. */
const TEMP_FILE = /^[0-9a-f]{32}-[0-9a-z]+-[0-9a-z]+(?:-[0-9a-z]+)?\.json\.[0-9a-f]+$/u;
/**
 * Open flags for reading an entry without following a link. Node accepts numeric flags wherever
 * it takes a flag string (`stringToFlags` passes numbers through); the typings only list strings.
 */
const READ_FLAGS = (fsConstants.O_RDONLY | O_NOFOLLOW) as unknown as string;

/** Write stamps only grow within a process, even if the wall clock steps back. */
let lastWriteStamp = 0;
function nextWriteStamp(): number {
  lastWriteStamp = Math.max(Date.now(), lastWriteStamp + 1);
  return lastWriteStamp;
}
const STALE_TEMP_MS = 60_000;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Entries up to this size are read synchronously. The size is known from the file name before
 * reading, so the event loop blocks for a bounded few microseconds (measured on Node 20: ~6 µs for
 * a 2 KB entry), against ~75 µs for the thread-pool round trip of an async read. Disk hits stay an
 * order of magnitude cheaper than any MCP call; larger entries take the async path.
 */
const SYNC_READ_MAX_BYTES = 64 * 1024;

/** `fs.readFile` with a callback is about twice as fast as `fs.promises.readFile` on Node 20. */
function readText(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    readFile(file, { encoding: 'utf8', flag: READ_FLAGS }, (error, text) => (error ? reject(error) : resolve(text)));
  });
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

export class DiskCache {
  /** Insertion order is recency order: the first record is the least recently used. */
  private readonly index = new Map<string, IndexRecord>();
  private totalBytes = 0;
  private opening: Promise<void> | undefined;
  /** The index reflects the folder (the scan finished), so an absent key is known to be absent. */
  private indexReady = false;
  /** Per-hash write chains, so two writes of one key never race; also what `flush` waits for. */
  private readonly writes = new Map<string, Promise<void>>();
  private readonly now: Clock;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly maxEntryBytes: number;

  constructor(private readonly options: DiskCacheOptions) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 20_000;
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.maxEntryBytes = options.maxEntryBytes ?? 2 * 1024 * 1024;
  }

  get dir(): string {
    return this.options.dir;
  }

  get size(): number {
    return this.index.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Scans the folder once (lazily on first use): builds the index, drops expired and stale files. */
  open(): Promise<void> {
    this.opening ??= this.scan().then(() => {
      this.indexReady = true;
    });
    return this.opening;
  }

  /**
   * True when the key certainly has no entry, known synchronously from the index (no file access):
   * false while the folder has not been scanned yet, or when an entry, even an expired one, exists.
   */
  lacks(key: string): boolean {
    return this.indexReady && !this.index.has(this.hashOf(key));
  }

  /** The live entry for a key, or undefined. Never throws: unreadable entries are misses. */
  async get(key: string): Promise<CacheEntry | undefined> {
    await this.open();
    const hash = this.hashOf(key);
    const record = this.index.get(hash);
    if (!record) return undefined;
    if (record.expiresAt <= this.now()) {
      void this.forget(hash, record);
      return undefined;
    }
    let text: string;
    try {
      const file = this.pathOf(record.file);
      text =
        record.bytes <= SYNC_READ_MAX_BYTES
          ? readFileSync(file, { encoding: 'utf8', flag: READ_FLAGS })
          : await readText(file);
    } catch (error) {
      if (!isMissing(error)) this.options.logger?.warn(`Disk cache: could not read ${record.file}`, error);
      if (this.index.get(hash) === record) void this.forget(hash, record);
      return undefined;
    }
    const entry = this.decode(key, record, text);
    if (!entry) {
      this.options.logger?.warn(`Disk cache: dropped a corrupt entry ${record.file}`);
      if (this.index.get(hash) === record) void this.forget(hash, record);
      return undefined;
    }
    // Move to the most-recently-used end.
    if (this.index.get(hash) === record) {
      this.index.delete(hash);
      this.index.set(hash, record);
    }
    return entry;
  }

  /** Writes an entry atomically, replacing any older one for the key, then enforces the caps; false when not kept. */
  set(key: string, entry: CacheEntry): Promise<boolean> {
    const hash = this.hashOf(key);
    return this.chain(hash, () => this.write(hash, key, entry));
  }

  delete(key: string): Promise<void> {
    const hash = this.hashOf(key);
    return this.chain(hash, async () => {
      await this.open();
      const record = this.index.get(hash);
      if (record) void this.forget(hash, record);
    });
  }

  /** Removes every entry this cache owns. */
  async clear(): Promise<void> {
    await this.flush();
    await this.open();
    const files = [...this.index.values()].map((record) => record.file);
    this.index.clear();
    this.totalBytes = 0;
    await Promise.all(files.map((file) => this.unlink(file)));
  }

  /** Resolves when every write started so far has finished. */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.all(this.writes.values());
  }

  private hashOf(key: string): string {
    return sha256(key).slice(0, 32);
  }

  private pathOf(file: string): string {
    return path.join(this.options.dir, file);
  }

  private async scan(): Promise<void> {
    await ensurePrivateDir(this.options.dir);
    const names = await fs.readdir(this.options.dir);
    const now = this.now();
    const found: Array<[string, IndexRecord]> = [];
    const latest = new Map<string, IndexRecord>();
    for (const name of names) {
      const match = ENTRY_FILE.exec(name);
      if (!match) {
        if (TEMP_FILE.test(name)) void this.removeStaleTemp(name, now);
        continue;
      }
      const [, hash = '', expires = '', size = '', written = '0'] = match;
      const record: IndexRecord = {
        file: name,
        expiresAt: parseInt(expires, 36),
        bytes: parseInt(size, 36),
        written: parseInt(written, 36),
      };
      if (!(record.expiresAt > now)) {
        void this.unlink(name);
        continue;
      }
      // Two files for one key: a crash between writing the new file and deleting the old one.
      // The later write wins, whatever either one's expiry.
      const previous = latest.get(hash);
      if (previous && isNewer(previous, record)) {
        void this.unlink(name);
        continue;
      }
      if (previous) void this.unlink(previous.file);
      latest.set(hash, record);
    }
    for (const [hash, record] of latest) found.push([hash, record]);
    found.sort((a, b) => a[1].expiresAt - b[1].expiresAt);
    for (const [hash, record] of found) {
      this.index.set(hash, record);
      this.totalBytes += record.bytes;
    }
    await this.enforceCaps();
  }

  private async removeStaleTemp(name: string, now: number): Promise<void> {
    try {
      const stat = await fs.stat(this.pathOf(name));
      if (now - stat.mtimeMs > STALE_TEMP_MS) await this.unlink(name);
    } catch {
      // Gone already (another process finished or cleaned it): nothing to do.
    }
  }

  private decode(key: string, record: IndexRecord, text: string): CacheEntry | undefined {
    if (Buffer.byteLength(text) !== record.bytes) return undefined;
    try {
      const envelope = JSON.parse(text) as Partial<Envelope>;
      if (envelope.v !== 1 || envelope.key !== key || typeof envelope.payload !== 'string') return undefined;
      if (envelope.expiresAt !== record.expiresAt || sha256(envelope.payload) !== envelope.sha256) return undefined;
      const value = JSON.parse(envelope.payload) as CachedAnswer;
      if (typeof value.content !== 'string' || typeof value.source !== 'string') return undefined;
      return { value, expiresAt: record.expiresAt };
    } catch {
      return undefined;
    }
  }

  private async write(hash: string, key: string, entry: CacheEntry): Promise<boolean> {
    await this.open();
    const previous = this.index.get(hash);
    if (entry.expiresAt <= this.now()) {
      if (previous) void this.forget(hash, previous);
      return false;
    }
    const payload = JSON.stringify(entry.value);
    const envelope: Envelope = { v: 1, key, expiresAt: entry.expiresAt, sha256: sha256(payload), payload };
    const data = JSON.stringify(envelope);
    const bytes = Buffer.byteLength(data);
    if (bytes > this.maxEntryBytes) {
      // Too big to keep; the older value must not outlive the newer answer either.
      if (previous) void this.forget(hash, previous);
      return false;
    }
    const written = nextWriteStamp();
    const file = `${hash}-${entry.expiresAt.toString(36)}-${bytes.toString(36)}-${written.toString(36)}.json`;
    await writePrivateFileAtomic(this.pathOf(file), data, { fsync: false });
    const current = this.index.get(hash);
    if (current) {
      this.index.delete(hash);
      this.totalBytes -= current.bytes;
      if (current.file !== file) void this.unlink(current.file);
    }
    this.index.set(hash, { file, expiresAt: entry.expiresAt, bytes, written });
    this.totalBytes += bytes;
    await this.enforceCaps();
    return this.index.get(hash)?.file === file;
  }

  private async enforceCaps(): Promise<void> {
    if (!this.overCap()) return;
    const now = this.now();
    const removals: Promise<void>[] = [];
    for (const [hash, record] of [...this.index]) {
      if (record.expiresAt <= now) removals.push(this.forget(hash, record));
    }
    for (const [hash, record] of this.index) {
      if (!this.overCap()) break;
      removals.push(this.forget(hash, record));
    }
    await Promise.all(removals);
  }

  private overCap(): boolean {
    return this.index.size > this.maxEntries || this.totalBytes > this.maxBytes;
  }

  /** Drops a record from the index now and its file in the background (returned for callers that wait). */
  private forget(hash: string, record: IndexRecord): Promise<void> {
    if (this.index.get(hash) === record) {
      this.index.delete(hash);
      this.totalBytes -= record.bytes;
    }
    return this.unlink(record.file);
  }

  private async unlink(file: string): Promise<void> {
    try {
      await fs.unlink(this.pathOf(file));
    } catch (error) {
      if (!isMissing(error)) this.options.logger?.warn(`Disk cache: could not delete ${file}`, error);
    }
  }

  private chain<T>(hash: string, task: () => Promise<T>): Promise<T> {
    const previous: Promise<unknown> = this.writes.get(hash) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.then(
      () => undefined,
      (error: unknown) => this.options.logger?.warn('Disk cache: write failed', error),
    );
    this.writes.set(hash, settled);
    void settled.then(() => {
      if (this.writes.get(hash) === settled) this.writes.delete(hash);
    });
    return next;
  }
}

/** Whether `a` was written after `b` (expiry breaks a tie between stamp-less names). */
function isNewer(a: IndexRecord, b: IndexRecord): boolean {
  return a.written !== b.written ? a.written > b.written : a.expiresAt >= b.expiresAt;
}
