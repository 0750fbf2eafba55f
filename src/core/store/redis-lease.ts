/**
 * Cross-instance single-flight: a lease in Redis (`SET key token NX PX ttl`). The holder renews it
 * while it works (every third of the TTL, for at most `maxHoldMs`), so a holder that dies — even
 * by `kill -9` — stops renewing and its lease expires within one TTL; release and renewal compare
 * the token first (a Lua script), so a holder never removes a lease someone else took after its
 * own expired. The others poll with a growing interval for the holder's answer or the lease's
 * end, for at most `waitMs`.
 */
import { randomUUID } from 'node:crypto';
import type { CacheEntry } from './cache-types';
import type { RedisConnection } from './redis-connection';
import type { LeaseClaim } from './shared-level';

export interface LeaseOptions {
  /** Lifetime of a lease without renewal: how long a dead holder can block the others. */
  ttlMs: number;
  /** Most time a miss waits for another instance's answer before going upstream itself. */
  waitMs: number;
  /** Most time a holder keeps renewing (longer than any upstream call may take). */
  maxHoldMs: number;
}

const RELEASE_SCRIPT =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
const RENEW_SCRIPT =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 100;

export class RedisLeases {
  private readonly instance = randomUUID();
  private counter = 0;
  /** Renewal timers of the leases held now. */
  private readonly renewals = new Set<NodeJS.Timeout>();

  constructor(
    private readonly connection: RedisConnection,
    private readonly options: LeaseOptions,
  ) {}

  /**
   * Takes the lease on `leaseKey`, or waits for `read()` to find the holder's answer. Each round
   * sends the `SET NX` and the read together, so a lease taken just after the previous holder
   * stored its answer and left is given back at once.
   */
  async claim(
    leaseKey: string,
    read: () => Promise<CacheEntry | undefined>,
    signal?: AbortSignal,
  ): Promise<LeaseClaim> {
    const token = `${this.instance}:${++this.counter}`;
    const deadline = performance.now() + this.options.waitMs;
    let pollMs = FIRST_POLL_MS;
    for (;;) {
      const [taken, entry] = await Promise.all([
        this.connection.command<string | null>(['SET', leaseKey, token, 'NX', 'PX', String(this.options.ttlMs)], {
          write: true,
        }),
        read(),
      ]);
      if (taken.ok && taken.value === 'OK') {
        if (entry) {
          await this.release(leaseKey, token);
          return { kind: 'answered', entry };
        }
        return { kind: 'leader', release: this.hold(leaseKey, token) };
      }
      if (entry) return { kind: 'answered', entry };
      if (!taken.ok || signal?.aborted) return { kind: 'alone' };
      const left = deadline - performance.now();
      // Stryker disable next-line EqualityOperator: exactly 0 ms left and a pause of 0 ms give the same answer a round later
      if (left <= 0) return { kind: 'alone' };
      await pause(Math.min(pollMs, left), signal);
      pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
    }
  }

  /** Keeps the lease alive until released (or `maxHoldMs`); returns the release function. */
  private hold(leaseKey: string, token: string): () => Promise<void> {
    const started = performance.now();
    const renew = setInterval(
      () => {
        // Stryker disable next-line EqualityOperator: the boundary instant of a continuous clock; one renewal more or less
        if (performance.now() - started > this.options.maxHoldMs) {
          this.stopRenewing(renew);
          return;
        }
        void this.connection.command(['EVAL', RENEW_SCRIPT, '1', leaseKey, token, String(this.options.ttlMs)]);
      },
      // Stryker disable next-line MethodExpression: a floor for tiny TTLs; renewing more often changes only the load on Redis
      Math.max(10, Math.floor(this.options.ttlMs / 3)),
    );
    renew.unref();
    this.renewals.add(renew);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.stopRenewing(renew);
      await this.release(leaseKey, token);
    };
  }

  /** Stops renewing every lease (shutdown): the leases not released expire within one TTL. */
  close(): void {
    for (const renew of [...this.renewals]) this.stopRenewing(renew);
  }

  private stopRenewing(renew: NodeJS.Timeout): void {
    clearInterval(renew);
    this.renewals.delete(renew);
  }

  private async release(leaseKey: string, token: string): Promise<void> {
    await this.connection.command(['EVAL', RELEASE_SCRIPT, '1', leaseKey, token], { write: true });
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: done() removes the listener itself; `once` only repeats that
    signal?.addEventListener('abort', done, { once: true });
  });
}
