/**
 * The webviews' HTML shell: a strict Content-Security-Policy with a per-render crypto nonce, our own
 * static markup, and script/style tags pointing at bundled files. No data ever goes into this HTML:
 * answers and metrics arrive later by `postMessage`. Pure (no `vscode` import) so it is unit-tested.
 */
import { randomBytes } from 'node:crypto';

/** A fresh nonce: 16 random bytes, base64 (never `Math.random`). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The policy every webview runs under: nothing by default; images, styles and fonts only from the
 * extension's own resources; scripts only with this render's nonce; no network at all.
 */
export function buildCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource}`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export interface WebviewPageOptions {
  title: string;
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  /** Webview URIs (as strings) of the stylesheets, in order. */
  styles: string[];
  /** Webview URI (as a string) of the bundled script. */
  script: string;
  /** Static markup of the page's skeleton; must not contain untrusted text. */
  body: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML attribute or element body. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

export function buildWebviewHtml(options: WebviewPageOptions): string {
  const styles = options.styles.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(buildCsp(options.cspSource, options.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${escapeHtml(options.title)}</title>
  </head>
  <body>
${options.body}
    <script nonce="${escapeHtml(options.nonce)}" src="${escapeHtml(options.script)}"></script>
  </body>
</html>`;
}
