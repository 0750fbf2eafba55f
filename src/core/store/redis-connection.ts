/**
 * One connection to Redis (node-redis) that can never make a lookup wait longer than one operation
 * timeout, and the state the shared level reports:
 *
 * - Every command is bounded by the operation timeout (node-redis's own `timeout` until it is
 *   written, a timer after); commands are not queued while disconnected (`disableOfflineQueue`),
 *   and the queue is bounded, so nothing piles up behind a dead socket.
 * - A lost connection is re-established by node-redis with a jittered exponential backoff
 *   (100 ms doubling to 10 s); meanwhile operations are skipped at once (`down`).
 * - A Redis that stays connected but stops answering (stopped process, overloaded host) times out
 *   `SLOW_AFTER_TIMEOUTS` operations in a row: it is then `slow` and skipped, and a PING probes it
 *   again after a backoff (250 ms doubling to 10 s) until one answers in time.
 * - A write refused for memory (`OOM`) marks it `full` for a minute: reads still answer.
 */
import { createClient, TimeoutError } from 'redis';
import type { Logger } from '../ports';
import type { Clock } from './cache-types';
import type { SharedHealth } from './shared-health';

export interface RedisConnectionOptions {
  url: string;
  /** Bound on every operation. */
  opTimeoutMs: number;
  /** Bound on establishing a connection. Default 2 s. */
  connectTimeoutMs?: number;
  health: SharedHealth;
  logger: Logger;
  now?: Clock;
}

export type OpResult<T> =
  { ok: true; value: T } | { ok: false; reason: 'skipped' | 'timeout' | 'error'; error?: string };

export type RedisArg = string | Buffer;

const SLOW_AFTER_TIMEOUTS = 3;
const FULL_FOR_MS = 60_000;
const QUEUE_LIMIT = 1_000;
const RECONNECT_MAX_MS = 10_000;
const PROBE_MIN_MS = 250;

/** The wait before reconnection attempt `retries` (0-based): 100 ms doubling to 10 s, plus up to 100 ms of jitter. */
export function reconnectDelay(retries: number): number {
  return Math.min(100 * 2 ** Math.min(retries, 10), RECONNECT_MAX_MS) + Math.floor(Math.random() * 100);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class OperationTimeoutError extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
  }
}

/** Ours, or node-redis's for a command not written in time (by class: a minified build renames them). */
function isTimeout(error: unknown): boolean {
  return error instanceof OperationTimeoutError || error instanceof TimeoutError;
}

export class RedisConnection {
  private readonly client: ReturnType<typeof createClient>;
  private readonly health: SharedHealth;
  private readonly now: Clock;
  private consecutiveTimeouts = 0;
  private probeDelayMs = PROBE_MIN_MS;
  private probeTimer: NodeJS.Timeout | undefined;
  private fullUntil = 0;
  private closing = false;
  private readonly ready: Promise<void>;

  constructor(private readonly options: RedisConnectionOptions) {
    this.health = options.health;
    this.now = options.now ?? Date.now;
    this.client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      commandsQueueMaxLength: QUEUE_LIMIT,
      socket: {
        connectTimeout: options.connectTimeoutMs ?? 2_000,
        // Stryker disable next-line BooleanLiteral: close() ends the client's reconnection itself, so the strategy is not asked while closing; kept against a late socket error
        reconnectStrategy: (retries) => (this.closing ? false : reconnectDelay(retries)),
      },
    });
    // node-redis emits 'error' for every failed attempt; without a listener it would crash the host.
    this.client.on('error', (error: unknown) => this.noteError(error));
    this.client.on('ready', () => {
      this.consecutiveTimeouts = 0;
      this.health.setState('up');
      this.options.logger.info(`Shared cache: connected to ${this.health.snapshot().endpoint}`);
    });
    // Stryker disable BlockStatement,ConditionalExpression,StringLiteral: node-redis ends only when the reconnect strategy gives up, which it does only while closing; kept for a client that would give up on its own
    this.client.on('end', () => {
      if (!this.closing) this.health.setState('down');
    });
    // Stryker restore BlockStatement,ConditionalExpression,StringLiteral
    this.client.on('reconnecting', () => {
      if (this.health.state !== 'connecting') this.health.setState('down');
    });
    this.ready = new Promise((resolve) => this.client.once('ready', () => resolve()));
    // Stryker disable next-line ArrowFunction: a failed connection is also emitted as 'error' and noted there
    this.client.connect().catch((error: unknown) => this.noteError(error));
  }

  /** Resolves true when connected, false after `timeoutMs`. */
  async whenReady(timeoutMs: number): Promise<boolean> {
    // Stryker disable next-line ConditionalExpression: a fast path: once usable, `ready` has resolved and the race answers true as well
    if (this.usable) return true;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.ready.then(() => true), expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether operations go to Redis now (connected and not found slow). */
  get usable(): boolean {
    const state = this.health.state;
    return (state === 'up' || state === 'full') && this.client.isReady;
  }

  /** Runs one command, bounded; never throws. */
  async command<T>(args: RedisArg[], options: { write?: boolean } = {}): Promise<OpResult<T>> {
    if (!this.usable) {
      this.health.skipped++;
      return { ok: false, reason: 'skipped' };
    }
    const started = performance.now();
    try {
      const value = await this.bounded(
        // Stryker disable next-line ObjectLiteral: bounded() rejects at the same moment; node-redis's own timeout only also drops a command it has not written yet
        this.client.sendCommand<T>(args, { timeout: this.options.opTimeoutMs }),
      );
      this.health.latency(performance.now() - started);
      this.consecutiveTimeouts = 0;
      // Stryker disable next-line ConditionalExpression: in any other usable state (up) setting 'up' again changes nothing
      if (this.health.state === 'full' && this.now() >= this.fullUntil) this.health.setState('up');
      return { ok: true, value };
    } catch (error) {
      return this.failed(error, options.write === true, performance.now() - started);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    // Stryker disable next-line ConditionalExpression: clearTimeout(undefined) is a no-op, and a probe left to fire returns at once once closing
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.health.setState('closed');
    // A graceful close waits for the replies still owed, which a hung Redis never sends: it gets
    // one operation timeout, then the socket is dropped.
    const closed =
      this.client.isOpen &&
      (await this.bounded(this.client.close()).then(
        () => true,
        () => false,
      ));
    if (!closed) this.client.destroy();
  }

  /**
   * node-redis's `timeout` only covers a command that has not been written yet: once on the wire
   * it waits for its reply (replies come in order). This bounds the wait for the caller; the
   * reply, when it comes, is read and dropped by node-redis.
   */
  private async bounded<T>(reply: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OperationTimeoutError(this.options.opTimeoutMs)), this.options.opTimeoutMs);
    });
    reply.catch(() => undefined);
    try {
      return await Promise.race([reply, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  private failed<T>(error: unknown, write: boolean, latencyMs: number): OpResult<T> {
    const message = errorText(error);
    this.health.errors++;
    this.health.lastError = message;
    if (isTimeout(error)) {
      this.health.timeouts++;
      this.health.latency(latencyMs);
      if (++this.consecutiveTimeouts >= SLOW_AFTER_TIMEOUTS && this.health.state !== 'slow') this.markSlow();
      return { ok: false, reason: 'timeout', error: message };
    }
    if (write && /^OOM\b/u.test(message)) {
      this.fullUntil = this.now() + FULL_FOR_MS;
      if (this.health.state === 'up') {
        this.health.setState('full');
        this.options.logger.warn(`Shared cache: Redis refuses writes (${message}); answers stay local`);
      }
    }
    return { ok: false, reason: 'error', error: message };
  }

  private markSlow(): void {
    this.health.setState('slow');
    this.options.logger.warn(
      `Shared cache: Redis did not answer ${SLOW_AFTER_TIMEOUTS} operations within ${this.options.opTimeoutMs} ms; skipping it until it does`,
    );
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: markSlow runs once per slow period and a failed probe reschedules only after its timer fired; a probe scheduled while closing returns at once
    if (this.closing || this.probeTimer) return;
    const delay = this.probeDelayMs;
    this.probeDelayMs = Math.min(this.probeDelayMs * 2, RECONNECT_MAX_MS);
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      void this.probe();
    }, delay);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    if (this.closing || this.health.state !== 'slow') return;
    // Stryker disable ConditionalExpression,BlockStatement,StringLiteral: a lost connection is reported 'reconnecting' (down) at once, so a probe finds a slow Redis disconnected only in a race; kept for that
    if (!this.client.isReady) {
      // Disconnected meanwhile: node-redis's reconnection takes over and 'ready' clears the state.
      this.health.setState('down');
      return;
    }
    // Stryker restore ConditionalExpression,BlockStatement,StringLiteral
    const started = performance.now();
    try {
      // Stryker disable next-line ObjectLiteral: bounded() rejects at the same moment; node-redis's own timeout only also drops a command it has not written yet
      await this.bounded(this.client.sendCommand(['PING'], { timeout: this.options.opTimeoutMs }));
      this.health.latency(performance.now() - started);
      this.consecutiveTimeouts = 0;
      this.probeDelayMs = PROBE_MIN_MS;
      this.health.setState('up');
      this.options.logger.info('Shared cache: Redis answers again');
    } catch {
      this.scheduleProbe();
    }
  }

  private noteError(error: unknown): void {
    const message = errorText(error);
    this.health.lastError = message;
    if (this.health.state === 'up' || this.health.state === 'full') {
      this.options.logger.warn(`Shared cache: ${message}; answers continue from the local cache and upstream`);
    } else {
      this.options.logger.debug(`Shared cache: ${message}`);
    }
  }
}
