/**
 * The vocabulary shared by adapters, the knowledge hierarchy and every host:
 * what is asked, what a layer answers, and what the caller gets back.
 */

/**
 * What kind of knowledge a query asks for. Authority rules, TTLs and routing are keyed by it.
 * The configuration may add its own types; these are the ones the shipped config knows.
 */
export type ContextType = string;

export const CONTEXT_TYPES = {
  libraryApi: 'library_api',
  errorSolution: 'error_solution',
  codeSymbol: 'code_symbol',
  projectMemory: 'project_memory',
  githubIssue: 'github_issue',
  testStability: 'test_stability',
  qualityBaseline: 'quality_baseline',
  general: 'general',
} as const;

/** One question put to the hierarchy or to a single adapter. */
export interface KnowledgeQuery {
  /** The question or key, as the user or a command wrote it. */
  text: string;
  contextType: ContextType;
  /** VS Code language id of the document the query came from, when there is one. */
  language?: string;
  /** A resolved context7 library id (`/org/project`) when the caller already knows it. */
  libraryId?: string;
  /** Free-form hints (topic, file path, diagnostic code) an adapter may use. */
  hints?: Record<string, string>;
}

/** A layer's answer. `null` from `fetch` means "I have nothing for this", which is not an error. */
export interface AdapterAnswer {
  content: string;
  /** Extra facts about the answer (library id, stored-at time, tool used). */
  metadata?: Record<string, unknown>;
}

export interface StoreOptions {
  contextType: ContextType;
  /** Time to live in seconds; adapters whose server has no expiry keep it inside the stored value. */
  ttlSeconds: number;
  signal?: AbortSignal;
}

export interface AdapterCallOptions {
  signal?: AbortSignal;
}

/** The kinds of server an adapter can speak to. */
export type AdapterKind =
  'memory-bank' | 'server-memory' | 'serena' | 'context7' | 'github' | 'team-gateway' | 'generic' | 'host-symbols';

/** Maps the hierarchy's operations onto one MCP server's tools. */
export interface KnowledgeAdapter {
  /** The configured server name this adapter talks to (e.g. `memory-bank`). */
  readonly serverName: string;
  readonly kind: AdapterKind;
  /** Whether `store` is supported (memory layers); read-only layers leave it false. */
  readonly writable: boolean;
  fetch(query: KnowledgeQuery, options?: AdapterCallOptions): Promise<AdapterAnswer | null>;
  store(key: string, value: string, options: StoreOptions): Promise<void>;
  invalidate(key: string, options?: AdapterCallOptions): Promise<void>;
}

/** How one layer's attempt ended. */
export type LayerOutcome =
  | 'hit' // answered
  | 'miss' // reachable, had nothing
  | 'error' // failed (tool error, protocol error, upstream error)
  | 'timeout' // passed its timeout
  | 'skipped' // not allowed for this context type, or circuit open, or not configured
  | 'cancelled' // lost a hedged race or the caller aborted
  | 'preloaded'; // answered from a used member's preloaded docs while the exact question is fetched

export interface TrailEntry {
  layer: string;
  /** The server the layer asked, when it asked one (a layer may hold several adapters). */
  server?: string;
  outcome: LayerOutcome;
  latencyMs: number;
  /** Short reason for errors and skips. */
  detail?: string;
}

/** What `KnowledgeHierarchy.fetch` returns. */
export interface FetchResult {
  success: boolean;
  content: string | null;
  /** The layer that answered (`local-cache`, `memory`, `code-symbols`, `docs`, `github`) or null. */
  source: string | null;
  latencyMs: number;
  cached: boolean;
  contextType: ContextType;
  trail: TrailEntry[];
  /** When `success` is false: why, in words a user can act on. */
  error?: string;
}
