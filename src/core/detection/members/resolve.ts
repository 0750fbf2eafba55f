/** Usage records + import records → the members a document uses, with shadowed names left out. */
import type { DetectedMember, ImportRecord, UsageRecord } from '../types';

/** What a local name stands for: a module, or a member of it (`nn` → torch `nn`). */
export interface MemberBinding {
  module: string;
  path: string;
}

/** Most members reported per document. */
const MAX_MEMBERS = 200;

/**
 * Local name → what it stands for. The first import of a name wins. With `modulesAreNames`
 * (Rust), every imported crate's name is in scope as itself unless a `use` rebinds it.
 */
export function memberBindings(records: readonly ImportRecord[], modulesAreNames: boolean): Map<string, MemberBinding> {
  const bindings = new Map<string, MemberBinding>();
  const ordered = [...records].sort((a, b) => a.startRow - b.startRow);
  for (const record of ordered) {
    record.localNames.forEach((localName, i) => {
      if (!bindings.has(localName)) bindings.set(localName, { module: record.module, path: record.paths?.[i] ?? '' });
    });
  }
  if (modulesAreNames)
    for (const record of ordered)
      if (!bindings.has(record.module) && /^[A-Za-z_]\w*$/.test(record.module))
        bindings.set(record.module, { module: record.module, path: '' });
  return bindings;
}

interface Position {
  row: number;
  column: number;
}

function before(a: Position, b: Position): boolean {
  return a.row < b.row || (a.row === b.row && a.column <= b.column);
}

export function resolveMembers(
  usages: readonly UsageRecord[],
  bindings: ReadonlyMap<string, MemberBinding>,
): DetectedMember[] {
  const scopes = new Map<string, Array<{ start: Position; end: Position }>>();
  for (const usage of usages) {
    if (usage.kind !== 'decl') continue;
    const list = scopes.get(usage.name) ?? [];
    list.push({
      start: { row: usage.scope.startRow, column: usage.scope.startColumn },
      end: { row: usage.scope.endRow, column: usage.scope.endColumn },
    });
    scopes.set(usage.name, list);
  }
  const members = new Map<string, DetectedMember>();
  const count = (module: string, path: string, at: Position): void => {
    if (!path) return;
    const name = `${module}.${path}`;
    const existing = members.get(name);
    if (!existing) {
      members.set(name, { name, module, path, count: 1, line: at.row, character: at.column });
      return;
    }
    existing.count += 1;
    if (before(at, { row: existing.line, column: existing.character })) {
      existing.line = at.row;
      existing.character = at.column;
    }
  };
  for (const usage of usages) {
    if (usage.kind === 'reexport') count(usage.module, usage.path, usage);
    if (usage.kind !== 'use') continue;
    const binding = bindings.get(usage.name);
    if (!binding) continue;
    const shadowed = scopes.get(usage.name)?.some((scope) => before(scope.start, usage) && before(usage, scope.end));
    if (shadowed) continue;
    const segments = [...(binding.path ? binding.path.split('.') : []), ...usage.chain];
    const path = segments.join('.') + (usage.macro && segments.length > 0 ? '!' : '');
    count(binding.module, path, usage);
  }
  return [...members.values()]
    .sort((a, b) => b.count - a.count || a.line - b.line || a.character - b.character || a.name.localeCompare(b.name))
    .slice(0, MAX_MEMBERS);
}
