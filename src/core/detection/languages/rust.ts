/**
 * Rust: `use` trees of any shape (`use a::{b, c::d as e}`, `use ::x`, globs) and `extern crate`.
 * The module is the crate (`std` included); paths starting at `crate`, `self` or `super` are local.
 */
import type { Node } from 'web-tree-sitter';
import { isRustStd } from '../stdlib';
import type { CaptureMap, LanguageSpec, RawImport } from '../types';
import { first, namedChildren } from './captures';

const query = `
(use_declaration argument: (_) @arg) @stmt
(extern_crate_declaration name: (identifier) @module) @stmt
`;

const LOCAL_ROOTS = new Set(['crate', 'self', 'super']);

interface UseLeaf {
  crate: string;
  local: string | null;
}

/** The first segment of a path (`a` of `a::b::c`, `x` of `::x`). */
function leftmost(path: Node): string {
  let node: Node = path;
  for (;;) {
    if (node.type !== 'scoped_identifier') return node.text;
    const inner = node.childForFieldName('path');
    if (!inner) return node.childForFieldName('name')?.text ?? '';
    node = inner;
  }
}

function lastSegment(path: Node): string {
  return path.type === 'scoped_identifier' ? (path.childForFieldName('name')?.text ?? '') : path.text;
}

function walk(node: Node, crate: string | null, out: UseLeaf[]): void {
  switch (node.type) {
    case 'identifier':
    case 'scoped_identifier': {
      const root = crate ?? leftmost(node);
      const local = lastSegment(node);
      out.push({ crate: root, local: local === 'self' ? null : local });
      return;
    }
    case 'self':
      if (crate) out.push({ crate, local: null });
      return;
    case 'use_as_clause': {
      const path = node.childForFieldName('path');
      const alias = node.childForFieldName('alias');
      if (path) out.push({ crate: crate ?? leftmost(path), local: alias?.text ?? null });
      return;
    }
    case 'use_wildcard': {
      const path = namedChildren(node)[0];
      const root = crate ?? (path ? leftmost(path) : null);
      if (root) out.push({ crate: root, local: null });
      return;
    }
    case 'scoped_use_list': {
      const path = node.childForFieldName('path');
      const list = node.childForFieldName('list');
      const root = crate ?? (path ? leftmost(path) : null);
      if (list) walk(list, root, out);
      return;
    }
    case 'use_list':
      for (const child of namedChildren(node)) walk(child, crate, out);
      return;
    default:
      if (node.type === 'crate' || node.type === 'super') return;
  }
}

export const rust: LanguageSpec = {
  grammar: 'rust',
  query,
  read(captures: CaptureMap): RawImport[] {
    const stmt = first(captures, 'stmt');
    if (!stmt) return [];
    if (stmt.type === 'extern_crate_declaration') {
      const name = first(captures, 'module');
      const alias = stmt.childForFieldName('alias');
      if (!name || LOCAL_ROOTS.has(name.text)) return [];
      return [{ module: name.text, localNames: [alias?.text ?? name.text] }];
    }
    const arg = first(captures, 'arg');
    if (!arg) return [];
    const leaves: UseLeaf[] = [];
    walk(arg, null, leaves);
    return leaves
      .filter((leaf) => leaf.crate && !LOCAL_ROOTS.has(leaf.crate) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(leaf.crate))
      .map((leaf) => ({ module: leaf.crate, localNames: leaf.local ? [leaf.local] : [] }));
  },
  isStdlib: isRustStd,
};
