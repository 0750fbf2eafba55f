/**
 * The runtime's ports, implemented with VS Code: storage in the extension's global storage, tokens
 * in SecretStorage, logs in log output channels, the host's own workspace-symbol providers as the
 * code-symbol layer, and workspace trust deciding whether workspace-declared servers may start.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostPorts, HostSymbol, SymbolsPort } from '../core/ports';
import type { LogChannels } from './logging';
import type { ExtensionSettings } from './settings-model';

/** Most workspace symbols handed to the runtime per query. */
const MAX_SYMBOLS = 50;

export function createHostPorts(
  context: vscode.ExtensionContext,
  logs: LogChannels,
  settings: ExtensionSettings,
): HostPorts {
  return {
    storageDir: context.globalStorageUri.fsPath,
    logger: logs.logger,
    serverLogger: (serverName) => logs.serverLogger(serverName),
    secrets: { get: (name) => Promise.resolve(context.secrets.get(name)) },
    symbols: workspaceSymbols(),
    config: { defaultsDir: context.asAbsolutePath('config'), ...configFolders(settings) },
    workspaceFolder: workspaceFolderPath(),
    isWorkspaceTrusted: () => vscode.workspace.isTrusted,
  };
}

/** The user's configuration folder: the setting, else `~/.mcp-integration` (the CLI's default too). */
export function userConfigDir(settings: Pick<ExtensionSettings, 'configDirectory'>): string {
  return settings.configDirectory || path.join(os.homedir(), '.mcp-integration');
}

/** The user and workspace configuration folders the settings point at (read when a runtime starts). */
export function configFolders(settings: Pick<ExtensionSettings, 'configDirectory' | 'workspaceConfigPath'>): {
  userDir: string;
  workspaceDir: string | undefined;
} {
  return { userDir: userConfigDir(settings), workspaceDir: workspaceConfigDir(settings.workspaceConfigPath) };
}

/** The first local workspace folder: `${workspaceFolder}` and where `.vscode/mcp.json` is read. */
function workspaceFolderPath(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder && folder.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

function workspaceConfigDir(relative: string): string | undefined {
  const root = workspaceFolderPath();
  return root ? path.resolve(root, relative) : undefined;
}

function workspaceSymbols(): SymbolsPort {
  return {
    async findSymbols(query: string, signal?: AbortSignal): Promise<HostSymbol[]> {
      signal?.throwIfAborted();
      const search = Promise.resolve(
        vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>(
          'vscode.executeWorkspaceSymbolProvider',
          query,
        ),
      );
      // The command cannot be cancelled; an abort stops waiting for it.
      const aborted = new Promise<never>((_, reject) =>
        signal?.addEventListener(
          'abort',
          () => reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason))),
          { once: true },
        ),
      );
      const found = (await Promise.race([search, aborted])) ?? [];
      return found.slice(0, MAX_SYMBOLS).map((symbol) => ({
        name: symbol.name,
        // A kind newer than these typings has no name.
        kind: (vscode.SymbolKind[symbol.kind] as string | undefined) ?? 'Unknown',
        containerName: symbol.containerName || undefined,
        location: symbol.location.uri.scheme === 'file' ? symbol.location.uri.fsPath : symbol.location.uri.toString(),
        line: symbol.location.range.start.line,
      }));
    },
  };
}
