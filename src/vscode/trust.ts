/**
 * Workspace trust: in Restricted Mode, servers declared by the workspace do not start. Explain it
 * once per workspace, and start a fresh runtime when the user grants trust.
 */
import * as vscode from 'vscode';
import type { RuntimeHost } from './runtime-host';

const NOTICE_SHOWN_KEY = 'mcpIntegration.restrictedNoticeShown';

export function watchWorkspaceTrust(context: vscode.ExtensionContext, host: RuntimeHost): vscode.Disposable {
  if (!vscode.workspace.isTrusted && !context.workspaceState.get<boolean>(NOTICE_SHOWN_KEY)) {
    void context.workspaceState.update(NOTICE_SHOWN_KEY, true);
    void vscode.window
      .showInformationMessage(
        'MCP Integration runs in Restricted Mode: servers declared by this workspace will not start until you trust it.',
        'Manage Workspace Trust',
      )
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
  }
  return vscode.workspace.onDidGrantWorkspaceTrust(() => {
    void host.restart();
  });
}
