/** What the person's "it worked" / "it did not work" about a found fix teaches the routing. */
import type { FixResult } from '../fixes/types';
import { CONTEXT_TYPES } from '../knowledge';
import type { LearningSystem } from '../learning/learning-system';
import { OutcomeType } from '../learning/outcome';

export function learnFixOutcome(learning: LearningSystem, fix: FixResult, worked: boolean): void {
  // A fix from the local cache says nothing about which layer found it: only upstream answers teach routing.
  const layers = fix.trail.filter((t) => t.layer !== 'local-cache' && t.outcome === 'hit');
  if (layers.length === 0) return;
  learning.trackSuccess({
    query: fix.signature,
    contextType: CONTEXT_TYPES.errorSolution,
    mcpsUsed: layers.map((t) => t.layer),
    outcome: worked ? OutcomeType.SUCCESS : OutcomeType.FAILURE,
    latencyMs: fix.latencyMs,
    serverLatencyMs: Object.fromEntries(layers.map((t) => [t.layer, t.latencyMs])),
    command: 'fix',
  });
}
