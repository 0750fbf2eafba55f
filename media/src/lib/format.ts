/** Number formatting shared by the status bar (host) and the dashboard (webview). */

/** A rate as a whole percentage; `–` when nothing was counted yet. */
export function formatPercent(rate: number, lookups?: number): string {
  if (lookups === 0 || !Number.isFinite(rate)) return '–';
  return `${Math.round(Math.min(1, Math.max(0, rate)) * 100)}%`;
}

/** Milliseconds below a second, seconds with one decimal above; `–` for no measurement. */
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '–';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
