/**
 * Runs the in-host mocha suite (test/e2e/in-host/*.test.ts, bundled next to this file under
 * `tests/`) inside an extension host. Used by both hosts: the runner extension in code-server, and
 * `@vscode/test-electron`'s `extensionTestsPath` (which calls `run()`) in desktop VS Code.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export interface InHostTestResult {
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

export interface InHostSuiteResults {
  passed: number;
  failed: number;
  pending: number;
  tests: InHostTestResult[];
  startedAt: string;
  finishedAt: string;
  /** Set when the suite could not run at all (e.g. a test file threw while loading). */
  loadError?: string;
}

/** Bounds a single in-host test (the suite's own `this.timeout()` may raise it). */
const DEFAULT_TEST_TIMEOUT_MS = 60_000;

/**
 * The bundled test files (`tests/*.test.js` beside the bundle); only those named (as
 * `name.test.ts`, comma-separated) in `MCP_E2E_IN_HOST_FILES` when it is set.
 */
export function bundledTestFiles(dir: string = path.join(__dirname, 'tests')): string[] {
  const only = process.env['MCP_E2E_IN_HOST_FILES']?.split(',').map((file) => file.trim().replace(/\.ts$/, '.js'));
  return readdirSync(dir)
    .filter((file) => file.endsWith('.test.js') && (!only || only.includes(file)))
    .sort()
    .map((file) => path.join(dir, file));
}

/** Runs every bundled test file and collects per-test results. Never rejects for test failures. */
export async function runSuite(files: string[] = bundledTestFiles()): Promise<InHostSuiteResults> {
  const startedAt = new Date().toISOString();
  const tests: InHostTestResult[] = [];
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: DEFAULT_TEST_TIMEOUT_MS,
    color: false,
    reporter: 'spec',
    forbidOnly: true,
  });
  for (const file of files) mocha.addFile(file);
  const finish = (loadError?: string): InHostSuiteResults => ({
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    pending: tests.filter((t) => t.state === 'pending').length,
    tests,
    startedAt,
    finishedAt: new Date().toISOString(),
    ...(loadError ? { loadError } : {}),
  });
  try {
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (test) => tests.push(result(test, 'passed')));
      runner.on('pending', (test) => tests.push(result(test, 'pending')));
      runner.on('fail', (test, error: unknown) =>
        tests.push({ ...result(test, 'failed'), error: describeError(error) }),
      );
    });
  } catch (error) {
    return finish(describeError(error));
  }
  return finish();
}

/** `@vscode/test-electron` entry point: rejects when any test failed. */
export async function run(): Promise<void> {
  const results = await runSuite();
  if (results.loadError) throw new Error(`In-host suite failed to load: ${results.loadError}`);
  if (results.failed > 0) throw new Error(`${results.failed} in-host test(s) failed`);
}

function result(test: Mocha.Runnable, state: InHostTestResult['state']): InHostTestResult {
  return { title: test.title, fullTitle: test.fullTitle(), state, durationMs: test.duration ?? 0 };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
