/**
 * Reading the extension's two webviews (answer panel, dashboard) by their `data-testid`s, as a
 * person reads them: after the page rendered, through the nested webview iframes.
 */
import type { Frame, Page } from 'playwright-core';
import { answerInputBox, findWebviewFrame, runCommand } from './workbench';
import { waitFor } from './wait';

export interface AnswerPanelView {
  frame: Frame;
  title: string;
  query: string;
  source: string;
  cached: string;
  contextType: string;
  content: string;
  /** The trail table as text: one row per layer (layer, outcome, latency, detail). */
  trail: string;
  error: string;
}

const PLACEHOLDERS = new Set(['', '–', '…']);
const STALE_MARKER = 'data-e2e-stale';

async function text(frame: Frame, testId: string): Promise<string> {
  return (await frame.locator(`[data-testid="${testId}"]`).first().innerText({ timeout: 2000 })).trim();
}

const ANSWER_FIELDS = {
  title: 'answer-title',
  query: 'answer-query',
  source: 'answer-source',
  cached: 'answer-cached',
  contextType: 'answer-type',
  content: 'answer-content',
  trail: 'answer-trail',
} as const;

/** All fields of the answer panel read in one go, so they never mix two renderings. */
async function snapshotAnswer(frame: Frame): Promise<Omit<AnswerPanelView, 'frame'> & { stale: boolean }> {
  // No named functions inside: the test runner's transpiler would wrap them in a helper the page lacks.
  const raw = await frame.evaluate(
    ({ fields, marker }) => {
      const values = Object.fromEntries(
        Object.entries(fields).map(([name, id]) => [
          name,
          (document.querySelector<HTMLElement>(`[data-testid="${id}"]`)?.innerText ?? '').trim(),
        ]),
      );
      const error = document.querySelector<HTMLElement>('[data-testid="answer-error"]');
      return {
        ...values,
        error: error && !error.hidden ? error.innerText.trim() : '',
        stale: document.querySelector(`[${marker}]`) !== null,
      };
    },
    { fields: ANSWER_FIELDS, marker: STALE_MARKER },
  );
  return raw as Omit<AnswerPanelView, 'frame'> & { stale: boolean };
}

/**
 * Marks what the answer panel shows now as old (an invisible element inside the content, which the
 * panel's next rendering replaces), so the next read waits for a new answer even when it looks the
 * same. Does nothing when no panel is open.
 */
export async function markAnswerPanelStale(page: Page): Promise<void> {
  const frame = await findWebviewFrame(page, '[data-testid="answer-content"]', 500).catch(() => undefined);
  await frame?.evaluate((marker) => {
    const content = document.querySelector('[data-testid="answer-content"]');
    const span = document.createElement('span');
    span.setAttribute(marker, '');
    span.hidden = true;
    content?.append(span);
  }, STALE_MARKER);
}

/**
 * Waits until the answer panel shows a new (not marked stale), finished answer for which `accept`
 * holds (default: any) and returns what it shows.
 */
export async function readAnswerPanel(
  page: Page,
  accept: (view: AnswerPanelView) => boolean = () => true,
  timeoutMs = 45_000,
): Promise<AnswerPanelView> {
  let last: Omit<AnswerPanelView, 'frame'> | undefined;
  try {
    return await waitFor(
      'the answer panel to show a matching answer',
      async () => {
        const frame = await findWebviewFrame(page, '[data-testid="answer-source"]', 2000);
        const { stale, ...fields } = await snapshotAnswer(frame);
        last = fields;
        if (stale || PLACEHOLDERS.has(fields.source) || PLACEHOLDERS.has(fields.cached)) return undefined;
        const view: AnswerPanelView = { frame, ...fields };
        return accept(view) ? view : undefined;
      },
      { timeoutMs, intervalMs: 300 },
    );
  } catch (error) {
    throw new Error(`${String(error)}; the panel shows: ${last ? JSON.stringify(last) : 'no answer panel'}`, {
      cause: error,
    });
  }
}

/** Runs "MCP: Look Up…" with `question` and returns the answer the panel shows for it. */
export async function lookUp(
  page: Page,
  question: string,
  accept?: (view: AnswerPanelView) => boolean,
): Promise<AnswerPanelView> {
  await markAnswerPanelStale(page);
  // The full title: with an editor open, "MCP: Look Up Docs for Symbol at Cursor" matches the prefix too.
  await runCommand(page, 'MCP: Look Up…');
  await answerInputBox(page, question);
  return readAnswerPanel(page, (view) => view.query.includes(question) && (accept?.(view) ?? true));
}

export interface DashboardView {
  frame: Frame;
  hitRate: string;
  totalCalls: string;
  servers: string;
}

/** Waits for the dashboard webview to show figures for which `accept` holds. */
export async function readDashboard(
  page: Page,
  accept: (view: DashboardView) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<DashboardView> {
  return waitFor(
    'the dashboard to render its figures',
    async () => {
      const frame = await findWebviewFrame(page, '[data-testid="hit-rate"]', 2000);
      const view: DashboardView = {
        frame,
        hitRate: await text(frame, 'hit-rate'),
        totalCalls: await text(frame, 'total-calls'),
        servers: await text(frame, 'servers'),
      };
      if (PLACEHOLDERS.has(view.hitRate) || PLACEHOLDERS.has(view.totalCalls)) return undefined;
      return accept(view) ? view : undefined;
    },
    { timeoutMs, intervalMs: 300 },
  );
}
