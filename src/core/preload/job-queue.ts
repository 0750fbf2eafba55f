/**
 * The preload queue: one job per library (documents share it), lowest priority number first,
 * first come first served within a priority, and a hard size limit. Small by design (a few hundred
 * entries), so a linear scan beats the bookkeeping of a heap whose priorities change in place.
 */
import type { JobHolder } from './holders';

export type JobOutcome = 'loaded' | 'alreadyCached' | 'failed' | 'cancelled' | 'skipped';

export interface PreloadJob {
  libraryId: string;
  module: string;
  priority: number;
  /** Arrival order, for FIFO within a priority. */
  seq: number;
  /** Who still wants it, by `holderKey`. Empty → cancelled. */
  holders: Map<string, JobHolder>;
  status: 'queued' | 'loading';
  controller: AbortController;
  done: Promise<JobOutcome>;
  settle(outcome: JobOutcome, error?: string): void;
}

export class JobQueue {
  private readonly queued: PreloadJob[] = [];

  constructor(private readonly maxSize: number) {}

  get size(): number {
    return this.queued.length;
  }

  /**
   * Adds a job. When full, evicts the least urgent queued job if the new one is more urgent and
   * returns it (its caller settles it); returns `rejected` when the new job loses.
   */
  push(job: PreloadJob): { evicted?: PreloadJob; rejected?: true } {
    if (this.queued.length < this.maxSize) {
      this.queued.push(job);
      return {};
    }
    const worst = this.queued.reduce((w, j) => (order(j, w) > 0 ? j : w));
    if (order(job, worst) >= 0) return { rejected: true };
    this.remove(worst);
    this.queued.push(job);
    return { evicted: worst };
  }

  /** Removes and returns the most urgent job. */
  shift(): PreloadJob | undefined {
    if (this.queued.length === 0) return undefined;
    const best = this.queued.reduce((b, j) => (order(j, b) < 0 ? j : b));
    this.remove(best);
    return best;
  }

  remove(job: PreloadJob): boolean {
    const index = this.queued.indexOf(job);
    if (index >= 0) this.queued.splice(index, 1);
    return index >= 0;
  }
}

function order(a: PreloadJob, b: PreloadJob): number {
  return a.priority - b.priority || a.seq - b.seq;
}
