/** Export Metrics: a format (asked for when not given), a save dialog, then the runtime writes the file. */
import * as vscode from 'vscode';
import type { MetricsFormat } from '../core/monitor/types';
import type { Logger } from '../core/ports';
import type { RuntimeHost } from './runtime-host';

const FORMATS: { label: string; format: MetricsFormat; extension: string }[] = [
  { label: 'JSON', format: 'json', extension: 'json' },
  { label: 'Prometheus text format', format: 'prometheus', extension: 'prom' },
];

export async function exportMetricsInteractive(
  host: RuntimeHost,
  logger: Logger,
  format?: MetricsFormat,
): Promise<vscode.Uri | undefined> {
  const choice = format
    ? FORMATS.find((f) => f.format === format)
    : await vscode.window.showQuickPick(FORMATS, { placeHolder: 'Export metrics as…' });
  if (!choice) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const defaultName = `mcp-metrics.${choice.extension}`;
  const target = await vscode.window.showSaveDialog({
    title: 'Export MCP metrics',
    defaultUri: folder ? vscode.Uri.joinPath(folder, defaultName) : undefined,
    filters: { [choice.label]: [choice.extension] },
  });
  if (!target) return undefined;
  if (target.scheme !== 'file') {
    void vscode.window.showErrorMessage('Metrics can only be exported to a local file.');
    return undefined;
  }
  try {
    await (await host.get()).exportMetrics(target.fsPath, choice.format);
    void vscode.window.showInformationMessage(`Exported MCP metrics to ${vscode.workspace.asRelativePath(target)}.`);
    return target;
  } catch (error) {
    logger.error('Exporting metrics failed.', error);
    void vscode.window.showErrorMessage(
      `Exporting metrics failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}
