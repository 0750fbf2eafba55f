/** An in-process shared level for tests of the levels above it. */
import type { Disposable } from '../../../src/core/ports';
import type { CacheEntry } from '../../../src/core/store/cache-types';
import type { LeaseClaim, SharedCacheHealth, SharedCacheLevel } from '../../../src/core/store/shared-level';

/** An in-process shared level that records what the result cache asks of it. */
export class FakeSharedLevel implements SharedCacheLevel {
  readonly entries = new Map<string, CacheEntry>();
  readonly log: string[] = [];
  /** What the next claim answers; default: this instance becomes the leader. */
  nextClaim: () => Promise<LeaseClaim> = () => Promise.resolve({ kind: 'leader', release: () => this.released() });
  claims = 0;
  releases = 0;
  private readonly writeGate: { open: Promise<void>; release: () => void };

  constructor(writesWait = false) {
    let release = (): void => undefined;
    const open = writesWait ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    this.writeGate = { open, release };
  }

  openWrites(): void {
    this.writeGate.release();
  }

  get(key: string): Promise<CacheEntry | undefined> {
    this.log.push(`get ${key}`);
    return Promise.resolve(this.entries.get(key));
  }

  async set(key: string, entry: CacheEntry): Promise<boolean> {
    await this.writeGate.open;
    this.log.push(`set ${key}`);
    this.entries.set(key, entry);
    return true;
  }

  delete(key: string): Promise<void> {
    this.log.push(`delete ${key}`);
    this.entries.delete(key);
    return Promise.resolve();
  }

  claim(key: string): Promise<LeaseClaim> {
    this.claims++;
    this.log.push(`claim ${key}`);
    return this.nextClaim();
  }

  health(): SharedCacheHealth {
    return {
      state: 'up',
      endpoint: 'redis://fake',
      partition: 'p',
      lookups: 0,
      hits: 0,
      hitRate: 0,
      writes: 0,
      errors: 0,
      timeouts: 0,
      skipped: 0,
      dropped: 0,
      leaseWaitsAnswered: 0,
      latencyMs: { p50: 0, p95: 0 },
      since: 0,
    };
  }

  onStateChange(): Disposable {
    return { dispose: () => undefined };
  }

  whenReady(): Promise<boolean> {
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    this.log.push('close');
    return Promise.resolve();
  }

  private released(): Promise<void> {
    this.releases++;
    this.log.push('release');
    return Promise.resolve();
  }
}
