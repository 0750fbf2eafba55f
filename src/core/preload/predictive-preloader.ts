/**
 * PredictivePreloader: fetches the docs of the libraries a developer is about to need, before the
 * first question, so lookups and hovers are cache hits. This file is the strategy — what to
 * preload and how urgently: BALANCED preloads what open documents import (visible ones first);
 * AGGRESSIVE also what the workspace manifests list and what the LearningSystem predicts a command
 * needs. The scheduler (`scheduler.ts`) bounds the work, the state table (`state-table.ts`) is what
 * the dashboard shows, and `docs-loader.ts` is what one library job fetches.
 */
import type { DetectedLibrary } from '../libraries/types';
import type { DocumentDetection } from '../detection/types';
import type {
  CommandPreloadContext,
  LibraryPreloadState,
  PreloadProgress,
  PreloadRequest,
  PreloadStrategy,
  PreloadSummary,
} from './types';
import { silentLogger, type Disposable, type Logger } from '../ports';
import { DocsLoader } from './docs-loader';
import { BACKGROUND_HOLDER, documentHolder, isExplicit, requestHolder, type JobHolder } from './holders';
import type { PreloadJob } from './job-queue';
import { MemberTopics, type MemberTopic } from './member-topics';
import type { PreloadHierarchyPort, PreloadLearningPort, PreloadLibrariesPort, PreloadManifestPort } from './ports';
import { DEFAULT_TOPICS } from './queries';
import { preloadBatch } from './request-batch';
import { PreloadScheduler } from './scheduler';
import { PreloadStateTable } from './state-table';
import { realSleep, type Sleep } from './token-bucket';

export interface PredictivePreloaderOptions {
  /** Default `balanced`. */
  strategy?: PreloadStrategy;
  /** Libraries loading at once. Default 2. */
  concurrency?: number;
  /** Upstream calls per minute. Default 60. */
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
  /** The workspace's manifests; AGGRESSIVE preloads what they list. */
  manifests?: PreloadManifestPort;
  /** Default: silent. */
  logger?: Logger;
  /** Clock in ms since epoch. Default `Date.now`. */
  now?: () => number;
  /** How waiting for the call budget sleeps. Default: a real, abortable timer. */
  sleep?: Sleep;
}

/** Lower is sooner. */
const PRIORITY = { visible: 0, request: 1, document: 2, command: 2, manifest: 3, predicted: 4 } as const;
const MAX_DOCUMENTS = 500;
const MAX_MANIFEST_LIBRARIES = 100;

export class PredictivePreloader {
  private strategy: PreloadStrategy;
  private readonly members: MemberTopics;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly scheduler: PreloadScheduler;
  private readonly table: PreloadStateTable;
  private readonly documents = new Map<string, { detection: DocumentDetection; visible: boolean }>();
  private requests = 0;
  private started = false;
  private manifestsQueued = false;

  constructor(private readonly options: PredictivePreloaderOptions) {
    this.strategy = options.strategy ?? 'balanced';
    this.members = options.memberTopics ?? new MemberTopics();
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    const loader = new DocsLoader({
      hierarchy: options.hierarchy,
      members: this.members,
      topics: options.topics?.length ? options.topics : DEFAULT_TOPICS,
      logger: this.logger,
      spendCall: (signal) => this.scheduler.spendCall(signal),
      budgetSpent: () => this.scheduler.budgetSpent(),
    });
    this.scheduler = new PreloadScheduler({
      concurrency: options.concurrency ?? 2,
      callsPerMinute: options.callsPerMinute ?? 60,
      costBudgetUsd: options.costBudgetUsd ?? 0.5,
      costPerCallUsd: Math.max(0, options.costPerCallUsd ?? 0),
      maxQueue: options.maxQueue ?? 200,
      now: this.now,
      sleep: options.sleep ?? realSleep,
      logger: this.logger,
      load: (job, signal) => loader.load(job, signal),
      onStatus: (job, status, error) => this.table.set(job.libraryId, job.module, status, undefined, error),
    });
    this.table = new PreloadStateTable({ now: this.now, busy: (key) => this.scheduler.jobFor(key) !== undefined });
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
    this.scheduler.releaseWhere((holder) => !isExplicit(holder));
  }

  setStrategy(strategy: PreloadStrategy): void {
    this.strategy = strategy;
    if (strategy === 'off') {
      const started = this.started;
      this.stopBackgroundPreloading();
      this.started = started;
    }
  }

  setLimits(limits: { concurrency?: number; callsPerMinute?: number; costBudgetUsd?: number }): void {
    this.scheduler.setLimits(limits);
  }

  /** Queues the libraries a document imports (and, AGGRESSIVE, manifests and predictions). */
  async preloadForDocument(detection: DocumentDetection, options: { visible?: boolean } = {}): Promise<void> {
    const visible = options.visible ?? false;
    this.rememberDocument(detection, visible);
    this.members.update(detection, visible);
    if (!this.active()) return;
    const stdlib = new Set(detection.modules.filter((m) => m.stdlib).map((m) => m.name));
    const holder = documentHolder(detection.uri);
    for (const library of detection.libraries) {
      if (stdlib.has(library.module)) continue;
      this.enqueueLibrary(library, holder, visible ? PRIORITY.visible : PRIORITY.document, detection.uri);
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
    this.scheduler.releaseWhere((holder) => holder.kind === 'document' && holder.uri === uri);
    this.table.removeDocument(uri);
  }

  /**
   * The guide's `preload_for_command` (Pattern 3), called as a command starts: the libraries of the
   * document it works on and, AGGRESSIVE, what the command usually needs (learned) and what the
   * workspace manifests list. Resolves when the command's own libraries are ready, failed or
   * cancelled (manifest libraries keep loading in the background); at once when preloading is off.
   */
  async preloadForCommand(command: string, context: CommandPreloadContext = {}): Promise<void> {
    if (!this.active()) return;
    const jobs: PreloadJob[] = [];
    const add = (job: PreloadJob | null): void => void (job && jobs.push(job));
    const stdlib = new Set(context.detection?.modules.filter((m) => m.stdlib).map((m) => m.name));
    for (const library of context.detection?.libraries ?? [])
      if (!stdlib.has(library.module)) add(this.enqueueLibrary(library, BACKGROUND_HOLDER, PRIORITY.command));
    for (const libraryId of context.libraryIds ?? [])
      add(this.enqueue(libraryId, libraryId, BACKGROUND_HOLDER, PRIORITY.command));
    if (this.strategy === 'aggressive') {
      for (const job of this.enqueuePredicted(command)) add(job);
      void this.enqueueManifests();
    }
    await Promise.all(jobs.map((job) => job.done));
  }

  /**
   * Waits, until `signal` aborts, for a member's docs that the queued or loading job of its library
   * is about to fetch (a question asked while the first preload is under way); true when they are
   * cached then. False at once when no such job would fetch them.
   */
  async memberDocsReady(topic: MemberTopic, signal: AbortSignal): Promise<boolean> {
    if (this.members.isDone(topic)) return true;
    const job = this.scheduler.jobFor(topic.libraryId);
    const key = MemberTopics.key(topic);
    if (!job || signal.aborted || !this.members.wanted(topic.libraryId).some((t) => MemberTopics.key(t) === key))
      return false;
    const waiting = this.members.whenDone(topic);
    const onAbort = (): void => waiting.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      // The job may end without it (failed, cancelled, budget spent): then waiting is over too.
      await Promise.race([waiting.done, job.done]);
    } finally {
      signal.removeEventListener('abort', onAbort);
      waiting.cancel();
    }
    return this.members.isDone(topic);
  }

  /** Fetches one member's docs in the background (a hover found none), within the same limits. */
  preloadMember(libraryId: string, module: string, member: string): void {
    if (!this.active()) return;
    this.members.request(libraryId, member);
    this.enqueue(libraryId, module, BACKGROUND_HOLDER, PRIORITY.visible);
  }

  /**
   * Preloads an explicit list ("Preload Workspace", `mcp-integration preload DIR`) regardless of the
   * strategy, within the same limits, and reports what happened.
   */
  async preloadLibraries(
    list: PreloadRequest[],
    options: { signal?: AbortSignal; onProgress?: (p: PreloadProgress) => void } = {},
  ): Promise<PreloadSummary> {
    const holder = requestHolder(++this.requests);
    const deps = {
      window: Math.max(4, this.scheduler.concurrencyLimit * 2),
      now: this.now,
      enqueue: async (request: PreloadRequest): Promise<PreloadJob | null> => {
        const library = await this.resolveRequest(request);
        return library ? this.enqueueLibrary(library, holder, PRIORITY.request) : null;
      },
      release: (job: PreloadJob): void => this.scheduler.release(job, holder),
      onProgress: (listener: (progress: PreloadProgress) => void): Disposable => this.onProgress(listener),
    };
    return preloadBatch(deps, list, options);
  }

  onProgress(listener: (progress: PreloadProgress) => void): Disposable {
    return this.scheduler.onProgress(listener);
  }

  progress(): PreloadProgress {
    return this.scheduler.progress();
  }

  states(): LibraryPreloadState[] {
    return this.table.snapshot();
  }

  /** Resolves when nothing is queued or loading. */
  whenIdle(): Promise<void> {
    return this.scheduler.whenIdle();
  }

  /** USD spent on upstream calls so far. */
  get spentCostUsd(): number {
    return this.scheduler.spentCostUsd;
  }

  /** Stops everything, explicit requests included. */
  dispose(): void {
    this.started = false;
    this.scheduler.dispose();
  }

  private active(): boolean {
    return this.started && this.strategy !== 'off';
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

  private enqueuePredicted(command: string): PreloadJob[] {
    if (!this.options.learning) return [];
    const jobs: PreloadJob[] = [];
    for (const libraryId of this.options.learning.predictLibraries(command, this.options.predictLimit ?? 5)) {
      const job = this.enqueue(libraryId, libraryId, BACKGROUND_HOLDER, PRIORITY.predicted);
      if (job) jobs.push(job);
    }
    return jobs;
  }

  /** Once per start: what the workspace manifests list (AGGRESSIVE). */
  private async enqueueManifests(): Promise<void> {
    if (this.manifestsQueued || !this.options.manifests) return;
    this.manifestsQueued = true;
    try {
      const entries = (await this.options.manifests.workspaceLibraries()).slice(0, MAX_MANIFEST_LIBRARIES);
      for (const entry of entries) {
        const library = await this.resolveRequest(entry);
        if (!this.active()) return;
        if (library) this.enqueueLibrary(library, BACKGROUND_HOLDER, PRIORITY.manifest);
      }
    } catch (error) {
      this.logger.warn('Could not read the workspace manifests for preloading', error);
    }
  }

  /** Queues a detected library, or records why it is skipped. */
  private enqueueLibrary(
    library: DetectedLibrary,
    holder: JobHolder,
    priority: number,
    documentUri?: string,
  ): PreloadJob | null {
    if (!library.libraryId) {
      this.table.set(`?${library.module}`, library.module, 'skipped', documentUri, 'not resolved to a library id');
      return null;
    }
    return this.enqueue(library.libraryId, library.module, holder, priority, documentUri);
  }

  private enqueue(
    libraryId: string,
    module: string,
    holder: JobHolder,
    priority: number,
    documentUri?: string,
  ): PreloadJob | null {
    const existing = this.scheduler.join(libraryId, holder, priority);
    if (existing) {
      this.table.set(libraryId, module, existing.status, documentUri);
      return existing;
    }
    const previous = this.table.get(libraryId);
    if (previous?.status === 'ready' && !isExplicit(holder) && !this.members.hasPending(libraryId)) {
      // Already preloaded. Every edit re-detects the same imports, so this runs per keystroke:
      // no job, no cache probe, no progress event. Explicit requests still check the cache.
      if (documentUri) this.table.addDocument(libraryId, documentUri);
      return null;
    }
    const retryAfter = this.options.retryFailedAfterMs ?? 300_000;
    if (!isExplicit(holder) && previous?.status === 'failed' && this.now() - previous.updatedAt < retryAfter) {
      this.table.set(libraryId, module, 'failed', documentUri, previous.error);
      return null;
    }
    // The document first: submitting may start the job at once, and its status must stay current.
    if (documentUri) this.table.set(libraryId, module, 'queued', documentUri);
    const submitted = this.scheduler.submit(libraryId, module, holder, priority);
    if ('rejected' in submitted) {
      this.table.set(libraryId, module, 'skipped', documentUri, 'the preload queue is full');
      return null;
    }
    return submitted.job;
  }
}
