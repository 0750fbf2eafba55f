/**
 * Runs the bundled CLI (`node dist/cli.js`) as a real child process, without a shell, and builds
 * the bundle first when it is missing or older than any source file.
 */
import { execFile, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const cliBundle = path.join(repoRoot, 'dist', 'cli.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function bundleIsFresh(): boolean {
  try {
    const built = statSync(cliBundle).mtimeMs;
    return (
      built >= newestMtime(path.join(repoRoot, 'src', 'core')) &&
      built >= newestMtime(path.join(repoRoot, 'src', 'cli'))
    );
  } catch {
    return false;
  }
}

/** Builds `dist/cli.js` with `node esbuild.mjs` unless it is newer than every file under src/core and src/cli. */
export async function ensureCliBundle(): Promise<void> {
  if (bundleIsFresh()) return;
  await promisify(execFile)(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, timeout: 120_000 });
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `args` and resolves when it exits (killed after `timeoutMs`, default 30 s). */
export function runCli(
  args: string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBundle, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
