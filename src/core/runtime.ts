/**
 * The runtime: composes every part of `src/core` for any host behind `McpIntegrationApi`. The
 * runtime's services outlive configuration changes; the `ConfiguredState` (files, settings,
 * triggers, engine) is rebuilt as a whole and swapped in one assignment. Flows live in `runtime/`.
 */
import path from 'node:path';
import type { CreateRuntime, McpIntegrationApi, RuntimeDashboardData } from './api';
import { Context7Adapter } from './adapters/context7';
import type { DocumentChange, DocumentDetection, HostDocument } from './detection/types';
import type { ConfigError } from './errors';
import { errorSignature } from './fixes/error-signature';
import type { DiagnosticInfo, FixResult } from './fixes/types';
import type { Gateway } from './gateway/gateway';
import { CONTEXT_TYPES, type FetchResult } from './knowledge';
import { LearningSystem } from './learning/learning-system';
import { LibraryCache } from './libraries/library-cache';
import { ConnectionPool } from './mcp/connection-pool';
import type { ServerStatus } from './mcp/types';
import type { Monitor } from './monitor/monitor';
import type { MetricsFormat } from './monitor/types';
import type { Disposable, HostPorts } from './ports';
import { MemberTopics } from './preload/member-topics';
import type { PredictivePreloader } from './preload/predictive-preloader';
import type { PreloadProgress, PreloadSummary } from './preload/types';
import { MCPProfileManager } from './profiles/profile-manager';
import { SecretRedactor } from './redaction';
import { ConfigLayerStores } from './runtime/config-stores';
import { DocumentFlow } from './runtime/document-flow';
import { DocumentTracker } from './runtime/documents';
import { buildEngine, type EngineDeps } from './runtime/engine';
import { type RuntimeEvent, RuntimeEvents } from './runtime/events';
import { FixFlow } from './runtime/fix-flow';
import { createRuntimeGateway } from './runtime/gateway';
import { DISABLED_MESSAGE, type LookupOptions, LookupFlow, startProfileServers } from './runtime/lookup';
import { createMonitor, metricsText, watchSharedLevel, wireRuntimeEvents } from './runtime/monitor-wiring';
import { applyPreloadSettings, buildPreloader } from './runtime/preloader';
import { serversToRun } from './runtime/prepare-servers';
import { redactingPorts } from './runtime/redacting-ports';
import { type ConfiguredState, prepareReload } from './runtime/reload';
import { isRolledOut, resolveSettings, type RuntimeSettings } from './runtime/settings';
import { type RuntimeStoreOptions, StoreFailedError, type StoreResult, storeResultOf } from './runtime/store-result';
import { narrowToUser } from './store/private-files';
import { ResultCache } from './store/result-cache';
import { SmartTrigger } from './triggers/smart-trigger';
import { createSharedLevel, teamMemberOf } from './runtime/shared-cache';
import { preloadForCommand, type CommandPreloadOptions } from './runtime/command-preload';
import type { TriggerContext, TriggerMatch } from './triggers/types';

export class Runtime implements McpIntegrationApi {
  private readonly events: RuntimeEvents;
  private readonly disposables: Disposable[] = [];
  /** What the configuration decides; replaced as a whole, never patched. */
  private state!: ConfiguredState;
  private pool!: ConnectionPool;
  private monitor!: Monitor;
  private learning!: LearningSystem;
  private libraries!: LibraryCache;
  private documents!: DocumentTracker;
  private resultCache!: ResultCache;
  private profiles!: MCPProfileManager;
  private preloader!: PredictivePreloader;
  private memberTopics!: MemberTopics;
  private agentGateway!: Gateway;
  private lookups!: LookupFlow;
  private documentFlow!: DocumentFlow;
  private readonly fixes = new FixFlow({
    lookup: (query, options) => this.lookup(query, options),
    store: (key, value, options) => this.store(key, value, options),
    learning: () => this.learning,
    teamMember: () => teamMemberOf(this.resultCache.sharedLevel, this.state.loaded.mcp.sharedCache),
  });
  private closed = false;
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

  private storage(name: string): string {
    return path.join(this.ports.storageDir, name);
  }

  private async start(): Promise<void> {
    const { logger } = this.ports;
    await narrowToUser(this.ports.storageDir);
    const loaded = await this.stores.load();
    this.redactor.addFromServers(loaded.servers);
    const settings = resolveSettings(loaded.mcp, this.overrides);
    const config = loaded.mcp;
    const servers = await serversToRun(loaded, this.ports);
    this.pool = new ConnectionPool({
      definitions: servers,
      storageDir: this.ports.storageDir,
      logger,
      serverLogger: (name) => this.ports.serverLogger(name),
    });
    this.monitor = createMonitor(config, servers, logger);
    this.learning = await LearningSystem.create({
      file: this.storage('learning.json'),
      halfLifeDays: config.learning.halfLifeDays,
      logger,
    });
    this.libraries = await LibraryCache.create({
      registry: loaded.libraries,
      resolver: config.context7.libraryCache.fallback.useResolveApi
        ? (name, query) => this.resolveLibraryId(name, query)
        : undefined,
      stateFile: this.storage('library-ids.json'),
      logger,
    });
    this.documents = new DocumentTracker(this.libraries, logger, this.ports.workspaceFolder);
    this.memberTopics = new MemberTopics();
    const shared = await createSharedLevel(config.sharedCache, () => this.state.loaded.servers, logger);
    this.resultCache = new ResultCache({
      memory: { maxEntries: config.cache.memoryMaxEntries, maxBytes: config.cache.memoryMaxBytes },
      cacheDir: this.storage('cache'),
      disk: { maxEntries: config.cache.diskMaxEntries, maxBytes: config.cache.diskMaxBytes },
      ...(shared ? { shared } : {}),
      logger,
    });
    await this.resultCache.open();
    if (shared) this.disposables.push(watchSharedLevel(shared, this.monitor, this.events));
    const engine = buildEngine(loaded, settings, this.pool, this.engineDeps);
    this.state = { loaded, settings, engine, trigger: new SmartTrigger(config.smartTriggers) };
    this.profiles = new MCPProfileManager(loaded.profiles);
    this.preloader = buildPreloader({
      state: () => this.state,
      memberTopics: this.memberTopics,
      libraries: this.libraries,
      learning: this.learning,
      workspaceFolder: this.ports.workspaceFolder,
      logger,
    });
    this.agentGateway = createRuntimeGateway({
      pool: this.pool,
      definitions: () => this.state.loaded.servers,
      storageDir: this.ports.storageDir,
      stateFile: this.storage('gateway-state.json'),
      cache: this.resultCache,
      config: config.gateway,
      profiles: () => this.profiles,
      monitor: this.monitor,
      api: this,
      logger,
    });
    const view = { state: () => this.state, active: () => this.active, memberTopics: this.memberTopics };
    this.lookups = new LookupFlow({
      ...view,
      libraries: this.libraries,
      profiles: this.profiles,
      pool: this.pool,
      monitor: this.monitor,
      learning: this.learning,
      memberDocsReady: (topic, signal) => this.preloader.memberDocsReady(topic, signal),
      redactor: this.redactor,
    });
    this.documentFlow = new DocumentFlow({
      ...view,
      documents: this.documents,
      preloader: this.preloader,
      events: this.events,
    });
    this.disposables.push(
      ...wireRuntimeEvents({
        pool: this.pool,
        monitor: this.monitor,
        preloader: this.preloader,
        events: this.events,
        redactor: this.redactor,
      }),
    );
    for (const error of this.configErrors) logger.warn(error.message);
    if (this.active) await this.preloader.startBackgroundPreloading();
  }

  /** Whether this installation uses the integration now (the rollback switch and the rollout). */
  get active(): boolean {
    const { mcp } = this.state.loaded;
    return !this.closed && isRolledOut(this.state.settings, mcp.enabled && mcp.knowledgeHierarchy.enabled);
  }

  private get engineDeps(): EngineDeps {
    return { ports: this.ports, cache: this.resultCache, learning: this.learning, monitor: this.monitor };
  }

  private async resolveLibraryId(name: string, query?: string): Promise<string | null> {
    const adapters = [...this.state.engine.adapters.values()];
    const context7 = adapters.find((a): a is Context7Adapter => a instanceof Context7Adapter);
    return context7 ? context7.resolveLibraryId(name, query) : null;
  }

  get gateway(): Gateway {
    return this.agentGateway;
  }

  classify(query: string, context: TriggerContext = {}): TriggerMatch[] {
    return this.state.trigger.classify(query, context);
  }

  lookup(query: string, options: LookupOptions = {}): Promise<FetchResult> {
    return this.lookups.lookup(query, options);
  }

  async store(key: string, value: string, options: RuntimeStoreOptions = {}): Promise<StoreResult> {
    if (!this.active) throw new Error(DISABLED_MESSAGE);
    const { contextType = CONTEXT_TYPES.general, ...rest } = options;
    const report = await this.state.engine.hierarchy.store(key, value, { ...rest, contextType });
    const result = this.redactor.redactDeep(storeResultOf(report));
    for (const failed of result.failed)
      this.ports.logger.warn(`Storing "${key}" in ${failed.target} failed: ${failed.error}`);
    if (result.targets.length === 0) throw new StoreFailedError(result);
    return result;
  }

  errorSignature(diagnostic: DiagnosticInfo): string {
    return errorSignature(diagnostic);
  }

  readonly findFix = (diagnostic: DiagnosticInfo, signal?: AbortSignal): Promise<FixResult> =>
    this.fixes.find(diagnostic, signal);
  readonly recordFixOutcome = (diagnostic: DiagnosticInfo, fix: FixResult, worked: boolean): Promise<void> =>
    this.fixes.recordOutcome(diagnostic, fix, worked);
  readonly rememberFix = (diagnostic: DiagnosticInfo, solution: string, edit?: FixResult['edit']): Promise<string> =>
    this.fixes.remember(diagnostic, solution, edit);

  readonly openDocument = (document: HostDocument): Promise<DocumentDetection | null> =>
    this.documentFlow.open(document);
  readonly editDocument = (uri: string, changes: DocumentChange[], text: string): Promise<DocumentDetection | null> =>
    this.documentFlow.edit(uri, changes, text);
  readonly closeDocument = (uri: string): void => this.documentFlow.close(uri);
  readonly getDetection = (uri: string): DocumentDetection | undefined => this.documentFlow.get(uri);
  readonly cursorContext = (uri: string, offset: number): TriggerContext['cursorNode'] | undefined =>
    this.documentFlow.cursorContext(uri, offset);
  readonly cachedDocsFor = (libraryId: string): string | null => this.documentFlow.cachedDocsFor(libraryId);
  readonly cachedMemberDocs = (libraryId: string, member: string): string | null =>
    this.documentFlow.cachedMemberDocs(libraryId, member);
  readonly preloadDocument = (uri: string, options: { signal?: AbortSignal } = {}): Promise<PreloadSummary> =>
    this.documentFlow.preloadDocument(uri, options);
  readonly preloadWorkspace = (
    dir: string,
    options: { signal?: AbortSignal; onProgress?: (p: PreloadProgress) => void } = {},
  ): Promise<PreloadSummary> => this.documentFlow.preloadWorkspace(dir, options);
  readonly preloadForCommand = (command: string, options?: CommandPreloadOptions): Promise<void> =>
    preloadForCommand(
      {
        active: () => this.active,
        detection: (uri) => this.documents.get(uri),
        startProfile: (name) => startProfileServers(this.profiles, this.pool, name),
        preload: (name, context) => this.preloader.preloadForCommand(name, context),
        logger: this.ports.logger,
      },
      command,
      options,
    );

  getServerStatuses(): ServerStatus[] {
    return this.redactor.redactDeep(this.pool.statuses());
  }

  getDashboardData(): RuntimeDashboardData {
    const { hierarchy } = this.state.engine;
    const stats = hierarchy.getStats();
    return this.redactor.redactDeep({
      ...this.monitor.getDashboardData(),
      serverStatuses: this.pool.statuses(),
      libraries: this.preloader.states(),
      hierarchy: { mode: hierarchy.mode, hitRate: stats.hitRate, entries: stats.entries },
    });
  }

  exportMetrics(file: string, format: MetricsFormat): Promise<void> {
    return this.monitor.exportMetrics(file, format);
  }

  readonly metricsText = async (format: MetricsFormat): Promise<string> =>
    this.redactor.redact(await metricsText(this.monitor, format));

  async clearCache(): Promise<void> {
    await this.state.engine.hierarchy.clear();
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
    if (this.active) await startProfileServers(this.profiles, this.pool, 'lookup');
  }

  get configErrors(): ConfigError[] {
    return [...this.state.loaded.errors, ...this.state.trigger.errors, ...this.libraries.configErrors];
  }

  /** Atomic, one at a time: built first, swapped on success; a failure rejects (`ReloadFailedError`), changing nothing. */
  reloadConfig(): Promise<ConfigError[]> {
    const reload = this.reloading.then(() => this.reloadNow());
    this.reloading = reload.catch(() => undefined);
    return reload;
  }

  private async reloadNow(): Promise<ConfigError[]> {
    const next = await prepareReload({
      stores: this.stores,
      redactor: this.redactor,
      overrides: this.overrides,
      ports: this.ports,
      pool: this.pool,
      engine: this.engineDeps,
    });
    // Write-backs under way reach the servers they were meant for before any of them is replaced.
    await this.state.engine.hierarchy
      .flush()
      .catch((error: unknown) => this.ports.logger.warn('Flushing the cache before a reload failed', error));
    const wasActive = this.active;
    const applied = next.pool.apply();
    const { pool: _update, ...state } = next;
    this.state = state;
    this.profiles.update(state.loaded.profiles);
    this.agentGateway.updateConfig(state.loaded.mcp.gateway);
    applyPreloadSettings(this.preloader, this.state, this.active, wasActive);
    await applied;
    const errors = this.configErrors;
    this.events.emit({ type: 'config', errors });
    return errors;
  }

  updateSettings(settings: Partial<RuntimeSettings>): void {
    Object.assign(this.overrides, settings);
    const { loaded, engine: previous } = this.state;
    const next = resolveSettings(loaded.mcp, this.overrides);
    const engine =
      next.hierarchyMode === previous.hierarchy.mode ? previous : buildEngine(loaded, next, this.pool, this.engineDeps);
    if (engine !== previous) void previous.hierarchy.flush();
    this.state = { ...this.state, settings: next, engine };
    applyPreloadSettings(this.preloader, this.state, this.active);
    this.events.emit({ type: 'metrics' });
  }

  onEvent(listener: (event: RuntimeEvent) => void): Disposable {
    return this.events.on(listener);
  }

  /** Releases every process, timer and tree. Safe to call twice. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.documentFlow.dispose();
    this.preloader.dispose();
    this.agentGateway.dispose();
    this.events.clear();
    await this.agentGateway.flush();
    await this.state.engine.hierarchy
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

/** Builds the runtime for a host. */
export const createRuntime: CreateRuntime = (ports, settings) => Runtime.create(ports, settings);
