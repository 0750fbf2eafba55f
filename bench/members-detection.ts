/**
 * The detection half of the `members` benchmark: precision and recall of member detection on the
 * hand-labelled corpus (test/fixtures/members), and the cost of one edit in a 2,000-line file per
 * language, against a full detection of the same text measured in the same run. An edit inside one
 * function is applied from a parse of that function alone and the whole tree is reparsed once the
 * typing settles; both costs are measured: the edit itself, and the settled reparse after each
 * pause (here: after every typed-and-deleted letter).
 */
import { DocumentIndex } from '../src/core/detection/document-index';
import { type ImportDetector } from '../src/core/detection/import-detector';
import { resolveMembers } from '../src/core/detection/members/resolve';
import { widenToFunctions } from '../src/core/detection/members/scan';
import { applyChange } from '../src/core/detection/text-edits';
import { corpusLabels, corpusText, MEMBER_CORPUS } from '../test/fixtures/members/corpus';
import { largeFile } from './lib/member-workspace';
import { summarize, type Summary } from './lib/stats';

export interface CorpusQuality {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** Members found that the labels do not have, per file (strings, comments, shadowed names…). */
  unexpected: Record<string, string[]>;
  missed: Record<string, string[]>;
}

/** Occurrence-level precision and recall over the corpus (a member used twice counts twice). */
export async function corpusQuality(detector: ImportDetector): Promise<CorpusQuality> {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const unexpected: Record<string, string[]> = {};
  const missed: Record<string, string[]> = {};
  for (const [file, languageId] of MEMBER_CORPUS) {
    const labels = corpusLabels(file);
    const found = Object.fromEntries(
      ((await detector.extract(languageId, corpusText(file)))?.members ?? []).map((m) => [m.name, m.count]),
    );
    for (const name of new Set([...Object.keys(labels), ...Object.keys(found)])) {
      const want = labels[name] ?? 0;
      const got = found[name] ?? 0;
      tp += Math.min(want, got);
      if (got > want) (unexpected[file] ??= []).push(name);
      if (want > got) (missed[file] ??= []).push(name);
      fp += Math.max(0, got - want);
      fn += Math.max(0, want - got);
    }
  }
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    unexpected,
    missed,
  };
}

export const EDIT_LANGUAGES = ['python', 'javascript', 'typescript', 'typescriptreact', 'go', 'rust', 'java'] as const;

export interface EditCost {
  languageId: string;
  lines: number;
  members: number;
  /** One single-character edit (typing or deleting a letter), detection current afterwards. */
  editMs: Summary;
  /** Share of the edits applied from their function alone (the rest reparsed the whole tree at once). */
  deferredShare: number;
  /** The whole-tree reparse the edits deferred, run once after each typed-and-deleted letter. */
  settleMs: Summary;
  /** Detecting the whole text again (parse + import and member queries), the same run. */
  fullMs: Summary;
  /** fullMs.p50 / editMs.p50. */
  ratio: number;
  /**
   * The same edits replayed step by step, to say where an edit's time goes: the incremental
   * reparse, the import query over the changed rows, and the member work (widening to functions,
   * the member query over those rows, resolving every use against the bindings).
   */
  breakdownMs: { reparse: Summary; imports: Summary; members: Summary };
}

/** A small deterministic generator (LCG), so every run edits the same places. */
function positions(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

export async function editCost(
  detector: ImportDetector,
  languageId: string,
  edits: number,
  fullRuns: number,
): Promise<EditCost> {
  const base = largeFile(languageId as Parameters<typeof largeFile>[0], 2000);
  // Settling is run (and timed) by the loop below, never by the timer.
  const index = new DocumentIndex(detector, { settleMs: 3_600_000 });
  const uri = `file:///bench/large.${languageId}`;
  try {
    const opened = await index.open({ uri, languageId, text: base });
    const next = positions(42);
    const samples: number[] = [];
    const settles: number[] = [];
    let deferred = 0;
    const text = base;
    for (let i = 0; i < edits; i++) {
      // Type a letter somewhere, then delete it again: the text stays realistic.
      const at = Math.floor(next() * text.length);
      const typed = text.slice(0, at) + 'x' + text.slice(at);
      let start = performance.now();
      await index.edit(uri, [{ rangeOffset: at, rangeLength: 0, text: 'x' }], typed);
      samples.push(performance.now() - start);
      if (!index.isSettled(uri)) deferred++;
      start = performance.now();
      await index.edit(uri, [{ rangeOffset: at, rangeLength: 1, text: '' }], text);
      samples.push(performance.now() - start);
      if (!index.isSettled(uri)) deferred++;
      start = performance.now();
      await index.settled(uri);
      settles.push(performance.now() - start);
    }
    const full: number[] = [];
    for (let i = 0; i < fullRuns; i++) {
      const start = performance.now();
      await detector.extract(languageId, text);
      full.push(performance.now() - start);
    }
    const editMs = summarize(samples);
    const fullMs = summarize(full);
    return {
      languageId,
      lines: base.split('\n').length,
      members: opened?.members.length ?? 0,
      editMs,
      deferredShare: deferred / samples.length,
      settleMs: summarize(settles),
      fullMs,
      ratio: editMs.p50 > 0 ? fullMs.p50 / editMs.p50 : 0,
      breakdownMs: await breakdown(detector, languageId, base, edits),
    };
  } finally {
    index.dispose();
  }
}

/** Replays the edits of `editCost` phase by phase (see `EditCost.breakdownMs`). */
async function breakdown(
  detector: ImportDetector,
  languageId: string,
  base: string,
  edits: number,
): Promise<EditCost['breakdownMs']> {
  const grammar = await detector.grammarFor(languageId);
  const spec = grammar?.spec.members;
  if (!grammar || !spec) throw new Error(`no member detection for ${languageId}`);
  let tree = await detector.parse(grammar, base, null);
  const records = await detector.records(grammar, tree);
  const bindings = detector.bindingsFor(grammar, records);
  const heads = new Set(bindings.keys());
  const usages = await detector.usages(grammar, tree, heads);
  const reparse: number[] = [];
  const imports: number[] = [];
  const members: number[] = [];
  const next = positions(42);
  let text = base;
  let lastAt = 0;
  try {
    for (let i = 0; i < edits * 2; i++) {
      const at = i % 2 === 0 ? Math.floor(next() * text.length) : -1;
      const change =
        at >= 0 ? { rangeOffset: at, rangeLength: 0, text: 'x' } : { rangeOffset: lastAt, rangeLength: 1, text: '' };
      if (at >= 0) lastAt = at;
      const applied = applyChange(text, change);
      text = applied.text;
      tree.edit(applied.edit);
      let start = performance.now();
      const fresh = await detector.parse(grammar, text, tree);
      const dirty = tree
        .getChangedRanges(fresh)
        .map((range) => ({ startRow: range.startPosition.row, endRow: range.endPosition.row }));
      dirty.push({ startRow: applied.edit.startPosition.row, endRow: applied.edit.newEndPosition.row });
      reparse.push(performance.now() - start);
      tree.delete();
      tree = fresh;
      start = performance.now();
      await detector.records(grammar, tree, dirty);
      imports.push(performance.now() - start);
      start = performance.now();
      const widened = widenToFunctions(spec, tree.rootNode, dirty);
      const found = await detector.usages(grammar, tree, heads, widened);
      resolveMembers([...usages, ...found], bindings);
      members.push(performance.now() - start);
    }
  } finally {
    tree.delete();
  }
  return { reparse: summarize(reparse), imports: summarize(imports), members: summarize(members) };
}
