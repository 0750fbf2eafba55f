/**
 * DocumentIndex: one syntax tree per open document, kept current by incremental reparses.
 *
 * After an edit only the rows that changed are re-queried: records (imports tied to their
 * statement rows) outside the edited rows and tree-sitter's changed ranges are shifted and kept,
 * the rest are dropped and found again. So an edit costs an incremental reparse plus a query over
 * a few rows, instead of a whole-tree query (~5 ms on 2,000 lines).
 *
 * Trees live in wasm memory the JS heap cannot see, so every replaced or closed tree is deleted.
 */
import type { Edit, Tree } from 'web-tree-sitter';
import type { DocumentChange, ExtractedImports, HostDocument, ImportRecord, UsageRecord } from './types';
import { boundNamesOf, classifyCursor, type CursorNodeKind } from './cursor-context';
import { editedUnit, findEditUnit, parsedAsUnit, type EditedUnit, type EditUnit } from './edit-unit';
import type { LoadedGrammar } from './grammars';
import type { ImportDetector } from './import-detector';
import { resolveMembers, type MemberBinding } from './members/resolve';
import { widenToFunctions } from './members/scan';
import { buildResult } from './records';
import type { RowRange } from './sliced';
import { applyChange } from './text-edits';

/** The imports of one open document. */
export interface IndexedDocument extends ExtractedImports {
  uri: string;
  languageId: string;
}

interface DocumentState {
  uri: string;
  languageId: string;
  grammar: LoadedGrammar;
  text: string;
  /** Null while the document is skipped (too large, binary). */
  tree: Tree | null;
  records: ImportRecord[];
  /** Uses and local declarations of the names the imports bind, tied to rows like `records`. */
  usages: UsageRecord[];
  /** The bound names `usages` were read for; when the imports bind other names, all rows are read again. */
  headsKey: string;
  /** What each bound name stands for, from `records` (read with the usages). */
  bindings: Map<string, MemberBinding>;
  lastGood: ExtractedImports | null;
  result: IndexedDocument | null;
  closed: boolean;
  /** Updates of one document run in order. */
  queue: Promise<unknown>;
  /**
   * Rows edited since the tree was last reparsed (edits inside one function are applied from a
   * parse of that function alone; the whole tree is reparsed once the typing settles).
   */
  unsettled: RowRange[];
  settleTimer: ReturnType<typeof setTimeout> | undefined;
}

export interface DocumentIndexOptions {
  /** Quiet time after an edit applied from its function alone before the whole tree is reparsed. Default 300 ms. */
  settleMs?: number;
}

const DEFAULT_SETTLE_MS = 300;

export class DocumentIndex {
  private readonly documents = new Map<string, DocumentState>();
  private trees = 0;
  private readonly settleMs: number;

  constructor(
    private readonly detector: ImportDetector,
    options: DocumentIndexOptions = {},
  ) {
    this.settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  }

  /** Trees currently alive (for tests and memory diagnostics). */
  get liveTrees(): number {
    return this.trees;
  }

  /** Starts tracking a document; null when its language is unsupported or it is skipped. */
  async open(doc: HostDocument): Promise<IndexedDocument | null> {
    this.close(doc.uri);
    if (!this.detector.supports(doc.languageId)) return null;
    const grammar = await this.detector.grammarFor(doc.languageId);
    if (!grammar) return null;
    const state: DocumentState = {
      uri: doc.uri,
      languageId: doc.languageId,
      grammar,
      text: doc.text,
      tree: null,
      records: [],
      usages: [],
      headsKey: '',
      bindings: new Map(),
      lastGood: null,
      result: null,
      closed: false,
      queue: Promise.resolve(),
      unsettled: [],
      settleTimer: undefined,
    };
    if (this.documents.has(doc.uri)) return this.open(doc); // opened again while loading the grammar
    this.documents.set(doc.uri, state);
    return this.enqueue(state, () => this.fullParse(state, doc.text));
  }

  /** Applies content changes (in order) and updates the imports; null for untracked documents. */
  edit(uri: string, changes: DocumentChange[], newText: string): Promise<IndexedDocument | null> {
    const state = this.documents.get(uri);
    if (!state) return Promise.resolve(null);
    return this.enqueue(state, () => this.applyEdit(state, changes, newText));
  }

  /**
   * The document as a full parse sees it: runs the whole-tree reparse an edit deferred (now,
   * instead of when the typing settles); null for untracked documents.
   */
  settled(uri: string): Promise<IndexedDocument | null> {
    const state = this.documents.get(uri);
    if (!state) return Promise.resolve(null);
    this.cancelSettle(state);
    return this.enqueue(state, () =>
      state.unsettled.length === 0
        ? Promise.resolve(state.result)
        : this.reparse(state, state.records, state.unsettled),
    );
  }

  /** Whether a document has edits whose whole-tree reparse is still deferred. */
  isSettled(uri: string): boolean {
    return (this.documents.get(uri)?.unsettled.length ?? 0) === 0;
  }

  /** Stops tracking a document and frees its tree (now, or when an update in flight ends). */
  close(uri: string): void {
    const state = this.documents.get(uri);
    if (!state) return;
    this.documents.delete(uri);
    this.cancelSettle(state);
    state.closed = true;
    this.replaceTree(state, null);
  }

  get(uri: string): IndexedDocument | undefined {
    return this.documents.get(uri)?.result ?? undefined;
  }

  /**
   * The syntax at a UTF-16 offset of an open document (see `classifyCursor`), read from the live
   * tree; undefined when the document is not tracked or skipped. While an edit is being parsed, or
   * its whole-tree reparse is deferred, the previous tree answers, already shifted to the edit; a
   * deferred reparse starts at once, so the next question reads the current tree.
   */
  cursorContext(uri: string, offset: number): CursorNodeKind | undefined {
    const state = this.documents.get(uri);
    if (!state?.tree) return undefined;
    if (state.unsettled.length > 0 && state.settleTimer) void this.settled(uri);
    return classifyCursor(state.tree, offset, boundNamesOf(state.result?.bindings ?? []));
  }

  /** Open document URIs. */
  uris(): string[] {
    return [...this.documents.keys()];
  }

  dispose(): void {
    for (const uri of [...this.documents.keys()]) this.close(uri);
  }

  private enqueue(state: DocumentState, task: () => Promise<IndexedDocument | null>): Promise<IndexedDocument | null> {
    const run = state.queue.then(() => (state.closed ? null : task()));
    state.queue = run.catch((error: unknown) =>
      this.detector.logger.warn(`Import detection failed for ${state.uri}`, error),
    );
    // Detection must never break the host: failures are logged and read as "nothing detected".
    return run.catch(() => null);
  }

  private replaceTree(state: DocumentState, tree: Tree | null): void {
    if (state.tree) {
      state.tree.delete();
      this.trees--;
    }
    state.tree = tree;
    if (tree) this.trees++;
  }

  /** Adopts a freshly parsed tree, unless the document was closed meanwhile. */
  private adopt(state: DocumentState, tree: Tree): boolean {
    if (state.closed) {
      tree.delete();
      return false;
    }
    this.replaceTree(state, tree);
    return true;
  }

  private async fullParse(state: DocumentState, text: string): Promise<IndexedDocument | null> {
    this.cancelSettle(state);
    state.unsettled = [];
    state.text = text;
    if (this.detector.checkText(text, state.uri)) {
      this.replaceTree(state, null);
      state.records = [];
      state.usages = [];
      state.headsKey = '';
      state.result = null;
      return null;
    }
    const tree = await this.detector.parse(state.grammar, text, null);
    if (!this.adopt(state, tree)) return null;
    state.records = await this.detector.records(state.grammar, tree);
    await this.readUsages(state, tree, null);
    return this.publish(state);
  }

  private async applyEdit(
    state: DocumentState,
    changes: DocumentChange[],
    newText: string,
  ): Promise<IndexedDocument | null> {
    const oldTree = state.tree;
    if (!oldTree || changes.length === 0) return this.fullParse(state, newText);
    let text = state.text;
    const dirty: RowRange[] = state.unsettled;
    state.unsettled = [];
    let records = state.records;
    let usages = state.usages;
    let unit: EditUnit | null = null;
    let lastEdit: Edit | null = null;
    for (const change of changes) {
      const applied = applyChange(text, change);
      const spec = state.grammar.spec.members;
      unit = changes.length === 1 && spec ? findEditUnit(spec, oldTree, text, applied.edit) : null;
      lastEdit = applied.edit;
      text = applied.text;
      oldTree.edit(applied.edit);
      const { startPosition, oldEndPosition, newEndPosition } = applied.edit;
      const rowDelta = newEndPosition.row - oldEndPosition.row;
      records = records.flatMap((record) => {
        if (record.endRow < startPosition.row) return [record];
        if (record.startRow > oldEndPosition.row)
          return [{ ...record, startRow: record.startRow + rowDelta, endRow: record.endRow + rowDelta }];
        return [];
      });
      usages = usages.flatMap((usage) => {
        if (usage.endRow < startPosition.row) return [usage];
        if (usage.startRow > oldEndPosition.row) return [shiftUsage(usage, rowDelta)];
        return [];
      });
      for (const range of dirty) {
        if (range.startRow > oldEndPosition.row) {
          range.startRow += rowDelta;
          range.endRow += rowDelta;
        } else if (range.endRow >= startPosition.row)
          range.endRow = Math.max(range.endRow + rowDelta, newEndPosition.row);
      }
      dirty.push({ startRow: startPosition.row, endRow: newEndPosition.row });
    }
    if (text !== newText) {
      this.detector.logger.debug(`Changes to ${state.uri} did not reproduce its text; parsing it again`);
      return this.fullParse(state, newText);
    }
    if (this.detector.checkText(newText, state.uri)) return this.fullParse(state, newText);
    state.text = newText;
    state.records = records;
    state.usages = usages;
    if (unit && lastEdit && records.length === state.records.length) {
      const edited = editedUnit(unit, lastEdit, newText);
      const found = await this.detectUnit(state, edited);
      if (found) {
        dirty.push(edited.rows);
        state.unsettled = dirty;
        state.usages = [...usages.filter((usage) => !overlaps(usage, [edited.rows])), ...found.usages];
        this.scheduleSettle(state);
        return this.publish(state, found.hasError);
      }
    }
    return this.reparse(state, records, dirty);
  }

  /**
   * Uses in an edited construct, read from a parse of its text alone; null when that text does not
   * parse as the same construct or holds imports (then only a reparse of the whole tree will do).
   */
  private async detectUnit(
    state: DocumentState,
    unit: EditedUnit,
  ): Promise<{ usages: UsageRecord[]; hasError: boolean } | null> {
    const tree = await this.detector.parse(state.grammar, unit.snippet, null);
    try {
      if (!parsedAsUnit(tree, unit)) return null;
      if ((await this.detector.records(state.grammar, tree)).length > 0) return null;
      const heads = new Set(state.bindings.keys());
      const found = heads.size === 0 ? [] : await this.detector.usages(state.grammar, tree, heads);
      return { usages: found.map((usage) => shiftUsage(usage, unit.rowShift)), hasError: tree.rootNode.hasError };
    } finally {
      tree.delete();
    }
  }

  /** Reparses the (already edited) tree and reads imports and uses again in the `dirty` rows. */
  private async reparse(
    state: DocumentState,
    records: ImportRecord[],
    dirty: RowRange[],
  ): Promise<IndexedDocument | null> {
    this.cancelSettle(state);
    state.unsettled = [];
    const oldTree = state.tree;
    if (!oldTree) return this.fullParse(state, state.text);
    const tree = await this.detector.parse(state.grammar, state.text, oldTree);
    for (const range of oldTree.getChangedRanges(tree))
      dirty.push({ startRow: range.startPosition.row, endRow: range.endPosition.row });
    if (!this.adopt(state, tree)) return null;
    const kept = records.filter((record) => !overlaps(record, dirty));
    // A query over rows also matches statements that only reach into them; those outside were kept.
    const found = (await this.detector.records(state.grammar, tree, dirty)).filter((record) => overlaps(record, dirty));
    state.records = [...kept, ...found];
    await this.readUsages(state, tree, dirty);
    return this.publish(state);
  }

  /** Runs the deferred reparse once the document has been quiet for `settleMs`. */
  private scheduleSettle(state: DocumentState): void {
    this.cancelSettle(state);
    const timer = setTimeout(() => {
      state.settleTimer = undefined;
      void this.settled(state.uri);
    }, this.settleMs);
    timer.unref();
    state.settleTimer = timer;
  }

  private cancelSettle(state: DocumentState): void {
    if (state.settleTimer) clearTimeout(state.settleTimer);
    state.settleTimer = undefined;
  }

  /**
   * Reads the uses of bound names again: in the changed rows (widened to the functions around
   * them) when the imports still bind the same names, else in the whole tree.
   */
  private async readUsages(state: DocumentState, tree: Tree, dirty: RowRange[] | null): Promise<void> {
    const spec = state.grammar.spec.members;
    if (!spec) return;
    state.bindings = this.detector.bindingsFor(state.grammar, state.records);
    const heads = new Set(state.bindings.keys());
    const headsKey = [...heads].sort().join('\u0000');
    if (dirty === null || headsKey !== state.headsKey || heads.size === 0) {
      state.headsKey = headsKey;
      state.usages = heads.size === 0 ? [] : await this.detector.usages(state.grammar, tree, heads);
      return;
    }
    const widened = widenToFunctions(spec, tree.rootNode, dirty);
    const kept = state.usages.filter((usage) => !overlaps(usage, widened));
    const found = await this.detector.usages(state.grammar, tree, heads, widened);
    state.usages = [...kept, ...found.filter((usage) => overlaps(usage, widened))];
  }

  /** `unitHasError`: an edit applied from its function alone left a syntax error there (until the reparse). */
  private publish(state: DocumentState, unitHasError = false): IndexedDocument | null {
    const tree = state.tree;
    if (!tree || state.closed) return null;
    const hasError = tree.rootNode.hasError || unitHasError;
    const members = resolveMembers(state.usages, state.bindings);
    const extracted = buildResult(state.records, hasError, state.lastGood, members);
    if (!hasError) state.lastGood = extracted;
    state.result = { uri: state.uri, languageId: state.languageId, ...extracted };
    return state.result;
  }
}

/** Whether a record's rows meet any of `ranges`. */
function overlaps(record: RowRange, ranges: readonly RowRange[]): boolean {
  return ranges.some((range) => record.startRow <= range.endRow && record.endRow >= range.startRow);
}

/** A usage record moved down (or up) by `rows` lines. */
function shiftUsage(usage: UsageRecord, rows: number): UsageRecord {
  const moved = { ...usage, startRow: usage.startRow + rows, endRow: usage.endRow + rows };
  if (moved.kind === 'decl')
    return {
      ...moved,
      scope: { ...moved.scope, startRow: moved.scope.startRow + rows, endRow: moved.scope.endRow + rows },
    };
  return { ...moved, row: moved.row + rows };
}
