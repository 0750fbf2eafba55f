/** Go: every `import_spec`, single or grouped; the module is the import path as written. */
import { isGoStdlib } from '../stdlib';
import type { CaptureMap, LanguageSpec, RawImport } from '../types';
import { goMembers } from '../members/go';
import { first } from './captures';

const query = `
(import_spec path: [
  (interpreted_string_literal (interpreted_string_literal_content) @module)
  (raw_string_literal (raw_string_literal_content) @module)
]) @stmt
`;

/** The package name a path binds by default: last element, skipping a `/vN` major-version suffix. */
function defaultPackageName(importPath: string): string {
  const parts = importPath.split('/');
  const last = parts[parts.length - 1] ?? '';
  return /^v\d+$/.test(last) && parts.length > 1 ? (parts[parts.length - 2] ?? last) : last;
}

export const go: LanguageSpec = {
  grammar: 'go',
  query,
  read(captures: CaptureMap): RawImport[] {
    const stmt = first(captures, 'stmt');
    const moduleNode = first(captures, 'module');
    if (!stmt || !moduleNode) return [];
    const module = moduleNode.text.trim();
    if (!module || module.startsWith('.')) return [];
    const alias = stmt.childForFieldName('name');
    const bound = alias ? alias.text : defaultPackageName(module);
    return [{ module, localNames: bound === '_' || bound === '.' ? [] : [bound] }];
  },
  isStdlib: isGoStdlib,
  members: goMembers,
};
