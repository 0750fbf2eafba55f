/**
 * Runs a task with quiet progress in the status bar; only if it is still running after a moment
 * does a cancellable notification appear. Cancelling aborts the task's AbortSignal.
 */
import * as vscode from 'vscode';

/** How long a task runs before its progress becomes a notification. */
export const SLOW_TASK_MS = 800;

export async function withQuietProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const running = task(controller.signal);
  const settled = running.then(
    () => undefined,
    () => undefined,
  );
  const timer = setTimeout(() => {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => controller.abort(new Error('Cancelled')));
        return settled;
      },
    );
  }, SLOW_TASK_MS);
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, () => running);
  } finally {
    clearTimeout(timer);
  }
}
