/**
 * The one answer panel: shows a lookup's or fix's answer (content, source layer, latency, cached
 * flag, trail). Reused for every answer; content goes by `postMessage` after the page says it is
 * ready; links open only after the host re-checks them.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import { ANSWER_BODY } from './markup';
import { renderShell, webviewOptions } from './shell';
import {
  isAnswerFromWebview,
  isSafeExternalUrl,
  type AnswerToWebview,
  type AnswerView,
} from '../../../media/src/lib/protocol';

export const ANSWER_VIEW_TYPE = 'mcpIntegration.answer';

export class AnswerPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private pending: AnswerToWebview | undefined;
  private last: AnswerView | undefined;
  private applyHandler: (() => void) | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly logger: Logger,
  ) {}

  /** The answer shown last (for tests). */
  lastAnswer(): AnswerView | undefined {
    return this.last;
  }

  showLoading(query: string): void {
    this.post({ type: 'loading', query });
  }

  /** Shows an answer; `onApply` is offered as the panel's "Apply fix" button when given. */
  show(answer: AnswerView, onApply?: () => void): void {
    this.last = answer;
    this.applyHandler = onApply;
    this.post({ type: 'answer', answer: { ...answer, canApplyEdit: onApply !== undefined } });
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private post(message: AnswerToWebview): void {
    const panel = this.reveal();
    if (this.ready) void panel.webview.postMessage(message);
    else this.pending = message;
  }

  private reveal(): vscode.WebviewPanel {
    if (this.panel) {
      if (!this.panel.visible) this.panel.reveal(vscode.ViewColumn.Beside, true);
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(
      ANSWER_VIEW_TYPE,
      'MCP Answer',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(this.extensionUri),
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    this.ready = false;
    panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message));
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
    });
    // A hidden webview is torn down and reloaded; it says "ready" again and gets the answer again.
    panel.onDidChangeViewState(() => {
      if (!panel.visible) this.ready = false;
    });
    panel.webview.html = renderShell(panel.webview, this.extensionUri, {
      title: 'MCP Answer',
      bundle: 'answer',
      styles: ['webview.css'],
      body: ANSWER_BODY,
    });
    this.panel = panel;
    return panel;
  }

  private receive(message: unknown): void {
    if (!isAnswerFromWebview(message)) {
      this.logger.warn('Ignored a malformed message from the answer panel.', message);
      return;
    }
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        const next: AnswerToWebview | undefined =
          this.pending ??
          (this.last
            ? { type: 'answer', answer: { ...this.last, canApplyEdit: this.applyHandler !== undefined } }
            : undefined);
        this.pending = undefined;
        if (next) void this.panel?.webview.postMessage(next);
        return;
      }
      case 'openLink':
        if (isSafeExternalUrl(message.url)) void vscode.env.openExternal(vscode.Uri.parse(message.url, true));
        else this.logger.warn(`Refused to open a link from an answer: ${message.url.slice(0, 200)}`);
        return;
      case 'applyFix':
        this.applyHandler?.();
        return;
    }
  }
}
