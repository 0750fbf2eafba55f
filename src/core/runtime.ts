/**
 * The runtime: composes configuration, connections, adapters, the knowledge hierarchy, detection,
 * libraries, preloading, learning and monitoring for any host, behind `McpIntegrationApi`.
 *
 * Two lifetimes: the *runtime* (monitor, learning, library cache, document index, result cache —
 * things worth keeping across a configuration change) and the *engine* (adapters and hierarchy,
 * rebuilt when the configuration or the hierarchy mode changes). The connection pool survives
 * too and restarts only servers whose definition changed.
 */
import path from 'node:path';
import type {
  CreateRuntime,
  DiagnosticInfo,
  DocumentChange,
  DocumentDetection,
  FixResult,
  HostDocument,
  LookupOptions,
  McpIntegrationApi,
  PreloadProgress,
  PreloadSummary,
  RuntimeDashboardData,
  RuntimeEvent,
  RuntimeSettings,
  StoreResult,
  TriggerContext,
  TriggerMatch,
} from './api';
import { ConfigLayerStores, type LoadedConfiguration } from './runtime/config-stores';
import type { ConfigError } from './errors';
import { errorSignature } from './fixes/error-signature';
import { decodeFix, encodeFix } from './fixes/fix-envelope';
import { DocumentTracker } from './runtime/documents';
import { CONTEXT_TYPES, type ContextType, type FetchResult, type KnowledgeQuery } from './knowledge';
import { LearningSystem } from './learning/learning-system';
import { OutcomeType } from './learning/outcome';
import { LibraryCache } from './libraries/library-cache';
import { ConnectionPool } from './mcp/connection-pool';
import type { ServerStatus } from './mcp/types';
import { Monitor } from './monitor/monitor';
import type { MetricsFormat } from './monitor/types';
import type { Disposable, HostPorts } from './ports';
import { libraryDocsQuery, memberDocsQuery } from './preload/queries';
import { MemberTopics } from './preload/member-topics';
import { PredictivePreloader } from './preload/predictive-preloader';
import { answerFromMemberDocs, type MemberAnswerDeps } from './runtime/member-answers';
import { preloadForCommand, type CommandPreloadDeps, type CommandPreloadOptions } from './runtime/command-preload';
import { readManifestLibraries } from './libraries/manifest-libraries';
import { Debouncer } from './runtime/debouncer';
import { MCPProfileManager } from './profiles/profile-manager';
import { RuntimeEvents } from './runtime/events';
import { libraryMentionedIn } from './runtime/library-mentions';
import { latencyTargetsByServer } from './runtime/layers';
import { serversToRun } from './runtime/prepare-servers';
import { buildEngine, type Engine, type EngineDeps } from './runtime/engine';
import { prepareReload, type ReloadCandidate } from './runtime/reload';
import { redactingPorts } from './runtime/redacting-ports';
import { StoreFailedError, storeResultOf } from './runtime/store-result';
import { SecretRedactor } from './redaction';
import { narrowToUser } from './store/private-files';
import { isRolledOut, resolveSettings } from './runtime/settings';
import { ResultCache } from './store/result-cache';
import { createSharedLevel } from './runtime/shared-cache';
import { SmartTrigger } from './triggers/smart-trigger';
import { Context7Adapter } from './adapters/context7';
import type { Gateway } from './gateway/gateway';
import { createRuntimeGateway } from './runtime/gateway';
import { learnFixOutcome } from './runtime/fix-outcome';

/** Quiet time after the last edit of a document before its detection drives preloading. */
const EDIT_SETTLE_MS = 600;

const DISABLED_MESSAGE =
  'MCP Integration is disabled (enable it in the settings, or this installation is outside the rollout)';

export class Runtime implements McpIntegrationApi {
  private readonly events: RuntimeEvents;
  private readonly disposables: Disposable[] = [];
  private settings!: RuntimeSettings;
  private loaded!: LoadedConfiguration;
  private pool!: ConnectionPool;
  private monitor!: Monitor;
  private learning!: LearningSystem;
  private libraries!: LibraryCache;
  private documents!: DocumentTracker;
  private resultCache!: ResultCache;
  private engine!: Engine;
  private trigger!: SmartTrigger;
  private profiles!: MCPProfileManager;
  private preloader!: PredictivePreloader;
  private memberTopics!: MemberTopics;
  private readonly editsSettling = new Debouncer(EDIT_SETTLE_MS);
  private agentGateway!: Gateway;
  private closed = false;
  /** The reload under way, so reloads apply one at a time. */
  private reloading: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly ports: HostPorts,
    private readonly overrides: Partial<RuntimeSettings>,
    private readonly stores: ConfigLayerStores,
    private readonly redactor: SecretRedactor,
  ) {
    this.events = new RuntimeEvents(ports.logger, (event) => redactor.redactDeep(event));
  }

  static async create(hostPorts: HostPorts, overrides: Partial<RuntimeSettings> = {}): Promise<Runtime> {
    // Everything below sees the ports through the redactor: secrets are remembered, logs masked.
    const redactor = new SecretRedactor();
    const ports = redactingPorts(hostPorts, redactor);
    const stores = new ConfigLayerStores(ports);
    const runtime = new Runtime(ports, overrides, stores, redactor);
    await runtime.start();
    return runtime;
  }

  private get storage(): (name: string) => string {
    return (name) => path.join(this.ports.storageDir, name);
  }

  private async start(): Promise<void> {
    const { logger } = this.ports;
    await narrowToUser(this.ports.storageDir);
    this.loaded = await this.stores.load();
    this.redactor.addFromServers(this.loaded.servers);
    this.settings = resolveSettings(this.loaded.mcp, this.overrides);
    const config = this.loaded.mcp;

    const servers = await serversToRun(this.loaded, this.ports);
    this.pool = new ConnectionPool({
      definitions: servers,
      storageDir: this.ports.storageDir,
      logger,
      serverLogger: (name) => this.ports.serverLogger(name),
    });
    this.monitor = new Monitor({
      costPerCallUsd: Object.fromEntries(servers.map((s) => [s.name, s.costPerCallUsd])),
      latencyTargetsMs: latencyTargetsByServer(config.knowledgeHierarchy),
      thresholds: {
        errorRateWarning: config.monitoring.alerts.errorRate.warning,
        errorRateError: config.monitoring.alerts.errorRate.error,
        latencyOverTargetFactor: config.monitoring.alerts.latencyOverTargetFactor,
        cacheHitRateMin: config.monitoring.alerts.cacheHitRateMin,
        costBudgetPerDayUsd: config.monitoring.alerts.costBudgetUsdDaily,
        serverDown: config.monitoring.alerts.serverDown.enabled,
      },
      bucketSeconds: config.monitoring.history.bucketSeconds,
      maxBuckets: config.monitoring.history.buckets,
      logger,
    });
    this.learning = await LearningSystem.create({
      file: this.storage('learning.json'),
      halfLifeDays: config.learning.halfLifeDays,
      logger,
    });
    this.libraries = await LibraryCache.create({
      registry: this.loaded.libraries,
      resolver: config.context7.libraryCache.fallback.useResolveApi
        ? (name, query) => this.resolveLibraryId(name, query)
        : undefined,
      stateFile: this.storage('library-ids.json'),
      logger,
    });
    this.documents = new DocumentTracker(this.libraries, logger, this.ports.workspaceFolder);
    this.memberTopics = new MemberTopics();
    const shared = await createSharedLevel(config.sharedCache, () => this.loaded.servers, logger);
    this.resultCache = new ResultCache({
      memory: { maxEntries: config.cache.memoryMaxEntries, maxBytes: config.cache.memoryMaxBytes },
      cacheDir: this.storage('cache'),
      disk: { maxEntries: config.cache.diskMaxEntries, maxBytes: config.cache.diskMaxBytes },
      ...(shared ? { shared } : {}),
      logger,
    });
    await this.resultCache.open();
    this.engine = buildEngine(this.loaded, this.settings, this.pool, this.engineDeps);
    this.trigger = new SmartTrigger(config.smartTriggers);
    this.profiles = new MCPProfileManager(this.loaded.profiles);
    this.preloader = this.buildPreloader();
    this.agentGateway = createRuntimeGateway({
      pool: this.pool,
      definitions: () => this.loaded.servers,
      storageDir: this.ports.storageDir,
      stateFile: this.storage('gateway-state.json'),
      cache: this.resultCache,
      config: config.gateway,
      profiles: () => this.profiles,
      monitor: this.monitor,
      api: this,
      logger,
    });

    this.disposables.push(
      this.pool.onStatusChange((raw) => {
        const statuses = this.redactor.redactDeep(raw);
        this.monitor.setServerStatuses(statuses);
        this.events.emit({ type: 'servers', statuses });
      }),
      this.monitor.onChange(() => this.events.emit({ type: 'metrics' })),
      this.preloader.onProgress((progress) => this.events.emit({ type: 'preload', progress })),
    );
    for (const error of this.configErrors) logger.warn(error.message);
    if (this.active) await this.preloader.startBackgroundPreloading();
  }

  /** Whether this installation uses the integration now (the rollback switch and the rollout). */
  get active(): boolean {
    return (
      !this.closed && isRolledOut(this.settings, this.loaded.mcp.enabled && this.loaded.mcp.knowledgeHierarchy.enabled)
    );
  }

  private get engineDeps(): EngineDeps {
    return { ports: this.ports, cache: this.resultCache, learning: this.learning, monitor: this.monitor };
  }

  private buildPreloader(): PredictivePreloader {
    const config = this.loaded.mcp;
    const docs = config.context7.libraryCache;
    const context7Cost = this.loaded.servers.find((s) => s.kind === 'context7')?.costPerCallUsd ?? 0;
    return new PredictivePreloader({
      strategy: docs.enabled ? this.settings.preloadStrategy : 'off',
      concurrency: this.settings.preloadConcurrency,
      callsPerMinute: this.settings.preloadCallsPerMinute,
      costBudgetUsd: this.settings.preloadCostBudgetUsd,
      costPerCallUsd: context7Cost,
      topics: this.preloadTopics,
      memberTopics: this.memberTopics,
      hierarchy: {
        // A disk hit is still a hit: reading it promotes it to memory, where hovers look.
        isCached: async (query) => (await this.engine.hierarchy.getCached(query)) !== null,
        fetch: async (query, signal) => {
          // 'refresh': the cache was just probed, and background work must not count as the
          // person's cache misses in the hit rate the status bar shows.
          const result = await this.engine.hierarchy.fetch(query, { signal, cacheMode: 'refresh' });
          return result.success ? { success: true } : { success: false, error: result.error ?? 'no answer' };
        },
      },
      libraries: { resolve: (module, language) => this.libraries.resolve(module, language) },
      learning: this.learning,
      manifests: { workspaceLibraries: () => readManifestLibraries(this.ports.workspaceFolder, this.ports.logger) },
      logger: this.ports.logger,
    });
  }

  private get preloadTopics(): readonly string[] {
    const topics = this.loaded.mcp.context7.libraryCache.preloadTopics;
    return topics.length > 0 ? topics : ['getting started'];
  }

  private async resolveLibraryId(name: string, query?: string): Promise<string | null> {
    const context7 = [...this.engine.adapters.values()].find((a): a is Context7Adapter => a instanceof Context7Adapter);
    return context7 ? context7.resolveLibraryId(name, query) : null;
  }

  /** The agent's front: every server's tools through this runtime (see `src/core/gateway`). */
  get gateway(): Gateway {
    return this.agentGateway;
  }

  // ---- lookups ----------------------------------------------------------------------------

  classify(query: string, context: TriggerContext = {}): TriggerMatch[] {
    return this.trigger.classify(query, context);
  }

  async lookup(query: string, options: LookupOptions = {}): Promise<FetchResult> {
    const contextType = options.contextType ?? this.trigger.bestContextType(query, { language: options.language });
    if (!this.active) return disabledResult(contextType);
    const command = options.command ?? 'lookup';
    // A known library named in a library question lets the docs layer skip its resolve call and
    // keeps each library's answers apart in the caches. Other questions are addressed exactly as
    // written (error signatures and stored keys must match what was stored), but the docs layer
    // still learns which library is meant, through a hint that is not part of any key.
    const mention =
      contextType === CONTEXT_TYPES.errorSolution
        ? undefined
        : libraryMentionedIn(query, (word) => this.libraries.getLibraryId(word, options.language));
    const libraryId = contextType === CONTEXT_TYPES.libraryApi ? mention?.libraryId : undefined;
    const address = { contextType, language: options.language, ...(libraryId ? { libraryId } : {}) };
    const question: KnowledgeQuery = {
      text: query,
      ...address,
      ...(mention && !libraryId ? { hints: { library: mention.word } } : {}),
    };
    // Docs answer docs questions only: a project decision or an error about `read_csv` is not its docs.
    const docsQuestion = contextType === CONTEXT_TYPES.libraryApi || contextType === CONTEXT_TYPES.general;
    if (docsQuestion && !options.bypassCache) {
      const preloaded = await answerFromMemberDocs(this.memberAnswers, question, mention?.libraryId);
      if (preloaded) {
        this.monitor.recordCacheLookup(true);
        return preloaded;
      }
    }
    const result = await this.engine.hierarchy.fetch(question, {
      signal: options.signal,
      cacheMode: options.bypassCache ? 'refresh' : 'use',
      // On a miss, start the servers the command's profile needs, in parallel, as the walk
      // begins. A hit never starts anything.
      onWalk: () =>
        void this.profiles.activateForCommand(command, (name) =>
          this.pool.has(name) ? this.pool.start(name) : Promise.resolve(),
        ),
    });
    this.learn(query, command, result, libraryId);
    return this.redactResult(result);
  }

  /** Errors and trails carry server text: masked in full. Content only loses known secret values. */
  private redactResult<T extends FetchResult>(result: T): T {
    return {
      ...result,
      content: result.content === null ? null : this.redactor.redactKnown(result.content),
      trail: this.redactor.redactDeep(result.trail),
      ...(result.error !== undefined ? { error: this.redactor.redact(result.error) } : {}),
    };
  }

  private get memberAnswers(): MemberAnswerDeps {
    return {
      members: this.memberTopics,
      getCached: (query) => this.engine.hierarchy.getCached(query),
      // 'refresh': the preloaded answer was the person's cache hit; this is background work.
      fetchInBackground: (query) => void this.engine.hierarchy.fetch(query, { cacheMode: 'refresh' }),
    };
  }

  private learn(query: string, command: string, result: FetchResult, libraryId?: string): void {
    const layers = result.trail.filter((t) => t.layer !== 'local-cache' && t.outcome !== 'skipped');
    if (result.cached || layers.length === 0) return;
    const servers = layers.map((t) => t.layer);
    this.learning.trackSuccess({
      query,
      contextType: result.contextType,
      mcpsUsed: servers,
      outcome: result.success
        ? OutcomeType.SUCCESS
        : layers.some((t) => t.outcome === 'hit')
          ? OutcomeType.PARTIAL
          : OutcomeType.FAILURE,
      latencyMs: result.latencyMs,
      serverLatencyMs: Object.fromEntries(layers.map((t) => [t.layer, t.latencyMs])),
      command,
      ...(libraryId ? { libraries: [libraryId] } : {}),
    });
  }

  async store(
    key: string,
    value: string,
    options: { contextType?: ContextType; ttlSeconds?: number } = {},
  ): Promise<StoreResult> {
    if (!this.active) throw new Error(DISABLED_MESSAGE);
    const report = await this.engine.hierarchy.store(key, value, {
      contextType: options.contextType ?? CONTEXT_TYPES.general,
      ttlSeconds: options.ttlSeconds,
    });
    const result = this.redactor.redactDeep(storeResultOf(report));
    for (const failed of result.failed)
      this.ports.logger.warn(`Storing "${key}" in ${failed.target} failed: ${failed.error}`);
    if (result.targets.length === 0) throw new StoreFailedError(result);
    return result;
  }

  // ---- fixes ------------------------------------------------------------------------------

  errorSignature(diagnostic: DiagnosticInfo): string {
    return errorSignature(diagnostic);
  }

  async findFix(diagnostic: DiagnosticInfo, signal?: AbortSignal): Promise<FixResult> {
    const signature = errorSignature(diagnostic);
    const result = await this.lookup(signature, {
      contextType: CONTEXT_TYPES.errorSolution,
      language: diagnostic.language,
      command: 'find-fix',
      signal,
    });
    if (!result.success || result.content === null) return { ...result, signature };
    const fix = decodeFix(result.content);
    return { ...result, content: fix.text, signature, ...(fix.edit ? { edit: fix.edit } : {}) };
  }

  async recordFixOutcome(diagnostic: DiagnosticInfo, fix: FixResult, worked: boolean): Promise<void> {
    learnFixOutcome(this.learning, fix, worked);
    if (worked && fix.content) await this.rememberFix(diagnostic, fix.content, fix.edit);
  }

  async rememberFix(diagnostic: DiagnosticInfo, solution: string, edit?: FixResult['edit']): Promise<string> {
    const signature = errorSignature(diagnostic);
    await this.store(signature, encodeFix(solution, edit), { contextType: CONTEXT_TYPES.errorSolution });
    return signature;
  }

  // ---- documents and preloading -------------------------------------------------------------

  private publish(detection: DocumentDetection | null, visible: boolean): DocumentDetection | null {
    if (!detection) return null;
    this.events.emit({ type: 'detection', detection });
    if (this.active) void this.preloader.preloadForDocument(detection, { visible });
    return detection;
  }

  async openDocument(document: HostDocument): Promise<DocumentDetection | null> {
    this.editsSettling.cancel(document.uri);
    return this.publish(await this.documents.open(document), document.visible ?? false);
  }

  async editDocument(uri: string, changes: DocumentChange[], newText: string): Promise<DocumentDetection | null> {
    const detection = await this.documents.edit(uri, changes, newText);
    if (!detection) return null;
    this.events.emit({ type: 'detection', detection });
    // Preload once the typing settles, from the document as it is then.
    this.editsSettling.schedule(uri, () => {
      const settled = this.documents.get(uri);
      if (settled && this.active) void this.preloader.preloadForDocument(settled, { visible: true });
    });
    return detection;
  }

  closeDocument(uri: string): void {
    this.editsSettling.cancel(uri);
    this.documents.close(uri);
    this.preloader.cancelDocument(uri);
  }

  getDetection(uri: string): DocumentDetection | undefined {
    return this.documents.get(uri);
  }

  cursorContext(uri: string, offset: number): TriggerContext['cursorNode'] | undefined {
    return this.documents.cursorContext(uri, offset);
  }

  cachedDocsFor(libraryId: string): string | null {
    const topic = this.preloadTopics[0] ?? 'getting started';
    return this.engine.hierarchy.peekCached(libraryDocsQuery(libraryId, topic))?.content ?? null;
  }

  cachedMemberDocs(libraryId: string, member: string): string | null {
    const query = memberDocsQuery(libraryId, member, this.memberTopics.versionOf(libraryId));
    const docs = this.engine.hierarchy.peekCached(query)?.content ?? null;
    if (docs === null && this.active) this.preloader.preloadMember(libraryId, libraryId, member);
    return docs;
  }

  preloadForCommand(command: string, options?: CommandPreloadOptions): Promise<void> {
    return preloadForCommand(this.commandPreload, command, options);
  }

  private get commandPreload(): CommandPreloadDeps {
    return {
      active: () => this.active,
      detection: (uri) => this.documents.get(uri),
      startProfile: (command) =>
        this.profiles.activateForCommand(command, (name) =>
          this.pool.has(name) ? this.pool.start(name) : Promise.resolve(),
        ),
      preload: (command, context) => this.preloader.preloadForCommand(command, context),
      logger: this.ports.logger,
    };
  }

  async preloadDocument(uri: string, options: { signal?: AbortSignal } = {}): Promise<PreloadSummary> {
    if (!this.active) throw new Error(DISABLED_MESSAGE);
    const requests = this.documents.libraryRequests(uri);
    if (requests.length === 0) return { libraries: 0, loaded: 0, alreadyCached: 0, failed: 0, durationMs: 0 };
    return this.preloader.preloadLibraries(requests, options);
  }

  async preloadWorkspace(
    dir: string,
    options: { signal?: AbortSignal; onProgress?: (p: PreloadProgress) => void } = {},
  ): Promise<PreloadSummary> {
    if (!this.active) throw new Error(DISABLED_MESSAGE);
    const startedAt = Date.now();
    const requests = await this.documents.workspaceLibraries(dir, options.signal);
    if (requests.length === 0)
      return { libraries: 0, loaded: 0, alreadyCached: 0, failed: 0, durationMs: Date.now() - startedAt };
    return this.preloader.preloadLibraries(requests, options);
  }

  // ---- health and control -----------------------------------------------------------------

  getServerStatuses(): ServerStatus[] {
    return this.redactor.redactDeep(this.pool.statuses());
  }

  getDashboardData(): RuntimeDashboardData {
    const stats = this.engine.hierarchy.getStats();
    return this.redactor.redactDeep({
      ...this.monitor.getDashboardData(),
      serverStatuses: this.pool.statuses(),
      libraries: this.preloader.states(),
      hierarchy: { mode: this.engine.hierarchy.mode, hitRate: stats.hitRate, entries: stats.entries },
    });
  }

  exportMetrics(file: string, format: MetricsFormat): Promise<void> {
    return this.monitor.exportMetrics(file, format);
  }

  async clearCache(): Promise<void> {
    await this.engine.hierarchy.clear();
    this.events.emit({ type: 'metrics' });
  }

  async restartServers(): Promise<void> {
    await this.pool.restart();
    await Promise.all(this.pool.statuses().map((s) => this.pool.start(s.name).catch(() => undefined)));
  }

  listProfiles(): string[] {
    return this.profiles.listProfiles();
  }

  get activeProfile(): string {
    return this.profiles.activeProfile;
  }

  async selectProfile(name: string): Promise<void> {
    this.profiles.select(name);
    this.agentGateway.refresh();
    if (this.active)
      await this.profiles.activateForCommand('lookup', (server) =>
        this.pool.has(server) ? this.pool.start(server) : Promise.resolve(),
      );
  }

  get configErrors(): ConfigError[] {
    return [...this.loaded.errors, ...this.trigger.errors, ...this.libraries.configErrors];
  }

  /**
   * Reads the configuration again and applies it as a whole: the new state is built first and
   * swapped in only when all of it was built. On failure the runtime keeps running exactly as
   * before, and the promise rejects with a `ReloadFailedError` saying why. Reloads run one at a time.
   */
  reloadConfig(): Promise<ConfigError[]> {
    const reload = this.reloading.then(() => this.reloadNow());
    this.reloading = reload.catch(() => undefined);
    return reload;
  }

  private async reloadNow(): Promise<ConfigError[]> {
    let next: ReloadCandidate;
    try {
      next = await prepareReload({
        stores: this.stores,
        redactor: this.redactor,
        overrides: this.overrides,
        ports: this.ports,
        pool: this.pool,
        engine: this.engineDeps,
      });
    } catch (error) {
      this.ports.logger.warn(error instanceof Error ? error.message : String(error));
      throw error;
    }
    // Write-backs under way reach the servers they were meant for before any of them is replaced.
    await this.engine.hierarchy
      .flush()
      .catch((error: unknown) => this.ports.logger.warn('Flushing the cache before a reload failed', error));
    const wasActive = this.active;
    const applied = next.pool.apply();
    this.loaded = next.loaded;
    this.settings = next.settings;
    this.engine = next.engine;
    this.trigger = next.trigger;
    this.profiles.update(this.loaded.profiles);
    this.agentGateway.updateConfig(this.loaded.mcp.gateway);
    this.applyPreloadSettings(wasActive);
    await applied;
    const errors = this.configErrors;
    this.events.emit({ type: 'config', errors });
    return errors;
  }

  updateSettings(settings: Partial<RuntimeSettings>): void {
    Object.assign(this.overrides, settings);
    const previousMode = this.settings.hierarchyMode;
    this.settings = resolveSettings(this.loaded.mcp, this.overrides);
    if (this.settings.hierarchyMode !== previousMode) {
      void this.engine.hierarchy.flush();
      this.engine = buildEngine(this.loaded, this.settings, this.pool, this.engineDeps);
    }
    this.applyPreloadSettings();
    this.events.emit({ type: 'metrics' });
  }

  /** Gives the preloader the current settings; background work starts or stops with `active` (on a change only, when `wasActive` is given). */
  private applyPreloadSettings(wasActive?: boolean): void {
    this.preloader.setStrategy(this.loaded.mcp.context7.libraryCache.enabled ? this.settings.preloadStrategy : 'off');
    this.preloader.setLimits({
      concurrency: this.settings.preloadConcurrency,
      callsPerMinute: this.settings.preloadCallsPerMinute,
      costBudgetUsd: this.settings.preloadCostBudgetUsd,
    });
    if (wasActive === this.active) return;
    if (!this.active) this.preloader.stopBackgroundPreloading();
    else void this.preloader.startBackgroundPreloading();
  }

  onEvent(listener: (event: RuntimeEvent) => void): Disposable {
    return this.events.on(listener);
  }

  /** Releases every process, timer and tree. Safe to call twice. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.editsSettling.dispose();
    this.preloader.dispose();
    this.agentGateway.dispose();
    this.events.clear();
    await this.agentGateway.flush();
    await this.engine.hierarchy
      .shutdown()
      .catch((error: unknown) => this.ports.logger.warn('Flushing the cache on shutdown failed', error));
    await this.resultCache.close();
    this.monitor.stop();
    await this.learning
      .flush()
      .catch((error: unknown) => this.ports.logger.warn('Saving learned routing failed', error));
    await this.documents.dispose();
    await this.pool.shutdown();
  }
}

function disabledResult(contextType: ContextType): FetchResult {
  return {
    success: false,
    content: null,
    source: null,
    latencyMs: 0,
    cached: false,
    contextType,
    trail: [],
    error: DISABLED_MESSAGE,
  };
}

/** Builds the runtime for a host. */
export const createRuntime: CreateRuntime = (ports, settings) => Runtime.create(ports, settings);
