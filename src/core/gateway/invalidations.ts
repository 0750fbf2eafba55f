/**
 * When each server's cached results were last invalidated (by a call to one of its tools that is
 * not read-only). An entry stored before that moment is stale. Kept as a time rather than by
 * deleting entries because the cache cannot enumerate a server's keys; persisted, so a restart
 * does not bring invalidated answers back.
 */
import type { Logger } from '../ports';
import { JsonStateFile } from '../store/json-state-file';

interface InvalidationFile {
  version: 1;
  servers: Record<string, number>;
}

export class ServerInvalidations {
  private readonly times = new Map<string, number>();
  private readonly file: JsonStateFile<InvalidationFile> | undefined;
  private loading: Promise<void> | undefined;
  private done = false;

  constructor(file?: string, logger?: Logger) {
    this.file = file
      ? new JsonStateFile<InvalidationFile>({
          path: file,
          initial: () => ({ version: 1, servers: {} }),
          validate: (value) => (isInvalidationFile(value) ? value : null),
          logger,
        })
      : undefined;
  }

  /** Whether the persisted times have been read (so `load` need not be awaited). */
  get loaded(): boolean {
    return this.done;
  }

  /** Reads the persisted times once. */
  load(): Promise<void> {
    this.loading ??= (async () => {
      if (this.file) {
        const data = await this.file.read();
        for (const [server, at] of Object.entries(data.servers))
          if (!this.times.has(server)) this.times.set(server, at);
      }
      this.done = true;
    })();
    return this.loading;
  }

  /** Whether an entry of `server` stored at `storedAt` is still valid. */
  isFresh(server: string, storedAt: number): boolean {
    const at = this.times.get(server);
    return at === undefined || storedAt > at;
  }

  /** Marks everything `server` has cached so far as stale. */
  async invalidate(server: string, at: number): Promise<void> {
    await this.load();
    this.times.set(server, Math.max(at, this.times.get(server) ?? 0));
    await this.file?.write({ version: 1, servers: Object.fromEntries(this.times) });
  }
}

function isInvalidationFile(value: unknown): value is InvalidationFile {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as { version?: unknown; servers?: unknown };
  return (
    file.version === 1 &&
    typeof file.servers === 'object' &&
    file.servers !== null &&
    Object.values(file.servers).every((at) => typeof at === 'number')
  );
}
