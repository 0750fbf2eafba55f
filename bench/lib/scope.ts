/**
 * What every runtime benchmark shares: its options, and a cleanup scope that closes every server,
 * client and temp folder it opened — in reverse order, even when the benchmark throws — so
 * `npm run bench` exits by itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface BenchOptions {
  /** A short run (fewer iterations) for a smoke check. Default false. */
  quick?: boolean;
  /** Write `bench/results/<name>.json`. Default true; the structure test turns it off. */
  write?: boolean;
}

export class BenchScope {
  private readonly closers: Array<() => unknown> = [];

  /** Registers something to close when the scope ends; returns `value` for chaining. */
  own<T>(value: T, close: (value: T) => unknown): T {
    this.closers.push(() => close(value));
    return value;
  }

  /** A temp folder removed when the scope ends. */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), `mcp-bench-${prefix}-`));
    return this.own(dir, (d) => rmSync(d, { recursive: true, force: true }));
  }

  /** Closes everything registered, last first; one failing closer does not stop the others. */
  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        process.stderr.write(`bench cleanup: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  }
}

/** Runs `body` with a fresh scope and always closes it. */
export async function withScope<T>(body: (scope: BenchScope) => Promise<T>): Promise<T> {
  const scope = new BenchScope();
  try {
    return await body(scope);
  } finally {
    await scope.close();
  }
}
