/**
 * The README's main job, driven through the workbench as a person would: look things up from the
 * palette, open a file and hover an import, take a quick fix, watch the status bar and dashboard.
 * Real MCP servers (memory-bank, server-memory, context7 against a loopback API, the serena stand-in)
 * run behind the extension inside code-server.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { defaultLibraries, type FakeLibrary } from '../fixtures/context7-api';
import { lookUp, markAnswerPanelStale, readAnswerPanel, readDashboard } from './harness/panels';
import { useSession } from './harness/session';
import { waitFor } from './harness/wait';
import {
  answerInputBox,
  chooseQuickFix,
  clickFirstError,
  dismiss,
  hoverWord,
  openFile,
  statusBarTexts,
  openQuickFixes,
  statusBarItemWithIcon,
  waitForStatusBarText,
} from './harness/workbench';

/** Docs an attacker controls: every way to run script or a command from rendered Markdown. */
const HOSTILE_DOCS = [
  '### Axios interceptors',
  '',
  'Use `axios.interceptors.request.use(fn)` to change every request. See [the axios docs](https://axios-http.com/docs/interceptors).',
  '',
  '<script>window.__mcpPwned = "script"</script>',
  '',
  '<img src="x" onerror="window.__mcpPwned = \'onerror\'">',
  '',
  '<a href="javascript:window.__mcpPwned=\'raw-link\'">raw javascript link</a>',
  '',
  '[markdown javascript link](javascript:window.__mcpPwned=1)',
  '',
  '[run a command](command:workbench.action.closeWindow)',
  '',
  '<iframe src="javascript:window.__mcpPwned=\'iframe\'"></iframe>',
  '',
  '<svg onload="window.__mcpPwned=\'svg\'"></svg>',
  '',
].join('\n');

// axios: a library no file of the example workspace mentions, so only the docs layer can answer.
const axios = defaultLibraries.find((library) => library.id === '/axios/axios');
if (!axios) throw new Error('the loopback API lost its axios entry');
const hostileAxios: FakeLibrary = { ...axios, docs: HOSTILE_DOCS };

/** Every file's text under `dir` (small folders: the memory servers' stores). */
function textsUnder(dir: string): string {
  if (!existsSync(dir)) return '';
  if (statSync(dir).isFile()) return readFileSync(dir, 'utf8');
  return readdirSync(dir)
    .map((entry) => textsUnder(path.join(dir, entry)))
    .join('\n');
}

describe('main job: MCP Integration in VS Code (code-server)', function () {
  const session = useSession({ name: 'main-job', extraLibraries: [hostileAxios] });

  it('answers a palette lookup from the docs layer, then from the cache', async function () {
    const { page } = session();
    const question = 'how to reshape a numpy array';
    const first = await lookUp(page, question);
    assert.equal(first.error, '', `the lookup failed: ${first.error}`);
    assert.equal(first.source, 'docs', `expected the docs layer (context7), got ${first.source}`);
    assert.equal(first.cached, 'no');
    assert.match(first.content, /NumPy/);
    await session().screenshot('lookup-first');

    const second = await lookUp(page, question);
    assert.equal(second.cached, 'yes');
    assert.equal(second.source, 'local-cache');
    assert.match(second.content, /NumPy/);
    await session().screenshot('lookup-cached');

    // One miss and one hit so far: the hit rate must be above zero once the status bar catches up.
    const hitRate = await waitForStatusBarText(page, /^[1-9]\d{0,2}%$/);
    assert.ok(Number(hitRate.replace('%', '')) <= 100);
    assert.equal(await statusBarItemWithIcon(page, 'database').count(), 1, 'the hit rate carries the $(database) icon');
  });

  it('preloads the libraries a Python file imports, and hovers show their docs', async function () {
    const { page, api } = session();
    const before = api.requests.length;
    await openFile(page, 'src/train.py');
    // numpy may already be cached by the lookup above; pandas and torch were never asked for.
    const wanted = ['/numpy/numpy', '/pandas-dev/pandas', '/pytorch/pytorch'];
    const requested = await waitFor(
      'the loopback context7 API to be asked for the docs of numpy, pandas and torch',
      () => {
        const ids = new Set(
          api.requests.filter((r) => r.path === '/api/v2/context').map((r) => r.query['libraryId'] ?? ''),
        );
        const afterOpen = new Set(
          api.requests
            .slice(before)
            .filter((r) => r.path === '/api/v2/context')
            .map((r) => r.query['libraryId'] ?? ''),
        );
        const has = (set: Set<string>, id: string): boolean =>
          [...set].some((requestedId) => requestedId === id || requestedId.startsWith(`${id}/`));
        return has(ids, wanted[0] ?? '') && wanted.slice(1).every((id) => has(afterOpen, id)) && ids;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    ).catch((error: unknown) => {
      const seen = api.requests.map((r) => `${r.path}?${new URLSearchParams(r.query).toString()}`);
      throw new Error(`${String(error)}; the API saw: ${JSON.stringify(seen)}`);
    });
    assert.ok(requested.size >= 3);
    await session().screenshot('preloaded');

    const hover = await hoverWord(page, 'np', /NumPy/);
    assert.match(hover, /NumPy/);
    await session().screenshot('hover-numpy');
    await dismiss(page);
  });

  it('preloads the members the file calls: a hover on one and a first question about one come from the cache', async function () {
    const { page, api } = session();
    const docsRequests = (libraryId: string, query: string): number =>
      api.requests.filter(
        (r) =>
          r.path === '/api/v2/context' &&
          r.query['query'] === query &&
          (r.query['libraryId'] === libraryId || (r.query['libraryId'] ?? '').startsWith(`${libraryId}/`)),
      ).length;
    // src/train.py is open (the test above): its members are preloaded, one request each.
    await waitFor(
      'the docs of read_csv (pandas) and reshape (numpy) to be fetched',
      () => docsRequests('/pandas-dev/pandas', 'read_csv') === 1 && docsRequests('/numpy/numpy', 'reshape') === 1,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const hover = await hoverWord(page, 'read_csv', /pandas read_csv/);
    assert.match(hover, /pandas read_csv \(MCP, cached\)/);
    assert.match(hover, /pandas: read_csv/, "the member's own docs, not the library's");
    await session().screenshot('hover-read-csv');
    await dismiss(page);

    const question = 'how do I reshape a numpy array';
    const view = await lookUp(page, question);
    assert.equal(view.error, '', `the lookup failed: ${view.error}`);
    assert.equal(view.cached, 'yes');
    assert.equal(view.source, 'local-cache');
    assert.match(view.trail, /preloaded/, `trail: ${view.trail}`);
    assert.match(view.content, /NumPy: reshape/);
    await session().screenshot('first-question-preloaded');
    // The exact question is fetched in the background, so asking again gets the precise answer.
    await waitFor(
      'the exact question to be fetched in the background',
      () => docsRequests('/numpy/numpy', question) === 1,
      {
        timeoutMs: 30_000,
        intervalMs: 250,
      },
    );
  });

  it('finds no fix, remembers one through the quick fix, then finds it', async function () {
    const { page, dirs } = session();
    await openFile(page, 'web/broken.ts');
    await clickFirstError(page);
    const labels = await openQuickFixes(page, /Find a known fix \(MCP\)/);
    assert.ok(
      labels.some((label) => /Remember this fix \(MCP\)/.test(label)),
      `quick fixes offered: ${labels.join(' | ')}`,
    );
    await session().screenshot('quick-fix-menu');
    await markAnswerPanelStale(page);
    await chooseQuickFix(page, /Find a known fix \(MCP\)/);
    const none = await readAnswerPanel(page, (view) => /fix/i.test(view.title));
    assert.ok(
      none.error.length > 0 || none.source === 'none',
      `no fix is stored yet, but the panel shows ${none.content}`,
    );

    const solution = 'Assign a number, not a string: const count: number = 3;';
    await clickFirstError(page);
    await openQuickFixes(page, /Remember this fix \(MCP\)/);
    await chooseQuickFix(page, /Remember this fix \(MCP\)/);
    await answerInputBox(page, solution);
    await waitFor(
      'the solution to reach a memory server',
      () =>
        textsUnder(dirs.memoryBankRoot).includes('const count: number = 3') ||
        textsUnder(dirs.serverMemoryFile).includes('const count: number = 3'),
      {
        timeoutMs: 30_000,
      },
    );

    await clickFirstError(page);
    await openQuickFixes(page, /Find a known fix \(MCP\)/);
    await markAnswerPanelStale(page);
    await chooseQuickFix(page, /Find a known fix \(MCP\)/);
    const found = await readAnswerPanel(page, (view) => view.content.includes('const count: number = 3'));
    assert.equal(found.error, '');
    assert.match(found.source, /memory|local-cache/);
    await session().screenshot('quick-fix-found');
  });

  it('shows an attacker-controlled answer inert in the answer panel', async function () {
    const { page, api } = session();
    const view = await lookUp(page, 'axios interceptors');
    const served = api.requests.some(
      (r) => r.path === '/api/v2/context' && r.query['libraryId']?.startsWith('/axios/axios'),
    );
    const seen = api.requests.map((r) => `${r.status} ${r.path}?${new URLSearchParams(r.query).toString()}`);
    assert.ok(
      served,
      `the hostile docs were never served; the panel shows ${view.source}: ${view.content.slice(0, 300)} ${view.error}; the API saw ${JSON.stringify(seen)}`,
    );
    assert.match(view.content, /interceptors/);
    const content = view.frame.locator('[data-testid="answer-content"]');
    assert.equal(await content.locator('script, iframe, object, embed, svg').count(), 0, 'no active elements survive');
    assert.equal(await view.frame.locator('[onerror], [onload], [onclick]').count(), 0, 'no event handler attributes');
    const hrefs = await content
      .locator('a[href]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    // Links do render (the safe one is there), so the check below has something to check.
    assert.ok(hrefs.includes('https://axios-http.com/docs/interceptors'), `rendered links: ${JSON.stringify(hrefs)}`);
    for (const href of hrefs)
      assert.doesNotMatch(href, /^\s*(javascript|command|data|vbscript):/i, `unsafe link kept: ${href}`);
    // Clicking the other links must not run anything either (the safe one would open a browser tab).
    for (const link of await content.locator('a:not([href^="https:"])').all())
      await link.click({ timeout: 2000 }).catch(() => undefined);
    const pwned = await view.frame.evaluate(() => (window as unknown as { __mcpPwned?: unknown }).__mcpPwned);
    assert.equal(pwned, undefined, `script ran in the answer panel: ${String(pwned)}`);
    assert.equal(await page.evaluate(() => (window as unknown as { __mcpPwned?: unknown }).__mcpPwned), undefined);
    await session().screenshot('hostile-answer-inert');
  });

  it('shows the hit rate in the status bar and the figures on the dashboard', async function () {
    const { page } = session();
    const hitRate = await waitForStatusBarText(page, /^\d{1,3}%$/);
    await session().screenshot('status-bar');
    await statusBarItemWithIcon(page, 'database').click();
    assert.match(hitRate, /^\d{1,3}%$/);
    // Both read the same summary, but each refreshes on its own (throttled) schedule while the
    // runtime keeps working in the background: wait, bounded, until they show the same figure.
    let seen = '';
    const dashboard = await waitFor('the dashboard and the status bar to agree on the hit rate', async () => {
      const view = await readDashboard(page, (v) => Number(v.totalCalls.replace(/\D/g, '')) > 0);
      const bar = (await statusBarTexts(page)).find((text) => /^\d{1,3}%$/.test(text));
      seen = `dashboard ${view.hitRate}, status bar ${bar ?? 'none'}`;
      return bar !== undefined && Math.abs(parseFloat(view.hitRate) - parseFloat(bar)) <= 1 ? view : undefined;
    }).catch((error: unknown) => assert.fail(`${String(error)} (last seen: ${seen})`));
    assert.match(dashboard.hitRate, /^\d{1,3}(\.\d+)?\s?%$/);
    assert.match(dashboard.servers, /context7/);
    assert.match(dashboard.servers, /memory-bank/);
    await session().screenshot('dashboard');
  });
});
