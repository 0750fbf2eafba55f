/**
 * The metrics dashboard: one panel at a time, restored after a reload by its serializer, fed by
 * `postMessage` with the runtime's dashboard data whenever metrics, servers or preloading change
 * (throttled). Export buttons ask the host, which shows the save dialog and writes the file.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import type { RuntimeHost } from '../runtime-host';
import { exportMetricsInteractive } from '../export-metrics';
import { DASHBOARD_BODY } from './markup';
import { renderShell, webviewOptions } from './shell';
import { isDashboardFromWebview, type DashboardToWebview } from '../../../media/src/lib/protocol';

export const DASHBOARD_VIEW_TYPE = 'mcpIntegration.dashboard';
/** At most one data message per this many milliseconds. */
const UPDATE_THROTTLE_MS = 1000;

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
    const panel = vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      'MCP Dashboard',
      vscode.ViewColumn.Active,
      webviewOptions(this.extensionUri),
    );
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
    const previous = this.panel;
    if (previous) {
      // Release the old panel's listeners first: its dispose event may arrive after the swap.
      this.panel = undefined;
      this.detach();
      previous.dispose();
    }
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = renderShell(panel.webview, this.extensionUri, {
      title: 'MCP Dashboard',
      bundle: 'dashboard',
      styles: ['dist/dashboard.css', 'webview.css', 'dashboard.css'],
      body: DASHBOARD_BODY,
    });
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
        this.host.get().then(
          () => this.sendNow(),
          (error: unknown) => this.logger.error('The dashboard could not start the runtime.', error),
        );
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
