/**
 * The shared level on Redis. Keys (under the configured prefix, `v1` so a future format change
 * never reads old values):
 * - `<prefix>v1:s:<hash>` — the team's shared partition (library docs, resolved library ids);
 * - `<prefix>v1:p:<partition>:<hash>` — one person's (or one deployment's) private partition;
 * - `<prefix>v1:t:<hash>` — the team's memory (fixes remembered for the team);
 * - `<prefix>v1:lease:<hash>` — the single-flight lease of a key.
 * `hash` is the SHA-256 of the result cache's key; the value is the checksummed envelope of
 * `shared-envelope.ts`, written with `PXAT` so Redis expires it with the entry.
 *
 * A read asks for the three partitions in one `MGET`: private, shared, team. A value is returned
 * only when its envelope checks out for that key and partition, and a value in the shared or team
 * partition only when the partition policy puts that answer there; a corrupt value is deleted (only if it is
 * still the same value), a foreign one ignored.
 */
import { createHash } from 'node:crypto';
import type { Disposable, Logger } from '../ports';
import type { CacheEntry, Clock } from './cache-types';
import type { PartitionPolicy } from './partitions';
import { RedisConnection } from './redis-connection';
import { type LeaseOptions, RedisLeases } from './redis-lease';
import { decodeShared, encodeShared } from './shared-envelope';
import { publicEndpoint, SharedHealth } from './shared-health';
import type { LeaseClaim, SharedCacheHealth, SharedCacheLevel } from './shared-level';

export interface RedisSharedCacheOptions {
  url: string;
  /** Prepended to every key, so several products or teams can share one Redis. */
  prefix: string;
  /** This instance's private partition (a user name, a team, a deployment). */
  partition: string;
  policy: PartitionPolicy;
  opTimeoutMs: number;
  connectTimeoutMs?: number;
  /** Entries larger than this are not written, and values larger are never read. Default 2 MiB. */
  maxEntryBytes?: number;
  lease: LeaseOptions;
  logger: Logger;
  now?: Clock;
}

const DROP_IF_SAME_SCRIPT =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
const SHARED = 'shared';
const TEAM = 'team';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export class RedisSharedCache implements SharedCacheLevel {
  private readonly connection: RedisConnection;
  private readonly leases: RedisLeases;
  private readonly stats: SharedHealth;
  private readonly now: Clock;
  private readonly maxEntryBytes: number;
  private readonly privatePartition: string;
  private readonly keyBase: string;

  constructor(private readonly options: RedisSharedCacheOptions) {
    this.now = options.now ?? Date.now;
    this.maxEntryBytes = options.maxEntryBytes ?? 2 * 1024 * 1024;
    this.privatePartition = `private:${options.partition}`;
    this.keyBase = `${options.prefix}v1:`;
    this.stats = new SharedHealth(publicEndpoint(options.url), options.partition, this.now);
    this.connection = new RedisConnection({
      url: options.url,
      opTimeoutMs: options.opTimeoutMs,
      ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      health: this.stats,
      logger: options.logger,
      now: this.now,
    });
    this.leases = new RedisLeases(this.connection, options.lease);
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    this.stats.lookups++;
    const entry = await this.read(key);
    if (entry) this.stats.hits++;
    return entry;
  }

  async set(key: string, entry: CacheEntry): Promise<boolean> {
    const kind = this.options.policy.partitionOf(entry.value);
    const partition = kind === 'shared' ? SHARED : kind === 'team' ? TEAM : this.privatePartition;
    const target = this.valueKey(key, partition);
    if (!(entry.expiresAt > this.now())) return false;
    const text = encodeShared(key, partition, entry, this.maxEntryBytes);
    if (text === undefined) {
      // Too big to share; an older value must not outlive the newer answer either.
      await this.connection.command(['DEL', target]);
      return false;
    }
    const written = await this.connection.command<string | null>(
      ['SET', target, text, 'PXAT', String(Math.ceil(entry.expiresAt))],
      { write: true },
    );
    if (written.ok) this.stats.writes++;
    return written.ok;
  }

  /** The team partition is everyone's: one person's invalidation leaves a team fix alone. */
  async delete(key: string): Promise<void> {
    await this.connection.command(['DEL', this.valueKey(key, this.privatePartition), this.valueKey(key, SHARED)]);
  }

  async claim(key: string, signal?: AbortSignal): Promise<LeaseClaim> {
    if (!this.connection.usable) return { kind: 'alone' };
    const claim = await this.leases.claim(`${this.keyBase}lease:${sha256(key)}`, () => this.read(key), signal);
    if (claim.kind === 'answered') this.stats.leaseWaitsAnswered++;
    return claim;
  }

  health(): SharedCacheHealth {
    return this.stats.snapshot();
  }

  onStateChange(listener: (health: SharedCacheHealth) => void): Disposable {
    return this.stats.onStateChange(listener);
  }

  whenReady(timeoutMs: number): Promise<boolean> {
    return this.connection.whenReady(timeoutMs);
  }

  close(): Promise<void> {
    this.leases.close();
    return this.connection.close();
  }

  private valueKey(key: string, partition: string): string {
    const hash = sha256(key);
    if (partition === SHARED) return `${this.keyBase}s:${hash}`;
    if (partition === TEAM) return `${this.keyBase}t:${hash}`;
    return `${this.keyBase}p:${encodeURIComponent(this.options.partition)}:${hash}`;
  }

  private async read(key: string): Promise<CacheEntry | undefined> {
    const privateKey = this.valueKey(key, this.privatePartition);
    const sharedKey = this.valueKey(key, SHARED);
    const teamKey = this.valueKey(key, TEAM);
    const values = await this.connection.command<Array<string | null>>(['MGET', privateKey, sharedKey, teamKey]);
    if (!values.ok) return undefined;
    const [privateText, sharedText, teamText] = values.value;
    return (
      this.open(privateKey, privateText, key, this.privatePartition) ??
      this.open(sharedKey, sharedText, key, SHARED) ??
      this.open(teamKey, teamText, key, TEAM)
    );
  }

  private open(
    redisKey: string,
    text: string | null | undefined,
    key: string,
    partition: string,
  ): CacheEntry | undefined {
    if (typeof text !== 'string') return undefined;
    const decoded = decodeShared(text, key, partition, this.now(), this.maxEntryBytes);
    if (decoded.status === 'ok') {
      if (partition !== SHARED && partition !== TEAM) return decoded.entry;
      if (this.options.policy.partitionOf(decoded.entry.value) === partition) return decoded.entry;
      this.drop(redisKey, 'foreign', `an answer that does not belong in the ${partition} partition`, undefined);
      return undefined;
    }
    if (decoded.status === 'expired') return undefined;
    this.drop(redisKey, decoded.status, decoded.reason, decoded.status === 'corrupt' ? text : undefined);
    return undefined;
  }

  /** Counts a value never returned; deletes a corrupt one if it is still the same value. */
  private drop(redisKey: string, status: 'corrupt' | 'foreign', reason: string, corruptText: string | undefined): void {
    this.stats.dropped++;
    this.options.logger.warn(`Shared cache: ignored a ${status} value (${reason})`);
    if (corruptText !== undefined)
      void this.connection.command(['EVAL', DROP_IF_SAME_SCRIPT, '1', redisKey, corruptText], { write: true });
  }
}
