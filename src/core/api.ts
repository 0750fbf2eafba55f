/**
 * The runtime as every host sees it. The VS Code layer and the CLI are written against this
 * interface only, so they stay thin: they adapt their world to these calls and the results back.
 */
import type { ConfigError } from './errors';
import type { ContextType, FetchResult } from './knowledge';
import type { ServerStatus } from './mcp/types';
import type { DashboardData, MetricsFormat } from './monitor/types';
import type { Disposable } from './ports';
import type { Gateway } from './gateway/gateway';

export type HierarchyMode = 'sequential' | 'hedged';
export type PreloadStrategy = 'off' | 'balanced' | 'aggressive';

/** Host settings that override the YAML configuration (VS Code settings, CLI flags). */
export interface RuntimeSettings {
  /** The guide's rollback switch: when false every lookup reports "disabled" and nothing starts. */
  enabled: boolean;
  /** 0–100: share of installations that use the integration, stable per installation id. */
  rolloutPercent: number;
  /** A stable id for the rollout bucket (VS Code: machine id; CLI: hostname + user). */
  installationId: string;
  hierarchyMode: HierarchyMode;
  preloadStrategy: PreloadStrategy;
  /** Upstream calls per minute background preloading may spend. */
  preloadCallsPerMinute: number;
  /** USD background preloading may spend per session. */
  preloadCostBudgetUsd: number;
  preloadConcurrency: number;
}

export interface LookupOptions {
  /** When absent, SmartTrigger's best guess is used. */
  contextType?: ContextType;
  language?: string;
  /** The command the lookup serves (selects a profile); default `lookup`. */
  command?: string;
  signal?: AbortSignal;
  /** Skip the local cache (still writes back). */
  bypassCache?: boolean;
}

/** What SmartTrigger knows about where a query comes from. */
export interface TriggerContext {
  language?: string;
  diagnosticSource?: string;
  diagnosticCode?: string;
  /** Syntax around the cursor, as the detection layer classified it. */
  cursorNode?: 'import' | 'call-of-imported-name' | 'error-handling' | 'other';
}

export interface TriggerMatch {
  server: string;
  contextType: ContextType;
  confidence: number;
  /** The rule that matched (pattern text or condition). */
  rule: string;
}

/** A diagnostic as any host describes it. */
export interface DiagnosticInfo {
  message: string;
  source?: string;
  code?: string;
  language?: string;
}

export interface FixResult extends FetchResult {
  /** The normalised error signature the lookup used. */
  signature: string;
  /** A solution may carry an edit: replace `range` text with `newText` (0-based line/character). */
  edit?: { startLine: number; startCharacter: number; endLine: number; endCharacter: number; newText: string };
}

export interface DetectedModule {
  /** Module as its package manager names it (`numpy`, `@scope/pkg`, `github.com/x/y`). */
  name: string;
  stdlib: boolean;
  /** 0-based line of the first import of it. */
  line: number;
}

/** A local name bound by an import (`np` → `numpy`), for hover and symbol-at-cursor lookups. */
export interface ImportBinding {
  localName: string;
  module: string;
}

export interface DetectedLibrary {
  module: string;
  /** Package name where it differs from the module (`yaml` → `PyYAML`). */
  packageName: string;
  libraryId: string | null;
  version?: string;
}

export interface DocumentDetection {
  uri: string;
  language: string;
  modules: DetectedModule[];
  bindings: ImportBinding[];
  libraries: DetectedLibrary[];
  /** True when the tree had errors and earlier results were merged in. */
  partial: boolean;
}

/** A host document the detector tracks. */
export interface HostDocument {
  uri: string;
  languageId: string;
  text: string;
  /** Visible documents are preloaded first. */
  visible?: boolean;
}

/** One content change, in the shape VS Code and tree-sitter both understand (UTF-16 offsets). */
export interface DocumentChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export type LibraryPreloadStatus = 'queued' | 'loading' | 'ready' | 'failed' | 'cancelled' | 'skipped';

export interface LibraryPreloadState {
  libraryId: string;
  module: string;
  status: LibraryPreloadStatus;
  /** Documents that imported it. */
  documents: string[];
  error?: string;
  updatedAt: number;
}

export interface PreloadProgress {
  queued: number;
  running: number;
  done: number;
  failed: number;
  current?: string;
}

export interface PreloadSummary {
  libraries: number;
  loaded: number;
  alreadyCached: number;
  failed: number;
  durationMs: number;
}

export interface RuntimeDashboardData extends DashboardData {
  serverStatuses: ServerStatus[];
  libraries: LibraryPreloadState[];
  hierarchy: { mode: HierarchyMode; hitRate: number; entries: number };
}

export type RuntimeEvent =
  | { type: 'metrics' }
  | { type: 'servers'; statuses: ServerStatus[] }
  | { type: 'preload'; progress: PreloadProgress }
  | { type: 'detection'; detection: DocumentDetection }
  | { type: 'config'; errors: ConfigError[] };

export interface McpIntegrationApi {
  lookup(query: string, options?: LookupOptions): Promise<FetchResult>;
  classify(query: string, context?: TriggerContext): TriggerMatch[];
  store(key: string, value: string, options?: { contextType?: ContextType; ttlSeconds?: number }): Promise<void>;

  errorSignature(diagnostic: DiagnosticInfo): string;
  findFix(diagnostic: DiagnosticInfo, signal?: AbortSignal): Promise<FixResult>;
  /**
   * The person said whether a found fix worked: learning records it, and a working fix is
   * remembered again (its error-solution TTL starts over).
   */
  recordFixOutcome(diagnostic: DiagnosticInfo, fix: FixResult, worked: boolean): Promise<void>;
  /** Stores a solution (optionally with an edit) under the diagnostic's signature; returns the signature. */
  rememberFix(diagnostic: DiagnosticInfo, solution: string, edit?: FixResult['edit']): Promise<string>;

  openDocument(document: HostDocument): Promise<DocumentDetection | null>;
  editDocument(uri: string, changes: DocumentChange[], newText: string): Promise<DocumentDetection | null>;
  closeDocument(uri: string): void;
  getDetection(uri: string): DocumentDetection | undefined;
  /**
   * The syntax at a UTF-16 offset of an open document, for `classify`'s `cursorNode`; undefined
   * when the document is not open in the detector (unsupported language, skipped, not yet opened).
   */
  cursorContext(uri: string, offset: number): TriggerContext['cursorNode'] | undefined;
  /** Cached docs for a library, or null. Never goes upstream: hovers must be instant. */
  cachedDocsFor(libraryId: string): string | null;

  /** Preloads the docs of an open document's libraries now and resolves when they are ready (or failed). */
  preloadDocument(uri: string, options?: { signal?: AbortSignal }): Promise<PreloadSummary>;
  preloadWorkspace(
    dir: string,
    options?: { signal?: AbortSignal; onProgress?: (p: PreloadProgress) => void },
  ): Promise<PreloadSummary>;

  getDashboardData(): RuntimeDashboardData;
  getServerStatuses(): ServerStatus[];
  exportMetrics(path: string, format: MetricsFormat): Promise<void>;

  clearCache(): Promise<void>;
  restartServers(): Promise<void>;
  listProfiles(): string[];
  readonly activeProfile: string;
  selectProfile(name: string): Promise<void>;

  readonly configErrors: ConfigError[];
  reloadConfig(): Promise<ConfigError[]>;
  updateSettings(settings: Partial<RuntimeSettings>): void;

  /** The agent's MCP front (every server's tools through this runtime); undefined while not running. */
  readonly gateway: Gateway | undefined;

  onEvent(listener: (event: RuntimeEvent) => void): Disposable;
  shutdown(): Promise<void>;
}

/** Builds the runtime for a host. Implemented by `src/core/runtime.ts` (`createRuntime`). */
export type CreateRuntime = (
  ports: import('./ports').HostPorts,
  settings?: Partial<RuntimeSettings>,
) => Promise<McpIntegrationApi>;
