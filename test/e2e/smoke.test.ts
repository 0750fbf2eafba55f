/**
 * The harness works end to end: code-server loads the workbench in Chromium, extensions copied into
 * its extensions dir are installed, and the extension host runs code from them.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { standaloneInHostFiles } from './harness/build-runner';
import { readInHostResults, useSession } from './harness/session';
import { runCommand } from './harness/workbench';
import type { InHostSuiteResults } from './runner-extension/src/suite';

describe('e2e harness (code-server + Chromium)', function () {
  const session = useSession({ name: 'smoke', inHostSuite: true });

  it('loads the workbench on the example workspace', async function () {
    const { page } = session();
    await page
      .locator('.explorer-folders-view, .explorer-viewlet')
      .first()
      .waitFor({ state: 'attached' })
      .catch(async () => {
        await page.keyboard.press('Control+Shift+E');
      });
    const explorer = page.locator('.explorer-folders-view .monaco-list-row');
    await explorer.filter({ hasText: 'requirements.txt' }).first().waitFor({ state: 'visible' });
    assert.ok(existsSync(await session().screenshot('workbench')));
  });

  it('lists MCP Integration among the installed extensions', async function () {
    const { page } = session();
    await runCommand(page, 'Extensions: Show Installed Extensions');
    const entry = page
      .locator('.extensions-viewlet .extension-list-item')
      .filter({ hasText: 'MCP Integration' })
      .first();
    await entry.waitFor({ state: 'visible' });
    assert.match(await entry.innerText(), /MCP Integration/);
    await session().screenshot('installed-extensions');
  });

  it('runs the in-host suite through the runner extension', async function () {
    this.timeout(300_000);
    const results = await readInHostResults<InHostSuiteResults>(session());
    assert.equal(results.loadError, undefined, `in-host suite failed to load: ${results.loadError}`);
    const failures = results.tests.filter((t) => t.state === 'failed').map((t) => `${t.fullTitle}\n${t.error}`);
    assert.deepEqual(failures, [], `in-host failures:\n${failures.join('\n\n')}`);
    assert.equal(results.passed + results.failed + results.pending, results.tests.length);
    // Every test the in-host suite declares ran and passed (none silently missing).
    const declared = standaloneInHostFiles().reduce(
      (n, f) => n + (readFileSync(path.resolve('test/e2e/in-host', f), 'utf8').match(/^\s*it\(/gm)?.length ?? 0),
      0,
    );
    assert.equal(results.passed, declared, `in-host: ${results.passed} passed of ${declared} declared`);
    assert.ok(path.isAbsolute(session().inHostResultsFile));
  });
});
