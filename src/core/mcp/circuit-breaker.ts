/**
 * A circuit breaker per server: after `failureThreshold` consecutive failures it opens and fails
 * fast for `resetTimeoutMs`; then it lets one trial request through (half-open); the trial's success
 * closes it, its failure opens it again. Keeps a crash-looping server from being hammered.
 */
import type { CircuitState } from './types';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 3. */
  failureThreshold?: number;
  /** How long the circuit stays open before a trial request, ms. Default 10 000. */
  resetTimeoutMs?: number;
}

export const defaultBreaker: Required<CircuitBreakerOptions> = { failureThreshold: 3, resetTimeoutMs: 10_000 };

export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  // Stryker disable next-line BooleanLiteral: only half-open reads the trial flag, and half-open is reached only through recordFailure, which clears it
  private trialInFlight = false;
  private readonly options: Required<CircuitBreakerOptions>;

  constructor(
    options: CircuitBreakerOptions = {},
    private readonly now: () => number = Date.now,
    private readonly onChange: (state: CircuitState) => void = () => undefined,
  ) {
    this.options = { ...defaultBreaker, ...options };
  }

  /** The state now (an open circuit whose timeout has passed reports half-open). */
  get state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.resetTimeoutMs)
      this.transition('half-open');
    return this.current;
  }

  /** Milliseconds until an open circuit lets a trial through (0 when not open). */
  get retryAfterMs(): number {
    return this.state === 'open' ? Math.max(0, this.openedAt + this.options.resetTimeoutMs - this.now()) : 0;
  }

  /**
   * Whether a request may go ahead. In half-open only one trial runs at a time; the caller must then
   * report its outcome with `recordSuccess`, `recordFailure` or `recordNeutral`.
   */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    // Stryker disable next-line BooleanLiteral: only half-open reads the trial flag, and half-open is reached only through recordFailure, which clears it
    this.trialInFlight = false;
    this.transition('closed');
  }

  recordFailure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    // Stryker disable next-line ConditionalExpression,StringLiteral: only a success clears failures, so a half-open
    // circuit already has `failureThreshold` of them; the half-open test states the rule, it decides nothing more
    if (this.current === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.now();
      this.transition('open');
    }
  }

  /** The request ended without telling anything about the server's health (e.g. cancelled). */
  recordNeutral(): void {
    this.trialInFlight = false;
  }

  /** Back to closed with no failures (after a manual restart or a changed definition). */
  reset(): void {
    this.failures = 0;
    // Stryker disable next-line BooleanLiteral: only half-open reads the trial flag, and half-open is reached only through recordFailure, which clears it
    this.trialInFlight = false;
    this.transition('closed');
  }

  private transition(next: CircuitState): void {
    if (next === this.current) return;
    this.current = next;
    this.onChange(next);
  }
}
