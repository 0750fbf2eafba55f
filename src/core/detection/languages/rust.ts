/**
 * Rust: `use` trees of any shape (`use a::{b, c::d as e}`, `use ::x`, globs) and `extern crate`.
 * The module is the crate (`std` included); paths starting at `crate`, `self` or `super` are local.
 */
import type { Node } from 'web-tree-sitter';
import { isRustStd } from '../stdlib';
import type { CaptureMap, LanguageSpec, RawImport } from '../types';
import { rustMembers } from '../members/rust';
import { first, namedChildren } from './captures';

const query = `
(use_declaration argument: (_) @arg) @stmt
(extern_crate_declaration name: (identifier) @module) @stmt
`;

const LOCAL_ROOTS = new Set(['crate', 'self', 'super']);

interface UseLeaf {
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
    walk(arg, null, [], leaves);
    return leaves
      .filter((leaf) => leaf.crate && !LOCAL_ROOTS.has(leaf.crate) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(leaf.crate))
      .map((leaf) => ({
        module: leaf.crate,
        localNames: leaf.local ? [leaf.local] : [],
        paths: leaf.local ? [leaf.path] : [],
      }));
  },
  isStdlib: isRustStd,
  members: rustMembers,
};
