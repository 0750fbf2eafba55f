/**
 * What kind of syntax the cursor is in, for SmartTrigger's `cursor` condition: an import, a call
 * of an imported name (`np.reshape(…)`, `pd.read_csv(…).head()`, `useState(…)`, `<Button/>`),
 * an error-handling block, or anything else.
 *
 * One walk from the smallest node at the cursor up through its parents; the innermost construct
 * that matches wins, so a call of an imported name inside a `try` is a call, and a `try` inside a
 * callback passed to an imported call is error handling. No queries, no whole-tree work: the cost
 * is the depth of the tree at the cursor.
 *
 * The node types are the grammars' own and barely overlap between languages (`nil` only exists
 * in Go, `match_arm` only in Rust), so one table serves every supported language.
 *
 * Deliberate choices: a cursor in a comment is `other` (nobody is writing code there); a cursor
 * in a string is classified by what contains the string (a module specifier is `import`, an
 * argument of an imported call is a call); a reference to an imported name that is not called
 * (`np.pi`) is `other`.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { TriggerContext } from '../triggers/types';

export type CursorNodeKind = NonNullable<TriggerContext['cursorNode']>;

/** Deeper than any real code; bounds the walk on pathological (generated) input. */
const MAX_WALK_DEPTH = 512;
/** Descent through a callee (`a.b().c.d`) to its root name stops here. */
const MAX_CALLEE_DEPTH = 32;
/** Match arms inspected per `match` to decide whether it handles a `Result`. */
const MAX_MATCH_ARMS = 64;

const IMPORT_NODES: ReadonlySet<string> = new Set([
  'import_statement', // python, javascript, typescript (also `import x = require('y')`)
  'import_from_statement', // python
  'future_import_statement', // python
  'import_declaration', // java, go
  'use_declaration', // rust
  'extern_crate_declaration', // rust
  'using_directive', // c#
  'namespace_use_declaration', // php
  'preproc_include', // c, c++
]);

/** Callee texts that load a module at run time. */
const DYNAMIC_IMPORT_CALLEES: ReadonlySet<string> = new Set([
  'import',
  'require',
  'require_relative',
  '__import__',
  'import_module',
  'importlib.import_module',
]);

const CALL_NODES: ReadonlySet<string> = new Set([
  'call', // python, ruby
  'call_expression', // javascript, typescript, go, rust, c, c++
  'new_expression', // javascript, typescript
  'jsx_self_closing_element', // a component is called by rendering it
  'jsx_opening_element',
  'method_invocation', // java
  'object_creation_expression', // java, c#, php
  'invocation_expression', // c#
  'macro_invocation', // rust
  'function_call_expression', // php
  'member_call_expression',
  'scoped_call_expression',
]);

/** The callee's own name (`x.catch(…)`) that makes its arguments error handling. */
const ERROR_METHODS: ReadonlySet<string> = new Set(['catch', 'map_err', 'or_else', 'unwrap_or_else', 'exceptionally']);

const ERROR_NODES: ReadonlySet<string> = new Set([
  'try_statement', // python, javascript, typescript, java, c#, c++, php
  'try_with_resources_statement', // java
  'catch_clause',
  'finally_clause',
  'except_clause', // python
  'except_group_clause',
  'raise_statement',
  'throw_statement',
  'throw_expression', // c#
  'try_expression', // rust `?`
  'begin', // ruby `begin … rescue … end`
  'rescue',
  'ensure',
]);

/** Classifies the syntax at `offset` (UTF-16 units) of `tree`; `boundNames` are names imports bind. */
export function classifyCursor(tree: Tree, offset: number, boundNames: ReadonlySet<string>): CursorNodeKind {
  const root = tree.rootNode;
  // Null only for an offset outside the tree, which the clamp rules out.
  const at = root.descendantForIndex(Math.max(0, Math.min(offset, root.endIndex))) ?? root;
  if (isComment(at)) return 'other';
  let from: Node | null = null;
  let node: Node | null = at;
  for (let depth = 0; depth < MAX_WALK_DEPTH && node !== null; depth++) {
    const kind: CursorNodeKind | undefined = classifyNode(node, from, boundNames);
    if (kind) return kind;
    from = node;
    node = node.parent;
  }
  return 'other';
}

/** Names bound by a document's imports, as `classifyCursor` wants them. */
export function boundNamesOf(bindings: ReadonlyArray<{ localName: string }>): Set<string> {
  return new Set(bindings.map((b) => b.localName));
}

/** What `node` makes of a cursor inside it (reached through its child `from`), if anything. */
function classifyNode(node: Node, from: Node | null, boundNames: ReadonlySet<string>): CursorNodeKind | undefined {
  const type = node.type;
  if (IMPORT_NODES.has(type)) return 'import';
  if (type === 'export_statement' && node.childForFieldName('source')) return 'import'; // export … from 'm'
  if (CALL_NODES.has(type)) {
    const callee = node.firstNamedChild;
    if (!callee) return undefined;
    if (
      DYNAMIC_IMPORT_CALLEES.has(callee.type) ||
      (callee.endIndex - callee.startIndex <= 40 && DYNAMIC_IMPORT_CALLEES.has(callee.text))
    )
      return 'import';
    if (from && from.id !== callee.id && ERROR_METHODS.has(callee.lastNamedChild?.text ?? '')) return 'error-handling';
    const name = rootName(callee);
    if (name !== undefined && boundNames.has(name)) return 'call-of-imported-name';
    return undefined;
  }
  if (ERROR_NODES.has(type)) return 'error-handling';
  if (type === 'if_statement' && from && isGoErrorCheck(node, from)) return 'error-handling';
  if (type === 'match_expression' && handlesResult(node)) return 'error-handling';
  if (type === 'if_expression' && isResultPattern(node.childForFieldName('condition')?.childForFieldName('pattern')))
    return 'error-handling';
  return undefined;
}

/** The leftmost name of a callee: `np` of `np.linalg.norm`, `pd` of `pd.read_csv(x).head`. */
function rootName(callee: Node): string | undefined {
  let node: Node | null = callee;
  for (let depth = 0; node && depth < MAX_CALLEE_DEPTH; depth++) {
    if (node.namedChildCount === 0) return node.text;
    node = node.firstNamedChild;
  }
  return undefined;
}

/** Go: inside the block of `if err != nil { … }` (or `if x, err := f(); err != nil`). */
function isGoErrorCheck(node: Node, from: Node): boolean {
  if (node.childForFieldName('consequence')?.id !== from.id) return false;
  const condition = node.childForFieldName('condition');
  if (condition?.type !== 'binary_expression' || condition.childForFieldName('operator')?.type !== '!=') return false;
  const sides = [condition.childForFieldName('left'), condition.childForFieldName('right')];
  const other = sides.find((side) => side?.type !== 'nil');
  return sides.some((side) => side?.type === 'nil') && other?.type === 'identifier' && looksLikeError(other.text);
}

function looksLikeError(name: string): boolean {
  return name === 'e' || /err/i.test(name);
}

/** Rust: a `match` with an `Ok(…)` or `Err(…)` arm. */
function handlesResult(match: Node): boolean {
  const arms = match.childForFieldName('body')?.namedChildren ?? [];
  return arms
    .slice(0, MAX_MATCH_ARMS)
    .some((arm) => isResultPattern(arm.childForFieldName('pattern')?.firstNamedChild));
}

/** `Ok(…)` / `Err(…)` (also `Result::Err(…)`). */
function isResultPattern(pattern: Node | null | undefined): boolean {
  if (pattern?.type !== 'tuple_struct_pattern') return false;
  const name = pattern.childForFieldName('type')?.text ?? '';
  return /(^|::)(Ok|Err)$/.test(name);
}

function isComment(node: Node): boolean {
  return node.type.includes('comment');
}
