/** Python members: attribute chains on bound names (`np.linalg.norm`), and names imported with `from`. */
import type { Node } from 'web-tree-sitter';
import { isField, stepThrough, type MemberSpec } from './spec';

const query = `
(identifier) @head
(parameters (identifier) @decl)
(default_parameter name: (identifier) @decl)
(typed_parameter (identifier) @decl)
(typed_default_parameter name: (identifier) @decl)
(list_splat_pattern (identifier) @decl)
(dictionary_splat_pattern (identifier) @decl)
(lambda_parameters (identifier) @decl)
(assignment left: (identifier) @decl)
(assignment left: (pattern_list (identifier) @decl))
(assignment left: (tuple_pattern (identifier) @decl))
(for_statement left: (identifier) @decl)
(for_statement left: (pattern_list (identifier) @decl))
(as_pattern_target (identifier) @decl)
`;

const EXCLUDED = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

export const pythonMembers: MemberSpec = {
  query,
  step: (node: Node) => stepThrough(node, 'attribute', 'object', 'attribute'),
  isNotAUse(node: Node): boolean {
    const parent = node.parent;
    if (!parent) return true;
    switch (parent.type) {
      case 'attribute':
        return isField(parent, 'attribute', node);
      case 'keyword_argument':
      case 'function_definition':
      case 'class_definition':
        return isField(parent, 'name', node);
      default:
        return false;
    }
  },
  excludes: (node: Node) => EXCLUDED.has(node.type),
  functionTypes: new Set(['function_definition', 'lambda']),
  // An indented definition (a method) parses as the body of a block.
  wrapUnit: (unit: Node) =>
    unit.startPosition.column > 0 ? { prefix: 'if 1:\n', suffix: '' } : { prefix: '', suffix: '' },
};
