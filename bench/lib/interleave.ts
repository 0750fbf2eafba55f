/**
 * Times a baseline and a candidate in alternation (A B, B A, A B, …) so that whatever the shared
 * machine is doing at a given moment lands on both sides equally.
 */
import { performance } from 'node:perf_hooks';

export interface PairedSamples {
  baseline: number[];
  candidate: number[];
}

/**
 * Calls `baseline(i)` and `candidate(i)` for i in [0, iterations), in alternating blocks of `block`
 * calls (default 1: strict alternation), switching which side goes first every round, after
 * `warmup` untimed rounds (which get negative indices, so callers can keep them apart).
 * Blocks matter for microsecond operations: a call timed right after the other side's pipe I/O
 * runs with cold CPU caches, which measures the neighbour as much as the call itself.
 * Returns per-call milliseconds.
 */
export async function interleaved(
  baseline: (i: number) => Promise<unknown>,
  candidate: (i: number) => Promise<unknown>,
  iterations: number,
  warmup = 0,
  block = 1,
  /** Runs untimed after each candidate call, e.g. to let its background work (cache persistence) finish so it lands on neither side. */
  settle?: () => Promise<unknown>,
): Promise<PairedSamples> {
  for (let i = 1; i <= warmup; i++) {
    await baseline(-i);
    await candidate(-i);
  }
  const out: PairedSamples = { baseline: [], candidate: [] };
  const timed = async (fn: (i: number) => Promise<unknown>, i: number, into: number[]): Promise<void> => {
    const start = performance.now();
    await fn(i);
    into.push(performance.now() - start);
    if (settle && fn === candidate) await settle();
  };
  const run = async (fn: (i: number) => Promise<unknown>, from: number, to: number, into: number[]): Promise<void> => {
    for (let i = from; i < to; i++) await timed(fn, i, into);
  };
  for (let round = 0, from = 0; from < iterations; round++, from += block) {
    const to = Math.min(iterations, from + block);
    if (round % 2 === 0) {
      await run(baseline, from, to, out.baseline);
      await run(candidate, from, to, out.candidate);
    } else {
      await run(candidate, from, to, out.candidate);
      await run(baseline, from, to, out.baseline);
    }
  }
  return out;
}
