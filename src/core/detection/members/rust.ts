/**
 * Rust members: paths from a crate or a `use`d name (`tokio::spawn`, `reqwest::Client::new`,
 * `sleep` from `use tokio::time::sleep`), macros (`json!`, `serde_json::json!`), attributes
 * (`#[tokio::main]`), and `pub use` re-exports. Crate names are in scope without a `use`, so they
 * count as names.
 */
import type { Node } from 'web-tree-sitter';
import { useLeaves } from '../languages/rust-use-tree';
import { isField, stepThrough, type MemberSpec } from './spec';

const LOCAL_ROOTS = new Set(['crate', 'self', 'super']);

const query = `
(identifier) @head
(type_identifier) @head
(let_declaration pattern: (identifier) @decl)
(parameter pattern: (identifier) @decl)
(closure_parameters (identifier) @decl)
(tuple_pattern (identifier) @decl)
(for_expression pattern: (identifier) @decl)
(use_declaration (visibility_modifier) argument: (_) @reexport)
`;

const EXCLUDED = new Set(['use_declaration', 'extern_crate_declaration', 'mod_item']);
const DEFINITIONS = new Set([
  'function_item',
  'struct_item',
  'enum_item',
  'trait_item',
  'type_item',
  'const_item',
  'static_item',
]);

export const rustMembers: MemberSpec = {
  query,
  step: (node: Node) =>
    stepThrough(node, 'scoped_identifier', 'path', 'name') ??
    stepThrough(node, 'scoped_type_identifier', 'path', 'name'),
  isNotAUse(node: Node): boolean {
    const parent = node.parent;
    if (!parent) return true;
    if (parent.type === 'scoped_identifier' || parent.type === 'scoped_type_identifier')
      return isField(parent, 'name', node);
    if (DEFINITIONS.has(parent.type)) return isField(parent, 'name', node);
    return parent.type === 'field_expression' || parent.type === 'field_initializer';
  },
  excludes: (node: Node) => EXCLUDED.has(node.type),
  functionTypes: new Set(['function_item', 'closure_expression']),
  macro: { type: 'macro_invocation', field: 'macro' },
  modulesAreNames: true,
  // `pub use tokio::spawn;` makes `spawn` part of this crate's API: a use of `tokio::spawn`.
  readReexport: (argument: Node) =>
    useLeaves(argument)
      .filter((leaf) => leaf.local !== null && leaf.path !== '' && !LOCAL_ROOTS.has(leaf.crate))
      .map((leaf) => ({ module: leaf.crate, path: leaf.path })),
};
