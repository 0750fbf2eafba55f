/**
 * JavaScript / TypeScript (and their JSX flavours): static `import`, re-exports, dynamic
 * `import()`, `require()`, and TypeScript's `import x = require()`. Modules are npm package names.
 */
import type { Node } from 'web-tree-sitter';
import { isNodeBuiltin } from '../stdlib';
import type { CaptureMap, LanguageSpec, RawImport } from '../types';
import { javascriptMembers, typescriptMembers } from '../members/javascript';
import { first, namedChildren } from './captures';
import { npmPackageName } from './npm-name';

export { npmPackageName } from './npm-name';

const baseQuery = `
(import_statement source: (string (string_fragment) @module)) @stmt
(export_statement source: (string (string_fragment) @module)) @stmt
(call_expression function: (import) arguments: (arguments . (string (string_fragment) @module))) @stmt
(call_expression
  function: (identifier) @fn
  arguments: (arguments . (string (string_fragment) @module) .)
  (#eq? @fn "require")) @stmt
`;

/** TypeScript grammars add `import fs = require('fs')`. */
const typescriptQuery = `${baseQuery}
(import_require_clause source: (string (string_fragment) @module)) @stmt
`;

/** A local name and the member path it stands for (`''` for the module itself). */
interface Bound {
  local: string;
  path: string;
}

function join(subpath: string, name: string): string {
  return subpath ? `${subpath}.${name}` : name;
}

function importClauseNames(clause: Node, subpath: string): Bound[] {
  const names: Bound[] = [];
  for (const child of namedChildren(clause)) {
    if (child.type === 'identifier') names.push({ local: child.text, path: subpath });
    else if (child.type === 'namespace_import') {
      const id = namedChildren(child).find((n) => n.type === 'identifier');
      if (id) names.push({ local: id.text, path: subpath });
    } else if (child.type === 'named_imports') {
      for (const spec of namedChildren(child)) {
        if (spec.type !== 'import_specifier') continue;
        const name = spec.childForFieldName('name');
        const local = spec.childForFieldName('alias') ?? name;
        if (local && name)
          names.push({ local: local.text, path: name.text === 'default' ? subpath : join(subpath, name.text) });
      }
    }
  }
  return names;
}

/** `const x = require('y')`, `const { a, b: c } = await import('y')`. */
function declaratorNames(call: Node, subpath: string): Bound[] {
  let node: Node | null = call.parent;
  if (node?.type === 'await_expression') node = node.parent;
  if (node?.type !== 'variable_declarator') return [];
  const target = node.childForFieldName('name');
  if (!target) return [];
  if (target.type === 'identifier') return [{ local: target.text, path: subpath }];
  if (target.type !== 'object_pattern') return [];
  const names: Bound[] = [];
  for (const prop of namedChildren(target)) {
    if (prop.type === 'shorthand_property_identifier_pattern')
      names.push({ local: prop.text, path: join(subpath, prop.text) });
    else if (prop.type === 'pair_pattern') {
      const key = prop.childForFieldName('key');
      const value = prop.childForFieldName('value');
      if (value?.type === 'identifier' && key) names.push({ local: value.text, path: join(subpath, key.text) });
    }
  }
  return names;
}

function boundNames(stmt: Node, subpath: string): Bound[] {
  if (stmt.type === 'import_statement') {
    const clause = namedChildren(stmt).find((n) => n.type === 'import_clause');
    return clause ? importClauseNames(clause, subpath) : [];
  }
  if (stmt.type === 'import_require_clause') {
    const id = namedChildren(stmt).find((n) => n.type === 'identifier');
    return id ? [{ local: id.text, path: subpath }] : [];
  }
  if (stmt.type === 'call_expression') return declaratorNames(stmt, subpath);
  return [];
}

function read(captures: CaptureMap): RawImport[] {
  const stmt = first(captures, 'stmt');
  const moduleNode = first(captures, 'module');
  if (!stmt || !moduleNode) return [];
  const specifier = moduleNode.text;
  const module = npmPackageName(specifier);
  if (!module) return [];
  // `lodash/get` binds lodash's member `get`; `@mui/material/Button` binds `Button`.
  const subpath = specifier.slice(module.length).split('/').filter(Boolean).join('.');
  const bound = boundNames(stmt, subpath);
  return [{ module, localNames: bound.map((b) => b.local), paths: bound.map((b) => b.path) }];
}

function isStdlib(module: string): boolean {
  return isNodeBuiltin(module);
}

export const javascript: LanguageSpec = {
  grammar: 'javascript',
  query: baseQuery,
  read,
  isStdlib,
  members: javascriptMembers,
};
export const typescript: LanguageSpec = {
  grammar: 'typescript',
  query: typescriptQuery,
  read,
  isStdlib,
  members: typescriptMembers,
};
export const tsx: LanguageSpec = { grammar: 'tsx', query: typescriptQuery, read, isStdlib, members: typescriptMembers };
