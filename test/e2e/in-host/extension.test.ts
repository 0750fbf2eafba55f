/**
 * In-host API tests: run inside a real extension host (code-server through the runner extension, or
 * desktop VS Code through @vscode/test-electron) against the installed MCP Integration extension.
 * Self-contained: every document is untitled, every diagnostic comes from a collection this suite
 * owns and disposes, and the one configuration file written to the workspace is removed again.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { McpIntegrationExtensionApi } from '../../../src/vscode/api-facade';
import type { AnswerView } from '../../../media/src/lib/protocol';

const EXTENSION_ID = 'mcp-integration.mcp-integration';
const FIND_FIX_TITLE = 'Find a known fix (MCP)';
const REMEMBER_FIX_TITLE = 'Remember this fix (MCP)';

async function activatedApi(): Promise<McpIntegrationExtensionApi> {
  const extension = vscode.extensions.getExtension<McpIntegrationExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const api = await extension.activate();
  await api.testing.ready();
  return api;
}

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Closes every editor without a save prompt: untitled test documents are reverted first (a modal dialog would block the host). */
async function closeAllEditors(): Promise<void> {
  for (
    let i = 0;
    i < 50 &&
    vscode.window.visibleTextEditors.length + vscode.window.tabGroups.all.reduce((n, g) => n + g.tabs.length, 0) > 0;
    i++
  ) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

describe('MCP Integration in a real extension host', function () {
  this.timeout(60_000);
  let api: McpIntegrationExtensionApi;

  before(async () => {
    api = await activatedApi();
  });

  after(closeAllEditors);

  it('exports a working API: classify ranks the docs layer for a library question, profiles are listed, events arrive', async () => {
    const matches = api.classify('how to reshape a numpy array', { language: 'python' });
    assert.ok(matches.length > 0, 'a library question matches a trigger');
    assert.ok(
      matches.some((m) => m.server === 'context7' && m.contextType === 'library_api'),
      JSON.stringify(matches.map((m) => m.server)),
    );
    assert.ok(api.listProfiles().includes('lookup'), api.listProfiles().join(', '));
    const seen: string[] = [];
    const subscription = api.onEvent((event) => void seen.push(event.type));
    try {
      await api.lookup('numpy zeros dtype', { language: 'python' });
      assert.ok(seen.length > 0, 'a lookup emits events to subscribers');
    } finally {
      subscription.dispose();
    }
  });

  it('registers every command the manifest contributes, plus the quick-fix commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed = (
      extension?.packageJSON as { contributes: { commands: { command: string }[] } }
    ).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 12);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const command of [...contributed, 'mcpIntegration.findFix', 'mcpIntegration.rememberFix'])
      assert.ok(registered.has(command), command);
  });

  it('answers a library question through the hierarchy, and the same question again from the cache', async () => {
    const question = 'how do I stack arrays in numpy';
    const first = await api.lookup(question, { language: 'python' });
    assert.equal(first.success, true, first.error);
    assert.ok(first.content && first.content.length > 0, 'the answer has content');
    assert.equal(first.cached, false, 'a new question is not a cache hit');
    assert.ok(first.trail.length > 0, 'the trail records the layers asked');
    const second = await api.lookup(question, { language: 'python' });
    assert.equal(second.success, true, second.error);
    assert.equal(second.cached, true, 'the same question again is a cache hit');
    assert.equal(second.content, first.content);
  });

  it('runs "Look Up…" with a query argument and shows the answer in the panel', async () => {
    const view = await vscode.commands.executeCommand<AnswerView | undefined>('mcpIntegration.lookup', 'numpy reshape');
    assert.ok(view, 'the command returned the answer it showed');
    assert.equal(view.query, 'numpy reshape');
    assert.equal(view.kind, 'lookup');
    assert.deepEqual(api.testing.lastAnswer(), view);
  });

  it('detects the imports of an opened document', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'import numpy as np\nimport os\n\nprint(np.zeros(3))\n',
    });
    await vscode.window.showTextDocument(document);
    const detection = await waitFor('detection of numpy', () => {
      const found = api.getDetection(document.uri.toString());
      return found?.modules.some((m) => m.name === 'numpy') ? found : undefined;
    });
    assert.ok(detection.bindings.some((b) => b.localName === 'np' && b.module === 'numpy'));
  });

  it('offers the MCP quick fixes for a diagnostic', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'import numpy as np\nx = np.undefined_thing\n',
    });
    await vscode.window.showTextDocument(document);
    const collection = vscode.languages.createDiagnosticCollection('mcp-e2e');
    try {
      const range = new vscode.Range(1, 4, 1, 22);
      const diagnostic = new vscode.Diagnostic(
        range,
        "AttributeError: module 'numpy' has no attribute 'undefined_thing'",
        vscode.DiagnosticSeverity.Error,
      );
      diagnostic.source = 'e2e';
      collection.set(document.uri, [diagnostic]);
      const actions = await waitFor('MCP code actions', async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          document.uri,
          range,
          vscode.CodeActionKind.QuickFix.value,
        );
        return found.some((a) => a.title === FIND_FIX_TITLE) ? found : undefined;
      });
      const find = actions.find((a) => a.title === FIND_FIX_TITLE);
      assert.ok(actions.some((a) => a.title === REMEMBER_FIX_TITLE));
      assert.equal(find?.kind?.value, vscode.CodeActionKind.QuickFix.value);
      assert.equal(find.command?.command, 'mcpIntegration.findFix');
      const view = await vscode.commands.executeCommand<AnswerView | undefined>(
        find.command.command,
        ...((find.command.arguments ?? []) as unknown[]),
      );
      assert.equal(view?.kind, 'fix');
      assert.equal(typeof view.signature === 'string' || view.success === false, true);
    } finally {
      collection.dispose();
    }
  });

  it('shows hovers for imported names only from cached docs', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'import numpy as np\nnp.zeros(3)\n',
    });
    await vscode.window.showTextDocument(document);
    const detection = await waitFor('detection', () => api.getDetection(document.uri.toString()));
    const libraryId = detection.libraries.find((l) => l.module === 'numpy')?.libraryId ?? null;
    const cached = libraryId ? api.cachedDocsFor(libraryId) : null;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(1, 1),
    );
    const ours = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .filter((text) => text.includes('(MCP, cached)'));
    if (cached) assert.equal(ours.length, 1, 'cached docs appear in the hover');
    else assert.equal(ours.length, 0, 'no hover without cached docs (never waits for a server)');
  });

  it('shows a broken workspace configuration file as a problem at its line and column, and clears it when fixed', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const file = vscode.Uri.joinPath(folder.uri, '.mcp-integration', 'mcp-profiles.yaml');
    const problems = (): vscode.Diagnostic[] =>
      vscode.languages.getDiagnostics(file).filter((d) => d.source === 'MCP Integration');
    try {
      // Line 3, column 14: a nested mapping where a compact one cannot have it.
      await vscode.workspace.fs.writeFile(file, Buffer.from('profiles:\n  lookup:\n    servers: a: b\n'));
      const [problem] = await waitFor('a diagnostic in the broken file', () =>
        problems().length > 0 ? problems() : undefined,
      );
      assert.ok(problem);
      assert.equal(problem.range.start.line, 2, problem.message);
      assert.equal(problem.range.start.character, 13, problem.message);
      assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
      // The last good configuration stays in force: lookups still work.
      assert.ok(api.listProfiles().includes('lookup'));
      await vscode.workspace.fs.writeFile(file, Buffer.from('profiles:\n  lookup:\n    servers: [memory-bank]\n'));
      await waitFor('the diagnostic to clear', () => (problems().length === 0 ? true : undefined));
    } finally {
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });

  it('counts the lookups in the dashboard data and shows their hit rate in the status bar', async () => {
    const question = 'numpy concatenate axis';
    const before = api.getDashboardData().summary;
    await api.lookup(question, { language: 'python' });
    await api.lookup(question, { language: 'python' });
    const after = api.getDashboardData().summary;
    assert.ok(
      after.cacheLookups >= before.cacheLookups + 2,
      `cache lookups ${before.cacheLookups} → ${after.cacheLookups}`,
    );
    assert.ok(after.cacheHits >= before.cacheHits + 1, `cache hits ${before.cacheHits} → ${after.cacheHits}`);
    assert.ok(after.cacheHitRate > 0 && after.cacheHitRate <= 1);
    const data = api.getDashboardData();
    assert.ok(
      data.serverStatuses.some((s) => s.name === 'context7'),
      'context7 is in the server table',
    );
    const text = await waitFor('the status bar to show a hit rate above 0 %', () => {
      const shown = api.testing.statusText();
      const match = shown ? /^\$\(database\) (\d{1,3})%$/.exec(shown) : null;
      return match && Number(match[1]) > 0 ? shown : undefined;
    });
    assert.ok(text, `status bar: ${api.testing.statusText()}`);
  });
});
