/**
 * LibraryCache: module → library id. Known libraries come from library-cache.yaml (names, aliases,
 * module mappings, Go / Java prefixes); unknown ones are resolved once through a resolver (context7's
 * resolve-library-id), remembered in a state file — found ids for `resolvedTtlMs`, misses for the
 * shorter `missTtlMs` — and concurrent resolutions of one name share one call.
 */
import type { DetectedLibrary } from './types';
import type { ConfigError } from '../errors';
import type { Logger } from '../ports';
import { silentLogger } from '../ports';
import { JsonStateFile } from '../store/json-state-file';
import { languageFamily } from './language-family';
import { emptyLearnedState, validateLearnedState, type LearnedState } from './learned-state';
import { LibraryRegistry, normaliseName, type RegistryEntry } from './registry';
import { loadLibraryCacheText } from './load';
import type { LibraryCacheFile } from './schema';
import { selectVersion, versionedId } from './versions';

/** Resolves a library name to an id (context7 `resolve-library-id`); null when none is found. */
export type LibraryResolver = (name: string, query?: string) => Promise<string | null>;

export interface LibraryCacheOptions {
  /** library-cache.yaml text; ignored when `registry` is given. Default: an empty registry. */
  registryText?: string;
  /** File name used in error messages for `registryText`. Default `library-cache.yaml`. */
  registryFile?: string;
  /** An already parsed registry. */
  registry?: LibraryCacheFile;
  /** Resolves unknown libraries. Default: none (unknown libraries stay unresolved). */
  resolver?: LibraryResolver;
  /** Absolute path of the JSON file holding learned ids. */
  stateFile: string;
  /** Default: a silent logger. */
  logger?: Logger;
  /** How long a found id is trusted. Default 30 days. */
  resolvedTtlMs?: number;
  /** How long a miss is remembered before asking again. Default 1 day. */
  missTtlMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

export interface ResolveOptions {
  /** The version the workspace manifest asks for; selects a versioned id where one is listed. */
  version?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class LibraryCache {
  /** Problems found in the registry YAML (the valid part still applies). */
  readonly configErrors: ConfigError[];
  private readonly inFlight = new Map<string, Promise<string | null>>();

  private constructor(
    private readonly registry: LibraryRegistry,
    private readonly state: LearnedState,
    private readonly stateFile: JsonStateFile<LearnedState>,
    private readonly options: LibraryCacheOptions,
    configErrors: ConfigError[],
  ) {
    this.configErrors = configErrors;
  }

  static async create(options: LibraryCacheOptions): Promise<LibraryCache> {
    const logger = options.logger ?? silentLogger;
    let file: LibraryCacheFile = options.registry ?? { common_libraries: {}, detection_patterns: {} };
    let errors: ConfigError[] = [];
    if (!options.registry && options.registryText !== undefined) {
      const loaded = loadLibraryCacheText(options.registryFile ?? 'library-cache.yaml', options.registryText);
      errors = loaded.errors;
      for (const error of errors) logger.warn(error.message);
      if (loaded.value) file = loaded.value;
    }
    const stateFile = new JsonStateFile<LearnedState>({
      path: options.stateFile,
      initial: emptyLearnedState,
      validate: validateLearnedState,
      logger,
    });
    const state = await stateFile.read();
    return new LibraryCache(new LibraryRegistry(file), state, stateFile, options, errors);
  }

  /** Every registry entry (the guide's `len(cache.libraries)`). */
  get libraries(): readonly RegistryEntry[] {
    return this.registry.entries;
  }

  /** Learned resolutions (found and missed) currently remembered. */
  get learnedCount(): number {
    return Object.keys(this.state.entries).length;
  }

  /** Registry entry for a module or name, if any. */
  entryFor(nameOrModule: string, language?: string): RegistryEntry | undefined {
    return this.registry.findModule(nameOrModule, language) ?? this.registry.findName(nameOrModule, language);
  }

  /** Synchronous: registry (modules, names, aliases), then learned ids. Never goes upstream. */
  getLibraryId(nameOrModule: string, language?: string): string | null {
    const entry = this.entryFor(nameOrModule, language);
    if (entry) return entry.id;
    const learned = this.state.entries[learnedKey(nameOrModule, language)];
    return learned && this.isFresh(learned) ? learned.id : null;
  }

  /** The library behind an imported module, resolving unknown ones through the resolver. */
  async resolve(module: string, language: string, options: ResolveOptions = {}): Promise<DetectedLibrary> {
    const entry = this.entryFor(module, language);
    if (entry) {
      const version = selectVersion(options.version, entry.versions);
      return {
        module,
        packageName: entry.packageName,
        libraryId: versionedId(entry.id, version),
        ...(options.version ? { version: options.version } : {}),
      };
    }
    const libraryId = await this.resolveUnknown(module, language);
    return { module, packageName: module, libraryId, ...(options.version ? { version: options.version } : {}) };
  }

  private async resolveUnknown(module: string, language: string): Promise<string | null> {
    const key = learnedKey(module, language);
    const learned = this.state.entries[key];
    if (learned && this.isFresh(learned)) return learned.id;
    const resolver = this.options.resolver;
    if (!resolver) return null;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const call = this.callResolver(resolver, key, module).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  private async callResolver(resolver: LibraryResolver, key: string, module: string): Promise<string | null> {
    let id: string | null;
    try {
      id = await resolver(module);
    } catch (error) {
      // A failed call says nothing about the library: not remembered, asked again next time.
      (this.options.logger ?? silentLogger).debug(`Could not resolve library ${module}`, error);
      return null;
    }
    this.state.entries[key] = { id, resolvedAt: this.now() };
    await this.stateFile
      .write(this.state)
      .catch((error: unknown) =>
        (this.options.logger ?? silentLogger).warn(
          `Could not save learned library ids to ${this.stateFile.path}`,
          error,
        ),
      );
    return id;
  }

  private isFresh(learned: { id: string | null; resolvedAt: number }): boolean {
    const ttl = learned.id === null ? (this.options.missTtlMs ?? DAY_MS) : (this.options.resolvedTtlMs ?? 30 * DAY_MS);
    return this.now() - learned.resolvedAt < ttl;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function learnedKey(name: string, language?: string): string {
  return `${language ? languageFamily(language) : '*'}:${normaliseName(name)}`;
}
