/** Temporary folders for tests, removed by `removeTempDirs()` (call it from an `after` hook). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const created = new Set<string>();

/** Creates a fresh folder under the OS temp dir and remembers it for cleanup. */
export function tempDir(prefix = 'mcp-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.add(dir);
  return dir;
}

/** Removes every folder made by `tempDir()` so far. */
export function removeTempDirs(): void {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
  created.clear();
}

/** Registers mocha hooks that remove this suite's temp folders after it. */
export function cleanTempDirsAfter(): void {
  after(() => removeTempDirs());
}
