/**
 * `npm run bench [-- [--quick] [name…]]`: runs the benchmarks one after another (never in parallel:
 * they would measure each other), prints each one's figures and MET/MISS lines, and a summary.
 * Every benchmark writes `bench/results/<name>.json`; the summary goes to `bench/results/summary.json`.
 *
 *   --quick   short runs (about a minute in all) to check that everything works; figures are rougher
 *   --list    print the benchmark names and exit
 *   name…     run only the benchmarks whose name contains one of these words
 *
 * A missed goal is reported, not an error: the exit code is 1 when a benchmark fails to run or when
 * the process emitted a warning (a `MaxListenersExceededWarning` under load is a defect, not noise).
 */
import { parseArgs } from 'node:util';
import { runAgentSessionBench } from './agent-session';
import { runDetectionBench } from './detection';
import { runHitLatencyBench, runMissOverheadBench } from './hierarchy';
import type { BenchOptions } from './lib/scope';
import { writeResults } from './lib/stats';
import { runLoadBench } from './load';
import { runMembersBench } from './members';
import { runPreloadBench } from './preload';
import { runReplayBench } from './replay';
import { runTeamBench } from './team';

export interface BenchDefinition {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<object>;
}

export const BENCHMARKS: readonly BenchDefinition[] = [
  {
    name: 'hit-latency',
    description: 'local-cache hits (memory, disk) vs one stdio round trip',
    run: runHitLatencyBench,
  },
  {
    name: 'miss-overhead',
    description: 'hierarchy cold path vs a bare callTool to context7',
    run: runMissOverheadBench,
  },
  {
    name: 'load',
    description: '1000 concurrent hits (req/s); 1000 identical cold questions → upstream calls',
    run: runLoadBench,
  },
  {
    name: 'replay',
    description: 'Zipf session through the full runtime vs direct context7 (150 ms API)',
    run: runReplayBench,
  },
  {
    name: 'agent-session',
    description: 'agent conversations through `serve` vs direct context7 (150 ms API); gateway miss overhead',
    run: runAgentSessionBench,
  },
  {
    name: 'team',
    description: 'three serve --http instances on one Redis vs one (hit req/s); two people, shared vs separate caches',
    run: runTeamBench,
  },
  {
    name: 'preload',
    description: 'opening examples/workspace until every library is cached vs sequential first questions',
    run: runPreloadBench,
  },
  // The detection benchmark has a single size; it takes a few seconds either way.
  {
    name: 'detection',
    description: 'tree-sitter import detection (size, incremental edits, vs regex)',
    run: () => runDetectionBench(),
  },
  {
    name: 'members',
    description: 'member detection (corpus, edit cost), member preload, hovers and first questions vs cold',
    run: runMembersBench,
  },
];

interface GoalLine {
  label: string;
  met: boolean;
  detail: string;
}

interface RunSummary {
  name: string;
  ok: boolean;
  seconds: number;
  goals: GoalLine[];
  error?: string;
}

function goalsOf(results: object): GoalLine[] {
  const goals = (results as { goals?: unknown }).goals;
  return Array.isArray(goals) ? (goals as GoalLine[]) : [];
}

/** The benchmarks whose names contain one of `filters` (all when there are none). */
export function selectBenchmarks(filters: readonly string[]): BenchDefinition[] {
  return BENCHMARKS.filter(
    (bench) => filters.length === 0 || filters.some((word) => bench.name.includes(word.toLowerCase())),
  );
}

export async function runBenchmarks(
  selected: readonly BenchDefinition[],
  options: BenchOptions,
): Promise<RunSummary[]> {
  const summaries: RunSummary[] = [];
  for (const bench of selected) {
    process.stdout.write(`\n== ${bench.name}${options.quick ? ' (quick)' : ''} ==\n`);
    const start = performance.now();
    try {
      const results = await bench.run(options);
      summaries.push({
        name: bench.name,
        ok: true,
        seconds: (performance.now() - start) / 1000,
        goals: goalsOf(results),
      });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`${bench.name} failed: ${message}\n`);
      summaries.push({
        name: bench.name,
        ok: false,
        seconds: (performance.now() - start) / 1000,
        goals: [],
        error: message,
      });
    }
  }
  return summaries;
}

function printSummary(summaries: readonly RunSummary[]): void {
  process.stdout.write('\n== summary ==\n');
  for (const summary of summaries) {
    process.stdout.write(`${summary.name} (${summary.seconds.toFixed(1)} s)${summary.ok ? '' : ' FAILED TO RUN'}\n`);
    for (const g of summary.goals) process.stdout.write(`  ${g.met ? 'MET ' : 'MISS'} ${g.label}: ${g.detail}\n`);
  }
}

/** Records every process warning from here on; the run fails if any was emitted. */
function recordWarnings(): string[] {
  const warnings: string[] = [];
  process.on('warning', (warning: Error & { code?: string }) => {
    warnings.push(`${warning.name}${warning.code ? ` [${warning.code}]` : ''}: ${warning.message}`);
  });
  return warnings;
}

async function main(): Promise<void> {
  const warnings = recordWarnings();
  const { values, positionals } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, list: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (values.list) {
    for (const bench of BENCHMARKS) process.stdout.write(`${bench.name.padEnd(14)} ${bench.description}\n`);
    return;
  }
  const selected = selectBenchmarks(positionals);
  if (selected.length === 0) {
    process.stderr.write(`no benchmark matches ${positionals.join(', ')}; try --list\n`);
    process.exitCode = 2;
    return;
  }
  const summaries = await runBenchmarks(selected, { quick: values.quick });
  printSummary(summaries);
  writeResults('summary', { quick: values.quick, benchmarks: summaries });
  if (summaries.some((s) => !s.ok)) process.exitCode = 1;
  // A warning is emitted on the next tick: let the last one arrive before deciding.
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (warnings.length > 0) {
    process.stderr.write(
      `FAILED: the run emitted ${warnings.length} process warning(s):\n  ${warnings.join('\n  ')}\n`,
    );
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
