/**
 * The HTML reports in a real headless Chromium, for the report tests: the browser, a report opened from disk
 * (file://) with its console problems and requests collected, and what a test reads off the page — how much each
 * canvas drew, the text of its tables. Screenshots go to test-artifacts/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = resolve(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const hasPlaywright = (() => {
  try {
    require.resolve('playwright-core');
    return true;
  } catch {
    return false;
  }
})();
/** Why the report tests cannot run here, or null. */
export const missing = !existsSync(CHROMIUM)
  ? `${CHROMIUM} not found (apt-get install -y chromium, or set CHROMIUM_PATH)`
  : !hasPlaywright
    ? 'playwright-core is not installed (npm ci)'
    : null;

/** Registers a test that needs Chromium: skipped with the reason when it is absent, a failure when CI=true. */
export function reportTests(what: string): (name: string, fn: () => Promise<void>) => void {
  if (missing && process.env.CI === 'true') {
    test('Chromium and playwright-core are installed (required when CI=true)', () => assert.fail(missing));
  } else if (missing) {
    console.log(`# skipping ${what}: ${missing}`);
  }
  return (name, fn) => test(name, { skip: missing ?? false }, fn);
}

export async function launch(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
}

/** Opens a report file; console errors and warnings, page errors and every request other than the file itself are collected. */
export async function open(browser: Browser, file: string, width = 1240): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width, height: 1000 }, deviceScaleFactor: 1 });
  const problems: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !/willReadFrequently/.test(m.text()))
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.goto(url);
  await page.waitForFunction(() => 'descentLabReport' in window);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return { page, problems, requests };
}

/** Per canvas: its id or aria-label, and how many of its pixels are coloured. */
export async function canvasInk(page: Page): Promise<{ name: string; ink: number; width: number }[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('canvas')).map((c) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      // Pixels with a clear hue: curves, heat-map cells, markers (axes, grid and text are grey).
      let ink = 0;
      for (let i = 0; i < data.length; i += 4)
        if (
          data[i + 3] > 0 &&
          Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60
        )
          ink++;
      return { name: c.id || (c.getAttribute('aria-label') ?? '').slice(0, 60), ink, width: c.width };
    }),
  );
}

export async function checkClean(o: Opened): Promise<void> {
  assert.deepEqual(o.requests, [], 'the report makes no request: everything is inlined');
  assert.deepEqual(o.problems, [], 'no console errors, page errors or failed requests');
}

export async function everyCanvasDrew(page: Page, min: number): Promise<void> {
  const inks = await canvasInk(page);
  assert.ok(inks.length >= min, `${inks.length} canvases, expected at least ${min}`);
  for (const c of inks) {
    assert.ok(c.width > 100, `${c.name}: laid out (${c.width} px wide)`);
    assert.ok(c.ink > 500, `${c.name}: drew (${c.ink} coloured pixels)`);
  }
}

export const tableText = (page: Page, selector: string) =>
  page.$$eval(selector, (els) =>
    els.map((e) => Array.from(e.querySelectorAll('th, td')).map((c) => c.textContent?.trim() ?? '')),
  );
