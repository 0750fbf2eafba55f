/** Every command, registered from one table. Titles, icons and `when` clauses live in package.json. */
import * as vscode from 'vscode';
import type { RuntimeHost } from './runtime-host';
import type { LogChannels } from './logging';
import type { StatusBar } from './status-bar';
import type { DashboardPanel } from './webview/dashboard-panel';
import type { AnswerPanel } from './webview/answer-panel';
import { exportMetricsInteractive } from './export-metrics';
import { findFixCommand, rememberFixCommand, FIND_FIX_COMMAND, REMEMBER_FIX_COMMAND } from './fixes';
import { lookupCommand, lookupSymbolDocsCommand } from './lookup';
import { setEnabled } from './settings';
import { SHOW_ANSWER_COMMAND } from './chat/participant';
import type { AnswerView } from '../../media/src/lib/protocol';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  host: RuntimeHost;
  logs: LogChannels;
  panel: AnswerPanel;
  dashboard: DashboardPanel;
  statusBar: StatusBar;
}

type CommandHandler = (deps: CommandDeps, ...args: unknown[]) => unknown;

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function preloadWorkspace(deps: CommandDeps): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (!folder) {
    void vscode.window.showInformationMessage('Open a folder to preload its libraries.');
    return;
  }
  const runtime = await deps.host.get();
  deps.statusBar.setPreloading(true);
  try {
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'MCP: preloading library docs', cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort(new Error('Cancelled')));
        let reported = 0;
        return runtime.preloadWorkspace(folder.uri.fsPath, {
          signal: controller.signal,
          onProgress: (p) => {
            const total = p.queued + p.running + p.done + p.failed;
            const percent = total > 0 ? ((p.done + p.failed) / total) * 100 : 0;
            progress.report({
              message: p.current ? `${p.current} (${p.done + p.failed}/${total})` : `${p.done + p.failed}/${total}`,
              increment: Math.max(0, percent - reported),
            });
            reported = Math.max(reported, percent);
          },
        });
      },
    );
    void vscode.window.showInformationMessage(
      `Preloaded ${summary.loaded} of ${summary.libraries} libraries (${summary.alreadyCached} already cached, ${summary.failed} failed) in ${(summary.durationMs / 1000).toFixed(1)} s.`,
    );
  } catch (error) {
    deps.logs.logger.warn('Preloading stopped.', error);
    void vscode.window.showWarningMessage(`Preloading stopped: ${errorText(error)}`);
  } finally {
    deps.statusBar.setPreloading(false);
  }
}

async function selectProfile(deps: CommandDeps): Promise<void> {
  const runtime = await deps.host.get();
  const items = runtime
    .listProfiles()
    .map((name) => ({ label: name, description: name === runtime.activeProfile ? 'active' : undefined }));
  const picked = await vscode.window.showQuickPick(items, {
    placeHolder: 'Select the MCP profile (which servers start)',
  });
  if (!picked) return;
  await runtime.selectProfile(picked.label);
  void vscode.window.showInformationMessage(`MCP profile: ${picked.label}`);
}

async function setSecret(deps: CommandDeps, nameArg?: unknown): Promise<void> {
  const name =
    typeof nameArg === 'string' && SECRET_NAME.test(nameArg)
      ? nameArg
      : await vscode.window.showInputBox({
          title: 'MCP: Set Secret',
          prompt: 'Secret name, as used in ${secret:NAME} in mcp-config.yaml',
          placeHolder: 'GITHUB_TOKEN',
          validateInput: (value) =>
            SECRET_NAME.test(value) ? undefined : 'Letters, digits, _ . - ; starting with a letter or _',
        });
  if (!name) return;
  const value = await vscode.window.showInputBox({
    title: `MCP: Set Secret ${name}`,
    prompt: 'Value (stored in VS Code SecretStorage)',
    password: true,
    ignoreFocusOut: true,
  });
  if (value === undefined) return;
  await deps.context.secrets.store(name, value);
  const choice = await vscode.window.showInformationMessage(
    `Stored secret ${name}. Servers read it when they start.`,
    'Restart Servers',
  );
  if (choice) await vscode.commands.executeCommand('mcpIntegration.restartServers');
}

async function showLogs(deps: CommandDeps): Promise<void> {
  const servers = [...deps.logs.serverChannels().entries()];
  if (servers.length === 0) {
    deps.logs.main.show();
    return;
  }
  const items = [
    { label: deps.logs.main.name, channel: deps.logs.main },
    ...servers.map(([name, channel]) => ({ label: `MCP: ${name}`, description: 'server stderr', channel })),
  ];
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Which log?' });
  picked?.channel.show();
}

async function withErrorMessage(action: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    void vscode.window.showErrorMessage(`${action} failed: ${errorText(error)}`);
  }
}

/** The chat's "Open in answer panel" button passes the answer back; anything else is ignored. */
function isAnswerView(value: unknown): value is AnswerView {
  if (typeof value !== 'object' || value === null) return false;
  const view = value as Partial<AnswerView>;
  return (
    typeof view.query === 'string' &&
    typeof view.success === 'boolean' &&
    (typeof view.content === 'string' || view.content === null) &&
    typeof view.latencyMs === 'number' &&
    typeof view.cached === 'boolean' &&
    Array.isArray(view.trail)
  );
}

export const COMMANDS: Record<string, CommandHandler> = {
  'mcpIntegration.lookup': (d, query) => lookupCommand({ host: d.host, panel: d.panel, logger: d.logs.logger }, query),
  'mcpIntegration.lookupSymbolDocs': (d) =>
    lookupSymbolDocsCommand({ host: d.host, panel: d.panel, logger: d.logs.logger }),
  'mcpIntegration.showDashboard': (d) => d.dashboard.show(),
  'mcpIntegration.preloadWorkspace': (d) => preloadWorkspace(d),
  'mcpIntegration.clearCache': (d) =>
    withErrorMessage('Clearing the cache', async () => {
      await (await d.host.get()).clearCache();
      void vscode.window.showInformationMessage('MCP cache cleared.');
    }),
  'mcpIntegration.restartServers': (d) =>
    withErrorMessage('Restarting the servers', async () => {
      await (await d.host.get()).restartServers();
      void vscode.window.showInformationMessage('MCP servers restarted.');
    }),
  'mcpIntegration.selectProfile': (d) => withErrorMessage('Selecting the profile', () => selectProfile(d)),
  'mcpIntegration.setSecret': (d, name) => setSecret(d, name),
  'mcpIntegration.exportMetrics': (d, format) =>
    exportMetricsInteractive(d.host, d.logs.logger, format === 'json' || format === 'prometheus' ? format : undefined),
  'mcpIntegration.showLogs': (d) => showLogs(d),
  'mcpIntegration.enable': () => setEnabled(true),
  'mcpIntegration.disable': () => setEnabled(false),
  [SHOW_ANSWER_COMMAND]: (d, view) => {
    if (isAnswerView(view)) d.panel.show({ ...view, kind: view.kind === 'fix' ? 'fix' : 'lookup' });
  },
  [FIND_FIX_COMMAND]: (d, info, uri) =>
    findFixCommand({ host: d.host, panel: d.panel, logger: d.logs.logger }, info, uri),
  [REMEMBER_FIX_COMMAND]: (d, info, uri) =>
    rememberFixCommand({ host: d.host, panel: d.panel, logger: d.logs.logger }, info, uri),
};

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => handler(deps, ...args)),
  );
}
