/**
 * JavaScript / TypeScript (and their JSX flavours): static `import`, re-exports, dynamic
 * `import()`, `require()`, and TypeScript's `import x = require()`. Modules are npm package names.
 */
import type { Node } from 'web-tree-sitter';
import { isNodeBuiltin } from '../stdlib';
import type { CaptureMap, LanguageSpec, RawImport } from '../types';
import { first, namedChildren } from './captures';

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

/**
 * `@scope/pkg/sub` → `@scope/pkg`, `pkg/sub` → `pkg`, `node:fs` kept; relative paths, URLs and
 * anything that cannot be an npm name → null.
 */
export function npmPackageName(specifier: string): string | null {
  if (specifier.startsWith('node:')) return specifier;
  if (!specifier || specifier.startsWith('.') || specifier.startsWith('/') || specifier.includes(':')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  return /^(@[a-z0-9][\w.~-]*\/)?[a-z0-9_~$][\w.~$-]*$/i.test(name) && !(name.startsWith('@') && parts.length < 2)
    ? name
    : null;
}

function importClauseNames(clause: Node): string[] {
  const names: string[] = [];
  for (const child of namedChildren(clause)) {
    if (child.type === 'identifier') names.push(child.text);
    else if (child.type === 'namespace_import') {
      const id = namedChildren(child).find((n) => n.type === 'identifier');
      if (id) names.push(id.text);
    } else if (child.type === 'named_imports') {
      for (const spec of namedChildren(child)) {
        if (spec.type !== 'import_specifier') continue;
        const local = spec.childForFieldName('alias') ?? spec.childForFieldName('name');
        if (local) names.push(local.text);
      }
    }
  }
  return names;
}

/** `const x = require('y')`, `const { a, b: c } = await import('y')`. */
function declaratorNames(call: Node): string[] {
  let node: Node | null = call.parent;
  if (node?.type === 'await_expression') node = node.parent;
  if (node?.type !== 'variable_declarator') return [];
  const target = node.childForFieldName('name');
  if (!target) return [];
  if (target.type === 'identifier') return [target.text];
  if (target.type !== 'object_pattern') return [];
  const names: string[] = [];
  for (const prop of namedChildren(target)) {
    if (prop.type === 'shorthand_property_identifier_pattern') names.push(prop.text);
    else if (prop.type === 'pair_pattern') {
      const value = prop.childForFieldName('value');
      if (value?.type === 'identifier') names.push(value.text);
    }
  }
  return names;
}

function localNames(stmt: Node): string[] {
  if (stmt.type === 'import_statement') {
    const clause = namedChildren(stmt).find((n) => n.type === 'import_clause');
    return clause ? importClauseNames(clause) : [];
  }
  if (stmt.type === 'import_require_clause') {
    const id = namedChildren(stmt).find((n) => n.type === 'identifier');
    return id ? [id.text] : [];
  }
  if (stmt.type === 'call_expression') return declaratorNames(stmt);
  return [];
}

function read(captures: CaptureMap): RawImport[] {
  const stmt = first(captures, 'stmt');
  const moduleNode = first(captures, 'module');
  if (!stmt || !moduleNode) return [];
  const module = npmPackageName(moduleNode.text);
  return module ? [{ module, localNames: localNames(stmt) }] : [];
}

function isStdlib(module: string): boolean {
  return isNodeBuiltin(module);
}

export const javascript: LanguageSpec = { grammar: 'javascript', query: baseQuery, read, isStdlib };
export const typescript: LanguageSpec = { grammar: 'typescript', query: typescriptQuery, read, isStdlib };
export const tsx: LanguageSpec = { grammar: 'tsx', query: typescriptQuery, read, isStdlib };
