/**
 * Temporary folders for tests. Folders from `tempDir()` are removed when the test process exits
 * (suites create folders while mocha loads files, so removing "all folders so far" in one suite's
 * `after` hook would delete folders other suites have yet to use). For removal right after a
 * suite, use the maker returned by `cleanTempDirsAfter()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const created = new Set<string>();
let exitHookInstalled = false;
/** Folders made since the current mocha run began (see `cleanTempDirsOfRun`). */
const madeDuringRun = new Set<string>();
let runInProgress = false;

/**
 * Removes folders. A folder a still-running server writes into may refuse (ENOTEMPTY); it then
 * stays listed and the exit cleanup removes it once every server is gone.
 */
function remove(dirs: Iterable<string>): void {
  for (const dir of [...dirs]) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 2, retryDelay: 20 });
      created.delete(dir);
      madeDuringRun.delete(dir);
    } catch {
      // left for the exit cleanup
    }
  }
}

/** Creates a fresh folder under the OS temp dir; it is removed at process exit at the latest. */
export function tempDir(prefix = 'mcp-test-'): string {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => remove(created));
  }
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.add(dir);
  if (runInProgress) madeDuringRun.add(dir);
  return dir;
}

/**
 * Removes the given folders now. Without arguments it removes nothing at once (see the module
 * comment) and leaves every folder to the exit cleanup.
 */
export function removeTempDirs(dirs: string[] = []): void {
  remove(dirs);
}

/**
 * Registers a mocha `after` hook in the current suite and returns a folder maker whose folders that
 * hook removes. Mocha runs `after` hooks in the order they were registered: call this after
 * registering the hook that stops the suite's servers, or folders still in use are left to the
 * exit cleanup.
 */
export function cleanTempDirsAfter(): (prefix?: string) => string {
  const mine: string[] = [];
  after(() => remove(mine.splice(0)));
  return (prefix?: string) => {
    const dir = tempDir(prefix);
    mine.push(dir);
    return dir;
  };
}

/**
 * For a process that runs mocha many times and is then killed without an `exit` event (the
 * mutation-testing runner): call `beginTempDirRun` when a run starts and `endTempDirRun` when it
 * ends, which removes the folders made inside that run's tests and hooks. Folders made while test
 * files load stay for the exit cleanup, since a later run in the same process reuses the loaded
 * suites.
 */
export function beginTempDirRun(): void {
  runInProgress = true;
}

/** See `beginTempDirRun`. */
export function endTempDirRun(): void {
  runInProgress = false;
  remove(madeDuringRun);
}
