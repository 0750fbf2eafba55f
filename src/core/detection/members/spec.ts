/**
 * How to find, in one language, the members of imported modules that code uses. A member query
 * captures `@head` (a name that may be bound by an import: `np` in `np.linalg.norm(x)`), `@decl`
 * (a local declaration that may shadow such a name: `def f(np):`) and, where the language has
 * them, `@reexport` (`export { format } from 'date-fns'`). The functions below read the syntax
 * around a capture; they never look at text outside the tree, so strings and comments (which hold
 * no name nodes) never count.
 */
import type { Node } from 'web-tree-sitter';

export interface MemberStep {
  /** The member access node (`np.linalg`), which may itself be the object of the next access. */
  node: Node;
  /** The name accessed (`linalg`). */
  segment: string;
  /** The access is a call (Java's `method_invocation`): what follows acts on its result, not on the module. */
  final?: boolean;
}

export interface MemberSpec {
  query: string;
  /** When `node` is the object of a member access, that access and the name it accesses. */
  step(node: Node): MemberStep | null;
  /** Whether `node` is the accessed or defined side of something (`x.np`, `def np():`), never a use. */
  isNotAUse(node: Node): boolean;
  /** Whether names under `node` never count (import statements and the like). */
  excludes(node: Node): boolean;
  /** Node types that open a scope for locals (functions, lambdas, closures). */
  functionTypes: ReadonlySet<string>;
  /** When the chain ends in a macro call (`json!`): the macro node type and its field. */
  macro?: { type: string; field: string };
  /** Module (crate) names are in scope without an import binding them (Rust paths). */
  modulesAreNames?: boolean;
  /**
   * Text around a construct (a function, or the declaration holding one) so that it parses on its
   * own after an edit inside it (see edit-unit.ts): a class around a method, a block around an
   * indented Python definition. Absent: the construct parses as it is.
   */
  wrapUnit?(unit: Node): { prefix: string; suffix: string };
  /** From a `@reexport` capture, the modules and member paths it re-exports. */
  readReexport?(node: Node): Array<{ module: string; path: string }>;
}

/** Whether `node` is the child in `field` of `parent`. */
export function isField(parent: Node | null, field: string, node: Node): boolean {
  return parent?.childForFieldName(field)?.id === node.id;
}

/** A step through `parent.<objectField>` → `parent.<nameField>` when `node` is the object. */
export function stepThrough(node: Node, type: string, objectField: string, nameField: string): MemberStep | null {
  const parent = node.parent;
  if (parent?.type !== type || !isField(parent, objectField, node)) return null;
  const name = parent.childForFieldName(nameField);
  return name ? { node: parent, segment: name.text } : null;
}
