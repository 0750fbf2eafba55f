/**
 * Time-sliced parsing and querying, so no synchronous step blocks the host for long.
 *
 * Parsing: tree-sitter's `progressCallback` cancels a parse when the slice budget is spent; the
 * next `parse` call with the same input resumes where it stopped (verified to give the identical
 * tree), so we yield to the event loop between slices. Querying: a whole-tree query cannot be
 * resumed, so it runs over row chunks sized to fit the budget, yielding between chunks. Row
 * positions are used (not indices) because web-tree-sitter 0.27.1 passes query index ranges to wasm
 * unconverted (in bytes of its UTF-16 buffer), while rows are unambiguous.
 */
import type { Parser, Query, QueryMatch, Tree } from 'web-tree-sitter';

export interface SliceOptions {
  /** Longest synchronous slice, in ms. */
  sliceMs: number;
  /** Called with the duration of every synchronous step, for the "longest step" statistic. */
  onStep: (ms: number) => void;
}

/** Inclusive row range. */
export interface RowRange {
  startRow: number;
  endRow: number;
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Parses `text` (incrementally when `oldTree` was edited to match), yielding between slices. */
export async function parseSliced(
  parser: Parser,
  text: string,
  oldTree: Tree | null,
  options: SliceOptions,
): Promise<Tree> {
  let done = false;
  try {
    for (;;) {
      const start = performance.now();
      const tree = parser.parse(text, oldTree, { progressCallback: () => performance.now() - start > options.sliceMs });
      options.onStep(performance.now() - start);
      if (tree) {
        done = true;
        return tree;
      }
      await yieldToEventLoop();
    }
  } finally {
    // A parse abandoned half-way (an exception) must not be resumed with another document.
    if (!done) parser.reset();
  }
}

/** Merges overlapping or touching row ranges. */
export function mergeRowRanges(ranges: RowRange[]): RowRange[] {
  const sorted = [...ranges].sort((a, b) => a.startRow - b.startRow);
  const out: RowRange[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last && range.startRow <= last.endRow + 1) last.endRow = Math.max(last.endRow, range.endRow);
    else out.push({ ...range });
  }
  return out;
}

const INITIAL_CHUNK_ROWS = 400;

/**
 * Runs `query` over the rows of `ranges`, chunk by chunk, handing each chunk's matches to
 * `onMatches` inside the same slice. A match spanning a chunk border is reported once.
 */
export async function queryRowsSliced(
  query: Query,
  tree: Tree,
  ranges: RowRange[],
  onMatches: (matches: QueryMatch[]) => void,
  options: SliceOptions,
): Promise<void> {
  const seen = new Set<string>();
  let chunkRows = INITIAL_CHUNK_ROWS;
  let sliceStart = performance.now();
  for (const range of mergeRowRanges(ranges)) {
    let row = range.startRow;
    while (row <= range.endRow) {
      const endRow = Math.min(range.endRow, row + chunkRows - 1);
      const chunkStart = performance.now();
      const matches = query.matches(tree.rootNode, {
        startPosition: { row, column: 0 },
        endPosition: { row: endRow + 1, column: 0 },
      });
      const fresh = matches.filter((match) => {
        const key = matchKey(match);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      onMatches(fresh);
      const now = performance.now();
      const chunkMs = now - chunkStart;
      // Aim for chunks of about a third of the budget; grow or shrink geometrically.
      if (chunkMs < options.sliceMs / 6) chunkRows *= 2;
      else if (chunkMs > options.sliceMs / 2 && chunkRows > 16) chunkRows = Math.floor(chunkRows / 2);
      row = endRow + 1;
      if (now - sliceStart > options.sliceMs / 2 && row <= range.endRow) {
        options.onStep(now - sliceStart);
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }
  options.onStep(performance.now() - sliceStart);
}

function matchKey(match: QueryMatch): string {
  const parts = [String(match.patternIndex)];
  for (const capture of match.captures)
    parts.push(`${capture.name}@${capture.node.startIndex}-${capture.node.endIndex}`);
  return parts.join('|');
}
