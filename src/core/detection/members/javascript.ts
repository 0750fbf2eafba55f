/**
 * JavaScript / TypeScript members: property chains on bound names (`_.uniqueId`, `z.object`,
 * `React.useEffect`, `<Motion.div>`), named imports that are used (`useEffect(...)`, `{ format }`),
 * qualified types (`React.FC`), and re-exports (`export { format } from 'date-fns'`).
 */
import type { Node } from 'web-tree-sitter';
import { npmPackageName } from '../languages/npm-name';
import { isField, stepThrough, type MemberSpec } from './spec';

const commonQuery = `
(identifier) @head
(shorthand_property_identifier) @head
(variable_declarator name: (identifier) @decl)
(object_pattern (shorthand_property_identifier_pattern) @decl)
(pair_pattern value: (identifier) @decl)
(array_pattern (identifier) @decl)
(rest_pattern (identifier) @decl)
(assignment_pattern left: (identifier) @decl)
(arrow_function parameter: (identifier) @decl)
(catch_clause parameter: (identifier) @decl)
(for_in_statement left: (identifier) @decl)
(export_statement (export_clause (export_specifier name: (_) @reexport)) source: (string))
`;

const javascriptQuery = `${commonQuery}
(formal_parameters (identifier) @decl)
`;

const typescriptQuery = `${commonQuery}
(type_identifier) @head
(required_parameter pattern: (identifier) @decl)
(optional_parameter pattern: (identifier) @decl)
`;

const DEFINITIONS = new Set(['function_declaration', 'generator_function_declaration', 'class_declaration']);

function isNotAUse(node: Node): boolean {
  const parent = node.parent;
  if (!parent) return true;
  if (parent.type === 'nested_type_identifier') return isField(parent, 'name', node);
  if (DEFINITIONS.has(parent.type)) return isField(parent, 'name', node);
  return (
    parent.type === 'export_specifier' && isField(parent, 'alias', node) // `export { a as b }` defines `b`
  );
}

function excludes(node: Node): boolean {
  return (
    node.type === 'import_statement' ||
    node.type === 'import_require_clause' ||
    (node.type === 'export_statement' && node.childForFieldName('source') !== null)
  );
}

function readReexport(name: Node): Array<{ module: string; path: string }> {
  const statement = name.parent?.parent?.parent;
  const source = statement?.childForFieldName('source');
  const fragment = source?.namedChildren.find((child) => child.type === 'string_fragment');
  if (!fragment || name.text === 'default') return [];
  const specifier = fragment.text;
  const module = npmPackageName(specifier);
  if (!module || module.startsWith('node:')) return [];
  const subpath = specifier.slice(module.length).replace(/^\//, '').split('/').filter(Boolean);
  return [{ module, path: [...subpath, name.text].join('.') }];
}

function spec(query: string): MemberSpec {
  return {
    query,
    step: (node: Node) =>
      stepThrough(node, 'member_expression', 'object', 'property') ??
      stepThrough(node, 'nested_type_identifier', 'module', 'name'),
    isNotAUse,
    excludes,
    functionTypes: new Set([
      'function_declaration',
      'generator_function_declaration',
      'function_expression',
      'generator_function',
      'arrow_function',
      'method_definition',
    ]),
    readReexport,
    // Methods and class fields only parse inside a class body.
    wrapUnit: (unit: Node) =>
      unit.parent?.type === 'class_body' ? { prefix: 'class _ {\n', suffix: '\n}' } : { prefix: '', suffix: '' },
  };
}

export const javascriptMembers = spec(javascriptQuery);
export const typescriptMembers = spec(typescriptQuery);
