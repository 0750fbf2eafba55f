/** C#: `using A.B;`, `using static A.B.C;`, `using X = A.B;`, `global using A;`. */
import { isDotnetStdlib } from '../stdlib';
import type { CaptureMap, LanguageSpec, RawImport } from '../types';
import { first, namedChildren } from './captures';

const query = `
(using_directive) @stmt
`;

export const csharp: LanguageSpec = {
  grammar: 'c-sharp',
  query,
  read(captures: CaptureMap): RawImport[] {
    const stmt = first(captures, 'stmt');
    if (!stmt) return [];
    const alias = stmt.childForFieldName('name');
    const target = namedChildren(stmt).find(
      (n) => (n.type === 'qualified_name' || n.type === 'identifier') && n.id !== alias?.id,
    );
    if (!target) return [];
    const module = target.text.replace(/\s+/g, '');
    return [{ module, localNames: alias ? [alias.text] : [] }];
  },
  isStdlib: isDotnetStdlib,
};
