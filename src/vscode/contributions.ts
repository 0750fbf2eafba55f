/**
 * Wires every VS Code contribution to the runtime host: commands, hover, quick fixes, the document
 * watcher, status bar, config diagnostics, trust handling, the dashboard serializer and settings.
 * All disposables go into the extension's scope.
 */
import * as vscode from 'vscode';
import type { RuntimeHost } from './runtime-host';
import type { DisposableScope } from './disposables';
import type { LogChannels } from './logging';
import { registerCommands } from './commands';
import { startConfigDiagnostics } from './config-diagnostics';
import { DocumentWatcher } from './document-watcher';
import { registerFixProvider } from './fixes';
import { registerHoverProvider } from './hover';
import { readSettings } from './settings';
import { classifyChange, type ExtensionSettings } from './settings-model';
import { StatusBar } from './status-bar';
import { registerChatParticipant, type ChatActivity } from './chat/participant';
import { registerLanguageModelTools } from './chat/lm-tools';
import { watchWorkspaceTrust } from './trust';
import { registerAgentServerProvider, type AgentServerProvider } from './agent/mcp-provider';
import { registerRouting } from './agent/route-duplicates';
import { AnswerPanel } from './webview/answer-panel';
import { DashboardPanel } from './webview/dashboard-panel';

export interface Contributions {
  panel: AnswerPanel;
  statusBar: StatusBar;
  chat: ChatActivity;
  /** The "MCP Integration" server definition for agent mode; undefined where VS Code has no MCP API. */
  agentServer: AgentServerProvider | undefined;
}

export function registerContributions(
  context: vscode.ExtensionContext,
  scope: DisposableScope,
  host: RuntimeHost,
  logs: LogChannels,
  settings: ExtensionSettings,
): Contributions {
  const logger = logs.logger;
  const panel = scope.add(new AnswerPanel(context.extensionUri, logger));
  const dashboard = scope.add(new DashboardPanel(context.extensionUri, host, logger));
  const statusBar = scope.add(
    new StatusBar(host, { visible: settings.statusBarEnabled, enabled: settings.runtime.enabled }),
  );
  scope.add(dashboard.register());
  for (const command of registerCommands({ context, host, logs, panel, dashboard, statusBar })) scope.add(command);
  scope.add(registerHoverProvider(host));
  for (const tool of registerLanguageModelTools(host)) scope.add(tool);
  const chat: ChatActivity = { registered: false, handled: [] };
  try {
    for (const participant of registerChatParticipant(host, context.extensionUri, chat)) scope.add(participant);
  } catch (error) {
    // A host without chat (or one that refuses the participant) keeps every other feature.
    logger.warn('The @mcp chat participant could not be registered', error);
  }
  const agentServer = registerAgentServer(context, scope, host, logs);
  for (const item of registerRouting(context, host, logger)) scope.add(item);
  scope.add(registerFixProvider(host));
  scope.add(new DocumentWatcher(host, logger));
  scope.add(startConfigDiagnostics(host, logger));
  scope.add(watchWorkspaceTrust(context, host));
  scope.add(vscode.workspace.onDidChangeConfiguration((event) => applySettingsChange(event, host, logs, statusBar)));
  return { panel, statusBar, chat, agentServer };
}

function registerAgentServer(
  context: vscode.ExtensionContext,
  scope: DisposableScope,
  host: RuntimeHost,
  logs: LogChannels,
): AgentServerProvider | undefined {
  try {
    const api = {
      get gateway() {
        return host.current()?.gateway;
      },
    };
    return scope.add(registerAgentServerProvider(context, host, api, logs.logger));
  } catch (error) {
    // A host without VS Code's MCP client keeps every other feature.
    logs.logger.warn('The MCP server definition for agent mode could not be registered', error);
    return undefined;
  }
}

function applySettingsChange(
  event: vscode.ConfigurationChangeEvent,
  host: RuntimeHost,
  logs: LogChannels,
  statusBar: StatusBar,
): void {
  const change = classifyChange((key) => event.affectsConfiguration(key));
  if (change === 'none') return;
  const { settings, warnings } = readSettings();
  for (const warning of warnings) logs.logger.warn(warning);
  if (warnings.length > 0) void vscode.window.showWarningMessage(`MCP Integration: ${warnings[0]}`);
  logs.setThreshold(settings.logLevel);
  statusBar.configure({ visible: settings.statusBarEnabled, enabled: settings.runtime.enabled });
  host.current()?.updateSettings(settings.runtime);
  if (change === 'restart') {
    void vscode.window
      .showInformationMessage('MCP Integration needs a restart to read configuration from the new location.', 'Restart')
      .then((choice) => {
        if (choice) void host.restart();
      });
  }
}
