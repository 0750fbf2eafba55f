/**
 * From the dotted expression under the cursor and a document's detection, which library it comes
 * from and what to ask about it. Pure (no `vscode` import), so hover and "Look Up Docs for Symbol
 * at Cursor" share it and it is unit-tested.
 */
import type { DetectedLibrary, DocumentDetection } from '../core/api';

/** Matches dotted names like `np.linalg.norm` or `React.useState`, and Rust paths like `tokio::spawn`. */
export const DOTTED_NAME = /[A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)*/;

export interface SymbolTarget {
  /** The imported module the expression's first name is bound to. */
  module: string;
  library: DetectedLibrary | undefined;
  /** What follows the bound name (`linalg.norm`), empty for the name itself. */
  member: string;
  /**
   * The member of the module the expression names, as member detection names it: what the bound
   * name stands for plus what follows (`nn` + `Linear` → `nn.Linear`; `useEffect`); empty for a module.
   */
  memberPath: string;
  /** A question for the docs layer: package and member. */
  query: string;
}

/**
 * Resolves `expression` (a dotted name) against the document's import bindings. Only the part of
 * the expression up to `cursorOffset` (offset of the cursor inside it) counts, so hovering `np` in
 * `np.linalg.norm` asks about numpy, not about `norm`.
 */
export function resolveSymbol(
  expression: string,
  detection: DocumentDetection | undefined,
  cursorOffset = expression.length,
): SymbolTarget | undefined {
  if (!detection) return undefined;
  const dotted = expression.replace(/::/g, '.');
  // `::` became `.`: one character shorter each, before the cursor too.
  const before = expression.slice(0, Math.max(0, cursorOffset)).split('::').length - 1;
  const end = dotted.indexOf('.', Math.max(0, cursorOffset - before));
  const parts = (end === -1 ? dotted : dotted.slice(0, end)).split('.');
  const head = parts[0] ?? '';
  const binding = detection.bindings.find((b) => b.localName === head);
  const module = binding?.module ?? detection.modules.find((m) => m.name === head)?.name;
  if (!module) return undefined;
  const library = findLibrary(detection.libraries, module);
  const member = parts.slice(1).join('.');
  const memberPath = [binding?.path ?? '', member].filter(Boolean).join('.');
  const name = library?.packageName ?? module;
  return { module, library, member, memberPath, query: memberPath ? `${name} ${memberPath}` : name };
}

/** The library for a module: exact match first, then its top-level package (`os.path` → `os`). */
export function findLibrary(libraries: readonly DetectedLibrary[], module: string): DetectedLibrary | undefined {
  const exact = libraries.find((l) => l.module === module);
  if (exact) return exact;
  return libraries
    .filter((l) => module.startsWith(`${l.module}.`) || module.startsWith(`${l.module}/`))
    .sort((a, b) => b.module.length - a.module.length)[0];
}

/** Longest hover text; docs are cut at a line boundary and say so. */
export const MAX_HOVER_CHARS = 1500;

/**
 * Makes cached docs fit for a hover: images become their alt text (hovers would otherwise fetch
 * remote images), raw HTML tags are dropped, and long text is cut at a line boundary.
 */
export function hoverMarkdown(docs: string, title: string): string {
  const withoutImages = docs.replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<\/?[A-Za-z][^>]*>/g, '');
  let body = withoutImages;
  if (body.length > MAX_HOVER_CHARS) {
    const cut = body.lastIndexOf('\n', MAX_HOVER_CHARS);
    body = `${body.slice(0, cut > MAX_HOVER_CHARS / 2 ? cut : MAX_HOVER_CHARS)}\n\n…`;
    // An unterminated code fence would swallow the rest of the hover.
    if ((body.match(/^```/gm)?.length ?? 0) % 2 === 1) body += '\n```';
  }
  return `**${title}** (MCP, cached)\n\n${body}`;
}
