/**
 * The metrics dashboard: one panel at a time, restored after a reload by its serializer, fed by
 * `postMessage` with the runtime's dashboard data whenever metrics, servers or preloading change
 * (throttled). Export buttons ask the host, which shows the save dialog and writes the file.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import type { RuntimeHost } from '../runtime-host';
import { exportMetricsInteractive } from '../export-metrics';
import { renderShell, webviewOptions } from './shell';
import { isDashboardFromWebview, type DashboardToWebview } from './protocol';

export const DASHBOARD_VIEW_TYPE = 'mcpIntegration.dashboard';
/** At most one data message per this many milliseconds. */
const UPDATE_THROTTLE_MS = 1000;

const BODY = `    <header class="toolbar">
      <h1>MCP Integration</h1>
      <span id="updated-at" data-testid="updated-at"></span>
      <span class="spacer"></span>
      <button id="refresh" data-testid="refresh">Refresh</button>
      <button id="export-json" data-testid="export-json">Export JSON…</button>
      <button id="export-prometheus" data-testid="export-prometheus">Export Prometheus…</button>
    </header>
    <section class="cards">
      <div class="card"><span class="label">Calls</span><span class="value" id="total-calls" data-testid="total-calls">–</span></div>
      <div class="card"><span class="label">Cache hit rate</span><span class="value" id="hit-rate" data-testid="hit-rate">–</span></div>
      <div class="card"><span class="label">Error rate</span><span class="value" id="error-rate" data-testid="error-rate">–</span></div>
      <div class="card"><span class="label">p50 latency</span><span class="value" id="p50-latency" data-testid="p50-latency">–</span></div>
      <div class="card"><span class="label">p95 latency</span><span class="value" id="p95-latency" data-testid="p95-latency">–</span></div>
      <div class="card"><span class="label">Cost</span><span class="value" id="total-cost" data-testid="total-cost">–</span></div>
    </section>
    <section id="charts" class="charts">
      <div id="latency-chart" data-testid="latency-chart"></div>
      <div id="hitrate-chart" data-testid="hitrate-chart"></div>
    </section>
    <h2>Servers</h2>
    <table id="servers" data-testid="servers">
      <thead><tr><th>Server</th><th>State</th><th>Circuit</th><th>Calls</th><th>Errors</th><th>p95</th><th>Cost</th><th>Last error</th></tr></thead>
      <tbody></tbody>
    </table>
    <h2>Alerts</h2>
    <table id="alerts" data-testid="alerts">
      <thead><tr><th>Severity</th><th>Rule</th><th>Server</th><th>Message</th><th>Last seen</th></tr></thead>
      <tbody></tbody>
    </table>
    <h2>Detected libraries</h2>
    <table id="libraries" data-testid="libraries">
      <thead><tr><th>Module</th><th>Library id</th><th>Preload</th><th>Documents</th><th>Error</th></tr></thead>
      <tbody></tbody>
    </table>`;

export class DashboardPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelScope: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSent = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: RuntimeHost,
    private readonly logger: Logger,
  ) {}

  /** Registers the serializer so a dashboard open before a reload comes back. */
  register(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel): Promise<void> => this.attach(panel),
    });
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'MCP Dashboard', vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    this.attach(panel);
  }

  isOpen(): boolean {
    return this.panel !== undefined;
  }

  dispose(): void {
    this.panel?.dispose();
    this.detach();
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = renderShell(panel.webview, this.extensionUri, { title: 'MCP Dashboard', bundle: 'dashboard', styles: ['dist/dashboard.css', 'webview.css', 'dashboard.css'], body: BODY });
    this.panelScope.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      this.host.onEvent((event) => {
        if (event.type !== 'config') this.scheduleUpdate();
      }),
      this.host.onDidStart(() => this.scheduleUpdate()),
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.detach();
        }
      }),
    );
  }

  private detach(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const item of this.panelScope.splice(0)) item.dispose();
  }

  private scheduleUpdate(): void {
    if (this.timer || !this.panel) return;
    const wait = Math.max(0, this.lastSent + UPDATE_THROTTLE_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sendNow();
    }, wait);
  }

  private sendNow(): void {
    const runtime = this.host.current();
    if (!runtime || !this.panel) return;
    this.lastSent = Date.now();
    const message: DashboardToWebview = { type: 'data', data: runtime.getDashboardData() };
    void this.panel.webview.postMessage(message);
  }

  private receive(message: unknown): void {
    if (!isDashboardFromWebview(message)) {
      this.logger.warn('Ignored a malformed message from the dashboard.', message);
      return;
    }
    switch (message.type) {
      case 'ready':
        // Starting the runtime here is what makes a restored dashboard show live data.
        this.host.get().then(() => this.sendNow(), (error: unknown) => this.logger.error('The dashboard could not start the runtime.', error));
        return;
      case 'refresh':
        this.sendNow();
        return;
      case 'export':
        void exportMetricsInteractive(this.host, this.logger, message.format);
        return;
    }
  }
}
