/**
 * A token bucket for "at most N upstream calls per minute": holds up to N tokens, refills
 * continuously at N per minute, and `take` waits (abortably) for the next token.
 */

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private perMinute: number,
    private readonly now: () => number,
    private readonly sleep: Sleep,
  ) {
    this.tokens = Math.max(0, perMinute);
    this.last = now();
  }

  setRate(perMinute: number): void {
    this.refill();
    this.perMinute = perMinute;
    this.tokens = Math.min(this.tokens, Math.max(0, perMinute));
  }

  /** Waits for and takes one token. Rejects with the signal's reason when aborted. */
  async take(signal: AbortSignal): Promise<void> {
    if (this.perMinute <= 0) throw new Error('the preload call budget is 0 calls per minute');
    for (;;) {
      if (signal.aborted) throw signal.reason;
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute), signal);
    }
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.perMinute, this.tokens + (elapsed * this.perMinute) / 60_000);
  }
}
