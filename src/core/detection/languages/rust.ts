/**
 * Rust: `use` trees of any shape (`use a::{b, c::d as e}`, `use ::x`, globs) and `extern crate`.
 * The module is the crate (`std` included); paths starting at `crate`, `self` or `super` are local.
 */
import { isRustStd } from '../stdlib';
import type { CaptureMap, LanguageSpec, RawImport } from '../types';
import { rustMembers } from '../members/rust';
import { first } from './captures';
import { useLeaves } from './rust-use-tree';

const query = `
(use_declaration argument: (_) @arg) @stmt
(extern_crate_declaration name: (identifier) @module) @stmt
`;

const LOCAL_ROOTS = new Set(['crate', 'self', 'super']);

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
    return useLeaves(arg)
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
