import type { Node } from 'web-tree-sitter';
import type { CaptureMap } from '../types';

/** The first node captured under `name`, if any. */
export function first(captures: CaptureMap, name: string): Node | undefined {
  return captures.get(name)?.[0];
}

/** Named children of a node, skipping the null slots web-tree-sitter may return. */
export function namedChildren(node: Node): Node[] {
  return (node.namedChildren as (Node | null)[]).filter((child): child is Node => child !== null);
}
