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
  error: string;
}

const PLACEHOLDERS = new Set(['', '–', '…']);

async function text(frame: Frame, testId: string): Promise<string> {
  return (await frame.locator(`[data-testid="${testId}"]`).first().innerText({ timeout: 2000 })).trim();
}

/**
 * Waits until the answer panel shows an answer for which `accept` holds (default: any finished
 * answer) and returns what it shows.
 */
export async function readAnswerPanel(page: Page, accept: (view: AnswerPanelView) => boolean = () => true, timeoutMs = 45_000): Promise<AnswerPanelView> {
  let last: AnswerPanelView | undefined;
  try {
    return await waitFor(
      'the answer panel to show a matching answer',
      async () => {
        const frame = await findWebviewFrame(page, '[data-testid="answer-source"]', 2000);
        const view: AnswerPanelView = {
          frame,
          title: await text(frame, 'answer-title'),
          query: await text(frame, 'answer-query'),
          source: await text(frame, 'answer-source'),
          cached: await text(frame, 'answer-cached'),
          contextType: await text(frame, 'answer-type'),
          content: await text(frame, 'answer-content'),
          error: await frame.locator('[data-testid="answer-error"]:not([hidden])').allInnerTexts().then((t) => t.join(' ').trim()),
        };
        last = view;
        if (PLACEHOLDERS.has(view.source) || PLACEHOLDERS.has(view.cached)) return undefined;
        return accept(view) ? view : undefined;
      },
      { timeoutMs, intervalMs: 300 },
    );
  } catch (error) {
    const shown = last ? JSON.stringify({ ...last, frame: undefined }) : 'no answer panel';
    throw new Error(`${String(error)}; the panel shows: ${shown}`);
  }
}

/** Runs "MCP: Look Up…" with `question` and returns the answer the panel shows for it. */
export async function lookUp(page: Page, question: string, accept?: (view: AnswerPanelView) => boolean): Promise<AnswerPanelView> {
  await runCommand(page, 'MCP: Look Up');
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
export async function readDashboard(page: Page, accept: (view: DashboardView) => boolean = () => true, timeoutMs = 30_000): Promise<DashboardView> {
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
