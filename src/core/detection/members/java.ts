/**
 * Java members: qualified calls and fields on imported classes (`ImmutableList.of`), constructors
 * and types (`new ObjectMapper()`), and statically imported methods (`assertEquals(...)`).
 */
import type { Node } from 'web-tree-sitter';
import { isField, stepThrough, type MemberSpec } from './spec';

const query = `
(identifier) @head
(type_identifier) @head
(formal_parameter name: (identifier) @decl)
(spread_parameter (variable_declarator name: (identifier) @decl))
(variable_declarator name: (identifier) @decl)
(inferred_parameters (identifier) @decl)
(lambda_expression parameters: (identifier) @decl)
(enhanced_for_statement name: (identifier) @decl)
(catch_formal_parameter name: (identifier) @decl)
`;

const EXCLUDED = new Set(['import_declaration', 'package_declaration']);
const DEFINITIONS = new Set([
  'class_declaration',
  'interface_declaration',
  'enum_declaration',
  'record_declaration',
  'method_declaration',
  'constructor_declaration',
]);

export const javaMembers: MemberSpec = {
  query,
  step(node: Node) {
    const call = stepThrough(node, 'method_invocation', 'object', 'name');
    return call ? { ...call, final: true } : stepThrough(node, 'field_access', 'object', 'field');
  },
  isNotAUse(node: Node): boolean {
    const parent = node.parent;
    if (!parent) return true;
    if (parent.type === 'method_invocation')
      return isField(parent, 'name', node) && parent.childForFieldName('object') !== null;
    if (parent.type === 'field_access') return isField(parent, 'field', node);
    if (DEFINITIONS.has(parent.type)) return isField(parent, 'name', node);
    return parent.type === 'scoped_type_identifier' || parent.type === 'scoped_identifier';
  },
  excludes: (node: Node) => EXCLUDED.has(node.type),
  functionTypes: new Set(['method_declaration', 'constructor_declaration', 'lambda_expression']),
  // Methods and fields only parse inside a class body.
  wrapUnit: () => ({ prefix: 'class _ {\n', suffix: '\n}' }),
};
