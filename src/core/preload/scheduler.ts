/**
 * The preloader's scheduler: one job per library, a bounded priority queue, a concurrency limit,
 * the per-minute call budget (a token bucket), the lifetime cost budget, and cancellation when the
 * last holder of a job lets go. It knows nothing of documents or topics: what a job does is the
 * `load` function it is given, and every change of a job's status goes to `onStatus`.
 */
import type { Disposable, Logger } from '../ports';
import { holderKey, type JobHolder } from './holders';
import { JobQueue, type JobOutcome, type PreloadJob } from './job-queue';
import { TokenBucket, type Sleep } from './token-bucket';
import type { LibraryPreloadStatus, PreloadProgress } from './types';

/** How a job's work ended, with the reason of a failure. */
export interface JobResult {
  outcome: JobOutcome;
  error?: string;
}

export interface PreloadSchedulerOptions {
  concurrency: number;
  callsPerMinute: number;
  costBudgetUsd: number;
  costPerCallUsd: number;
  maxQueue: number;
  now: () => number;
  sleep: Sleep;
  logger: Logger;
  /** A job's work; `signal` aborts when its last holder lets go. */
  load(job: PreloadJob, signal: AbortSignal): Promise<JobResult>;
  /** Every status a job takes (`ready` for loaded or already cached), for the state table. */
  onStatus(job: PreloadJob, status: LibraryPreloadStatus, error?: string): void;
}

/** What `submit` did with a new job. */
export type Submitted = { job: PreloadJob } | { rejected: true };

export class PreloadScheduler {
  private concurrency: number;
  private costBudgetUsd: number;
  private readonly queue: JobQueue;
  private readonly bucket: TokenBucket;
  private readonly jobs = new Map<string, PreloadJob>();
  private readonly listeners = new Set<(progress: PreloadProgress) => void>();
  private readonly idleWaiters: Array<() => void> = [];
  private running = 0;
  private batch = { done: 0, failed: 0 };
  private current: string | undefined;
  private spentUsd = 0;
  private seq = 0;
  private budgetWarned = false;

  constructor(private readonly options: PreloadSchedulerOptions) {
    this.concurrency = Math.max(1, options.concurrency);
    this.costBudgetUsd = options.costBudgetUsd;
    this.queue = new JobQueue(Math.max(1, options.maxQueue));
    this.bucket = new TokenBucket(options.callsPerMinute, options.now, options.sleep);
  }

  setLimits(limits: { concurrency?: number; callsPerMinute?: number; costBudgetUsd?: number }): void {
    if (limits.concurrency !== undefined) this.concurrency = Math.max(1, limits.concurrency);
    if (limits.callsPerMinute !== undefined) this.bucket.setRate(limits.callsPerMinute);
    if (limits.costBudgetUsd !== undefined) this.costBudgetUsd = limits.costBudgetUsd;
    this.pump();
  }

  get concurrencyLimit(): number {
    return this.concurrency;
  }

  /** The queued or loading job of a library, if any. */
  jobFor(libraryId: string): PreloadJob | undefined {
    return this.jobs.get(libraryId);
  }

  /** Adds a holder to a library's existing job (raising its priority); undefined when there is none. */
  join(libraryId: string, holder: JobHolder, priority: number): PreloadJob | undefined {
    const existing = this.jobs.get(libraryId);
    if (!existing) return undefined;
    existing.holders.set(holderKey(holder), holder);
    existing.priority = Math.min(existing.priority, priority);
    return existing;
  }

  /** Queues a new job for a library that has none; a full queue rejects it or evicts a less urgent one. */
  submit(libraryId: string, module: string, holder: JobHolder, priority: number): Submitted {
    const job = newJob(libraryId, module, priority, ++this.seq, holder);
    const { evicted, rejected } = this.queue.push(job);
    if (rejected) {
      job.settle('skipped');
      return { rejected: true };
    }
    if (evicted) this.finish(evicted, 'skipped', 'the preload queue is full');
    if (this.queue.size + this.running === 1) this.batch = { done: 0, failed: 0 };
    this.jobs.set(libraryId, job);
    this.options.onStatus(job, 'queued');
    this.emitProgress();
    this.pump();
    return { job };
  }

  /** A holder lets go of a job; the last one cancels it (dequeued, or its work aborted). */
  release(job: PreloadJob, holder: JobHolder): void {
    job.holders.delete(holderKey(holder));
    if (job.holders.size > 0) return;
    if (job.status === 'queued') {
      this.queue.remove(job);
      this.finish(job, 'cancelled');
      this.emitProgress();
      this.notifyIfIdle();
    } else {
      job.controller.abort(new Error('preload cancelled'));
    }
  }

  /** Releases, from every job, the holders `which` selects. */
  releaseWhere(which: (holder: JobHolder) => boolean): void {
    for (const job of [...this.jobs.values()]) {
      for (const holder of [...job.holders.values()]) if (which(holder)) this.release(job, holder);
    }
  }

  /**
   * Takes one upstream call from the budgets: false when the cost budget is spent (warned once),
   * else waits for the call budget. Rejects when `signal` aborts while waiting.
   */
  async spendCall(signal: AbortSignal): Promise<boolean> {
    if (this.budgetSpent()) {
      if (!this.budgetWarned)
        this.options.logger.warn(`Preloading stopped: its cost budget of $${this.costBudgetUsd} is spent`);
      this.budgetWarned = true;
      return false;
    }
    await this.bucket.take(signal);
    this.spentUsd += this.options.costPerCallUsd;
    return true;
  }

  budgetSpent(): boolean {
    return this.spentUsd + this.options.costPerCallUsd > this.costBudgetUsd + 1e-12;
  }

  /** USD spent on upstream calls so far. */
  get spentCostUsd(): number {
    return this.spentUsd;
  }

  onProgress(listener: (progress: PreloadProgress) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  progress(): PreloadProgress {
    return {
      queued: this.queue.size,
      running: this.running,
      done: this.batch.done,
      failed: this.batch.failed,
      ...(this.current ? { current: this.current } : {}),
    };
  }

  /** Resolves when nothing is queued or loading. */
  whenIdle(): Promise<void> {
    if (this.queue.size === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels every job and drops the progress listeners. */
  dispose(): void {
    this.releaseWhere(() => true);
    this.listeners.clear();
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const job = this.queue.shift();
      if (!job) break;
      void this.run(job);
    }
  }

  private async run(job: PreloadJob): Promise<void> {
    this.running += 1;
    job.status = 'loading';
    this.current = job.module;
    this.options.onStatus(job, 'loading');
    this.emitProgress();
    let result: JobResult;
    try {
      result = await this.options.load(job, job.controller.signal);
    } catch (caught) {
      result = job.controller.signal.aborted
        ? { outcome: 'cancelled' }
        : { outcome: 'failed', error: caught instanceof Error ? caught.message : String(caught) };
    }
    this.running -= 1;
    if (this.current === job.module) this.current = undefined;
    this.finish(job, result.outcome, result.error);
    this.emitProgress();
    this.pump();
    this.notifyIfIdle();
  }

  private finish(job: PreloadJob, outcome: JobOutcome, error?: string): void {
    if (this.jobs.get(job.libraryId) === job) this.jobs.delete(job.libraryId);
    if (outcome === 'failed') this.batch.failed += 1;
    else if (outcome === 'loaded' || outcome === 'alreadyCached') this.batch.done += 1;
    const status = outcome === 'loaded' || outcome === 'alreadyCached' ? 'ready' : outcome;
    this.options.onStatus(job, status, error);
    job.settle(outcome, error);
  }

  private emitProgress(): void {
    const progress = this.progress();
    for (const listener of [...this.listeners]) {
      try {
        listener(progress);
      } catch (error) {
        this.options.logger.warn('A preload progress listener failed', error);
      }
    }
  }

  private notifyIfIdle(): void {
    if (this.queue.size > 0 || this.running > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function newJob(libraryId: string, module: string, priority: number, seq: number, holder: JobHolder): PreloadJob {
  let settle!: (outcome: JobOutcome) => void;
  const done = new Promise<JobOutcome>((resolve) => (settle = resolve));
  return {
    libraryId,
    module,
    priority,
    seq,
    holders: new Map([[holderKey(holder), holder]]),
    status: 'queued',
    controller: new AbortController(),
    done,
    settle,
  };
}
