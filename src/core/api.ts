/**
 * The runtime as every host sees it. The VS Code layer and the CLI are written against this
 * interface only, so they stay thin: they adapt their world to these calls and the results back.
 */
import type { ConfigError } from './errors';
import type { ContextType, FetchResult } from './knowledge';
import type { ServerStatus } from './mcp/types';
import type { DashboardData, MetricsFormat } from './monitor/types';
import type { Disposable, HostPorts } from './ports';
import type { Gateway } from './gateway/gateway';
import type { DocumentChange, DocumentDetection, HostDocument } from './detection/types';
import type { DiagnosticInfo, FixResult } from './fixes/types';
import type { HierarchyMode } from './hierarchy/types';
import type { LibraryPreloadState, PreloadProgress, PreloadSummary } from './preload/types';
import type { RuntimeEvent } from './runtime/events';
import type { LookupOptions } from './runtime/lookup';
import type { RuntimeSettings } from './runtime/settings';
import type { StoreResult } from './runtime/store-result';
import type { TriggerContext, TriggerMatch } from './triggers/types';

// The vocabulary hosts use, owned by the modules it describes and re-exported here so a host needs
// one import.
export type {
  DetectedMember,
  DetectedModule,
  DocumentChange,
  DocumentDetection,
  HostDocument,
  ImportBinding,
} from './detection/types';
export type { DiagnosticInfo, FixEdit, FixResult } from './fixes/types';
export type { HierarchyMode } from './hierarchy/types';
export type { DetectedLibrary } from './libraries/types';
export type {
  LibraryPreloadState,
  LibraryPreloadStatus,
  PreloadProgress,
  PreloadStrategy,
  PreloadSummary,
} from './preload/types';
export type { RuntimeEvent } from './runtime/events';
export type { LookupOptions } from './runtime/lookup';
export type { RuntimeSettings } from './runtime/settings';
export type { StoreResult } from './runtime/store-result';
export type { TriggerContext, TriggerMatch } from './triggers/types';

export interface RuntimeDashboardData extends DashboardData {
  serverStatuses: ServerStatus[];
  libraries: LibraryPreloadState[];
  hierarchy: { mode: HierarchyMode; hitRate: number; entries: number };
}

export interface McpIntegrationApi {
  lookup(query: string, options?: LookupOptions): Promise<FetchResult>;
  classify(query: string, context?: TriggerContext): TriggerMatch[];
  /**
   * Stores a value in the local cache and every writable memory layer. Rejects with the reason of
   * each target when none kept it (an unusable storage folder and no memory server, a TTL of 0).
   */
  store(key: string, value: string, options?: { contextType?: ContextType; ttlSeconds?: number }): Promise<StoreResult>;

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
  /**
   * Cached docs of one member of a library (`read_csv` of `/pandas-dev/pandas`), or null. Never
   * waits for a server; on a miss the member's docs are fetched in the background (within the
   * preload limits) so the next call has them.
   */
  cachedMemberDocs(libraryId: string, member: string): string | null;

  /**
   * The guide's Pattern 3, called as a command starts (the palette lookup, a quick fix, a chat
   * command): starts the servers the command's profile needs and preloads the libraries of the
   * document it works on (`uri`) and, with the AGGRESSIVE strategy, those the command usually needs
   * and those the workspace manifests list. Resolves when that is done or `signal` aborts (the work
   * goes on in the background); never rejects; at once when preloading is off.
   */
  preloadForCommand(command: string, options?: { uri?: string; signal?: AbortSignal }): Promise<void>;
  /** Preloads the docs of an open document's libraries now and resolves when they are ready (or failed). */
  preloadDocument(uri: string, options?: { signal?: AbortSignal }): Promise<PreloadSummary>;
  preloadWorkspace(
    dir: string,
    options?: { signal?: AbortSignal; onProgress?: (p: PreloadProgress) => void },
  ): Promise<PreloadSummary>;

  getDashboardData(): RuntimeDashboardData;
  getServerStatuses(): ServerStatus[];
  exportMetrics(path: string, format: MetricsFormat): Promise<void>;
  /** The same metrics as text, for an endpoint that serves them (`/metrics` of a team gateway). */
  metricsText(format: MetricsFormat): Promise<string>;

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
export type CreateRuntime = (ports: HostPorts, settings?: Partial<RuntimeSettings>) => Promise<McpIntegrationApi>;
