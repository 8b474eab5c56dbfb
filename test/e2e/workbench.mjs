// Helpers for driving the VS Code workbench in code-server with playwright-core: waiting, the quick input, the
// command palette, Go to Line, finding our webviews' frames and reading their canvases. Selectors follow
// ../shared/vscode-e2e.md (tested against VS Code 1.139 in code-server 4.139).
import { join } from 'node:path';

const t0 = Date.now();
export const lap = (label) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1)}s] ${label}`);

export async function waitFor(what, fn, timeoutMs = 60_000, everyMs = 500) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Quick input: type into it and wait for a row (the extension host registers its commands a few seconds after the workbench shows). */
export async function quickInput(page, open, text, rowText, attempts = 30) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: rowText }).first();
  for (let i = 0; i < attempts; i++) {
    await page.keyboard.press('Escape');
    await open(i);
    try {
      await input.waitFor({ state: 'visible', timeout: 3000 });
    } catch {
      continue;
    }
    await input.fill(text);
    try {
      await row.waitFor({ state: 'visible', timeout: 2000 });
      return row;
    } catch {
      /* retry */
    }
  }
  throw new Error(`quick input never listed "${rowText}"`);
}

/** Waits for a quick-pick row and accepts it with Enter (the row is made active first when it is not the default). */
export async function acceptPick(page, rowText, { screenshot, click = false } = {}) {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: rowText }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if (screenshot) await page.screenshot({ path: join(globalThis.e2eOut, screenshot) });
  // Enter accepts the default (the active row, or the ticked rows of a multi-select); a click picks another row.
  if (click) await row.click();
  else await page.keyboard.press('Enter');
}

/** Go to Line in the active editor. */
export async function gotoLine(page, line) {
  // Go to Line is the quick input opened with ':' (not a save dialog or picker that is still closing). Under some
  // timings (just after an export's notification) the widget closes again before the fill: the whole step retries.
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const at = page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line},`) }).first();
  await waitFor(
    `Go to Line ${line}`,
    async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+G');
      await input.waitFor({ state: 'visible', timeout: 3000 });
      if (!(await input.inputValue()).startsWith(':')) return false;
      await input.fill(`:${line}`, { timeout: 2000 });
      await page.keyboard.press('Enter');
      await at.waitFor({ state: 'visible', timeout: 3000 });
      return true;
    },
    30_000,
  );
}

/** Export Results… → `format`; the save dialog (VS Code's own, a quick input in the browser) gets `file`; waits for it. */
/** Sweep η × H on the definition at `line` of the example: the default η and H grids, Adam; the budget pick is next. */
export const palette = (page, title) =>
  quickInput(page, (i) => page.keyboard.press(i % 2 ? 'Control+Shift+P' : 'F1'), `>${title}`, title);

/** The frame holding one of our webview pages (the inner iframe of a webview): view is 'lab' or 'sidebar'. */
export async function webviewFrame(page, view) {
  for (const frame of page.frames()) {
    if (
      await frame
        .locator(`body[data-view="${view}"]`)
        .count()
        .catch(() => 0)
    )
      return frame;
  }
  return undefined;
}

/** Per canvas: size and the number of distinct colours on a 24×24 sample grid (a blank canvas has 1). */
export const canvasColours = (frame, selector = 'canvas') =>
  frame.evaluate(
    (sel) =>
      [...document.querySelectorAll(sel)].map((c) => {
        const ctx = c.getContext('2d');
        const colours = new Set();
        if (ctx && c.width > 0 && c.height > 0) {
          const data = ctx.getImageData(0, 0, c.width, c.height).data;
          for (let j = 0; j < 24; j++)
            for (let i = 0; i < 24; i++) {
              const x = Math.floor(((i + 0.5) * c.width) / 24);
              const y = Math.floor(((j + 0.5) * c.height) / 24);
              const o = (y * c.width + x) * 4;
              colours.add(`${data[o]},${data[o + 1]},${data[o + 2]},${data[o + 3]}`);
            }
        }
        return { w: c.width, h: c.height, label: c.getAttribute('aria-label') ?? '', colours: colours.size };
      }),
    selector,
  );

/**
 * Types `value` into the quick input that VS Code just opened (an input box, a save dialog). Such an input fills
 * in its own default text a moment after it shows, and what was typed before then is lost or appended to: wait
 * for that text, then replace it, and check that the input says `value`.
 */
export async function fillInput(page, value) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await waitFor('the input’s own text', async () => (await input.inputValue()) !== '', 10_000, 100);
  // The dialog may fill in its text again after ours (under load): then ours goes in again.
  await waitFor(
    `the input to say ${value}`,
    async () => {
      if ((await input.inputValue()) === value) return true;
      await input.fill(value);
      return false;
    },
    20_000,
    300,
  );
  await page.keyboard.press('Enter');
}
