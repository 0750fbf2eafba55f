/**
 * The library registry: entries of library-cache.yaml indexed by name, alias, package and module
 * (with prefix matching for Go module paths and Java / C# / PHP package prefixes).
 */
import type { LibraryCacheFile, LibraryEntry } from './schema';
import { languageFamily } from './language-family';

export interface RegistryEntry extends LibraryEntry {
  /** The key in `common_libraries`. */
  name: string;
  /** Package-manager name (`package`, else the key). */
  packageName: string;
}

/** Lower-cased, with `_` and `.` folded to `-` (PyPI's normalisation; harmless elsewhere). */
export function normaliseName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}

/** `a/b/c` → `a/b/c`, `a/b`, `a` (and the same for `.` and `\` separated names). */
export function modulePrefixes(module: string): string[] {
  const separator = module.includes('/') ? '/' : module.includes('\\') ? '\\' : '.';
  const parts = module.split(separator);
  const out: string[] = [];
  for (let i = parts.length; i >= 1; i--) out.push(parts.slice(0, i).join(separator));
  return out;
}

export class LibraryRegistry {
  readonly entries: RegistryEntry[];
  private readonly byName = new Map<string, RegistryEntry[]>();
  private readonly byModule = new Map<string, RegistryEntry[]>();

  constructor(file: LibraryCacheFile) {
    this.entries = Object.entries(file.common_libraries).map(([name, entry]) => ({
      ...entry,
      name,
      packageName: entry.package ?? name,
    }));
    for (const entry of this.entries) {
      for (const key of new Set([entry.name, entry.packageName, ...entry.aliases].map(normaliseName)))
        push(this.byName, key, entry);
      for (const module of new Set([entry.name, entry.packageName, ...entry.modules]))
        push(this.byModule, module, entry);
    }
  }

  /** By module as code imports it, for a language (VS Code id or family). */
  findModule(module: string, language?: string): RegistryEntry | undefined {
    const family = language ? languageFamily(language) : undefined;
    for (const prefix of modulePrefixes(module)) {
      const found = pick(this.byModule.get(prefix), family);
      if (found) return found;
    }
    return undefined;
  }

  /** By entry name, package name or alias (case- and separator-insensitive). */
  findName(name: string, language?: string): RegistryEntry | undefined {
    return pick(this.byName.get(normaliseName(name)), language ? languageFamily(language) : undefined);
  }
}

function push(map: Map<string, RegistryEntry[]>, key: string, entry: RegistryEntry): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(entry)) list.push(entry);
  } else map.set(key, [entry]);
}

/** An entry of the language when one exists, else one without a language; never another language's. */
function pick(list: RegistryEntry[] | undefined, family: string | undefined): RegistryEntry | undefined {
  if (!list) return undefined;
  if (!family) return list[0];
  return list.find((e) => e.language === family) ?? list.find((e) => e.language === undefined);
}
