/**
 * The trail of one upstream walk as it happens: finished attempts, plus the attempts still running,
 * so a caller who gives up mid-walk can report exactly which layers were cut short.
 */
import type { TrailEntry } from '../knowledge';

export interface RunningAttempt {
  layer: string;
  server: string;
  startedAt: number;
}

export class WalkProgress {
  readonly trail: TrailEntry[] = [];
  private readonly running = new Set<RunningAttempt>();

  constructor(private readonly clock: () => number = () => performance.now()) {}

  now(): number {
    return this.clock();
  }

  begin(layer: string, server: string): RunningAttempt {
    const attempt = { layer, server, startedAt: this.clock() };
    this.running.add(attempt);
    return attempt;
  }

  finish(attempt: RunningAttempt | undefined, entry: TrailEntry): void {
    // Stryker disable next-line ConditionalExpression: deleting undefined from the set is a no-op
    if (attempt) this.running.delete(attempt);
    this.trail.push(entry);
  }

  /** The trail as a caller leaving now sees it: running attempts are reported as cancelled. */
  snapshotCancelled(detail: string): TrailEntry[] {
    const now = this.clock();
    return [
      ...this.trail,
      ...[...this.running].map((attempt) => ({
        layer: attempt.layer,
        server: attempt.server,
        outcome: 'cancelled' as const,
        latencyMs: now - attempt.startedAt,
        detail,
      })),
    ];
  }
}
