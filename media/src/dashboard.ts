/**
 * The metrics dashboard's script: summary cards, latency and hit-rate charts (uPlot), servers,
 * alerts and detected libraries. Data arrives by message (checked with the shared guard) and is
 * written as text only; the last snapshot is kept with `setState` so a reload shows it at once.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RuntimeDashboardData } from '../../src/core/api';
import { isDashboardToWebview } from './lib/protocol';
import { formatLatency, formatPercent } from './lib/format';
import { byId, fillRows, getVsCodeApi } from './lib/vscode-api';

interface DashboardState {
  data?: RuntimeDashboardData;
}

const vscode = getVsCodeApi<DashboardState>();
let latencyChart: uPlot | undefined;
let hitRateChart: uPlot | undefined;
let current: RuntimeDashboardData | undefined;

function themeColour(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function chartOptions(title: string, series: uPlot.Series[], yRange?: uPlot.Scale.Range): uPlot.Options {
  const axisColour = themeColour('--vscode-foreground', '#888');
  const gridColour = themeColour('--vscode-editorWidget-border', '#8884');
  const axis = { stroke: axisColour, grid: { stroke: gridColour, width: 1 }, ticks: { stroke: gridColour, width: 1 } };
  return {
    title,
    width: chartWidth(),
    height: 200,
    series: [{}, ...series],
    scales: { x: { time: true }, y: yRange ? { range: yRange } : {} },
    axes: [axis, axis],
    legend: { show: true },
  };
}

function chartWidth(): number {
  return Math.max(240, byId('charts').clientWidth / 2 - 24);
}

function seriesData(data: RuntimeDashboardData): { latency: uPlot.AlignedData; hitRate: uPlot.AlignedData } {
  const t = data.timeSeries.map((p) => p.t / 1000);
  return {
    latency: [t, data.timeSeries.map((p) => p.p50LatencyMs), data.timeSeries.map((p) => p.p95LatencyMs)],
    hitRate: [t, data.timeSeries.map((p) => Math.round(p.cacheHitRate * 1000) / 10)],
  };
}

function drawCharts(data: RuntimeDashboardData, rebuild = false): void {
  const { latency, hitRate } = seriesData(data);
  if (rebuild) {
    latencyChart?.destroy();
    hitRateChart?.destroy();
    latencyChart = hitRateChart = undefined;
  }
  if (!latencyChart || !hitRateChart) {
    const blue = themeColour('--vscode-charts-blue', '#3794ff');
    const orange = themeColour('--vscode-charts-orange', '#d18616');
    const green = themeColour('--vscode-charts-green', '#89d185');
    latencyChart = new uPlot(
      chartOptions('Latency (ms)', [
        { label: 'p50', stroke: blue, width: 2 },
        { label: 'p95', stroke: orange, width: 2 },
      ]),
      latency,
      byId('latency-chart'),
    );
    hitRateChart = new uPlot(
      chartOptions('Cache hit rate (%)', [{ label: 'hit rate', stroke: green, width: 2 }], [0, 100]),
      hitRate,
      byId('hitrate-chart'),
    );
    showRecentWindow(latencyChart, latency[0]);
    showRecentWindow(hitRateChart, hitRate[0]);
    return;
  }
  latencyChart.setData(latency);
  hitRateChart.setData(hitRate);
  showRecentWindow(latencyChart, latency[0]);
  showRecentWindow(hitRateChart, hitRate[0]);
}

/** At least the last ten minutes: with one or two buckets uPlot's automatic time range spans years. */
function showRecentWindow(chart: uPlot, times: uPlot.AlignedData[0]): void {
  const last = times[times.length - 1];
  const first = times[0];
  if (last === undefined || first === undefined) return;
  chart.setScale('x', { min: Math.min(first, last - 600), max: last + 30 });
}

function render(data: RuntimeDashboardData): void {
  current = data;
  const s = data.summary;
  byId('total-calls').textContent = String(s.totalCalls);
  byId('hit-rate').textContent = formatPercent(s.cacheHitRate, s.cacheLookups);
  byId('error-rate').textContent = formatPercent(s.errorRate, s.totalCalls);
  byId('p50-latency').textContent = formatLatency(s.p50LatencyMs);
  byId('p95-latency').textContent = formatLatency(s.p95LatencyMs);
  byId('total-cost').textContent = `$${s.totalCostUsd.toFixed(4)}`;
  byId('updated-at').textContent =
    `Updated ${new Date(data.generatedAt).toLocaleTimeString()} · ${data.hierarchy.mode} hierarchy, ${data.hierarchy.entries} cached entries`;

  const metricsByServer = new Map(data.servers.map((m) => [m.server, m]));
  const names = [...new Set([...data.serverStatuses.map((x) => x.name), ...data.servers.map((m) => m.server)])];
  const shared = data.sharedCache;
  // The shared cache (Redis) is a row like a server: its state, reads, failures and latency.
  const sharedRow = shared
    ? [
        [
          `shared cache (${shared.endpoint}, ${formatPercent(shared.hitRate, shared.lookups)} hits)`,
          shared.state,
          '–',
          String(shared.lookups),
          String(shared.errors + shared.skipped),
          formatLatency(shared.latencyMs.p95),
          '–',
          shared.state === 'up' ? '' : (shared.lastError ?? ''),
        ],
      ]
    : [];
  fillRows(
    byId('servers').querySelector('tbody') as HTMLElement,
    [
      ...sharedRow,
      ...names.map((name) => {
        const status = data.serverStatuses.find((x) => x.name === name);
        const m = metricsByServer.get(name);
        return [
          name,
          status?.state ?? '–',
          status?.circuit ?? '–',
          String(m?.calls ?? 0),
          String(m?.errors ?? 0),
          formatLatency(m?.p95LatencyMs ?? 0),
          `$${(m?.costUsd ?? 0).toFixed(4)}`,
          m?.lastError ?? status?.lastError ?? '',
        ];
      }),
    ],
    'No servers configured.',
    8,
  );
  fillRows(
    byId('tools').querySelector('tbody') as HTMLElement,
    data.tools.map((t) => [
      t.server,
      t.tool,
      String(t.calls),
      formatPercent(t.hitRate, t.calls),
      formatLatency(t.p50LatencyMs),
      formatLatency(t.p95LatencyMs),
      String(t.errors),
      `$${t.costUsd.toFixed(4)}`,
    ]),
    'No agent calls yet.',
    8,
  );
  fillRows(
    byId('alerts').querySelector('tbody') as HTMLElement,
    data.alerts.map((a) => [
      a.severity,
      a.rule,
      a.server ?? '',
      a.message,
      new Date(a.lastSeenAt).toLocaleTimeString(),
    ]),
    'No open alerts.',
    5,
  );
  fillRows(
    byId('libraries').querySelector('tbody') as HTMLElement,
    data.libraries.map((l) => [l.module, l.libraryId, l.status, String(l.documents.length), l.error ?? '']),
    'No libraries detected yet.',
    5,
  );
  drawCharts(data);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isDashboardToWebview(event.data)) {
    console.warn('MCP dashboard: ignored a malformed message');
    return;
  }
  vscode.setState({ data: event.data.data });
  render(event.data.data);
});

byId('refresh').addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
byId('export-json').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'json' }));
byId('export-prometheus').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'prometheus' }));

// Charts are drawn on canvas with colours read from the theme: redraw when the theme or size changes.
new MutationObserver(() => current && drawCharts(current, true)).observe(document.body, {
  attributes: true,
  attributeFilter: ['class'],
});
new ResizeObserver(() => {
  const width = chartWidth();
  latencyChart?.setSize({ width, height: 200 });
  hitRateChart?.setSize({ width, height: 200 });
}).observe(byId('charts'));

const saved = vscode.getState()?.data;
if (saved) render(saved);
vscode.postMessage({ type: 'ready' });
