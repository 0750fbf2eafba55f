/**
 * Member query matches → usage records. Only names that an import binds (`heads`) are read, so
 * the cost follows the code that uses libraries, not the size of the file.
 */
import type { Node, QueryMatch } from 'web-tree-sitter';
import type { UsageRecord } from '../types';
import type { MemberSpec } from './spec';

/** Longest member path kept (`a.b.c.d`); deeper chains are cut, they rarely name documented API. */
const MAX_CHAIN = 4;

/** Accumulates usage records over the chunks of one scan; `finish` drops names that were declarations. */
export class UsageCollector {
  private readonly records: Array<UsageRecord & { nodeId?: number }> = [];
  private readonly declIds = new Set<number>();

  constructor(
    private readonly spec: MemberSpec,
    private readonly heads: ReadonlySet<string>,
  ) {}

  add(matches: QueryMatch[]): void {
    for (const match of matches) {
      for (const capture of match.captures) {
        const node = capture.node;
        if (capture.name === 'reexport') this.addReexport(node);
        else if (!this.heads.has(node.text)) continue;
        else if (capture.name === 'decl') this.addDecl(node);
        else if (capture.name === 'head') this.addUse(node);
      }
    }
  }

  finish(): UsageRecord[] {
    return this.records
      .filter((record) => record.nodeId === undefined || !this.declIds.has(record.nodeId))
      .map((record) => {
        if (record.nodeId === undefined) return record;
        const { nodeId: _id, ...rest } = record;
        return rest;
      });
  }

  private addUse(head: Node): void {
    const spec = this.spec;
    if (spec.isNotAUse(head)) return;
    for (let ancestor = head.parent; ancestor; ancestor = ancestor.parent) if (spec.excludes(ancestor)) return;
    const chain: string[] = [];
    let end = head;
    for (let step = spec.step(end); step && chain.length < MAX_CHAIN; step = spec.step(end)) {
      chain.push(step.segment);
      end = step.node;
      if (step.final) break;
    }
    const macro = spec.macro
      ? end.parent?.type === spec.macro.type && end.parent.childForFieldName(spec.macro.field)?.id === end.id
      : false;
    this.records.push({
      kind: 'use',
      name: head.text,
      chain,
      macro,
      row: head.startPosition.row,
      column: head.startPosition.column,
      startRow: head.startPosition.row,
      endRow: end.endPosition.row,
      nodeId: head.id,
    });
  }

  private addDecl(node: Node): void {
    this.declIds.add(node.id);
    let scope: Node | null = node.parent;
    while (scope && !this.spec.functionTypes.has(scope.type)) scope = scope.parent;
    // Module-level names that reuse an import's name (`pd = None` after a failed import) do not shadow it.
    if (!scope) return;
    this.records.push({
      kind: 'decl',
      name: node.text,
      scope: {
        startRow: scope.startPosition.row,
        startColumn: scope.startPosition.column,
        endRow: scope.endPosition.row,
        endColumn: scope.endPosition.column,
      },
      startRow: scope.startPosition.row,
      endRow: scope.endPosition.row,
    });
  }

  private addReexport(node: Node): void {
    for (const target of this.spec.readReexport?.(node) ?? [])
      this.records.push({
        kind: 'reexport',
        ...target,
        row: node.startPosition.row,
        column: node.startPosition.column,
        startRow: node.startPosition.row,
        endRow: node.endPosition.row,
      });
  }
}

/**
 * Widens changed rows to the outermost function around them: a local declared anywhere in a
 * function can shadow an import in all of it, so its uses must be read again together.
 */
export function widenToFunctions(
  spec: MemberSpec,
  root: Node,
  ranges: ReadonlyArray<{ startRow: number; endRow: number }>,
): Array<{ startRow: number; endRow: number }> {
  return ranges.map((range) => {
    let { startRow, endRow } = range;
    for (const row of [range.startRow, range.endRow]) {
      let outer: Node | null = null;
      for (let node: Node | null = root.descendantForPosition({ row, column: 0 }); node; node = node.parent)
        if (spec.functionTypes.has(node.type)) outer = node;
      if (outer) {
        startRow = Math.min(startRow, outer.startPosition.row);
        endRow = Math.max(endRow, outer.endPosition.row);
      }
    }
    return { startRow, endRow };
  });
}
