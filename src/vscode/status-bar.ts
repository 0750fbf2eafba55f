/**
 * The status bar item: cache hit rate, coloured by the worst open alert, spinning while preloading,
 * with a per-server tooltip; a click opens the dashboard. Updates are throttled.
 */
import * as vscode from 'vscode';
import type { PreloadProgress } from '../core/api';
import type { RuntimeHost } from './runtime-host';
import { formatStatus, type StatusSeverity } from './status-format';

const UPDATE_THROTTLE_MS = 500;
const BACKGROUNDS: Record<StatusSeverity, vscode.ThemeColor | undefined> = {
  none: undefined,
  warning: new vscode.ThemeColor('statusBarItem.warningBackground'),
  error: new vscode.ThemeColor('statusBarItem.errorBackground'),
};

export function isPreloading(progress: PreloadProgress): boolean {
  return progress.queued + progress.running > 0;
}

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'mcpIntegration.status',
    vscode.StatusBarAlignment.Right,
    100,
  );
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private preloading = false;
  private visible: boolean;
  private enabled: boolean;

  constructor(
    private readonly host: RuntimeHost,
    options: { visible: boolean; enabled: boolean },
  ) {
    this.visible = options.visible;
    this.enabled = options.enabled;
    this.item.name = 'MCP Integration';
    this.item.command = 'mcpIntegration.showDashboard';
    this.subscriptions.push(
      host.onEvent((event) => {
        if (event.type === 'preload') this.preloading = isPreloading(event.progress);
        if (event.type !== 'detection') this.schedule();
      }),
      host.onDidStart(() => this.schedule()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule()),
    );
    this.update();
  }

  configure(options: { visible: boolean; enabled: boolean }): void {
    this.visible = options.visible;
    this.enabled = options.enabled;
    this.update();
  }

  /** Marks preloading started/finished by a host command (the runtime also reports it by events). */
  setPreloading(preloading: boolean): void {
    this.preloading = preloading;
    this.update();
  }

  text(): string {
    return this.item.text;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, UPDATE_THROTTLE_MS);
  }

  private update(): void {
    if (!this.visible) {
      this.item.hide();
      return;
    }
    const view = formatStatus({
      data: this.host.current()?.getDashboardData(),
      preloading: this.preloading,
      enabled: this.enabled,
      restricted: !vscode.workspace.isTrusted,
    });
    this.item.text = view.text;
    this.item.backgroundColor = BACKGROUNDS[view.severity];
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = {
      label: `MCP Integration: ${view.text.replace(/\$\([^)]*\)\s*/g, '')} cache hit rate`,
    };
    this.item.show();
  }
}
