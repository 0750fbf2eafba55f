/**
 * Hovers on imported names show the library's cached docs. Cache only — a hover never waits for a
 * server — rendered as untrusted Markdown (no commands, no HTML).
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
      const docs = runtime.cachedDocsFor(libraryId);
      if (!docs) return undefined;
      const markdown = new vscode.MarkdownString(hoverMarkdown(docs, target.library?.packageName ?? target.module));
      markdown.isTrusted = false;
      markdown.supportHtml = false;
      markdown.supportThemeIcons = false;
      return new vscode.Hover(markdown, range);
    },
  });
}
