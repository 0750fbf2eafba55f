/** The leaves of a Rust `use` tree: which crate, which item below it, bound to which local name. */
import type { Node } from 'web-tree-sitter';
import { namedChildren } from './captures';

export interface UseLeaf {
  crate: string;
  local: string | null;
  /** The item below the crate the local name stands for (`time.sleep`). */
  path: string;
}

/** The segments of a path (`a`, `b`, `c` of `a::b::c`; `x` of `::x`). */
function segments(path: Node): string[] {
  return path.text
    .split('::')
    .map((part) => part.trim())
    .filter(Boolean);
}

function leaf(node: Node, crate: string | null, prefix: string[], local: string | null): UseLeaf | null {
  const segs = segments(node);
  const root = crate ?? segs[0];
  if (!root) return null;
  const below = crate ? [...prefix, ...segs] : segs.slice(1);
  return { crate: root, local, path: below.filter((s) => s !== 'self').join('.') };
}

function walk(node: Node, crate: string | null, prefix: string[], out: UseLeaf[]): void {
  switch (node.type) {
    case 'identifier':
    case 'scoped_identifier': {
      const last = segments(node).pop() ?? '';
      const found = leaf(node, crate, prefix, last === 'self' ? null : last);
      if (found) out.push(found);
      return;
    }
    case 'self':
      if (crate) out.push({ crate, local: null, path: prefix.join('.') });
      return;
    case 'use_as_clause': {
      const path = node.childForFieldName('path');
      const alias = node.childForFieldName('alias');
      const found = path ? leaf(path, crate, prefix, alias?.text ?? null) : null;
      if (found) out.push(found);
      return;
    }
    case 'use_wildcard': {
      const path = namedChildren(node)[0];
      const root = crate ?? (path ? (segments(path)[0] ?? null) : null);
      if (root) out.push({ crate: root, local: null, path: '' });
      return;
    }
    case 'scoped_use_list': {
      const path = node.childForFieldName('path');
      const list = node.childForFieldName('list');
      const segs = path ? segments(path) : [];
      const root = crate ?? segs[0] ?? null;
      const below = crate ? [...prefix, ...segs] : segs.slice(1);
      if (list) walk(list, root, below, out);
      return;
    }
    case 'use_list':
      for (const child of namedChildren(node)) walk(child, crate, prefix, out);
      return;
    default:
      if (node.type === 'crate' || node.type === 'super') return;
  }
}

/** Every leaf of the `use` tree under `argument` (`use a::{b, c::d as e}` → `b`, `e`). */
export function useLeaves(argument: Node): UseLeaf[] {
  const leaves: UseLeaf[] = [];
  walk(argument, null, [], leaves);
  return leaves;
}
