/**
 * Feeds the runtime's detector: open documents (visible ones first) when a runtime starts, then
 * opens, edits (as VS Code's content changes) and closes. Only languages with grammars, only file
 * and untitled documents, and nothing huge.
 */
import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import type { RuntimeHost } from './runtime-host';
import { isDetectedLanguage, MAX_DETECTED_DOCUMENT_CHARS } from './languages';

export class DocumentWatcher implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** URIs the current runtime instance has been told about. */
  private tracked = new Set<string>();

  constructor(
    private readonly host: RuntimeHost,
    private readonly logger: Logger,
  ) {
    this.subscriptions.push(
      host.onDidStart(() => {
        this.tracked = new Set();
        this.openAll();
      }),
      vscode.workspace.onDidOpenTextDocument((document) => this.open(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.edit(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.close(document)),
    );
    if (host.current()) this.openAll();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private openAll(): void {
    const visible = new Set(vscode.window.visibleTextEditors.map((e) => e.document));
    const ordered = [...visible, ...vscode.workspace.textDocuments.filter((d) => !visible.has(d))];
    for (const document of ordered) this.open(document, visible.has(document));
  }

  private wanted(document: vscode.TextDocument): boolean {
    return (
      (document.uri.scheme === 'file' || document.uri.scheme === 'untitled') && isDetectedLanguage(document.languageId)
    );
  }

  private open(document: vscode.TextDocument, visible = false): void {
    const runtime = this.host.current();
    const uri = document.uri.toString();
    if (!runtime || !this.wanted(document) || this.tracked.has(uri)) return;
    const text = document.getText();
    if (text.length > MAX_DETECTED_DOCUMENT_CHARS) return;
    this.tracked.add(uri);
    runtime
      .openDocument({ uri, languageId: document.languageId, text, visible })
      .catch((error: unknown) => this.logger.warn(`Detection failed for ${uri}.`, error));
  }

  private edit(event: vscode.TextDocumentChangeEvent): void {
    const runtime = this.host.current();
    const uri = event.document.uri.toString();
    if (!runtime || event.contentChanges.length === 0) return;
    if (!this.tracked.has(uri)) {
      // A language change (e.g. plaintext → python) arrives as a close + open; edits of documents
      // we skipped (too big) stay skipped.
      return;
    }
    const text = event.document.getText();
    if (text.length > MAX_DETECTED_DOCUMENT_CHARS) {
      this.close(event.document);
      return;
    }
    const changes = event.contentChanges.map((c) => ({
      rangeOffset: c.rangeOffset,
      rangeLength: c.rangeLength,
      text: c.text,
    }));
    runtime
      .editDocument(uri, changes, text)
      .catch((error: unknown) => this.logger.warn(`Detection update failed for ${uri}.`, error));
  }

  private close(document: vscode.TextDocument): void {
    const uri = document.uri.toString();
    if (!this.tracked.delete(uri)) return;
    this.host.current()?.closeDocument(uri);
  }
}
