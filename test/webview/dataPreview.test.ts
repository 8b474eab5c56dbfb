// The dataset preview in a real headless Chromium, under the webview's strict CSP, fed the message the host
// builds from the engine's iris and circle data (src/vscode/previewData.ts): the table and the scatter draw,
// the pickers (by keyboard and by value) change what the scatter shows, a theme switch redraws, nothing violates
// the CSP, and the page fits 620 px. Screenshots go to test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { builtinDataset } from '../../src/engine/data';
import type { PreviewDataset } from '../../src/shared/dataPreviewProtocol';
import { previewMessage } from '../../src/vscode/previewData';
import { startHarness, type HarnessServer } from './server';

const ROOT = resolve(import.meta.dirname, '../..');
const ARTIFACTS = resolve(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];

const missing = existsSync(CHROMIUM)
  ? null
  : `${CHROMIUM} not found (apt-get install -y chromium, or set CHROMIUM_PATH)`;
if (missing && process.env.CI === 'true') {
  test('Chromium is installed (required when CI=true)', () => assert.fail(missing));
} else if (missing) {
  console.log(`# skipping dataset preview tests: ${missing}`);
}
const webviewTest = (name: string, fn: () => Promise<void>) => test(name, { skip: missing ?? false }, fn);

let browser: Browser;
let server: HarnessServer;

before(async () => {
  if (missing) return;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startHarness({
    files: {
      '/dist/dataPreview.js': ['dist/dataPreview.js', 'text/javascript'],
      '/media/dataPreview.css': ['media/dataPreview.css', 'text/css'],
    },
    pages: { '/preview.html': { script: 'dataPreview.js', css: ['dataPreview.css'] } },
  });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function message(ref: string, split?: { size: number; seed?: number }): PreviewDataset {
  const r = builtinDataset(ref);
  assert.ok(r.ok);
  return previewMessage(r.dataset, { title: ref, kind: 'built-in', ...(split && { split }) });
}

/** Typed arrays as tagged plain arrays, to cross into the page; rebuilt there before the message is posted. */
const encode = (v: unknown): unknown =>
  v instanceof Float64Array || v instanceof Int32Array
    ? { __typed: v instanceof Float64Array ? 'f64' : 'i32', data: [...v] }
    : Array.isArray(v)
      ? v.map(encode)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]))
        : v;

interface Opened {
  page: Page;
  problems: string[];
}

async function open(theme: 'dark' | 'light', width = 1000): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width, height: 1400 }, deviceScaleFactor: 1 });
  const problems: string[] = [];
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !/willReadFrequently/.test(m.text()))
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(`(() => {
    window.__name = (f) => f;
    const posted = [];
    const csp = [];
    let st;
    window.posted = posted;
    window.csp = csp;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => { posted.push(JSON.parse(JSON.stringify(m))); },
      getState: () => st,
      setState: (s) => { st = JSON.parse(JSON.stringify(s)); window.savedState = st; },
    });
    window.decodeTyped = (v) => v && typeof v === 'object'
      ? (v.__typed === 'f64' ? Float64Array.from(v.data) : v.__typed === 'i32' ? Int32Array.from(v.data)
        : Array.isArray(v) ? v.map(window.decodeTyped)
        : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, window.decodeTyped(x)])))
      : v;
    document.addEventListener('securitypolicyviolation', (e) => csp.push(e.violatedDirective + ' ' + e.blockedURI));
  })();`);
  await page.goto(`${server.origin}/preview.html?theme=${theme}`);
  await page.waitForFunction(() =>
    (window as unknown as { posted: { type: string }[] }).posted.some((m) => m.type === 'ready'),
  );
  return { page, problems };
}

async function send(page: Page, m: PreviewDataset): Promise<void> {
  await page.evaluate((msg) => {
    const w = window as unknown as { decodeTyped: (v: unknown) => unknown };
    window.postMessage(w.decodeTyped(msg), '*');
  }, encode(m));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function noProblems(o: Opened): Promise<void> {
  assert.deepEqual(await o.page.evaluate(() => (window as unknown as { csp: string[] }).csp), [], 'no CSP violations');
  assert.deepEqual(o.problems, [], 'no console errors or warnings');
}

/** What the chart shows: axis titles, dataset labels and point counts, and whether a legend is drawn. */
function chartState(page: Page) {
  return page.evaluate(() => {
    const c = (window as unknown as { descentLab: { scatter: any } }).descentLab.scatter;
    return {
      x: c.options.scales.x.title.text as string,
      y: c.options.scales.y.title.text as string,
      datasets: c.data.datasets.map((d: { label: string; data: unknown[] }) => [d.label, d.data.length]) as [
        string,
        number,
      ][],
      legend: c.options.plugins.legend.display as boolean,
      firstPoint: c.data.datasets[0].data[0] as { x: number; y: number },
    };
  });
}

/** Distinct colours on a grid over the scatter canvas (a blank canvas has 1) and pixels with a clear hue. */
function canvasStats(page: Page) {
  return page.evaluate(() => {
    const c = document.getElementById('scatter') as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set<string>();
    let hued = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) hued++;
      if ((i / 4) % 97 === 0) colours.add(`${data[i]},${data[i + 1]},${data[i + 2]},${data[i + 3]}`);
    }
    return { width: c.width, height: c.height, colours: colours.size, hued };
  });
}

async function pick(page: Page, id: string, value: number): Promise<void> {
  await page.evaluate(
    ({ id, value }) => {
      const el = document.getElementById(id) as HTMLElement & { value: string };
      el.value = String(value);
      el.dispatchEvent(new Event('change'));
    },
    { id, value },
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

webviewTest('iris: the table (50 rows, the test rows marked) and the scatter coloured by species draw', async () => {
  const o = await open('dark');
  const m = message('iris', { size: 120, seed: 1 });
  await send(o.page, m);
  const { page } = o;
  assert.equal(await page.locator('h1').innerText(), 'iris');
  const header = await page.locator('table.data thead th').allInnerTexts();
  assert.deepEqual(header, [
    'row',
    'split',
    'sepal_length',
    'sepal_width',
    'petal_length',
    'petal_width',
    'setosa',
    'versicolor',
    'virginica',
  ]);
  const rows = await page
    .locator('table.data tbody tr')
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent)));
  assert.equal(rows.length, 50);
  // Row 1 of Fisher's data: 5.1, 3.5, 1.4, 0.2, setosa.
  assert.deepEqual(rows[0].slice(2), ['5.1', '3.5', '1.4', '0.2', '1', '0', '0']);
  const marked = rows.filter((r) => r[1] === 'test').length;
  assert.equal(
    marked,
    m.table.test.reduce((a, b) => a + b, 0),
  );
  assert.equal(await page.locator('table.data tbody tr.test').count(), marked);
  const chart = await chartState(page);
  assert.deepEqual([chart.x, chart.y], ['sepal_length', 'sepal_width']);
  assert.deepEqual(chart.datasets, [
    ['setosa', 50],
    ['versicolor', 50],
    ['virginica', 50],
  ]);
  assert.deepEqual(chart.firstPoint, { x: 5.1, y: 3.5 });
  // The chart keeps its size (a container holding more than the canvas makes Chart.js shrink it frame by frame).
  await page.waitForTimeout(500);
  const box = await page.evaluate(() => document.getElementById('scatter')!.getBoundingClientRect().toJSON());
  assert.ok(box.width > 600 && box.height > 400, JSON.stringify(box));
  const stats = await canvasStats(page);
  assert.ok(stats.hued > 500, `coloured points drawn: ${JSON.stringify(stats)}`);
  await page.screenshot({ path: resolve(ARTIFACTS, 'data-preview-iris-dark.png'), fullPage: true });
  await noProblems(o);
  await page.close();
});

webviewTest('the pickers change the scatter: by value, and by keyboard; the choice is saved', async () => {
  const o = await open('dark');
  const { page } = o;
  await send(page, message('iris', { size: 120, seed: 1 }));
  const before = await canvasStats(page);
  await pick(page, 'pick-x', 2);
  await pick(page, 'pick-y', 3);
  let chart = await chartState(page);
  assert.deepEqual([chart.x, chart.y], ['petal_length', 'petal_width']);
  assert.deepEqual(chart.firstPoint, { x: 1.4, y: 0.2 });
  // A real-valued colouring: one dataset coloured by value, no legend, a colour bar.
  await pick(page, 'pick-colour', 0);
  chart = await chartState(page);
  assert.deepEqual(chart.datasets, [['sepal_length', 150]]);
  assert.equal(chart.legend, false);
  const after = await canvasStats(page);
  assert.notEqual(after.hued, before.hued);
  assert.deepEqual(await page.evaluate(() => (window as unknown as { savedState: unknown }).savedState), {
    title: 'iris',
    x: 2,
    y: 3,
    colour: 0,
  });
  // Keyboard: Tab reaches the x picker; opening it and moving down one option picks the next column.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  let focused = '';
  for (let i = 0; i < 10 && focused !== 'pick-x'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.id ?? '');
  }
  assert.equal(focused, 'pick-x', 'the x picker is reachable with Tab');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  chart = await chartState(page);
  assert.equal(chart.x, 'petal_width', 'ArrowDown from petal_length');
  await page.screenshot({ path: resolve(ARTIFACTS, 'data-preview-picked.png'), fullPage: true });
  await noProblems(o);
  await page.close();
});

webviewTest(
  'circle in the light theme at 620 px: the ±1 classes in two colours, test rows as triangles, nothing overflows',
  async () => {
    const o = await open('light', 620);
    const { page } = o;
    await send(page, message('circle(noise=0.1)', { size: 0.8, seed: 1 }));
    const chart = await chartState(page);
    assert.deepEqual(
      chart.datasets.map((d) => d[0]),
      ['-1', '1'],
    );
    assert.equal(
      chart.datasets.reduce((s, d) => s + Number(d[1]), 0),
      500,
    );
    const styles = await page.evaluate(() => {
      const c = (window as unknown as { descentLab: { scatter: any } }).descentLab.scatter;
      return c.data.datasets
        .flatMap((d: { pointStyle: string[] }) => d.pointStyle)
        .filter((s: string) => s === 'triangle').length;
    });
    assert.equal(styles, 100, '100 test rows drawn as triangles');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than 620`);
    const canvasWidth = await page.evaluate(() => document.getElementById('scatter')!.getBoundingClientRect().width);
    assert.ok(canvasWidth > 400 && canvasWidth <= 600, `scatter width ${canvasWidth}`);
    assert.ok((await canvasStats(page)).hued > 300);
    await page.screenshot({ path: resolve(ARTIFACTS, 'data-preview-circle-light-620.png'), fullPage: true });
    // A theme switch redraws in the new theme's colours.
    await page.evaluate(() => {
      document
        .getElementById('theme')!
        .setAttribute('href', document.getElementById('theme')!.getAttribute('href')!.replace('light', 'dark'));
      document.body.className = 'vscode-dark';
    });
    await page.waitForTimeout(300);
    const tick = await page.evaluate(() => {
      const c = (window as unknown as { descentLab: { scatter: any } }).descentLab.scatter;
      return c.options.scales.x.ticks.color as string;
    });
    assert.notEqual(tick, '');
    await noProblems(o);
    await page.close();
  },
);

webviewTest('a malformed message is reported on the page, not drawn', async () => {
  const o = await open('dark');
  const { page } = o;
  await page.evaluate(() => window.postMessage({ type: 'dataset', title: 'x' }, '*'));
  await page.locator('.problem:not(.hidden)').waitFor({ state: 'visible', timeout: 5000 });
  assert.match(await page.locator('.problem').innerText(), /cannot show: dataset\.subtitle: expected a string/);
  await noProblems(o);
  await page.close();
});
