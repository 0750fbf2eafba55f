/**
 * Configuration errors as problems in the YAML files, at the line and column the runtime reports.
 * Saving one of the three files reloads the configuration, so fixes show up at once.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConfigError } from '../core/errors';
import { configErrorEntries } from './config-entries';
import type { Logger } from '../core/ports';
import type { RuntimeHost } from './runtime-host';

const CONFIG_FILES = new Set(['mcp-config.yaml', 'mcp-profiles.yaml', 'library-cache.yaml']);

export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('mcp-integration-config');
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly host: RuntimeHost,
    private readonly logger: Logger,
  ) {
    this.subscriptions.push(
      host.onDidStart((runtime) => this.show(runtime.configErrors)),
      host.onEvent((event) => {
        if (event.type === 'config') this.show(event.errors);
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (document.uri.scheme === 'file' && CONFIG_FILES.has(path.basename(document.uri.fsPath))) void this.reload();
      }),
    );
    const runtime = host.current();
    if (runtime) this.show(runtime.configErrors);
  }

  async reload(): Promise<void> {
    const runtime = this.host.current();
    if (!runtime) return;
    try {
      this.show(await runtime.reloadConfig());
    } catch (error) {
      this.logger.error('Reloading the configuration failed.', error);
    }
  }

  show(errors: readonly ConfigError[]): void {
    this.collection.clear();
    for (const [file, entries] of configErrorEntries(errors)) {
      if (!path.isAbsolute(file)) {
        this.logger.warn(`Configuration error in ${file} (not a file path): ${entries.map((e) => e.message).join('; ')}`);
        continue;
      }
      this.collection.set(
        vscode.Uri.file(file),
        entries.map((entry) => {
          // The runtime gives a start position only; VS Code clamps the end to the line's length.
          const range = new vscode.Range(entry.line, entry.character, entry.line, Number.MAX_SAFE_INTEGER);
          const diagnostic = new vscode.Diagnostic(range, entry.message, vscode.DiagnosticSeverity.Error);
          diagnostic.source = 'MCP Integration';
          return diagnostic;
        }),
      );
    }
    if (errors.length > 0) this.logger.warn(`${errors.length} configuration problem(s); see the Problems view.`);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
