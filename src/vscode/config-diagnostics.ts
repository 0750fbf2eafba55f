/**
 * Configuration errors as problems in the YAML files, at the line and column the runtime reports.
 * Any change to one of the configuration files — saved in the editor, or changed on disk by git or
 * another tool, in the workspace or in the user folder — reloads the configuration, so fixes show
 * up at once.
 *
 * One instance lives as long as one runtime instance (`startConfigDiagnostics` ties it to the
 * host's per-instance scope): a restart after the configuration folder setting changed watches the
 * new folders, and the old runtime's problems disappear with it. Workspace folders added later are
 * watched too, and removed ones no longer are.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpIntegrationApi } from '../core/api';
import type { ConfigError } from '../core/errors';
import type { Logger } from '../core/ports';
import { configErrorEntries } from './config-entries';
import { configFolders } from './host-ports';
import type { RuntimeHost } from './runtime-host';
import { readSettings } from './settings';

/** The YAML files, VS Code's `.vscode/mcp.json` and a workspace `.mcp.json` (servers are imported from both). */
const WATCHED_GLOB = '**/{mcp-config.yaml,mcp-profiles.yaml,library-cache.yaml,mcp.json,.mcp.json}';
/** Edits often arrive as several file events (save, format-on-save, git checkout): reload once. */
const RELOAD_DEBOUNCE_MS = 300;

/** Gives every runtime instance its own diagnostics, disposed with it. */
export function startConfigDiagnostics(host: RuntimeHost, logger: Logger): vscode.Disposable {
  const attach = (runtime: McpIntegrationApi): void => {
    const { userDir, workspaceDir } = configFolders(readSettings().settings);
    host.addToInstance(new ConfigDiagnostics(runtime, logger, [userDir, ...(workspaceDir ? [workspaceDir] : [])]));
  };
  const current = host.current();
  if (current) attach(current);
  return host.onDidStart(attach);
}

export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('mcp-integration-config');
  private readonly subscriptions: Array<{ dispose(): void }> = [];
  /** One watcher per watched folder (by URI), so folders can come and go. */
  private readonly watchers = new Map<string, vscode.Disposable>();
  private reloadTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly runtime: McpIntegrationApi,
    private readonly logger: Logger,
    /** Configuration folders outside the workspace folders (the user folder, a custom workspace path). */
    configDirs: readonly string[],
  ) {
    this.subscriptions.push(
      runtime.onEvent((event) => {
        if (event.type === 'config') this.show(event.errors);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders((change) => {
        for (const folder of change.removed) this.unwatch(folder.uri);
        for (const folder of change.added) this.watch(folder.uri);
        // An added folder may bring a `.mcp.json` or workspace configuration of its own.
        if (change.added.length > 0) this.scheduleReload();
      }),
    );
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.watch(folder.uri);
    for (const dir of configDirs) this.watch(vscode.Uri.file(dir));
    this.show(runtime.configErrors);
  }

  private watch(base: vscode.Uri): void {
    const key = base.toString();
    if (this.watchers.has(key)) return;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, WATCHED_GLOB));
    const schedule = (): void => this.scheduleReload();
    const parts = [
      watcher,
      watcher.onDidChange(schedule),
      watcher.onDidCreate(schedule),
      watcher.onDidDelete(schedule),
    ];
    this.watchers.set(key, {
      dispose: () => {
        for (const part of parts) part.dispose();
      },
    });
  }

  private unwatch(base: vscode.Uri): void {
    const key = base.toString();
    this.watchers.get(key)?.dispose();
    this.watchers.delete(key);
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), RELOAD_DEBOUNCE_MS);
  }

  async reload(): Promise<void> {
    if (this.disposed) return;
    try {
      this.show(await this.runtime.reloadConfig());
    } catch (error) {
      // A failed reload kept the previous configuration whole; the error says why.
      this.logger.error('Reloading the configuration failed.', error);
    }
  }

  show(errors: readonly ConfigError[]): void {
    if (this.disposed) return;
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
    this.disposed = true;
    clearTimeout(this.reloadTimer);
    for (const s of this.subscriptions) s.dispose();
    for (const watcher of this.watchers.values()) watcher.dispose();
    this.watchers.clear();
    this.collection.dispose();
  }
}
