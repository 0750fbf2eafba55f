/**
 * The typed messages between the extension host and its two webviews (answer panel, dashboard).
 * This file imports neither `vscode` nor the DOM, and only types from the runtime (erased at build),
 * so the host, the webview scripts and plain-Node unit tests share one definition. Every message is checked on arrival: anything unknown or
 * malformed is dropped (and logged by the receiver), never half-trusted.
 */
import type { RuntimeDashboardData } from '../../../src/core/api';
import type { MetricsFormat } from '../../../src/core/monitor/types';
import type { TrailEntry } from '../../../src/core/knowledge';

/** What the answer panel shows for one lookup or fix. */
export interface AnswerView {
  /** The question as asked (or the diagnostic message for fixes). */
  query: string;
  /** `lookup`, `symbol-docs` or `fix`: only changes the heading. */
  kind: 'lookup' | 'symbol-docs' | 'fix';
  success: boolean;
  content: string | null;
  source: string | null;
  latencyMs: number;
  cached: boolean;
  contextType: string;
  trail: TrailEntry[];
  error?: string;
  /** Fix lookups: the error signature, and whether an edit can be applied. */
  signature?: string;
  canApplyEdit?: boolean;
  /** Fix lookups: "remembered by alice, 2026-12-02 14:05 UTC" when the fix says who and when. */
  remembered?: string;
}

export type AnswerToWebview = { type: 'loading'; query: string } | { type: 'answer'; answer: AnswerView };

export type AnswerFromWebview = { type: 'ready' } | { type: 'openLink'; url: string } | { type: 'applyFix' };

export type DashboardToWebview = { type: 'data'; data: RuntimeDashboardData };

export type DashboardFromWebview = { type: 'ready' } | { type: 'refresh' } | { type: 'export'; format: MetricsFormat };

/** Longest URL a webview may ask the host to open. */
export const MAX_URL_LENGTH = 2048;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function isTrailEntry(value: unknown): value is TrailEntry {
  return (
    isRecord(value) &&
    typeof value.layer === 'string' &&
    typeof value.outcome === 'string' &&
    isFiniteNumber(value.latencyMs) &&
    isOptionalString(value.detail) &&
    isOptionalString(value.server)
  );
}

export function isAnswerView(value: unknown): value is AnswerView {
  return (
    isRecord(value) &&
    typeof value.query === 'string' &&
    (value.kind === 'lookup' || value.kind === 'symbol-docs' || value.kind === 'fix') &&
    typeof value.success === 'boolean' &&
    (value.content === null || typeof value.content === 'string') &&
    (value.source === null || typeof value.source === 'string') &&
    isFiniteNumber(value.latencyMs) &&
    typeof value.cached === 'boolean' &&
    typeof value.contextType === 'string' &&
    Array.isArray(value.trail) &&
    value.trail.every(isTrailEntry) &&
    isOptionalString(value.error) &&
    isOptionalString(value.signature) &&
    isOptionalString(value.remembered) &&
    (value.canApplyEdit === undefined || typeof value.canApplyEdit === 'boolean')
  );
}

export function isAnswerToWebview(value: unknown): value is AnswerToWebview {
  if (!isRecord(value)) return false;
  if (value.type === 'loading') return typeof value.query === 'string';
  if (value.type === 'answer') return isAnswerView(value.answer);
  return false;
}

export function isAnswerFromWebview(value: unknown): value is AnswerFromWebview {
  if (!isRecord(value)) return false;
  if (value.type === 'ready' || value.type === 'applyFix') return true;
  if (value.type === 'openLink') return typeof value.url === 'string' && value.url.length <= MAX_URL_LENGTH;
  return false;
}

/** The shared cache's row (present only when a team Redis is configured). */
function isSharedCacheRow(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.state === 'string' &&
    typeof value.endpoint === 'string' &&
    ['hitRate', 'lookups', 'errors', 'skipped'].every((key) => isFiniteNumber(value[key])) &&
    isRecord(value.latencyMs) &&
    isFiniteNumber(value.latencyMs.p95) &&
    isOptionalString(value.lastError)
  );
}

/** Checks the parts of the dashboard data the webview reads; the rest is rendered as text anyway. */
export function isDashboardData(value: unknown): value is RuntimeDashboardData {
  if (!isRecord(value) || !isFiniteNumber(value.generatedAt) || !isRecord(value.summary)) return false;
  const summary = value.summary;
  const numericSummary = [
    'totalCalls',
    'totalErrors',
    'errorRate',
    'cacheHitRate',
    'p50LatencyMs',
    'p95LatencyMs',
    'totalCostUsd',
  ];
  if (!numericSummary.every((key) => isFiniteNumber(summary[key]))) return false;
  const arrays = ['servers', 'alerts', 'timeSeries', 'serverStatuses', 'libraries'];
  if (!arrays.every((key) => Array.isArray(value[key]))) return false;
  // Older hosts sent no per-tool table; when present it must be a list.
  if (value.tools !== undefined && !Array.isArray(value.tools)) return false;
  if (value.sharedCache !== undefined && !isSharedCacheRow(value.sharedCache)) return false;
  const series = value.timeSeries as unknown[];
  return series.every(
    (p) => isRecord(p) && isFiniteNumber(p.t) && isFiniteNumber(p.p95LatencyMs) && isFiniteNumber(p.cacheHitRate),
  );
}

export function isDashboardToWebview(value: unknown): value is DashboardToWebview {
  return isRecord(value) && value.type === 'data' && isDashboardData(value.data);
}

export function isDashboardFromWebview(value: unknown): value is DashboardFromWebview {
  if (!isRecord(value)) return false;
  if (value.type === 'ready' || value.type === 'refresh') return true;
  if (value.type === 'export') return value.format === 'json' || value.format === 'prometheus';
  return false;
}

/**
 * Whether a link from an answer may be opened outside VS Code: only absolute http(s) URLs and
 * mailto. `command:`, `file:`, `vscode:` and `javascript:` links are refused whatever the webview says.
 */
export function isSafeExternalUrl(url: string): boolean {
  if (url.length > MAX_URL_LENGTH) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'mailto:') return parsed.pathname.length > 0;
  return (
    (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
    parsed.hostname.length > 0 &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
