/**
 * An explicit preload of a list ("Preload Workspace", `mcp-integration preload DIR`): the list is fed
 * to the queue a window at a time so a long one never overflows it, every job is held by the
 * request (an abort lets go of them all), and the outcomes are tallied into a summary.
 */
import type { Disposable } from '../ports';
import type { JobOutcome, PreloadJob } from './job-queue';
import type { PreloadProgress, PreloadRequest, PreloadSummary } from './types';

export interface RequestBatchDeps {
  /** Jobs outstanding at most while feeding the queue. */
  window: number;
  now: () => number;
  /** Resolves and queues one library for this request; null when there is nothing to wait for. */
  enqueue(request: PreloadRequest): Promise<PreloadJob | null>;
  /** This request lets go of a job. */
  release(job: PreloadJob): void;
  onProgress(listener: (progress: PreloadProgress) => void): Disposable;
}

export async function preloadBatch(
  deps: RequestBatchDeps,
  list: PreloadRequest[],
  options: { signal?: AbortSignal; onProgress?: (p: PreloadProgress) => void } = {},
): Promise<PreloadSummary> {
  const started = deps.now();
  const summary: PreloadSummary = { libraries: list.length, loaded: 0, alreadyCached: 0, failed: 0, durationMs: 0 };
  const subscription = options.onProgress ? deps.onProgress(options.onProgress) : undefined;
  const mine = new Set<PreloadJob>();
  const onAbort = (): void => mine.forEach((job) => deps.release(job));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const outstanding = new Set<Promise<JobOutcome>>();
  const tally = (outcome: JobOutcome): void => {
    if (outcome === 'loaded') summary.loaded += 1;
    else if (outcome === 'alreadyCached') summary.alreadyCached += 1;
    else if (outcome === 'failed') summary.failed += 1;
  };
  try {
    for (const request of list) {
      if (options.signal?.aborted) break;
      while (outstanding.size >= deps.window) await Promise.race(outstanding);
      const job = await deps.enqueue(request);
      if (!job) continue;
      mine.add(job);
      const done = job.done.then((outcome) => {
        outstanding.delete(done);
        tally(outcome);
        return outcome;
      });
      outstanding.add(done);
    }
    await Promise.all(outstanding);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    subscription?.dispose();
  }
  summary.durationMs = deps.now() - started;
  return summary;
}
