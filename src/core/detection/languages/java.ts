/**
 * Java: `import a.b.C;`, `import a.b.*;`, `import static a.b.C.m;`. The module is the package: the
 * leading lower-case segments (by Java naming convention, classes start upper-case).
 */
import { isJavaStdlib } from '../stdlib';
import type { CaptureMap, LanguageSpec, RawImport } from '../types';
import { javaMembers } from '../members/java';
import { first, namedChildren } from './captures';

const query = `
(import_declaration [(scoped_identifier) (identifier)] @module) @stmt
`;

/** The package of an import's name; `wildcard` when it ends in `.*`. */
export function javaPackage(name: string, wildcard: boolean): string {
  const segments = name.split('.').map((s) => s.trim());
  const firstClass = segments.findIndex((s) => /^[A-Z]/.test(s));
  if (firstClass >= 0) return segments.slice(0, firstClass).join('.');
  return (wildcard ? segments : segments.slice(0, -1)).join('.');
}

export const java: LanguageSpec = {
  grammar: 'java',
  query,
  read(captures: CaptureMap): RawImport[] {
    const stmt = first(captures, 'stmt');
    const moduleNode = first(captures, 'module');
    if (!stmt || !moduleNode) return [];
    const wildcard = namedChildren(stmt).some((n) => n.type === 'asterisk');
    const module = javaPackage(moduleNode.text, wildcard);
    if (!module) return [];
    const segments = moduleNode.text.split('.').map((s) => s.trim());
    const lastName = segments[segments.length - 1] ?? '';
    if (wildcard || !lastName) return [{ module, localNames: [] }];
    // The class (and, for a static import, the member) below the package.
    const path = segments.slice(module.split('.').length).join('.');
    return [{ module, localNames: [lastName], paths: [path] }];
  },
  isStdlib: isJavaStdlib,
  members: javaMembers,
};
