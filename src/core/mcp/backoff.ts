/**
 * Exponential backoff with jitter for restarting a server. Jitter spreads restarts of many servers
 * (or many windows) so they do not hammer a shared resource in lockstep.
 */

export interface BackoffOptions {
  /** Delay before the first retry, ms. Default 250. */
  initialMs?: number;
  /** Upper bound of any delay, ms. Default 30 000. */
  maxMs?: number;
  /** Growth factor per attempt. Default 2. */
  multiplier?: number;
  /** Fraction of the delay that is randomised (0 = none, 1 = full jitter). Default 0.5. */
  jitter?: number;
}

export const defaultBackoff: Required<BackoffOptions> = { initialMs: 250, maxMs: 30_000, multiplier: 2, jitter: 0.5 };

/**
 * Delay before retry number `attempt` (0-based). The result lies in
 * `[base × (1 − jitter), base]` with `base = min(maxMs, initialMs × multiplier^attempt)`.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const { initialMs, maxMs, multiplier, jitter } = { ...defaultBackoff, ...options };
  const exponent = Math.max(0, Math.floor(attempt));
  const base = Math.min(maxMs, initialMs * Math.pow(multiplier, exponent));
  const spread = Math.min(1, Math.max(0, jitter));
  return Math.round(base - base * spread * random());
}
