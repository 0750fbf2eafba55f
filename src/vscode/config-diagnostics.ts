/**
 * Configuration errors as problems in the YAML files, at the line and column the runtime reports.
 * Any change to one of the configuration files — saved in the editor, or changed on disk by git or
 * another tool, in the workspace or in the user folder — reloads the configuration, so fixes show
 * up at once.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConfigError } from '../core/errors';
import { configErrorEntries } from './config-entries';
import type { Logger } from '../core/ports';
import type { RuntimeHost } from './runtime-host';

/** The YAML files, VS Code's `.vscode/mcp.json` and a workspace `.mcp.json` (servers are imported from both). */
const WATCHED_GLOB = '**/{mcp-config.yaml,mcp-profiles.yaml,library-cache.yaml,mcp.json,.mcp.json}';
/** Edits often arrive as several file events (save, format-on-save, git checkout): reload once. */
const RELOAD_DEBOUNCE_MS = 300;

export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('mcp-integration-config');
  private readonly subscriptions: vscode.Disposable[] = [];

  private reloadTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: RuntimeHost,
    private readonly logger: Logger,
    userConfigDir?: string,
  ) {
    this.subscriptions.push(
      host.onDidStart((runtime) => this.show(runtime.configErrors)),
      host.onEvent((event) => {
        if (event.type === 'config') this.show(event.errors);
      }),
    );
    for (const base of [
      ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri),
      ...(userConfigDir ? [vscode.Uri.file(userConfigDir)] : []),
    ]) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, WATCHED_GLOB));
      const schedule = (): void => this.scheduleReload();
      this.subscriptions.push(
        watcher,
        watcher.onDidChange(schedule),
        watcher.onDidCreate(schedule),
        watcher.onDidDelete(schedule),
      );
    }
    const runtime = host.current();
    if (runtime) this.show(runtime.configErrors);
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), RELOAD_DEBOUNCE_MS);
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
        this.logger.warn(
          `Configuration error in ${file} (not a file path): ${entries.map((e) => e.message).join('; ')}`,
        );
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
    clearTimeout(this.reloadTimer);
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
