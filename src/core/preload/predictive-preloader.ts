/**
 * PredictivePreloader: fetches the docs of the libraries a developer is about to need, before the
 * first question, so lookups and hovers are cache hits. BALANCED preloads what open documents
 * import (visible ones first); AGGRESSIVE also what the workspace manifests list and what the
 * LearningSystem predicts. Work is bounded: one job per library, a priority queue with a size
 * limit, a concurrency limit, a per-minute call budget, a cost budget, and cancellation when the
 * documents that wanted a library close.
 */
import type { DetectedLibrary } from '../libraries/types';
import type { DocumentDetection } from '../detection/types';
import type { LibraryPreloadState, PreloadProgress, PreloadStrategy, PreloadSummary } from './types';
import type { KnowledgeQuery } from '../knowledge';
import { silentLogger, type Disposable, type Logger } from '../ports';
import { JobQueue, type JobOutcome, type PreloadJob } from './job-queue';
import { MemberTopics } from './member-topics';
import type { PreloadHierarchyPort, PreloadLearningPort, PreloadLibrariesPort, PreloadManifestPort } from './ports';
import { DEFAULT_TOPICS, libraryDocsQuery } from './queries';
import { realSleep, TokenBucket, type Sleep } from './token-bucket';

export interface PredictivePreloaderOptions {
  /** Default `balanced`. */
  strategy?: PreloadStrategy;
  /** Libraries loading at once. Default 2. */
  concurrency?: number;
  /** Upstream calls per minute. Default 30. */
  callsPerMinute?: number;
  /** USD the preloader may spend in its lifetime. Default 0.5. */
  costBudgetUsd?: number;
  /** Estimated USD per upstream call. Default 0 (free: only the call budget limits). */
  costPerCallUsd?: number;
  /** Generic topics fetched per library, after its used members. Default `DEFAULT_TOPICS`. */
  topics?: readonly string[];
  /** The members open documents use, fetched before the generic topics. Default: a private one. */
  memberTopics?: MemberTopics;
  /** Jobs waiting at most; the least urgent is dropped beyond it. Default 200. */
  maxQueue?: number;
  /** A library that failed is not retried by background work for this long. Default 300000 ms. */
  retryFailedAfterMs?: number;
  /** Libraries the learning port is asked for. Default 5. */
  predictLimit?: number;
  /** The command whose predicted libraries AGGRESSIVE adds when a document opens. Default `lookup`. */
  documentCommand?: string;
  hierarchy: PreloadHierarchyPort;
  libraries: PreloadLibrariesPort;
  learning?: PreloadLearningPort;
  manifests?: PreloadManifestPort;
  /** Default: silent. */
  logger?: Logger;
  /** Clock in ms since epoch. Default `Date.now`. */
  now?: () => number;
  /** How waiting for the call budget sleeps. Default: a real, abortable timer. */
  sleep?: Sleep;
}

/** What a command's preload can draw on. */
export interface CommandPreloadContext {
  detection?: DocumentDetection;
  libraryIds?: string[];
}

/** One library to preload on request; without `libraryId` it is resolved first. */
export interface PreloadRequest {
  module: string;
  language?: string;
  libraryId?: string | null;
}

/** Lower is sooner. */
const PRIORITY = { visible: 0, request: 1, document: 2, command: 2, manifest: 3, predicted: 4 } as const;
const BACKGROUND = 'background';
const MAX_STATES = 1000;
const MAX_DOCUMENTS = 500;
const MAX_MANIFEST_LIBRARIES = 100;

export class PredictivePreloader {
  private strategy: PreloadStrategy;
  private concurrency: number;
  private costBudgetUsd: number;
  private readonly costPerCallUsd: number;
  private readonly topics: readonly string[];
  private readonly members: MemberTopics;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly queue: JobQueue;
  private readonly bucket: TokenBucket;
  private readonly jobs = new Map<string, PreloadJob>();
  private readonly stateTable = new Map<string, LibraryPreloadState>();
  private readonly documents = new Map<string, { detection: DocumentDetection; visible: boolean }>();
  private readonly listeners = new Set<(progress: PreloadProgress) => void>();
  private readonly idleWaiters: Array<() => void> = [];
  private running = 0;
  private batch = { done: 0, failed: 0 };
  private current: string | undefined;
  private spentUsd = 0;
  private seq = 0;
  private started = false;
  private manifestsQueued = false;
  private budgetWarned = false;

  constructor(private readonly options: PredictivePreloaderOptions) {
    this.strategy = options.strategy ?? 'balanced';
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.costBudgetUsd = options.costBudgetUsd ?? 0.5;
    this.costPerCallUsd = Math.max(0, options.costPerCallUsd ?? 0);
    this.topics = options.topics?.length ? options.topics : DEFAULT_TOPICS;
    this.members = options.memberTopics ?? new MemberTopics();
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.queue = new JobQueue(Math.max(1, options.maxQueue ?? 200));
    this.bucket = new TokenBucket(options.callsPerMinute ?? 30, this.now, options.sleep ?? realSleep);
  }

  /** Lets background work (documents, commands, manifests, predictions) run, and catches up on open documents. */
  async startBackgroundPreloading(): Promise<void> {
    this.started = true;
    // A snapshot: preloadForDocument re-inserts each document into the map.
    for (const { detection, visible } of [...this.documents.values()]) {
      if (this.documents.get(detection.uri)?.detection === detection)
        await this.preloadForDocument(detection, { visible });
    }
  }

  /** Cancels background work; explicit `preloadLibraries` requests still run. */
  stopBackgroundPreloading(): void {
    this.started = false;
    this.manifestsQueued = false;
    for (const job of [...this.jobs.values()]) {
      for (const holder of [...job.holders]) if (!holder.startsWith('request:')) this.release(job, holder);
    }
  }

  setStrategy(strategy: PreloadStrategy): void {
    this.strategy = strategy;
    if (strategy === 'off') this.stopBackgroundPreloadingKeepStarted();
  }

  setLimits(limits: { concurrency?: number; callsPerMinute?: number; costBudgetUsd?: number }): void {
    if (limits.concurrency !== undefined) this.concurrency = Math.max(1, limits.concurrency);
    if (limits.callsPerMinute !== undefined) this.bucket.setRate(limits.callsPerMinute);
    if (limits.costBudgetUsd !== undefined) this.costBudgetUsd = limits.costBudgetUsd;
    this.pump();
  }

  /** Queues the libraries a document imports (and, AGGRESSIVE, manifests and predictions). */
  async preloadForDocument(detection: DocumentDetection, options: { visible?: boolean } = {}): Promise<void> {
    const visible = options.visible ?? false;
    this.rememberDocument(detection, visible);
    this.members.update(detection, visible);
    if (!this.active()) return;
    const stdlib = new Set(detection.modules.filter((m) => m.stdlib).map((m) => m.name));
    for (const library of detection.libraries) {
      if (stdlib.has(library.module)) continue;
      this.enqueueLibrary(library, detection.uri, visible ? PRIORITY.visible : PRIORITY.document, detection.uri);
    }
    if (this.strategy === 'aggressive') {
      this.enqueuePredicted(this.options.documentCommand ?? 'lookup');
      await this.enqueueManifests();
    }
  }

  /** Cancels a closed document's queued and in-flight work, unless another holder still needs it. */
  cancelDocument(uri: string): void {
    this.documents.delete(uri);
    this.members.remove(uri);
    for (const job of [...this.jobs.values()]) {
      if (job.holders.has(uri)) this.release(job, uri);
    }
    for (const state of this.stateTable.values()) state.documents = state.documents.filter((d) => d !== uri);
  }

  /** The guide's `preload_for_command`: the command's libraries, and (AGGRESSIVE) what it usually needs. */
  async preloadForCommand(command: string, context: CommandPreloadContext = {}): Promise<void> {
    if (!this.active()) return;
    for (const library of context.detection?.libraries ?? [])
      this.enqueueLibrary(library, BACKGROUND, PRIORITY.command);
    for (const libraryId of context.libraryIds ?? []) this.enqueue(libraryId, libraryId, BACKGROUND, PRIORITY.command);
    if (this.strategy === 'aggressive') this.enqueuePredicted(command);
  }

  /** Fetches one member's docs in the background (a hover found none), within the same limits. */
  preloadMember(libraryId: string, module: string, member: string): void {
    if (!this.active()) return;
    this.members.request(libraryId, member);
    this.enqueue(libraryId, module, BACKGROUND, PRIORITY.visible);
  }

  /**
   * Preloads an explicit list ("Preload Workspace", `mcp-integration preload DIR`) regardless of the
   * strategy, within the same limits, and reports what happened.
   */
  async preloadLibraries(
    list: PreloadRequest[],
    options: { signal?: AbortSignal; onProgress?: (p: PreloadProgress) => void } = {},
  ): Promise<PreloadSummary> {
    const started = this.now();
    const holder = `request:${++this.seq}`;
    const summary: PreloadSummary = { libraries: list.length, loaded: 0, alreadyCached: 0, failed: 0, durationMs: 0 };
    const subscription = options.onProgress ? this.onProgress(options.onProgress) : undefined;
    const mine = new Set<PreloadJob>();
    const onAbort = (): void => mine.forEach((job) => this.release(job, holder));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // Feed the queue a window at a time so a long list never overflows it.
    const window = Math.max(4, this.concurrency * 2);
    const outstanding = new Set<Promise<JobOutcome>>();
    const tally = (outcome: JobOutcome): void => {
      if (outcome === 'loaded') summary.loaded += 1;
      else if (outcome === 'alreadyCached') summary.alreadyCached += 1;
      else if (outcome === 'failed') summary.failed += 1;
    };
    try {
      for (const request of list) {
        if (options.signal?.aborted) break;
        while (outstanding.size >= window) await Promise.race(outstanding);
        const library = await this.resolveRequest(request);
        if (!library) continue;
        const job = this.enqueueLibrary(library, holder, PRIORITY.request);
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
    summary.durationMs = this.now() - started;
    return summary;
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

  states(): LibraryPreloadState[] {
    return [...this.stateTable.values()].map((s) => ({ ...s, documents: [...s.documents] }));
  }

  /** Resolves when nothing is queued or loading. */
  whenIdle(): Promise<void> {
    if (this.queue.size === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** USD spent on upstream calls so far. */
  get spentCostUsd(): number {
    return this.spentUsd;
  }

  /** Stops everything, explicit requests included. */
  dispose(): void {
    this.started = false;
    for (const job of [...this.jobs.values()]) for (const holder of [...job.holders]) this.release(job, holder);
    this.listeners.clear();
  }

  private active(): boolean {
    return this.started && this.strategy !== 'off';
  }

  private stopBackgroundPreloadingKeepStarted(): void {
    const started = this.started;
    this.stopBackgroundPreloading();
    this.started = started;
  }

  private rememberDocument(detection: DocumentDetection, visible: boolean): void {
    this.documents.delete(detection.uri);
    this.documents.set(detection.uri, { detection, visible });
    if (this.documents.size > MAX_DOCUMENTS) {
      const oldest = this.documents.keys().next().value;
      if (oldest !== undefined) this.cancelDocument(oldest);
    }
  }

  private async resolveRequest(request: PreloadRequest): Promise<DetectedLibrary | null> {
    if (request.libraryId !== undefined)
      return { module: request.module, packageName: request.module, libraryId: request.libraryId };
    try {
      return await this.options.libraries.resolve(request.module, request.language ?? '');
    } catch (error) {
      this.logger.debug(`Could not resolve ${request.module} for preloading`, error);
      return { module: request.module, packageName: request.module, libraryId: null };
    }
  }

  private enqueuePredicted(command: string): void {
    if (!this.options.learning) return;
    for (const libraryId of this.options.learning.predictLibraries(command, this.options.predictLimit ?? 5)) {
      this.enqueue(libraryId, libraryId, BACKGROUND, PRIORITY.predicted);
    }
  }

  private async enqueueManifests(): Promise<void> {
    if (this.manifestsQueued || !this.options.manifests) return;
    this.manifestsQueued = true;
    try {
      const entries = (await this.options.manifests.workspaceLibraries()).slice(0, MAX_MANIFEST_LIBRARIES);
      for (const entry of entries) {
        const library = await this.resolveRequest(entry);
        if (!this.active()) return;
        if (library) this.enqueueLibrary(library, BACKGROUND, PRIORITY.manifest);
      }
    } catch (error) {
      this.logger.warn('Could not read the workspace manifests for preloading', error);
    }
  }

  /** Queues a detected library, or records why it is skipped. */
  private enqueueLibrary(
    library: DetectedLibrary,
    holder: string,
    priority: number,
    documentUri?: string,
  ): PreloadJob | null {
    if (!library.libraryId) {
      this.setState(`?${library.module}`, library.module, 'skipped', documentUri, 'not resolved to a library id');
      return null;
    }
    return this.enqueue(library.libraryId, library.module, holder, priority, documentUri);
  }

  private enqueue(
    libraryId: string,
    module: string,
    holder: string,
    priority: number,
    documentUri?: string,
  ): PreloadJob | null {
    const existing = this.jobs.get(libraryId);
    if (existing) {
      existing.holders.add(holder);
      existing.priority = Math.min(existing.priority, priority);
      this.setState(libraryId, module, existing.status, documentUri);
      return existing;
    }
    const previous = this.stateTable.get(libraryId);
    if (previous?.status === 'ready' && !holder.startsWith('request:') && !this.members.hasPending(libraryId)) {
      // Already preloaded. Every edit re-detects the same imports, so this runs per keystroke:
      // no job, no cache probe, no progress event. Explicit requests still check the cache.
      if (documentUri && !previous.documents.includes(documentUri)) previous.documents.push(documentUri);
      return null;
    }
    const retryAfter = this.options.retryFailedAfterMs ?? 300_000;
    if (
      !holder.startsWith('request:') &&
      previous?.status === 'failed' &&
      this.now() - previous.updatedAt < retryAfter
    ) {
      this.setState(libraryId, module, 'failed', documentUri, previous.error);
      return null;
    }
    const job = newJob(libraryId, module, priority, ++this.seq, holder);
    const { evicted, rejected } = this.queue.push(job);
    if (rejected) {
      this.setState(libraryId, module, 'skipped', documentUri, 'the preload queue is full');
      job.settle('skipped');
      return null;
    }
    if (evicted) this.finish(evicted, 'skipped', 'the preload queue is full');
    if (this.queue.size + this.running === 1) this.batch = { done: 0, failed: 0 };
    this.jobs.set(libraryId, job);
    this.setState(libraryId, module, 'queued', documentUri);
    this.emitProgress();
    this.pump();
    return job;
  }

  private release(job: PreloadJob, holder: string): void {
    job.holders.delete(holder);
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
    this.setState(job.libraryId, job.module, 'loading');
    this.emitProgress();
    let outcome: JobOutcome;
    let error: string | undefined;
    try {
      ({ outcome, error } = await this.load(job));
    } catch (caught) {
      outcome = job.controller.signal.aborted ? 'cancelled' : 'failed';
      error = outcome === 'failed' ? (caught instanceof Error ? caught.message : String(caught)) : undefined;
    }
    this.running -= 1;
    if (this.current === job.module) this.current = undefined;
    this.finish(job, outcome, error);
    this.emitProgress();
    this.pump();
    this.notifyIfIdle();
  }

  private async load(job: PreloadJob): Promise<{ outcome: JobOutcome; error?: string }> {
    const signal = job.controller.signal;
    let fetched = 0;
    // Used members first, re-read after each fetch: documents opened, edited or closed meanwhile count.
    const attempted = new Set<string>();
    for (
      let topic = this.members.nextPending(job.libraryId, attempted);
      topic;
      topic = this.members.nextPending(job.libraryId, attempted)
    ) {
      attempted.add(MemberTopics.key(topic));
      const step = await this.loadQuery(this.members.query(topic), signal);
      // One member without docs must not cost the library its other docs: note it and go on.
      if (typeof step !== 'boolean' && (step.outcome !== 'failed' || this.budgetSpent())) return step;
      if (typeof step !== 'boolean')
        this.logger.debug(`No docs for ${topic.member} of ${job.libraryId}: ${step.error}`);
      this.members.markDone(topic);
      if (step === true) fetched += 1;
    }
    for (const topic of this.topics) {
      const step = await this.loadQuery(libraryDocsQuery(job.libraryId, topic), signal);
      if (typeof step !== 'boolean') return step;
      if (step) fetched += 1;
    }
    return { outcome: fetched === 0 ? 'alreadyCached' : 'loaded' };
  }

  /** One docs entry: false when already cached, true when fetched, else how the job ends. */
  private async loadQuery(
    query: KnowledgeQuery,
    signal: AbortSignal,
  ): Promise<boolean | { outcome: JobOutcome; error?: string }> {
    if (await this.options.hierarchy.isCached(query)) return false;
    if (signal.aborted) return { outcome: 'cancelled' };
    if (this.budgetSpent()) {
      if (!this.budgetWarned)
        this.logger.warn(`Preloading stopped: its cost budget of $${this.costBudgetUsd} is spent`);
      this.budgetWarned = true;
      return { outcome: 'failed', error: 'the preload cost budget is spent' };
    }
    await this.bucket.take(signal);
    this.spentUsd += this.costPerCallUsd;
    const result = await this.options.hierarchy.fetch(query, signal);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the signal may abort during the fetch
    if (signal.aborted) return { outcome: 'cancelled' };
    if (!result.success) return { outcome: 'failed', error: result.error ?? 'the docs could not be fetched' };
    return true;
  }

  private budgetSpent(): boolean {
    return this.spentUsd + this.costPerCallUsd > this.costBudgetUsd + 1e-12;
  }

  private finish(job: PreloadJob, outcome: JobOutcome, error?: string): void {
    if (this.jobs.get(job.libraryId) === job) this.jobs.delete(job.libraryId);
    if (outcome === 'failed') this.batch.failed += 1;
    else if (outcome === 'loaded' || outcome === 'alreadyCached') this.batch.done += 1;
    const status = outcome === 'loaded' || outcome === 'alreadyCached' ? 'ready' : outcome;
    this.setState(job.libraryId, job.module, status, undefined, error);
    job.settle(outcome, error);
  }

  private setState(
    key: string,
    module: string,
    status: LibraryPreloadState['status'],
    documentUri?: string,
    error?: string,
  ): void {
    const previous = this.stateTable.get(key);
    const documents = previous?.documents ?? [];
    if (documentUri && !documents.includes(documentUri)) documents.push(documentUri);
    this.stateTable.delete(key);
    this.stateTable.set(key, {
      libraryId: key.startsWith('?') ? '' : key,
      module: previous?.module ?? module,
      status,
      documents,
      ...(error !== undefined ? { error } : {}),
      updatedAt: this.now(),
    });
    if (this.stateTable.size > MAX_STATES) {
      const oldest = this.stateTable.keys().next().value;
      if (oldest !== undefined && !this.jobs.has(oldest)) this.stateTable.delete(oldest);
    }
  }

  private emitProgress(): void {
    const progress = this.progress();
    for (const listener of [...this.listeners]) {
      try {
        listener(progress);
      } catch (error) {
        this.logger.warn('A preload progress listener failed', error);
      }
    }
  }

  private notifyIfIdle(): void {
    if (this.queue.size > 0 || this.running > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function newJob(libraryId: string, module: string, priority: number, seq: number, holder: string): PreloadJob {
  let settle!: (outcome: JobOutcome) => void;
  const done = new Promise<JobOutcome>((resolve) => (settle = resolve));
  return {
    libraryId,
    module,
    priority,
    seq,
    holders: new Set([holder]),
    status: 'queued',
    controller: new AbortController(),
    done,
    settle,
  };
}
