/**
 * Bundles the test-only runner extension: `out/runner.js` (activated in the extension host),
 * `out/suite.js` (`run()` for `@vscode/test-electron`) and every `test/e2e/in-host/*.test.ts` as
 * `out/tests/*.test.js`. mocha is bundled in, so the runner folder is self-contained once copied.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { projectRoot, runnerExtensionDir } from './paths';

export const inHostSuiteDir: string = path.join(projectRoot, 'test', 'e2e', 'in-host');

const common: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode'],
  logLevel: 'warning',
  // mocha's parallel mode resolves worker files at run time; the runner never uses parallel mode.
  logOverride: { 'require-resolve-not-external': 'silent' },
  // Same as the product bundles: esbuild leaves `import.meta.url` empty in cjs output.
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('url').pathToFileURL(__filename).href;" },
};

/** The in-host test files present now (the suite grows over time). */
export function inHostTestFiles(): string[] {
  if (!existsSync(inHostSuiteDir)) return [];
  return readdirSync(inHostSuiteDir)
    .filter((file) => file.endsWith('.test.ts'))
    .sort()
    .map((file) => path.join(inHostSuiteDir, file));
}

/**
 * In-host files that need a person at the keyboard first (the UI test that drives them starts an
 * MCP server through the workbench); every other file runs on its own in any session.
 */
export const UI_DRIVEN_IN_HOST_FILES: readonly string[] = ['agent-server.test.ts'];

/** The in-host files that run on their own (the smoke session runs these). */
export function standaloneInHostFiles(): string[] {
  return inHostTestFiles()
    .map((file) => path.basename(file))
    .filter((file) => !UI_DRIVEN_IN_HOST_FILES.includes(file));
}

/** Rebuilds `test/e2e/runner-extension/out/`. Returns the bundled test files. */
export async function buildRunnerExtension(): Promise<string[]> {
  const outDir = path.join(runnerExtensionDir, 'out');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.join(outDir, 'tests'), { recursive: true });
  await esbuild.build({
    ...common,
    entryPoints: [path.join(runnerExtensionDir, 'src', 'runner.ts'), path.join(runnerExtensionDir, 'src', 'suite.ts')],
    outdir: outDir,
  });
  const tests = inHostTestFiles();
  if (tests.length > 0) {
    await esbuild.build({ ...common, entryPoints: tests, outdir: path.join(outDir, 'tests') });
  }
  return tests.map((file) => path.join(outDir, 'tests', path.basename(file).replace(/\.ts$/, '.js')));
}

if (require.main === module) {
  void buildRunnerExtension().then((files) =>
    process.stdout.write(`runner built with ${files.length} in-host test file(s)\n`),
  );
}
