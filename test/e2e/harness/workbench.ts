/**
 * Drives the VS Code web workbench through headless Chromium the way a person would: keyboard
 * shortcuts, the command palette, the status bar, hovers, the quick-fix menu and webviews.
 * Every wait is bounded and names what it waited for.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { chromiumBinary, resultsDir } from './paths';
import { waitFor } from './wait';

/** Flags that keep Debian's chromium quiet and offline in a container. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Default bound for UI waits, in ms. */
export const UI_TIMEOUT_MS = 20_000;

export interface BrowserSession {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Launches chromium (fresh profile: Playwright uses a new temp dir per launch) and one page. */
export async function launchBrowser(): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: chromiumBinary, headless: true, args: [...CHROMIUM_FLAGS], timeout: 30_000 });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  return {
    browser,
    page,
    async close(): Promise<void> {
      await browser.close().catch(() => undefined);
    },
  };
}

/** Opens the workbench and waits until the editor area and status bar are there. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 30_000 });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 45_000 });
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ state: 'visible', timeout: 30_000 });
}

/** Saves a PNG of what a person would see to `test-results/e2e/<name>.png`; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name.replace(/[^a-zA-Z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: false, timeout: 10_000 });
  return file;
}

const quickInput = (page: Page): Locator => page.locator('.quick-input-widget');
const quickInputBox = (page: Page): Locator => page.locator('.quick-input-widget .quick-input-box input');

/** Closes whatever quick input, hover or menu is open. */
export async function dismiss(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
}

/**
 * Runs a command from the palette: F1, type its title, wait for a matching row, Enter.
 * `title` is matched as the start of a row's label (case-insensitive), so `MCP: Look Up` works.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  await openQuickInput(page, 'F1');
  await quickInputBox(page).fill(`>${title}`);
  const row = page
    .locator('.quick-input-widget .monaco-list-row')
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(title)}`, 'i') })
    .first();
  await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS }).catch((error: unknown) => {
    throw new Error(`The command palette never offered "${title}": ${String(error)}`);
  });
  await row.click();
}

/** Opens a quick input with `shortcut` (retried: the first key press can land before focus). */
async function openQuickInput(page: Page, shortcut: string): Promise<void> {
  await waitFor(
    `the quick input to open with ${shortcut}`,
    async () => {
      if (await quickInput(page).isVisible()) return true;
      await page.locator('.monaco-workbench').focus().catch(() => undefined);
      await page.keyboard.press(shortcut);
      await quickInput(page).waitFor({ state: 'visible', timeout: 2000 });
      return true;
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 250 },
  );
}

/** Types an answer into an open input box (e.g. the one a command asks with) and presses Enter. */
export async function answerInputBox(page: Page, text: string): Promise<void> {
  await quickInput(page).waitFor({ state: 'visible' });
  await quickInputBox(page).fill(text);
  await page.keyboard.press('Enter');
}

/** Opens a workspace file by its relative path with Quick Open (Ctrl+P). */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  await openQuickInput(page, 'Control+P');
  await quickInputBox(page).fill(relativePath);
  const name = path.basename(relativePath);
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: name }).first();
  await row.waitFor({ state: 'visible' }).catch((error: unknown) => {
    throw new Error(`Quick Open never listed ${relativePath}: ${String(error)}`);
  });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).waitFor({ state: 'visible' });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
}

/** The visible text of every status bar item. */
export async function statusBarTexts(page: Page): Promise<string[]> {
  const items = page.locator('#workbench\\.parts\\.statusbar .statusbar-item');
  return (await items.allInnerTexts()).map((text) => text.trim()).filter((text) => text.length > 0);
}

/** The status bar item that shows `icon` (a codicon name, e.g. `database`), once it is there. */
export function statusBarItemWithIcon(page: Page, icon: string): Locator {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item').filter({ has: page.locator(`.codicon-${icon}`) }).first();
}

/** Waits for a status bar item whose text matches `pattern`; returns its text. */
export async function waitForStatusBarText(page: Page, pattern: RegExp, timeoutMs = UI_TIMEOUT_MS): Promise<string> {
  return waitFor(
    `a status bar item matching ${pattern}`,
    async () => (await statusBarTexts(page)).find((text) => pattern.test(text)),
    { timeoutMs, intervalMs: 200 },
  ).catch(async (error: unknown) => {
    throw new Error(`${String(error)}; status bar shows: ${JSON.stringify(await statusBarTexts(page))}`);
  });
}

/** The rendered text of the active editor's lines. */
function editorLines(page: Page): Locator {
  return page.locator('.editor-instance .monaco-editor .view-lines').first();
}

/** Hovers the first occurrence of `word` in the active editor and returns the hover's text. */
export async function hoverWord(page: Page, word: string, matching?: RegExp): Promise<string> {
  const token = editorLines(page).locator('span span', { hasText: new RegExp(`^${escapeRegExp(word)}$`) }).first();
  await token.waitFor({ state: 'visible' }).catch((error: unknown) => {
    throw new Error(`"${word}" is not visible in the editor: ${String(error)}`);
  });
  const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content');
  return waitFor(
    `a hover over "${word}"${matching ? ` matching ${matching}` : ''}`,
    async () => {
      // Moving away and back re-triggers the hover if the first one showed before the provider answered.
      await page.mouse.move(5, 5);
      await token.hover();
      await hover.first().waitFor({ state: 'visible', timeout: 3000 });
      const text = (await hover.allInnerTexts()).join('\n');
      return !matching || matching.test(text) ? text : undefined;
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 500 },
  );
}

/** Puts the cursor on the first error squiggle of the active editor. */
export async function clickFirstError(page: Page): Promise<void> {
  const squiggle = page.locator('.editor-instance .monaco-editor .squiggly-error').first();
  await squiggle.waitFor({ state: 'attached', timeout: 45_000 }).catch((error: unknown) => {
    throw new Error(`No error squiggle appeared in the editor: ${String(error)}`);
  });
  const box = await squiggle.boundingBox();
  if (!box) throw new Error('The error squiggle has no position on screen');
  await page.mouse.click(box.x + Math.min(4, box.width / 2), box.y + box.height / 2);
}

/** Opens the quick-fix menu (Ctrl+.) at the cursor and returns its item labels. */
export async function openQuickFixes(page: Page, expected?: RegExp): Promise<string[]> {
  const items = page.locator('.action-widget .monaco-list-row');
  return waitFor(
    `the quick-fix menu${expected ? ` to offer ${expected}` : ''}`,
    async () => {
      if (!(await items.first().isVisible())) {
        await page.keyboard.press('Control+.');
        await items.first().waitFor({ state: 'visible', timeout: 3000 });
      }
      const labels = (await items.allInnerTexts()).map((label) => label.trim());
      if (expected && !labels.some((label) => expected.test(label))) {
        await page.keyboard.press('Escape');
        return undefined;
      }
      return labels;
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 500 },
  );
}

/** Picks an item of the open quick-fix menu by its label. */
export async function chooseQuickFix(page: Page, label: RegExp): Promise<void> {
  await page.locator('.action-widget .monaco-list-row').filter({ hasText: label }).first().click();
}

/**
 * The frame of the webview whose document contains `selector` (webview content lives in nested
 * iframes: `iframe.webview` → `#active-frame`).
 */
export async function findWebviewFrame(page: Page, selector: string, timeoutMs = UI_TIMEOUT_MS): Promise<Frame> {
  return waitFor(
    `a webview containing ${selector}`,
    async () => {
      for (const frame of page.frames()) {
        if (frame === page.mainFrame()) continue;
        const found = await frame.$(selector).catch(() => null);
        if (found) return frame;
      }
      return undefined;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/** The trimmed text of `selector` in `frame`, once it is non-empty. */
export async function frameText(frame: Frame, selector: string, timeoutMs = UI_TIMEOUT_MS): Promise<string> {
  return waitFor(
    `text in ${selector}`,
    async () => {
      const text = (await frame.locator(selector).first().innerText({ timeout: 1000 })).trim();
      return text.length > 0 ? text : undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

/** Texts of the visible notification toasts. */
export async function notificationTexts(page: Page): Promise<string[]> {
  return (await page.locator('.notifications-toasts .notification-toast').allInnerTexts()).map((text) => text.trim());
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
