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
  const browser = await chromium.launch({
    executablePath: chromiumBinary,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    timeout: 30_000,
  });
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
  // Generous: on a busy two-core machine code-server can take long to answer its first page.
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 90_000 });
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
 * Runs a command from the palette: F1, type its title, wait for a matching row, pick it.
 * `title` is matched as the start of a row's label (case-insensitive), so `MCP: Look Up` works.
 * Retried until the command shows up: the palette lists an extension's commands only once the
 * extension host has registered the extension, a few seconds after the workbench appears.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 45_000): Promise<void> {
  const row = page
    .locator('.quick-input-widget .monaco-list-row')
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(title)}`, 'i') })
    .first();
  await waitFor(
    `the command palette to offer "${title}"`,
    async () => {
      await openQuickInput(page, 'F1');
      await quickInputBox(page).fill(`>${title}`);
      const offered = await row.waitFor({ state: 'visible', timeout: 3000 }).then(
        () => true,
        () => false,
      );
      if (!offered) await page.keyboard.press('Escape');
      return offered;
    },
    { timeoutMs, intervalMs: 500 },
  );
  await row.click();
}

/**
 * Opens a fresh quick input with `shortcut`: closes one still open or closing first (its input is
 * inert while it fades), then presses the shortcut until the input box is visible. Retried because
 * the first key press can land before the workbench has focus.
 */
async function openQuickInput(page: Page, shortcut: string): Promise<void> {
  const box = quickInputBox(page);
  if (await quickInput(page).isVisible()) await page.keyboard.press('Escape');
  await quickInput(page)
    .waitFor({ state: 'hidden', timeout: 5000 })
    .catch(() => undefined);
  await waitFor(
    `the quick input to open with ${shortcut}`,
    async () => {
      await page.keyboard.press(shortcut);
      await box.waitFor({ state: 'visible', timeout: 2000 });
      return true;
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 250 },
  );
}

/** The command palette's own placeholder, to tell it apart from the input box a command opens. */
const PALETTE_PLACEHOLDER = /Type the name of a command/i;

/**
 * Types an answer into the input box a command opened (not the palette that is still fading out)
 * and presses Enter.
 */
export async function answerInputBox(page: Page, text: string): Promise<void> {
  const box = quickInputBox(page);
  await waitFor(
    'a command to ask for input',
    async () => {
      if (!(await box.isVisible()) || !(await box.isEditable())) return false;
      const placeholder = (await box.getAttribute('placeholder')) ?? '';
      const label = (await box.getAttribute('aria-label')) ?? '';
      const value = await box.inputValue();
      return !PALETTE_PLACEHOLDER.test(placeholder) && !PALETTE_PLACEHOLDER.test(label) && !value.startsWith('>');
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 100 },
  );
  await box.fill(text);
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
  return page
    .locator('#workbench\\.parts\\.statusbar .statusbar-item')
    .filter({ has: page.locator(`.codicon-${icon}`) })
    .first();
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

/**
 * Where the first whole-word occurrence of `word` is drawn in the active editor (found through the
 * rendered text nodes, so it does not depend on how the grammar split the line into tokens).
 */
async function wordBox(page: Page, word: string): Promise<{ x: number; y: number } | undefined> {
  return page.evaluate((wanted) => {
    const lines = document.querySelector('.editor-instance .monaco-editor .view-lines');
    if (!lines) return undefined;
    const pattern = new RegExp(`(^|[^A-Za-z0-9_$])(${wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})(?![A-Za-z0-9_$])`);
    const walker = document.createTreeWalker(lines, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      const match = pattern.exec(text);
      if (!match) continue;
      const start = match.index + (match[1]?.length ?? 0);
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, start + wanted.length);
      const rect = range.getBoundingClientRect();
      if (rect.width > 0) return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }
    return undefined;
  }, word);
}

/** Hovers the first occurrence of `word` in the active editor and returns the hover's text. */
export async function hoverWord(page: Page, word: string, matching?: RegExp): Promise<string> {
  const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content');
  let lastText = '';
  return waitFor(
    `a hover over "${word}"${matching ? ` matching ${matching}` : ''}`,
    async () => {
      const at = await wordBox(page, word);
      if (!at) throw new Error(`"${word}" is not visible in the editor`);
      // Moving away and back re-triggers the hover if the first one showed before the provider answered.
      await page.mouse.move(5, 5);
      await page.mouse.move(at.x, at.y, { steps: 2 });
      await hover.first().waitFor({ state: 'visible', timeout: 4000 });
      lastText = (await hover.allInnerTexts()).join('\n');
      return !matching || matching.test(lastText) ? lastText : undefined;
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 500 },
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; last hover text: ${JSON.stringify(lastText.slice(0, 500))}`);
  });
}

/** Puts the cursor on the first error squiggle of the active editor. */
export async function clickFirstError(page: Page): Promise<void> {
  const squiggle = page.locator('.editor-instance .monaco-editor .squiggly-error').first();
  await squiggle.waitFor({ state: 'attached', timeout: 45_000 }).catch((error: unknown) => {
    throw new Error(`No error squiggle appeared in the editor: ${String(error)}`);
  });
  // Monaco re-renders decorations as diagnostics settle: an attached squiggle may not be laid out yet.
  const box = await waitFor(
    'the error squiggle to have a position on screen',
    async () => (await squiggle.boundingBox()) ?? undefined,
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 200 },
  );
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
