/** Offsets (UTF-16 units, as VS Code reports them) → tree-sitter edits. */
import { Edit, type Point } from 'web-tree-sitter';
import type { DocumentChange } from './types';

export function positionAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

function advance(start: Point, inserted: string): Point {
  const lastBreak = inserted.lastIndexOf('\n');
  if (lastBreak === -1) return { row: start.row, column: start.column + inserted.length };
  let breaks = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) breaks++;
  return { row: start.row + breaks, column: inserted.length - lastBreak - 1 };
}

/**
 * Applies `change` to `text`, returning the new text and the tree-sitter edit describing it.
 * Out-of-range offsets are clamped, so a confused host cannot make this throw.
 */
export function applyChange(text: string, change: DocumentChange): { text: string; edit: Edit } {
  const start = Math.max(0, Math.min(change.rangeOffset, text.length));
  const oldEnd = Math.max(start, Math.min(start + change.rangeLength, text.length));
  const startPosition = positionAt(text, start);
  const oldEndPosition = positionAt(text, oldEnd);
  const edit = new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: start + change.text.length,
    startPosition,
    oldEndPosition,
    newEndPosition: advance(startPosition, change.text),
  });
  return { text: text.slice(0, start) + change.text + text.slice(oldEnd), edit };
}
