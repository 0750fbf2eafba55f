/** Human-readable renderings of runtime results for the terminal. */
import type { DocumentDetection, PreloadSummary, RuntimeDashboardData } from '../core/api';
import type { FetchResult } from '../core/knowledge';
import type { ServerStatus } from '../core/mcp/types';

const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : Math.round(value)} ms`;
const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;

export function formatLookup(result: FetchResult): string {
  const head = result.success
    ? `source: ${result.source}  latency: ${ms(result.latencyMs)}  cached: ${result.cached ? 'yes' : 'no'}  type: ${result.contextType}`
    : `no answer (${result.error ?? 'every layer failed'})`;
  const trail = result.trail
    .map(
      (t) =>
        `  ${t.layer.padEnd(14)} ${t.outcome.padEnd(9)} ${ms(t.latencyMs).padStart(9)}${t.detail ? `  ${t.detail}` : ''}`,
    )
    .join('\n');
  return [head, trail ? `trail:\n${trail}` : '', result.success ? `\n${result.content ?? ''}` : '']
    .filter(Boolean)
    .join('\n');
}

export function formatServers(statuses: ServerStatus[]): string {
  if (statuses.length === 0) return 'no servers configured';
  return statuses
    .map((s) => {
      const tools = s.toolNames.length ? `tools: ${s.toolNames.join(', ')}` : 'tools: (not listed yet)';
      const error = s.lastError ? `\n    last error: ${s.lastError}` : '';
      return `${s.name} (${s.kind})  state: ${s.state}  circuit: ${s.circuit}  restarts: ${s.restarts}\n    ${tools}${error}`;
    })
    .join('\n');
}

export function formatStats(data: RuntimeDashboardData): string {
  const s = data.summary;
  const lines = [
    `calls: ${s.totalCalls}  errors: ${s.totalErrors} (${pct(s.errorRate)})  cost: $${s.totalCostUsd.toFixed(4)}`,
    `cache: ${s.cacheHits}/${s.cacheLookups} hits (${pct(s.cacheHitRate)})  entries: ${data.hierarchy.entries}  mode: ${data.hierarchy.mode}`,
    `latency: p50 ${ms(s.p50LatencyMs)}  p95 ${ms(s.p95LatencyMs)}  p99 ${ms(s.p99LatencyMs)}`,
  ];
  for (const server of data.servers) {
    lines.push(
      `  ${server.server.padEnd(16)} calls ${server.calls}  errors ${server.errors}  p95 ${ms(server.p95LatencyMs)}  $${server.costUsd.toFixed(4)}`,
    );
  }
  for (const alert of data.alerts) lines.push(`  [${alert.severity}] ${alert.message}`);
  return lines.join('\n');
}

export function formatDetection(file: string, detection: DocumentDetection | null): string {
  if (!detection) return `${file}: language not supported`;
  const libraries = detection.libraries.map((l) => `${l.module}${l.libraryId ? ` → ${l.libraryId}` : ''}`);
  const stdlib = detection.modules.filter((m) => m.stdlib).map((m) => m.name);
  return [
    `${file} (${detection.language})${detection.partial ? ' [partial: syntax errors]' : ''}`,
    `  libraries: ${libraries.join(', ') || '(none)'}`,
    stdlib.length ? `  standard library: ${stdlib.join(', ')}` : '',
    detection.members.length ? `  members used: ${membersLine(detection)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** Most members named on the text line; `--json` lists them all. */
const MEMBERS_SHOWN = 12;

function membersLine(detection: DocumentDetection): string {
  const shown = detection.members.slice(0, MEMBERS_SHOWN).map((m) => (m.count > 1 ? `${m.name} ×${m.count}` : m.name));
  const more = detection.members.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

export function formatPreloadSummary(summary: PreloadSummary): string {
  return `preloaded ${summary.loaded} of ${summary.libraries} libraries (${summary.alreadyCached} already cached, ${summary.failed} failed) in ${ms(summary.durationMs)}`;
}
