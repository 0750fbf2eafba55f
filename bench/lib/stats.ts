/**
 * Benchmark helpers. These machines are shared and noisy, so every benchmark reports ratios against a
 * baseline measured in the same run, and writes its figures as JSON under bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    mean,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
  };
}

/** Times `fn` `iterations` times (after `warmup` runs) and returns per-call milliseconds. */
export async function sample(
  fn: () => unknown,
  iterations: number,
  warmup = Math.min(50, iterations),
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

export function ratio(baseline: number, candidate: number): number {
  return candidate === 0 ? Number.POSITIVE_INFINITY : baseline / candidate;
}

export const fmtMs = (v: number): string =>
  v < 0.01 ? `${(v * 1000).toFixed(2)} µs` : `${v.toFixed(v < 10 ? 3 : 1)} ms`;

/** Writes `bench/results/<name>.json` and returns its path. */
export function writeResults(name: string, data: unknown): string {
  const dir = path.resolve(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({ name, measuredAt: new Date().toISOString(), node: process.version, ...(data as object) }, null, 2),
  );
  return file;
}

/** Prints a goal line: `PASS`/`MISS` with the measured value next to the goal. */
export function goal(label: string, met: boolean, detail: string): { label: string; met: boolean; detail: string } {
  process.stdout.write(`  ${met ? 'MET ' : 'MISS'} ${label}: ${detail}\n`);
  return { label, met, detail };
}
