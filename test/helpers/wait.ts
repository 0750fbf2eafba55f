/**
 * The shared bounded wait for tests: poll a condition instead of sleeping a fixed time, so a test
 * is as fast as the code under test and fails with a message that says what never happened.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  /** What is awaited, for the failure message ("the cache file to exist"). */
  what: string;
  /** Give up after this many ms. Default 5000. */
  timeoutMs?: number;
  /** Poll interval in ms. Default 5. */
  intervalMs?: number;
}

/** A falsy probe result (`false`, `null`, `undefined`, `0`, `''`) means "not yet". */
type Probe<T> = () => T | Promise<T>;

/**
 * Resolves with the first truthy value of `predicate`, or rejects after `timeoutMs` with
 * "timed out after N ms waiting for <what>". The predicate is checked once more at the deadline.
 */
export async function waitFor<T>(predicate: Probe<T>, options: WaitForOptions): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const intervalMs = options.intervalMs ?? 5;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what}`);
    await sleep(intervalMs);
  }
}
