/**
 * PHP: `use A\B\C;`, `use A\B\{C, D as E};`, `use function A\f;`. The module is the namespace of
 * the imported name (`A\B`), like Java's package; global names (`use DateTime;`) are skipped.
 */
import type { Node } from 'web-tree-sitter';
import type { CaptureMap, LanguageSpec, RawImport } from '../types';
import { first, namedChildren } from './captures';

const query = `
(namespace_use_declaration) @stmt
`;

function splitName(name: string): { namespace: string; last: string } {
  const parts = name.replace(/^\\/, '').split('\\');
  const last = parts.pop() ?? '';
  return { namespace: parts.join('\\'), last };
}

function readClause(clause: Node, prefix: string): RawImport | null {
  const nameNode = namedChildren(clause).find((n) => n.type === 'qualified_name' || n.type === 'name');
  if (!nameNode) return null;
  const alias = clause.childForFieldName('alias');
  const full = prefix ? `${prefix}\\${nameNode.text}` : nameNode.text;
  const { namespace, last } = splitName(full);
  // A global name (`use DateTime;`) is a built-in or global class: no package to look up.
  return namespace ? { module: namespace, localNames: [alias?.text ?? last] } : null;
}

export const php: LanguageSpec = {
  grammar: 'php',
  query,
  read(captures: CaptureMap): RawImport[] {
    const stmt = first(captures, 'stmt');
    if (!stmt) return [];
    const children = namedChildren(stmt);
    const prefix = children.find((n) => n.type === 'namespace_name')?.text ?? '';
    const group = stmt.childForFieldName('body');
    const clauses = [...children, ...(group ? namedChildren(group) : [])].filter(
      (n) => n.type === 'namespace_use_clause',
    );
    return clauses.map((clause) => readClause(clause, prefix)).filter((entry): entry is RawImport => entry !== null);
  },
  isStdlib: (): boolean => false,
};
