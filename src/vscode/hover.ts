/**
 * Hovers on imported names show cached docs: the member's own docs when the name is a member
 * (`pd.read_csv`, `useEffect`, `gin.Default`), else — or while the member's docs are being
 * fetched in the background — the library's. Cache only — a hover never waits for a server —
 * rendered as untrusted Markdown (no commands, no HTML).
 */
import * as vscode from 'vscode';
import type { RuntimeHost } from './runtime-host';
import { DETECTED_LANGUAGES } from './languages';
import { DOTTED_NAME, hoverMarkdown, resolveSymbol } from './symbol-docs';

export function registerHoverProvider(host: RuntimeHost): vscode.Disposable {
  const selector = DETECTED_LANGUAGES.map((language) => ({ language }));
  return vscode.languages.registerHoverProvider(selector, {
    provideHover(document, position): vscode.Hover | undefined {
      const runtime = host.current();
      const range = document.getWordRangeAtPosition(position, DOTTED_NAME);
      if (!runtime || !range) return undefined;
      const expression = document.getText(range);
      const target = resolveSymbol(
        expression,
        runtime.getDetection(document.uri.toString()),
        position.character - range.start.character,
      );
      const libraryId = target?.library?.libraryId;
      if (!target || !libraryId) return undefined;
      const name = target.library?.packageName ?? target.module;
      const memberDocs = target.memberPath ? runtime.cachedMemberDocs(libraryId, target.memberPath) : null;
      const docs = memberDocs ?? runtime.cachedDocsFor(libraryId);
      if (!docs) return undefined;
      const title = memberDocs ? `${name} ${target.memberPath}` : name;
      const markdown = new vscode.MarkdownString(hoverMarkdown(docs, title));
      markdown.isTrusted = false;
      markdown.supportHtml = false;
      markdown.supportThemeIcons = false;
      return new vscode.Hover(markdown, range);
    },
  });
}
