/**
 * Detection benchmark: tree-sitter extraction time by file size and language, incremental update
 * after a one-character edit vs a full parse, tree-sitter vs the regex `detection_patterns` (speed,
 * false positives, misses against known truth), and the longest single blocking step.
 * Run: `npx tsx bench/detection.ts` — writes bench/results/detection.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DocumentIndex } from '../src/core/detection/document-index';
import { ImportDetector } from '../src/core/detection/import-detector';
import { loadLibraryCacheText } from '../src/core/libraries/load';
import { detectWithPatterns, patternsFor } from '../src/core/libraries/pattern-detection';
import { BENCH_LANGUAGES, generate, type CorpusFile } from './detection-corpus';
import { fmtMs, goal, ratio, sample, summarize, writeResults } from './lib/stats';

const SIZES = [100, 2000, 20000];

function iterationsFor(lines: number): number {
  return lines >= 20000 ? 5 : lines >= 2000 ? 30 : 200;
}

function accuracy(found: Iterable<string>, truth: Set<string>): { falsePositives: number; misses: number } {
  const set = new Set(found);
  let falsePositives = 0;
  for (const module of set) if (!truth.has(module)) falsePositives++;
  let misses = 0;
  for (const module of truth) if (!set.has(module)) misses++;
  return { falsePositives, misses };
}

/** Edits one character in and out again inside a function body; returns per-edit ms. */
async function incrementalEdits(
  detector: ImportDetector,
  file: CorpusFile,
  count: number,
): Promise<{ editMs: number[]; same: boolean }> {
  const index = new DocumentIndex(detector);
  const uri = `bench://${file.language}`;
  const opened = await index.open({ uri, languageId: file.language, text: file.text });
  let text = file.text;
  let offset = 0;
  for (let row = 0; row < file.editRow; row++) offset = text.indexOf('\n', offset) + 1;
  const editMs: number[] = [];
  let last = opened;
  for (let i = 0; i < count; i++) {
    const insert = i % 2 === 0;
    const next = insert
      ? `${text.slice(0, offset)} ${text.slice(offset)}`
      : `${text.slice(0, offset)}${text.slice(offset + 1)}`;
    const change = insert
      ? { rangeOffset: offset, rangeLength: 0, text: ' ' }
      : { rangeOffset: offset, rangeLength: 1, text: '' };
    const start = performance.now();
    last = await index.edit(uri, [change], next);
    editMs.push(performance.now() - start);
    text = next;
  }
  const same = JSON.stringify(last?.modules) === JSON.stringify(opened?.modules);
  index.dispose();
  return { editMs, same };
}

export async function runDetectionBench(): Promise<object> {
  const registry = loadLibraryCacheText(
    'library-cache.yaml',
    readFileSync(path.resolve(__dirname, '../config/library-cache.yaml'), 'utf8'),
  ).value;
  if (!registry) throw new Error('library-cache.yaml did not load');
  const detector = await ImportDetector.create();
  const coldStart = performance.now();
  for (const language of BENCH_LANGUAGES) await detector.extract(language, generate(language, 10).text);
  const coldMs = performance.now() - coldStart;

  const extraction: Record<string, unknown>[] = [];
  const comparisons: Record<string, unknown>[] = [];
  const incremental: Record<string, unknown>[] = [];
  let treeSitterFalsePositives = 0;
  let regexFalsePositives = 0;
  let regexMisses = 0;
  let treeSitterMisses = 0;
  let worstEdit2k = 0;

  for (const language of BENCH_LANGUAGES) {
    const patterns = patternsFor(registry, language);
    for (const lines of SIZES) {
      const file = generate(language, lines);
      const iterations = iterationsFor(lines);
      const full = summarize(
        await sample(() => detector.extract(language, file.text), iterations, Math.min(3, iterations)),
      );
      const regex = summarize(
        await sample(() => detectWithPatterns(file.text, patterns), iterations, Math.min(3, iterations)),
      );
      const ts = await detector.extract(language, file.text);
      const tsAccuracy = accuracy(ts?.modules.map((m) => m.name) ?? [], file.truth);
      const rxAccuracy = accuracy(
        detectWithPatterns(file.text, patterns).map((m) => m.module),
        file.truth,
      );
      treeSitterFalsePositives += tsAccuracy.falsePositives;
      treeSitterMisses += tsAccuracy.misses;
      regexFalsePositives += rxAccuracy.falsePositives;
      regexMisses += rxAccuracy.misses;
      extraction.push({ language, lines: file.lines, fullMs: full });
      comparisons.push({
        language,
        lines: file.lines,
        treeSitterMs: full.p50,
        regexMs: regex.p50,
        regexSpeedup: ratio(full.p50, regex.p50),
        treeSitter: tsAccuracy,
        regex: rxAccuracy,
        truth: file.truth.size,
      });
      const edits = await incrementalEdits(detector, file, iterations * 2);
      const edit = summarize(edits.editMs);
      if (lines === 2000) worstEdit2k = Math.max(worstEdit2k, edit.p50);
      incremental.push({
        language,
        lines: file.lines,
        editMs: edit,
        fullMs: full.p50,
        speedup: ratio(full.p50, edit.p50),
        sameAsOpen: edits.same,
      });
      process.stdout.write(
        `${language.padEnd(10)} ${String(file.lines).padStart(6)} lines  full ${fmtMs(full.p50).padStart(10)}  edit ${fmtMs(edit.p50).padStart(10)} (${ratio(full.p50, edit.p50).toFixed(1)}x)  regex ${fmtMs(regex.p50).padStart(10)}  FP ts/rx ${tsAccuracy.falsePositives}/${rxAccuracy.falsePositives}  misses ts/rx ${tsAccuracy.misses}/${rxAccuracy.misses}\n`,
      );
    }
  }
  const longestStepMs = detector.stats.longestStepMs;
  // Event-loop delay during detection only (the regex baseline above blocks by design).
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  for (const language of BENCH_LANGUAGES) await detector.extract(language, generate(language, 20000).text);
  loopDelay.disable();
  const maxLoopDelayMs = loopDelay.max / 1e6;
  await detector.dispose();

  process.stdout.write(`cold start (runtime + ${BENCH_LANGUAGES.length} grammars + first parses): ${fmtMs(coldMs)}\n`);
  const goals = [
    goal(
      'an edit in a 2,000-line file updates imports in < 2 ms (p50, worst language)',
      worstEdit2k < 2,
      fmtMs(worstEdit2k),
    ),
    goal(
      'no single detection step blocks > 50 ms',
      longestStepMs < 50,
      `longest step ${fmtMs(longestStepMs)}, max event-loop delay ${fmtMs(maxLoopDelayMs)}`,
    ),
    goal(
      'zero false positives from strings and comments',
      treeSitterFalsePositives === 0,
      `tree-sitter ${treeSitterFalsePositives} (misses ${treeSitterMisses}); regex ${regexFalsePositives} false positives, ${regexMisses} misses`,
    ),
  ];
  const results = {
    coldMs,
    extraction,
    incremental,
    comparisons,
    longestStepMs,
    maxLoopDelayMs,
    totals: { treeSitterFalsePositives, treeSitterMisses, regexFalsePositives, regexMisses },
    goals,
  };
  const file = writeResults('detection', results);
  process.stdout.write(`wrote ${file}\n`);
  return results;
}

if (require.main === module) {
  runDetectionBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
