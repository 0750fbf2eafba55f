/**
 * What the status bar says: text, background severity and tooltip Markdown, computed from the
 * runtime's dashboard data. Pure so it is unit-tested; `status-bar.ts` only applies the result.
 */
import type { RuntimeDashboardData } from '../core/api';
import type { AlertSeverity } from '../core/monitor/types';
import { formatLatency, formatPercent } from '../../media/src/lib/format';

export type StatusSeverity = 'none' | 'warning' | 'error';

export interface StatusView {
  text: string;
  severity: StatusSeverity;
  /** Markdown; server names and errors are escaped. */
  tooltip: string;
}

export interface StatusInput {
  data: RuntimeDashboardData | undefined;
  preloading: boolean;
  enabled: boolean;
  /** Set when the workspace is untrusted: workspace-declared servers are not started. */
  restricted: boolean;
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

/** The worst open alert mapped onto the two status bar backgrounds VS Code offers. */
export function worstSeverity(severities: readonly AlertSeverity[]): StatusSeverity {
  const worst = Math.max(-1, ...severities.map((s) => SEVERITY_RANK[s]));
  if (worst >= SEVERITY_RANK.error) return 'error';
  if (worst >= SEVERITY_RANK.warning) return 'warning';
  return 'none';
}

/** Escapes Markdown punctuation so names and error texts from servers render as plain text. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

const MAX_TOOLTIP_ERROR = 120;

export function formatStatus(input: StatusInput): StatusView {
  if (!input.enabled)
    return {
      text: '$(database) off',
      severity: 'none',
      tooltip: 'MCP Integration is disabled. Run **MCP: Enable** to turn it on.',
    };
  const icon = input.preloading ? '$(sync~spin)' : '$(database)';
  const data = input.data;
  if (!data) return { text: `${icon} –`, severity: 'none', tooltip: 'MCP Integration is starting…' };
  const summary = data.summary;
  const text = `${icon} ${formatPercent(summary.cacheHitRate, summary.cacheLookups)}`;
  const lines: string[] = [
    `**MCP Integration** — cache hit rate ${formatPercent(summary.cacheHitRate, summary.cacheLookups)}, ${summary.totalCalls} calls, p95 ${formatLatency(summary.p95LatencyMs)}`,
    '',
  ];
  if (input.preloading) lines.push('$(sync~spin) Preloading library docs…', '');
  if (input.restricted)
    lines.push('$(shield) Restricted Mode: servers declared by this workspace are not started until you trust it.', '');
  if (data.serverStatuses.length > 0) {
    lines.push('| Server | State | p95 | Errors |', '|---|---|---|---|');
    for (const status of data.serverStatuses) {
      const metrics = data.servers.find((m) => m.server === status.name);
      const circuit = status.circuit === 'closed' ? '' : ` (circuit ${status.circuit})`;
      const errorRate = metrics ? formatPercent(metrics.errorRate, metrics.calls) : '–';
      lines.push(
        `| ${escapeMarkdown(status.name)} | ${status.state}${circuit} | ${formatLatency(metrics?.p95LatencyMs ?? 0)} | ${errorRate} |`,
      );
    }
    lines.push('');
  } else {
    lines.push('No servers configured.', '');
  }
  for (const alert of data.alerts.slice(0, 3)) {
    lines.push(`$(warning) ${escapeMarkdown(alert.message.slice(0, MAX_TOOLTIP_ERROR))}`, '');
  }
  lines.push('Click to open the dashboard.');
  return { text, severity: worstSeverity(data.alerts.map((a) => a.severity)), tooltip: lines.join('\n') };
}
