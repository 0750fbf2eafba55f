/**
 * Figures of the adversarial suite: what was tried and what held. Each test adds to the tallies;
 * at the end of the run they are printed and written to `test-results/adversarial-figures.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface BoundedCase {
  name: string;
  ms: number;
  /** Peak RSS growth over the case, in MiB (process-wide, so an upper bound). */
  rssMiB: number;
  budgetMs: number;
}

export const figures = {
  attacksTried: 0,
  faultsInjected: 0,
  killsSurvived: 0,
  entriesChecked: 0,
  bounded: [] as BoundedCase[],
};

/** Runs `task`, recording its wall time and RSS growth, and fails if it takes longer than `budgetMs`. */
export async function bounded<T>(name: string, budgetMs: number, task: () => T | Promise<T>): Promise<T> {
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const started = performance.now();
  let ms: number;
  let result: T;
  try {
    result = await task();
  } finally {
    clearInterval(sampler);
    ms = performance.now() - started;
    peak = Math.max(peak, process.memoryUsage().rss);
    figures.bounded.push({
      name,
      ms: Math.round(ms * 10) / 10,
      rssMiB: Math.round((peak - rssBefore) / 1048576),
      budgetMs,
    });
  }
  // Checked after the finally block, so a failing task reports its own error rather than the budget.
  if (ms > budgetMs) throw new Error(`${name} took ${ms.toFixed(0)} ms, over its budget of ${budgetMs} ms`);
  return result;
}

after(function () {
  const file = path.resolve(__dirname, '..', '..', 'test-results', 'adversarial-figures.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(`\nadversarial figures (${file}):\n${JSON.stringify(figures, null, 2)}\n`);
});
