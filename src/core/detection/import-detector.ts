/**
 * ImportDetector: one-shot import extraction with tree-sitter queries, plus the shared machinery
 * (lazy grammars, size and binary checks, sliced work, step statistics) the DocumentIndex uses.
 */
import type { Tree } from 'web-tree-sitter';
import type { Logger } from '../ports';
import { silentLogger } from '../ports';
import { GrammarLoader, type LoadedGrammar } from './grammars';
import { specFor } from './languages';
import { memberBindings, resolveMembers, type MemberBinding } from './members/resolve';
import { UsageCollector } from './members/scan';
import { buildResult, recordsFromMatches } from './records';
import { parseSliced, queryRowsSliced, type RowRange, type SliceOptions } from './sliced';
import type { ExtractedImports, ImportRecord, UsageRecord } from './types';
import { resolveWasmLocation } from './wasm-location';

export interface ImportDetectorOptions {
  /** Folder with `web-tree-sitter.wasm` and the grammar files. Default: `<bundle>/wasm`, else the npm packages. */
  wasmDir?: string;
  /** Default: a silent logger. */
  logger?: Logger;
  /** Texts larger than this (UTF-8 bytes) are skipped with a log line. Default 1 MiB. */
  maxFileBytes?: number;
  /** Longest synchronous parse or query slice, in ms, before yielding to the event loop. Default 10. */
  sliceMs?: number;
}

/** Counters for benchmarks and the dashboard. */
export interface DetectorStats {
  /** Longest synchronous step (parse slice, query chunk) seen, in ms. */
  longestStepMs: number;
  parses: number;
  skipped: number;
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
const DEFAULT_SLICE_MS = 10;

export type SkipReason = 'too-large' | 'binary';

export class ImportDetector {
  readonly stats: DetectorStats = { longestStepMs: 0, parses: 0, skipped: 0 };
  readonly logger: Logger;
  private readonly grammars: GrammarLoader;
  private readonly maxFileBytes: number;
  readonly sliceOptions: SliceOptions;

  private constructor(options: ImportDetectorOptions) {
    this.logger = options.logger ?? silentLogger;
    this.grammars = new GrammarLoader(resolveWasmLocation(options.wasmDir), this.logger);
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.sliceOptions = {
      sliceMs: options.sliceMs ?? DEFAULT_SLICE_MS,
      onStep: (ms) => {
        if (ms > this.stats.longestStepMs) this.stats.longestStepMs = ms;
      },
    };
  }

  /** Creates a detector. Nothing is loaded until a supported language is first seen. */
  static async create(options: ImportDetectorOptions = {}): Promise<ImportDetector> {
    return new ImportDetector(options);
  }

  supports(languageId: string): boolean {
    return specFor(languageId) !== undefined;
  }

  /** Why a text must not be parsed, or null when it may be. Logs the reason. */
  checkText(text: string, what: string): SkipReason | null {
    // Cheap bound first: UTF-8 needs at most 3 bytes per UTF-16 unit.
    const tooLarge =
      text.length > this.maxFileBytes ||
      (text.length * 3 > this.maxFileBytes && Buffer.byteLength(text, 'utf8') > this.maxFileBytes);
    const reason: SkipReason | null = tooLarge ? 'too-large' : text.includes('\u0000') ? 'binary' : null;
    if (reason) {
      this.stats.skipped++;
      this.logger.info(
        reason === 'too-large'
          ? `Import detection skipped ${what}: larger than ${this.maxFileBytes} bytes`
          : `Import detection skipped ${what}: binary content`,
      );
    }
    return reason;
  }

  /** The loaded grammar for a language id, or null when unsupported or failed to load. */
  async grammarFor(languageId: string): Promise<LoadedGrammar | null> {
    const spec = specFor(languageId);
    return spec ? this.grammars.load(spec) : null;
  }

  /** Parses under the grammar's lock; the caller owns (and must delete) the returned tree. */
  parse(grammar: LoadedGrammar, text: string, oldTree: Tree | null): Promise<Tree> {
    this.stats.parses++;
    return grammar.lock.run(() => parseSliced(grammar.parser, text, oldTree, this.sliceOptions));
  }

  /** Import records of the given rows of a tree (all rows when `ranges` is omitted). */
  async records(grammar: LoadedGrammar, tree: Tree, ranges?: RowRange[]): Promise<ImportRecord[]> {
    const out: ImportRecord[] = [];
    const rows = ranges ?? [{ startRow: 0, endRow: tree.rootNode.endPosition.row }];
    await queryRowsSliced(
      grammar.query,
      tree,
      rows,
      (matches) => recordsFromMatches(grammar.spec, matches, out),
      this.sliceOptions,
    );
    return out;
  }

  /** What each local name of `records` stands for (empty for languages without member detection). */
  bindingsFor(grammar: LoadedGrammar, records: readonly ImportRecord[]): Map<string, MemberBinding> {
    return grammar.spec.members
      ? memberBindings(records, grammar.spec.members.modulesAreNames ?? false)
      : new Map<string, MemberBinding>();
  }

  /** Uses of the bound `heads` (and local declarations of them) in the given rows (all when omitted). */
  async usages(
    grammar: LoadedGrammar,
    tree: Tree,
    heads: ReadonlySet<string>,
    ranges?: RowRange[],
  ): Promise<UsageRecord[]> {
    const spec = grammar.spec.members;
    if (!spec || !grammar.memberQuery) return [];
    const collector = new UsageCollector(spec, heads);
    const rows = ranges ?? [{ startRow: 0, endRow: tree.rootNode.endPosition.row }];
    await queryRowsSliced(grammar.memberQuery, tree, rows, (matches) => collector.add(matches), this.sliceOptions);
    return collector.finish();
  }

  /** Imports and used members of one text; null when the language is unsupported or the text is skipped. */
  async extract(languageId: string, text: string): Promise<ExtractedImports | null> {
    if (!this.supports(languageId) || this.checkText(text, `a ${languageId} text`)) return null;
    const grammar = await this.grammarFor(languageId);
    if (!grammar) return null;
    const tree = await this.parse(grammar, text, null);
    try {
      const records = await this.records(grammar, tree);
      const bindings = this.bindingsFor(grammar, records);
      const usages = await this.usages(grammar, tree, new Set(bindings.keys()));
      return buildResult(records, tree.rootNode.hasError, null, resolveMembers(usages, bindings));
    } finally {
      tree.delete();
    }
  }

  /** Frees parsers and queries. Trees belong to their owners (the DocumentIndex deletes its own). */
  dispose(): Promise<void> {
    return this.grammars.dispose();
  }
}
