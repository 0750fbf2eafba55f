/**
 * Runs the real webview bundles (built in memory with esbuild) in jsdom with a stand-in for
 * VS Code's webview bridge, and checks what a person would see and what the host would receive.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { JSDOM, VirtualConsole } from 'jsdom';
import { ANSWER_BODY, DASHBOARD_BODY } from '../../../src/vscode/webview/markup';
import type { AnswerView } from '../../../media/src/lib/protocol';
import { sampleDashboardData } from '../vscode/sample-data';

const root = path.resolve(__dirname, '../../..');

async function bundle(entry: string): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'media/src', entry)],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    write: false,
    outdir: path.join(root, 'media/dist'),
    logLevel: 'silent',
    // CSS imports are emitted as a separate file the page links; here only the script matters.
    loader: { '.css': 'empty' },
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  assert.ok(js);
  return js.text;
}

interface Page {
  dom: JSDOM;
  posted: unknown[];
  state: { value: unknown };
  send(message: unknown): void;
  text(testId: string): string;
  /** What the page logged to its console. */
  logs: string[];
  /** Lets queued microtasks and timers (uPlot schedules some) finish, then closes the window. */
  close(): Promise<void>;
}

function openPage(
  body: string,
  script: string,
  savedState?: unknown,
  prepare?: (window: JSDOM['window']) => void,
): Page {
  const logs: string[] = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('warn', (message: string) => logs.push(message));
  const dom = new JSDOM(`<!DOCTYPE html><html><body>${body}</body></html>`, {
    runScripts: 'outside-only',
    pretendToBeVisual: true,
    virtualConsole,
  });
  const posted: unknown[] = [];
  const state = { value: savedState };
  const window = dom.window as unknown as Record<string, unknown>;
  window.acquireVsCodeApi = () => ({
    // Cloned into this realm, as the real bridge serialises messages too.
    postMessage: (message: unknown) => posted.push(structuredClone(message)),
    getState: () => state.value,
    setState: (value: unknown) => {
      state.value = structuredClone(value);
    },
  });
  prepare?.(dom.window);
  dom.window.eval(script);
  return {
    dom,
    posted,
    state,
    send: (message) => dom.window.dispatchEvent(new dom.window.MessageEvent('message', { data: message })),
    text: (testId) => dom.window.document.querySelector(`[data-testid="${testId}"]`)?.textContent ?? '',
    logs,
    close: async () => {
      // The chart library queues microtasks through the page's queueMicrotask; a macrotask turn
      // lets them run while the window still exists, so none reports into a closed window.
      await new Promise((resolve) => setImmediate(resolve));
      dom.window.close();
    },
  };
}

const answer: AnswerView = {
  query: 'numpy reshape',
  kind: 'lookup',
  success: true,
  content:
    '# reshape\n\n[docs](https://numpy.org/doc) [bad](command:workbench.action.terminal.new)\n\n<script>window.pwned = 1</script>',
  source: 'docs',
  latencyMs: 41.6,
  cached: true,
  contextType: 'library_api',
  trail: [
    { layer: 'local-cache', outcome: 'miss', latencyMs: 0.4 },
    { layer: 'docs', outcome: 'hit', latencyMs: 41 },
  ],
};

describe('answer webview script', function () {
  this.timeout(20_000);
  let script: string;
  before(async () => {
    script = await bundle('answer.ts');
  });

  it('says ready, then renders an answer as sanitised HTML with its metadata', async () => {
    const page = openPage(ANSWER_BODY, script);
    try {
      assert.deepEqual(page.posted, [{ type: 'ready' }]);
      page.send({ type: 'answer', answer });
      assert.equal(page.text('answer-source'), 'docs');
      assert.equal(page.text('answer-cached'), 'yes');
      assert.equal(page.text('answer-latency'), '42 ms');
      const content = page.dom.window.document.querySelector('[data-testid="answer-content"]');
      assert.equal(content?.querySelector('h1')?.textContent, 'reshape');
      assert.equal(content.querySelectorAll('a').length, 1, 'only the https link became a link');
      assert.equal(content.querySelector('script'), null);
      assert.equal((page.dom.window as unknown as { pwned?: number }).pwned, undefined);
      assert.equal(page.dom.window.document.querySelectorAll('[data-testid="answer-trail"] tbody tr').length, 2);
      assert.deepEqual(page.state.value, { answer });
    } finally {
      await page.close();
    }
  });

  it('asks the host to open links instead of following them', async () => {
    const page = openPage(ANSWER_BODY, script);
    try {
      page.send({ type: 'answer', answer });
      const link = page.dom.window.document.querySelector('[data-testid="answer-content"] a') as HTMLAnchorElement;
      link.click();
      assert.deepEqual(page.posted.at(-1), { type: 'openLink', url: 'https://numpy.org/doc' });
    } finally {
      await page.close();
    }
  });

  it('ignores malformed messages and restores the last answer after a reload', async () => {
    const page = openPage(ANSWER_BODY, script, { answer });
    try {
      assert.equal(page.text('answer-source'), 'docs', 'restored from state');
      page.send({ type: 'answer', answer: { ...answer, source: 42 } });
      page.send({ type: 'evil', html: '<img src=x>' });
      assert.equal(page.text('answer-source'), 'docs');
      assert.equal(page.logs.length, 2, 'each dropped message was logged');
    } finally {
      await page.close();
    }
  });
});

describe('dashboard webview script', function () {
  this.timeout(20_000);
  let script: string;
  before(async () => {
    script = await bundle('dashboard.ts');
  });

  /** jsdom has no canvas layout or observers; these inert stand-ins let uPlot build its DOM. */
  function stubBrowserApis(window: JSDOM['window']): void {
    const w = window as unknown as Record<string, unknown>;
    w.matchMedia = () => ({
      matches: false,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      addListener: () => undefined,
      removeListener: () => undefined,
    });
    w.ResizeObserver = class {
      observe(): void {}
      disconnect(): void {}
    };
    window.HTMLCanvasElement.prototype.getContext = () => null;
  }

  it('fills the summary cards, tables and export buttons from a data message', async () => {
    const page = openPage(DASHBOARD_BODY, script, undefined, stubBrowserApis);
    try {
      assert.deepEqual(page.posted, [{ type: 'ready' }]);
      const data = sampleDashboardData();
      data.serverStatuses.push({
        name: 'context7',
        kind: 'context7',
        state: 'ready',
        circuit: 'closed',
        toolNames: [],
        restarts: 0,
      });
      data.libraries.push({
        libraryId: '/numpy/numpy',
        module: 'numpy',
        status: 'ready',
        documents: ['file:///a.py'],
        updatedAt: 1,
      });
      page.send({ type: 'data', data });
      assert.equal(page.text('total-calls'), '10');
      assert.equal(page.text('hit-rate'), '90%');
      assert.equal(page.text('error-rate'), '10%');
      assert.equal(page.text('p95-latency'), '40 ms');
      assert.match(page.text('servers'), /context7.*ready.*closed/s);
      assert.match(page.text('libraries'), /numpy.*\/numpy\/numpy.*ready/s);
      assert.match(page.text('alerts'), /No open alerts/);
      assert.ok(page.dom.window.document.querySelector('[data-testid="latency-chart"] .uplot'), 'latency chart built');
      assert.ok(page.dom.window.document.querySelector('[data-testid="hitrate-chart"] .uplot'), 'hit-rate chart built');
      (page.dom.window.document.querySelector('[data-testid="export-prometheus"]') as HTMLButtonElement).click();
      assert.deepEqual(page.posted.at(-1), { type: 'export', format: 'prometheus' });
    } finally {
      await page.close();
    }
  });

  it('ignores data that fails the guard', async () => {
    const page = openPage(DASHBOARD_BODY, script, undefined, stubBrowserApis);
    try {
      page.send({ type: 'data', data: { ...sampleDashboardData(), summary: null } });
      assert.equal(page.text('total-calls'), '–');
    } finally {
      await page.close();
    }
  });
});
