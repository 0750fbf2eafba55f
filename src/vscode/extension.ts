/**
 * The extension's entry point: builds the runtime host (the runtime itself starts right after
 * activation, its servers and grammars only on first need), registers the contributions, and
 * returns the API. Two disposal scopes: this one for the extension's life, and the runtime host's
 * per-instance scope that a restart clears.
 */
import * as vscode from 'vscode';
import { createRuntime } from '../core/runtime';
import { createApiFacade, type McpIntegrationExtensionApi } from './api-facade';
import { registerContributions } from './contributions';
import { DisposableScope } from './disposables';
import { createHostPorts } from './host-ports';
import { LogChannels } from './logging';
import { RuntimeHost } from './runtime-host';
import { readSettings } from './settings';

let active: { host: RuntimeHost; scope: DisposableScope } | undefined;

export function activate(context: vscode.ExtensionContext): McpIntegrationExtensionApi {
  const scope = new DisposableScope();
  const { settings, warnings } = readSettings();
  const logs = scope.add(new LogChannels(settings.logLevel));
  for (const warning of warnings) logs.logger.warn(warning);
  const host = scope.add(
    new RuntimeHost(() => {
      const current = readSettings().settings;
      return createRuntime(createHostPorts(context, logs, current), {
        ...current.runtime,
        installationId: vscode.env.machineId,
      });
    }),
  );
  active = { host, scope };
  const ui = registerContributions(context, scope, host, logs, settings);
  const ready = host.get().then(() => undefined);
  ready.catch((error: unknown) => reportStartFailure(logs, host, error));
  return createApiFacade(host, {
    lastAnswer: () => ui.panel.lastAnswer(),
    statusText: () => ui.statusBar.text(),
    chatActivity: () => ui.chat,
    agentToolsVersion: () => ui.agentServer?.version,
    ready: () => ready,
  });
}

export function deactivate(): Promise<void> | undefined {
  const current = active;
  active = undefined;
  return current?.host.stop().finally(() => current.scope.dispose());
}

function reportStartFailure(logs: LogChannels, host: RuntimeHost, error: unknown): void {
  logs.logger.error('MCP Integration failed to start.', error);
  const detail = error instanceof Error ? error.message : String(error);
  void vscode.window
    .showErrorMessage(`MCP Integration failed to start: ${detail}`, 'Show Logs', 'Retry')
    .then((choice) => {
      if (choice === 'Show Logs') logs.main.show();
      if (choice === 'Retry') host.get().catch((retryError: unknown) => reportStartFailure(logs, host, retryError));
    });
}
