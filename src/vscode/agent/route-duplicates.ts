/**
 * Servers declared for VS Code (a workspace's `.vscode/mcp.json`, the user's mcp.json) that the
 * gateway also exposes: agent mode would see their tools twice, and calls to VS Code's copy
 * bypass the cache. A notification says so, and the command "Route Agent Servers Through MCP
 * Integration" comments those entries out (the gateway keeps serving them) — always through a
 * refactoring preview the person confirms, never silently; undo or removing the `// ` markers
 * restores them.
 */
import * as vscode from 'vscode';
import { findDuplicates, type DuplicateEntry, type ExposedServer } from '../../core/duplicates/find-duplicates';
import { routeEntries } from '../../core/duplicates/routed-entries';
import { minimalReplacement } from '../../core/duplicates/text-edit';
import type { Logger } from '../../core/ports';
import type { RuntimeHost } from '../runtime-host';

export const ROUTE_COMMAND = 'mcpIntegration.routeAgentServers';
const DISMISSED_KEY = 'mcpIntegration.routingDismissed';
const ROUTE = 'Route Through MCP Integration';
const NEVER = "Don't Ask Again";

export interface DuplicateFile {
  uri: vscode.Uri;
  /** How the file is named in messages. */
  label: string;
  text: string;
  duplicates: DuplicateEntry[];
}

/** `.vscode/mcp.json` of each folder, then the user's mcp.json (beside the profile's settings). */
function mcpJsonFiles(context: vscode.ExtensionContext): Array<{ uri: vscode.Uri; label: string }> {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => ({
    uri: vscode.Uri.joinPath(folder.uri, '.vscode', 'mcp.json'),
    label: `${folder.name}/.vscode/mcp.json`,
  }));
  // globalStorageUri is <user data>/User/globalStorage/<extension>; mcp.json sits in User/.
  const user = vscode.Uri.joinPath(context.globalStorageUri, '..', '..', 'mcp.json');
  return [...folders, { uri: user, label: 'your mcp.json' }];
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** The mcp.json files that declare servers the gateway exposes, with those entries. */
export async function findDuplicateFiles(
  context: vscode.ExtensionContext,
  host: RuntimeHost,
): Promise<DuplicateFile[]> {
  const runtime = await host.get();
  if (!runtime.gateway) return [];
  const exposed: ExposedServer[] = runtime.getServerStatuses().map(({ name, kind }) => ({ name, kind }));
  const files: DuplicateFile[] = [];
  for (const file of mcpJsonFiles(context)) {
    const text = await readText(file.uri);
    if (text === undefined) continue;
    const duplicates = findDuplicates(text, exposed);
    if (duplicates.length > 0) files.push({ ...file, text, duplicates });
  }
  return files;
}

/** One edit per file, each needing confirmation, so VS Code shows them in its refactoring preview. */
export function routingEdit(files: readonly DuplicateFile[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const file of files) {
    const after = routeEntries(
      file.text,
      file.duplicates.map((duplicate) => duplicate.name),
    );
    const change = minimalReplacement(file.text, after);
    if (!change) continue;
    const start = offsetPosition(file.text, change.offset);
    const end = offsetPosition(file.text, change.offset + change.length);
    edit.replace(file.uri, new vscode.Range(start, end), change.text, {
      label: `Route ${file.duplicates.map((d) => d.name).join(', ')} through MCP Integration`,
      description: file.label,
      needsConfirmation: true,
    });
  }
  return edit;
}

function offsetPosition(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
}

function describe(files: readonly DuplicateFile[]): string {
  return files.map((file) => `${file.duplicates.map((d) => `"${d.name}"`).join(', ')} in ${file.label}`).join('; ');
}

/** The command: preview and apply, or say there is nothing to route. */
export async function routeAgentServers(context: vscode.ExtensionContext, host: RuntimeHost): Promise<boolean> {
  const files = await findDuplicateFiles(context, host);
  if (files.length === 0) {
    void vscode.window.showInformationMessage('No MCP server is declared both for VS Code and in MCP Integration.');
    return false;
  }
  const applied = await vscode.workspace.applyEdit(routingEdit(files), { isRefactoring: true });
  if (applied) {
    for (const file of files) {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.uri.toString());
      if (document?.isDirty) await document.save();
    }
  }
  return applied;
}

/** Offers routing once per set of duplicates (a new duplicate asks again). */
export async function offerRouting(context: vscode.ExtensionContext, host: RuntimeHost, logger: Logger): Promise<void> {
  try {
    const files = await findDuplicateFiles(context, host);
    if (files.length === 0) return;
    const fingerprint = files.map((f) => `${f.uri.toString()}#${f.duplicates.map((d) => d.name).join(',')}`).join('|');
    if (context.workspaceState.get<string>(DISMISSED_KEY) === fingerprint) return;
    const choice = await vscode.window.showInformationMessage(
      `Agent mode sees these MCP servers twice — from VS Code and through MCP Integration, where calls are cached: ${describe(files)}.`,
      ROUTE,
      NEVER,
    );
    if (choice === ROUTE) await vscode.commands.executeCommand(ROUTE_COMMAND);
    if (choice === NEVER) await context.workspaceState.update(DISMISSED_KEY, fingerprint);
  } catch (error) {
    logger.warn('Could not check mcp.json files for duplicate servers', error);
  }
}

export function registerRouting(
  context: vscode.ExtensionContext,
  host: RuntimeHost,
  logger: Logger,
): vscode.Disposable[] {
  const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/mcp.json');
  const check = (): void => void offerRouting(context, host, logger);
  return [
    vscode.commands.registerCommand(ROUTE_COMMAND, () => routeAgentServers(context, host)),
    host.onDidStart(check),
    watcher,
    watcher.onDidChange(check),
    watcher.onDidCreate(check),
  ];
}
