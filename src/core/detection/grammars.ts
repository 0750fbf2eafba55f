/**
 * Lazy grammar loading: the tree-sitter runtime is initialised the first time any language is
 * seen, and each grammar (with its compiled import query and a parser) the first time its language
 * is seen — never at activation (cold cost: ~12 ms runtime, ~10 ms grammar, up to ~40 ms query).
 */
import { Language, Parser, Query } from 'web-tree-sitter';
import path from 'node:path';
import type { Logger } from '../ports';
import { Mutex } from './mutex';
import type { LanguageSpec } from './types';
import type { WasmLocation } from './wasm-location';

/** A loaded grammar: its parser is shared by every document of the language, one at a time. */
export interface LoadedGrammar {
  spec: LanguageSpec;
  language: Language;
  query: Query;
  /** The member query, for languages with member detection. */
  memberQuery: Query | null;
  parser: Parser;
  lock: Mutex;
}

let runtimeReady: Promise<void> | undefined;

/** `Parser.init` is process-wide; the first location wins. */
function initRuntime(location: WasmLocation): Promise<void> {
  runtimeReady ??= Parser.init({ locateFile: () => location.runtimeWasm }).catch((error: unknown) => {
    runtimeReady = undefined;
    throw error;
  });
  return runtimeReady;
}

export class GrammarLoader {
  private readonly loaded = new Map<string, Promise<LoadedGrammar | null>>();
  private disposed = false;

  constructor(
    private readonly location: WasmLocation,
    private readonly logger: Logger,
  ) {}

  /** The grammar for a spec, or null when it failed to load (logged once, not retried). */
  load(spec: LanguageSpec): Promise<LoadedGrammar | null> {
    let entry = this.loaded.get(spec.grammar);
    if (!entry) {
      entry = this.loadUncached(spec);
      this.loaded.set(spec.grammar, entry);
    }
    return entry;
  }

  private async loadUncached(spec: LanguageSpec): Promise<LoadedGrammar | null> {
    try {
      await initRuntime(this.location);
      const language = await Language.load(path.join(this.location.grammarDir, `tree-sitter-${spec.grammar}.wasm`));
      const query = new Query(language, spec.query);
      const memberQuery = spec.members ? new Query(language, spec.members.query) : null;
      const parser = new Parser();
      parser.setLanguage(language);
      if (this.disposed) {
        parser.delete();
        query.delete();
        memberQuery?.delete();
        return null;
      }
      this.logger.debug(`Loaded tree-sitter grammar ${spec.grammar}`);
      return { spec, language, query, memberQuery, parser, lock: new Mutex() };
    } catch (error) {
      this.logger.warn(
        `Could not load the tree-sitter grammar ${spec.grammar}; imports of this language are not detected`,
        error,
      );
      return null;
    }
  }

  /** Frees every parser and query (trees belong to their owners). */
  async dispose(): Promise<void> {
    this.disposed = true;
    const grammars = await Promise.all(this.loaded.values());
    this.loaded.clear();
    for (const grammar of grammars) {
      if (!grammar) continue;
      grammar.parser.delete();
      grammar.query.delete();
      grammar.memberQuery?.delete();
    }
  }
}
