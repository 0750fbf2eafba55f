/**
 * Python: `import a.b as c`, `from a.b import x as y`, `__import__('a')`,
 * `importlib.import_module('a')`. Relative imports (`from . import x`) are a different node type
 * (`relative_import`) and never match. Modules are reduced to the top-level package.
 */
import type { Node } from 'web-tree-sitter';
import { isPythonStdlib } from '../stdlib';
import type { CaptureMap, LanguageSpec, RawImport } from '../types';
import { pythonMembers } from '../members/python';
import { first } from './captures';

const query = `
(import_statement) @stmt
(import_from_statement module_name: (dotted_name) @module) @stmt
(call
  function: [(identifier) @fn (attribute object: (identifier) @obj attribute: (identifier) @fn)]
  arguments: (argument_list . (string (string_start) @quote . (string_content) @module . (string_end)))
  (#any-of? @fn "__import__" "import_module")) @stmt
`;

function topLevel(dotted: string): string {
  return dotted.split('.')[0]?.trim() ?? '';
}

/** What follows the top-level package in a dotted name (`b.c` of `a.b.c`). */
function belowTopLevel(dotted: string): string[] {
  return dotted
    .split('.')
    .slice(1)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** `import a.b.c` binds `a`; `import a.b.c as d` binds `d` (to `a`'s member `b.c`). */
function readImportStatement(stmt: Node): RawImport[] {
  const out: RawImport[] = [];
  // web-tree-sitter may leave null slots, though its types say otherwise.
  for (const child of stmt.childrenForFieldName('name') as (Node | null)[]) {
    if (!child) continue;
    if (child.type === 'dotted_name') {
      const module = topLevel(child.text);
      out.push({ module, localNames: [module], paths: [''] });
    } else if (child.type === 'aliased_import') {
      const name = child.childForFieldName('name');
      const alias = child.childForFieldName('alias');
      if (name)
        out.push({
          module: topLevel(name.text),
          localNames: alias ? [alias.text] : [],
          paths: alias ? [belowTopLevel(name.text).join('.')] : [],
        });
    }
  }
  return out;
}

/** `from a.b import x as y, z` binds `y` and `z` to `a` (its members `b.x` and `b.z`). */
function readFromStatement(stmt: Node, moduleName: string): RawImport[] {
  const module = topLevel(moduleName);
  const below = belowTopLevel(moduleName);
  const localNames: string[] = [];
  const paths: string[] = [];
  // web-tree-sitter may leave null slots, though its types say otherwise.
  for (const child of stmt.childrenForFieldName('name') as (Node | null)[]) {
    if (!child) continue;
    if (child.type === 'dotted_name') {
      localNames.push(child.text);
      paths.push([...below, child.text].join('.'));
    } else if (child.type === 'aliased_import') {
      const name = child.childForFieldName('name');
      const alias = child.childForFieldName('alias');
      if (alias && name) {
        localNames.push(alias.text);
        paths.push([...below, name.text].join('.'));
      }
    }
  }
  return [{ module, localNames, paths }];
}

function readDynamic(stmt: Node, module: string): RawImport[] {
  const assignment = stmt.parent;
  const target = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
  return [{ module, localNames: target?.type === 'identifier' ? [target.text] : [] }];
}

function isIdentifier(module: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(module);
}

export const python: LanguageSpec = {
  grammar: 'python',
  query,
  read(captures: CaptureMap): RawImport[] {
    const stmt = first(captures, 'stmt');
    if (!stmt) return [];
    const moduleNode = first(captures, 'module');
    let found: RawImport[];
    if (stmt.type === 'import_statement') found = readImportStatement(stmt);
    else if (!moduleNode) found = [];
    else if (stmt.type === 'import_from_statement') found = readFromStatement(stmt, moduleNode.text);
    else if (first(captures, 'obj') && first(captures, 'obj')?.text !== 'importlib') found = [];
    else if (/f/i.test(first(captures, 'quote')?.text ?? ''))
      found = []; // f-strings are not literals
    else found = readDynamic(stmt, topLevel(moduleNode.text));
    return found.filter((entry) => isIdentifier(entry.module));
  },
  isStdlib: isPythonStdlib,
  members: pythonMembers,
};
