/** Go members: package selectors (`gin.Default()`, `http.Client` as a type), aliases included. */
import type { Node } from 'web-tree-sitter';
import { stepThrough, type MemberSpec } from './spec';

const query = `
(selector_expression operand: (identifier) @head)
(qualified_type package: (package_identifier) @head)
(parameter_declaration name: (identifier) @decl)
(variadic_parameter_declaration name: (identifier) @decl)
(short_var_declaration left: (expression_list (identifier) @decl))
(var_spec name: (identifier) @decl)
(range_clause left: (expression_list (identifier) @decl))
`;

export const goMembers: MemberSpec = {
  query,
  step: (node: Node) =>
    stepThrough(node, 'selector_expression', 'operand', 'field') ??
    stepThrough(node, 'qualified_type', 'package', 'name'),
  isNotAUse: () => false,
  excludes: (node: Node) => node.type === 'import_declaration',
  functionTypes: new Set(['function_declaration', 'method_declaration', 'func_literal']),
};
