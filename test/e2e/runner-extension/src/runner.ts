/**
 * The test-only runner extension: activated on startup, it runs the in-host suite once and writes
 * the results as JSON to the file named by the `mcpE2eRunner.resultsFile` setting or the
 * `MCP_E2E_RESULTS` environment variable. With neither set it does nothing, so installing it
 * by accident is harmless.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { runSuite, type InHostSuiteResults } from './suite';

export function activate(): void {
  const fromSetting = vscode.workspace.getConfiguration('mcpE2eRunner').get<string>('resultsFile');
  const resultsFile = fromSetting || process.env['MCP_E2E_RESULTS'];
  if (!resultsFile) return;
  // Started after activation returns so the extension host finishes its startup first.
  setTimeout(() => void runAndWrite(resultsFile), 0);
}

export function deactivate(): void {
  // Nothing to release: the suite cleans up after itself.
}

async function runAndWrite(resultsFile: string): Promise<void> {
  let results: InHostSuiteResults;
  try {
    results = await runSuite();
  } catch (error) {
    const now = new Date().toISOString();
    results = {
      passed: 0,
      failed: 0,
      pending: 0,
      tests: [],
      startedAt: now,
      finishedAt: now,
      loadError: String(error),
    };
  }
  // Written atomically: the harness polls for the file and must never read half of it.
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  const temporary = `${resultsFile}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(results, null, 2));
  renameSync(temporary, resultsFile);
}
