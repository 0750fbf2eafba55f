/**
 * Three-way merge of learned state, so two processes sharing one `learning.json` both keep what
 * they learned. Each process remembers the state it last read or wrote (the base); what it learned
 * since is `mine − base`, and that delta is added to whatever is on disk now. Decaying sums are
 * linear in their observations, so all three are first decayed to the same instant, where
 * subtraction and addition are exact.
 */
import { decayedTo, decayFactor } from './decay';
import type { LearningState } from './state';

type Estimate = LearningState['estimates'][number];
type Pair = LearningState['cooccurrence'][number];

const SUM_FIELDS = ['weight', 'success', 'latencySum', 'latencyWeight'] as const;

export function mergeLearningStates(
  disk: LearningState,
  base: LearningState,
  mine: LearningState,
  now: number,
  halfLifeMs: number,
): LearningState {
  const estimateKey = (e: Estimate): string => `${e.contextType}\u0000${e.server}`;
  const decay = (e: Estimate | undefined): Estimate | undefined =>
    e && { ...e, ...decayedTo(e, now, halfLifeMs), updatedAt: now };
  const diskEstimates = byKey(disk.estimates, estimateKey);
  const baseEstimates = byKey(base.estimates, estimateKey);
  const mineEstimates = byKey(mine.estimates, estimateKey);
  const estimates: Estimate[] = [];
  for (const key of new Set([...diskEstimates.keys(), ...mineEstimates.keys()])) {
    const [d, b, m] = [diskEstimates.get(key), baseEstimates.get(key), mineEstimates.get(key)].map(decay);
    const template = (m ?? d) as Estimate;
    const merged: Estimate = { ...template, updatedAt: now };
    for (const field of SUM_FIELDS) {
      merged[field] = Math.max(0, (d?.[field] ?? 0) + (m?.[field] ?? 0) - (b?.[field] ?? 0));
    }
    if (merged.weight > 0) estimates.push(merged);
  }

  const pairKey = (p: Pair): string => `${p.command}\u0000${p.library}`;
  const weightNow = (p: Pair | undefined): number => (p ? p.weight * decayFactor(p.updatedAt, now, halfLifeMs) : 0);
  const diskPairs = byKey(disk.cooccurrence, pairKey);
  const basePairs = byKey(base.cooccurrence, pairKey);
  const minePairs = byKey(mine.cooccurrence, pairKey);
  const cooccurrence: Pair[] = [];
  for (const key of new Set([...diskPairs.keys(), ...minePairs.keys()])) {
    const template = (minePairs.get(key) ?? diskPairs.get(key)) as Pair;
    const weight = weightNow(diskPairs.get(key)) + weightNow(minePairs.get(key)) - weightNow(basePairs.get(key));
    if (weight > 0) cooccurrence.push({ command: template.command, library: template.library, weight, updatedAt: now });
  }

  const outcome = (name: keyof LearningState['outcomes']): number =>
    Math.max(0, disk.outcomes[name] + mine.outcomes[name] - base.outcomes[name]);
  return {
    version: 1,
    estimates,
    cooccurrence,
    outcomes: { success: outcome('success'), partial: outcome('partial'), failure: outcome('failure') },
  };
}

function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]));
}
