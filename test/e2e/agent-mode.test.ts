/**
 * Agent mode through MCP Integration, as a person sets it up: "MCP: List Servers" shows the
 * "MCP Integration" server our provider contributes; starting it from there makes VS Code's own
 * MCP client connect to the gateway inside the extension host and list its tools. Meanwhile the
 * in-host suite (`in-host/agent-server.test.ts`, `in-host/agent.test.ts`) waits for those tools in
 * `vscode.lm.tools`, invokes a gateway tool twice through VS Code (the second from the cache),
 * and checks our own language-model tools and the @mcp participant.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { readInHostResults, useSession } from './harness/session';
import { waitFor } from './harness/wait';
import { runCommand, UI_TIMEOUT_MS } from './harness/workbench';
import type { InHostSuiteResults } from './runner-extension/src/suite';

const IN_HOST_FILES = ['agent-server.test.ts', 'agent.test.ts'];

const quickPickRow = (page: Page, text: RegExp): Locator =>
  page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: text }).first();

describe('Agent mode through MCP Integration (VS Code’s MCP client)', function () {
  const session = useSession({
    name: 'agent-mode',
    inHostSuite: true,
    inHostFiles: IN_HOST_FILES,
    settings: {
      // VS Code's MCP client and language-model tools are off while AI features are disabled.
      'chat.disableAIFeatures': false,
      // The in-host suite invokes tools without a chat session, so no one could confirm them.
      'chat.tools.global.autoApprove': true,
    },
  });

  it('"MCP: List Servers" shows MCP Integration; starting it connects VS Code’s client to the gateway', async function () {
    const { page } = session();
    await runCommand(page, 'MCP: List Servers');
    const server = quickPickRow(page, /MCP Integration/);
    await server.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await session().screenshot('list-servers');
    await server.click();
    const start = quickPickRow(page, /Start Server/i);
    await start.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await start.click();
    // Listed again, the server says it is running (VS Code connected and listed its tools).
    await waitFor(
      'MCP Integration to be running in "MCP: List Servers"',
      async () => {
        await runCommand(page, 'MCP: List Servers');
        const row = quickPickRow(page, /MCP Integration/);
        await row.waitFor({ state: 'visible', timeout: 5000 });
        const text = await row.innerText();
        await page.keyboard.press('Escape');
        return /running/i.test(text) ? text : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    await runCommand(page, 'MCP: List Servers');
    await quickPickRow(page, /MCP Integration/).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await session().screenshot('server-running');
    await page.keyboard.press('Escape');
  });

  it('in the extension host, agent mode gets the gateway’s tools and the second identical call is a cache hit', async function () {
    this.timeout(180_000);
    const results = await readInHostResults<InHostSuiteResults>(session(), 150_000);
    assert.equal(results.loadError, undefined, `in-host suite failed to load: ${results.loadError}`);
    const failures = results.tests.filter((t) => t.state === 'failed').map((t) => `${t.fullTitle}\n${t.error}`);
    assert.deepEqual(failures, [], `in-host failures:\n${failures.join('\n\n')}`);
    const declared = IN_HOST_FILES.reduce(
      (n, f) => n + (readFileSync(path.resolve('test/e2e/in-host', f), 'utf8').match(/^\s*it\(/gm)?.length ?? 0),
      0,
    );
    assert.equal(results.passed, declared, `in-host: ${results.passed} passed of ${declared} declared`);
    // VS Code's client reached the gateway's endpoint in the extension host with its token.
    assert.match(
      session().extensionHostLog(),
      /Agent endpoint for VS Code listening on http:\/\/127\.0\.0\.1:\d+\/mcp/,
    );
    // Exactly one upstream docs request for the two identical calls.
    const docs = session().api.requests.filter(
      (r) => r.path === '/api/v2/context' && r.query['query'] === 'reshape an array without copying',
    );
    assert.equal(docs.length, 1);
  });
});
