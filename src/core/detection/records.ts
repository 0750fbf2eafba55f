/** Turning query matches into import records, and records into the detection result. */
import type { Node, QueryMatch } from 'web-tree-sitter';
import type {
  DetectedMember,
  DetectedModule,
  ExtractedImports,
  ImportBinding,
  ImportRecord,
  LanguageSpec,
} from './types';

export function recordsFromMatches(spec: LanguageSpec, matches: QueryMatch[], out: ImportRecord[]): void {
  for (const match of matches) {
    const captures = new Map<string, Node[]>();
    for (const capture of match.captures) {
      const list = captures.get(capture.name);
      if (list) list.push(capture.node);
      else captures.set(capture.name, [capture.node]);
    }
    const stmt = captures.get('stmt')?.[0];
    if (!stmt) continue;
    for (const found of spec.read(captures, match)) {
      out.push({
        ...found,
        stdlib: spec.isStdlib(found.module),
        startRow: stmt.startPosition.row,
        endRow: stmt.endPosition.row,
      });
    }
  }
}

/**
 * Modules and bindings of a record list; records may be in any order (an edited document keeps
 * the records of unchanged rows and appends those read again), so the first line wins for both:
 * the same as a fresh parse, which reads them top to bottom.
 */
export function summarise(records: readonly ImportRecord[]): { modules: DetectedModule[]; bindings: ImportBinding[] } {
  const modules = new Map<string, DetectedModule>();
  const bindings = new Map<string, ImportBinding>();
  for (const record of [...records].sort((a, b) => a.startRow - b.startRow)) {
    const existing = modules.get(record.module);
    if (!existing || record.startRow < existing.line)
      modules.set(record.module, { name: record.module, stdlib: record.stdlib, line: record.startRow });
    record.localNames.forEach((localName, i) => {
      const key = `${localName}\u0000${record.module}`;
      const path = record.paths?.[i];
      if (!bindings.has(key)) bindings.set(key, { localName, module: record.module, ...(path ? { path } : {}) });
    });
  }
  const sortedModules = [...modules.values()].sort((a, b) => a.line - b.line || a.name.localeCompare(b.name));
  const sortedBindings = [...bindings.values()].sort(
    (a, b) => a.localName.localeCompare(b.localName) || a.module.localeCompare(b.module),
  );
  return { modules: sortedModules, bindings: sortedBindings };
}

/**
 * The result for a tree. A tree with syntax errors can lose imports (`import { a from 'x';`
 * yields nothing), so the last error-free result is merged in and the result marked partial.
 */
export function buildResult(
  records: readonly ImportRecord[],
  hasError: boolean,
  lastGood: ExtractedImports | null,
  members: DetectedMember[] = [],
): ExtractedImports {
  const own = summarise(records);
  if (!hasError || !lastGood) return { ...own, partial: false, hasError, members };
  const modules = new Map(own.modules.map((m) => [m.name, m]));
  for (const module of lastGood.modules) if (!modules.has(module.name)) modules.set(module.name, module);
  const bindings = new Map(own.bindings.map((b) => [`${b.localName}\u0000${b.module}`, b]));
  for (const binding of lastGood.bindings) bindings.set(`${binding.localName}\u0000${binding.module}`, binding);
  return {
    modules: [...modules.values()].sort((a, b) => a.line - b.line || a.name.localeCompare(b.name)),
    bindings: [...bindings.values()].sort(
      (a, b) => a.localName.localeCompare(b.localName) || a.module.localeCompare(b.module),
    ),
    partial: true,
    hasError,
    members,
  };
}
