/** VS Code cancellation tokens as the AbortSignals the runtime takes. */
import * as vscode from 'vscode';

export function signalFrom(token: vscode.CancellationToken): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort(new Error('Cancelled'));
  const listener = token.onCancellationRequested(() => controller.abort(new Error('Cancelled')));
  return {
    signal: controller.signal,
    dispose: (): void => {
      listener.dispose();
    },
  };
}

/** The most severe diagnostic under the cursor or inside the selection of the active editor. */
export function diagnosticAtCursor(): { diagnostic: vscode.Diagnostic; document: vscode.TextDocument } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const { selection, document } = editor;
  const hits = vscode.languages
    .getDiagnostics(document.uri)
    .filter((d) =>
      selection.isEmpty ? d.range.contains(selection.active) : d.range.intersection(selection) !== undefined,
    )
    .sort((a, b) => a.severity - b.severity);
  const diagnostic = hits[0];
  return diagnostic ? { diagnostic, document } : undefined;
}
