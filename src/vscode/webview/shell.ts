/** VS Code side of the webview shell: options limited to `media/`, and HTML with fresh nonces. */
import * as vscode from 'vscode';
import { buildWebviewHtml, createNonce } from './html';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export interface ShellOptions {
  title: string;
  /** Bundle name under media/dist, without extension (`answer`, `dashboard`). */
  bundle: string;
  /** Stylesheets relative to media/. */
  styles: string[];
  body: string;
}

export function renderShell(webview: vscode.Webview, extensionUri: vscode.Uri, options: ShellOptions): string {
  const media = (relative: string): string =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...relative.split('/'))).toString();
  return buildWebviewHtml({
    title: options.title,
    cspSource: webview.cspSource,
    nonce: createNonce(),
    styles: options.styles.map(media),
    script: media(`dist/${options.bundle}.js`),
    body: options.body,
  });
}
