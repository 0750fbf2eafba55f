/**
 * Edits inside one function, detected from that function's text alone.
 *
 * An incremental reparse of a large file costs far more than the member work of one edit (in a
 * Java class of 400 methods, 10–14 ms against under 1 ms), because tree-sitter re-walks the spine
 * of the tree around the edit. When an edit lies strictly inside a construct that owns its rows
 * (the outermost function around it, or the declaration holding that function), parsing just that
 * construct's text says what it now uses: the rest of the file did not change, and the construct
 * holds every use and local declaration that can change with it. The DocumentIndex applies that
 * at once and reparses the whole tree later (see its settle step), so the settled result is always
 * the one a full parse gives.
 */
import type { Edit, Node, Tree } from 'web-tree-sitter';
import type { MemberSpec } from './members/spec';
import type { RowRange } from './sliced';

/** The construct an edit falls in, in the document's coordinates before the edit. */
export interface EditUnit {
  type: string;
  startOffset: number;
  endOffset: number;
  startRow: number;
  endRow: number;
  /** Text put before and after the construct so it parses on its own (see `MemberSpec.wrapUnit`). */
  prefix: string;
  suffix: string;
}

/** The construct after the edit: its text to parse and where its rows go. */
export interface EditedUnit {
  type: string;
  /** Wrapper + the construct's row start (whitespace) + the construct + wrapper. */
  snippet: string;
  /** Offsets of the construct inside `snippet`. */
  start: number;
  end: number;
  /** Add to a snippet row to get the document row. */
  rowShift: number;
  rows: RowRange;
}

const isBlank = (text: string): boolean => text.trim() === '';

/** Offset of the start of the line holding `offset`. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end;
}

/**
 * The construct a single edit falls strictly inside, or null when the edit touches anything else
 * (module level, a construct's first or last character, a line shared with other code).
 */
export function findEditUnit(spec: MemberSpec, tree: Tree, text: string, edit: Edit): EditUnit | null {
  const { startIndex, oldEndIndex } = edit;
  let outermost: Node | null = null;
  for (let node: Node | null = tree.rootNode.descendantForIndex(startIndex, oldEndIndex); node; node = node.parent)
    if (spec.functionTypes.has(node.type)) outermost = node;
  for (let node: Node | null = outermost; node && node.parent; node = node.parent) {
    const start = node.startIndex;
    const end = node.endIndex;
    if (!isBlank(text.slice(lineStart(text, start), start)) || !isBlank(text.slice(end, lineEnd(text, end)))) continue;
    if (!(start < startIndex && oldEndIndex < end)) return null;
    const wrap = spec.wrapUnit?.(node) ?? { prefix: '', suffix: '' };
    return {
      type: node.type,
      startOffset: start,
      endOffset: end,
      startRow: node.startPosition.row,
      endRow: node.endPosition.row,
      ...wrap,
    };
  }
  return null;
}

/** The unit once `edit` (which lies strictly inside it) is applied; `text` is the text after the edit. */
export function editedUnit(unit: EditUnit, edit: Edit, text: string): EditedUnit {
  const delta = edit.newEndIndex - edit.oldEndIndex;
  const rowDelta = edit.newEndPosition.row - edit.oldEndPosition.row;
  const rowStart = lineStart(text, unit.startOffset);
  const body = text.slice(rowStart, unit.endOffset + delta);
  const snippet = unit.prefix + body + unit.suffix;
  const prefixRows = unit.prefix.split('\n').length - 1;
  return {
    type: unit.type,
    snippet,
    start: unit.prefix.length + (unit.startOffset - rowStart),
    end: unit.prefix.length + body.length,
    rowShift: unit.startRow - prefixRows,
    rows: { startRow: unit.startRow, endRow: unit.endRow + rowDelta },
  };
}

/** Whether the snippet's tree holds the construct as one node of the same type, spanning all of it. */
export function parsedAsUnit(tree: Tree, unit: EditedUnit): boolean {
  for (let node: Node | null = tree.rootNode.descendantForIndex(unit.start, unit.end); node; node = node.parent) {
    if (node.startIndex !== unit.start || node.endIndex !== unit.end) return false;
    if (node.type === unit.type) return true;
  }
  return false;
}
