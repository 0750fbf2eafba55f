/**
 * Exponentially decaying sums: every recorded amount loses half its weight per half-life, so
 * estimates follow a server that got better (or worse) instead of averaging its whole past.
 * Values are decayed lazily, to "now", whenever they are read or updated.
 */

export interface DecayingSums {
  /** Decayed number of observations. */
  weight: number;
  /** Decayed sum of outcome values (1 success, 0.5 partial, 0 failure). */
  success: number;
  /** Decayed sum of latencies, in ms, over the observations that had one. */
  latencySum: number;
  /** Decayed number of observations that had a latency. */
  latencyWeight: number;
  /** When the sums were last decayed (ms since epoch). */
  updatedAt: number;
}

export function emptySums(now: number): DecayingSums {
  return { weight: 0, success: 0, latencySum: 0, latencyWeight: 0, updatedAt: now };
}

export function decayFactor(fromMs: number, toMs: number, halfLifeMs: number): number {
  // A clock that moved backwards (restored state from another machine) decays nothing.
  return toMs <= fromMs ? 1 : 0.5 ** ((toMs - fromMs) / halfLifeMs);
}

/** The sums as they stand at `now`, without changing the stored record. */
export function decayedTo(sums: DecayingSums, now: number, halfLifeMs: number): DecayingSums {
  const f = decayFactor(sums.updatedAt, now, halfLifeMs);
  return {
    weight: sums.weight * f,
    success: sums.success * f,
    latencySum: sums.latencySum * f,
    latencyWeight: sums.latencyWeight * f,
    updatedAt: Math.max(now, sums.updatedAt),
  };
}

export function addObservation(
  sums: DecayingSums,
  now: number,
  halfLifeMs: number,
  value: number,
  latencyMs?: number,
): DecayingSums {
  const next = decayedTo(sums, now, halfLifeMs);
  next.weight += 1;
  next.success += value;
  if (latencyMs !== undefined && Number.isFinite(latencyMs) && latencyMs >= 0) {
    next.latencySum += latencyMs;
    next.latencyWeight += 1;
  }
  return next;
}
