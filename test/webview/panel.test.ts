// The built webviews in a real headless Chromium (Debian `chromium` + playwright-core), under the panel's strict
// CSP, with a stub acquireVsCodeApi that records what the page posts. A recorded engine run
// (test/fixtures/recordedRun.json, from makeFixture.ts) is posted as the host would post it.
// Screenshots go to test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { findBuiltin } from '../../src/engine/library';
import { executeRequest } from '../../src/engine/run/request';
import { sweep } from '../../src/engine/run/sweep';
import { sweepData } from '../../src/present/sweepMessage';
import { resultConfig } from '../../src/present/runConfig';
import { fromJsonValue } from '../../src/shared/typedJson';
import { parseHostMessage, parseWebviewMessage, type HostToWebview } from '../../src/shared/webviewProtocol';
import { planeTraces } from '../../webview/chartData';
import { startHarness, type HarnessServer } from './server';

const ROOT = resolve(import.meta.dirname, '../..');
const ARTIFACTS = resolve(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// WebGL (the 3-D view) without a GPU: ANGLE on SwiftShader, asked for explicitly as in surface3d.test.ts.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

type Msg<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;
const fixture = fromJsonValue(JSON.parse(readFileSync(resolve(ROOT, 'test/fixtures/recordedRun.json'), 'utf8'))) as {
  init: Msg<'init'>;
  landscape: Msg<'landscape'>;
  runResult: Msg<'runResult'>;
};

const missing = existsSync(CHROMIUM)
  ? null
  : `${CHROMIUM} not found (apt-get install -y chromium, or set CHROMIUM_PATH)`;
if (missing && process.env.CI === 'true') {
  test('Chromium is installed (required when CI=true)', () => assert.fail(missing));
} else if (missing) {
  console.log(`# skipping webview tests: ${missing}`);
}
const webviewTest = (name: string, fn: () => Promise<void>) => test(name, { skip: missing ?? false }, fn);

let browser: Browser;
let server: HarnessServer;

before(async () => {
  if (missing) return;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startHarness();
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

interface Opened {
  page: Page;
  problems: string[];
}

/** Opens a harness page with the recording stub; console errors, page errors and CSP violations are collected. */
async function open(
  kind: 'panel' | 'sidebar',
  theme: 'dark' | 'light',
  state?: unknown,
  size = { width: 1280, height: 1060 },
): Promise<Opened> {
  const page = await browser.newPage({ viewport: size, deviceScaleFactor: 1 });
  const problems: string[] = [];
  // The willReadFrequently hint is Chromium's reaction to this test's own getImageData calls.
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !/willReadFrequently/.test(m.text()))
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // A string, not a function: tsx (esbuild with keepNames) wraps named inner functions in `__name(…)`, which the
  // page lacks; the shim below lets page.evaluate callbacks with inner functions run too.
  await page.addInitScript(`(() => {
    window.__name = (f) => f;
    const posted = [];
    const csp = [];
    let st = ${JSON.stringify(state ?? null)} ?? undefined;
    window.posted = posted;
    window.csp = csp;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => { posted.push(JSON.parse(JSON.stringify(m))); },
      getState: () => st,
      setState: (s) => { st = JSON.parse(JSON.stringify(s)); window.savedState = st; },
    });
    document.addEventListener('securitypolicyviolation', (e) => csp.push(e.violatedDirective + ' ' + e.blockedURI));
  })();`);
  await page.goto(`${server.origin}/${kind}.html?theme=${theme}`);
  await page.waitForFunction(() =>
    (window as unknown as { posted: { type: string }[] }).posted.some((m) => m.type === 'ready'),
  );
  return { page, problems };
}

async function send(page: Page, ...messages: unknown[]): Promise<void> {
  for (const m of messages) await page.evaluate((msg) => window.postMessage(msg, '*'), m);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function posted(page: Page): Promise<{ type: string; [k: string]: unknown }[]> {
  return page.evaluate(() => (window as unknown as { posted: { type: string }[] }).posted);
}

async function noProblems(o: Opened): Promise<void> {
  const csp = await o.page.evaluate(() => (window as unknown as { csp: string[] }).csp);
  assert.deepEqual(csp, [], 'no CSP violations');
  assert.deepEqual(o.problems, [], 'no console errors or warnings');
}

interface Geometry {
  left: number;
  right: number;
  top: number;
  bottom: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  canvasX: number;
  canvasY: number;
}

/** The landscape's plot area and axis ranges, read from the chart; pixel ↔ data is then computed here, linearly. */
async function geometry(page: Page): Promise<Geometry> {
  return page.evaluate(() => {
    const c = (window as unknown as { descentLab: { landscape: any } }).descentLab.landscape;
    const r = c.canvas.getBoundingClientRect();
    return {
      ...c.chartArea,
      xMin: c.scales.x.min,
      xMax: c.scales.x.max,
      yMin: c.scales.y.min,
      yMax: c.scales.y.max,
      canvasX: r.left,
      canvasY: r.top,
    };
  });
}
const toPixel = (g: Geometry, x: number, y: number) => ({
  px: g.left + ((x - g.xMin) / (g.xMax - g.xMin)) * (g.right - g.left),
  py: g.bottom - ((y - g.yMin) / (g.yMax - g.yMin)) * (g.bottom - g.top),
});

/** RGBA of a (2r+1)² block of the landscape canvas around (px, py), flattened. */
async function block(page: Page, canvasId: string, px: number, py: number, r = 2): Promise<number[]> {
  return page.evaluate(
    ({ id, x, y, r }) => {
      const canvas = document.getElementById(id) as HTMLCanvasElement;
      return Array.from(
        canvas.getContext('2d')!.getImageData(Math.round(x) - r, Math.round(y) - r, 2 * r + 1, 2 * r + 1).data,
      );
    },
    { id: canvasId, x: px, y: py, r },
  );
}
const difference = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0);

/** A recorded point of an optimizer's traces inside the plot, away from every start and end marker. */
function trajectoryPoint(g: Geometry, optimizer: number): { px: number; py: number } {
  const traces = fixture.runResult.optimizers.map((o) =>
    planeTraces(o.traces, 2, [0, 1]).map((t) => t.xs.map((x, k) => toPixel(g, x, t.ys[k]))),
  );
  const markers = traces.flat().flatMap((t) => [t[0], t[t.length - 1]]);
  const inside = (p: { px: number; py: number }) =>
    p.px > g.left + 10 && p.px < g.right - 10 && p.py > g.top + 10 && p.py < g.bottom - 10;
  const candidates = traces[optimizer]
    .flat()
    .filter((p) => inside(p) && markers.every((m) => Math.hypot(p.px - m.px, p.py - m.py) > 12));
  if (!candidates.length) throw new Error('no trace point away from the markers in the fixture');
  return candidates[Math.floor(candidates.length / 2)];
}

/** Pixels of the page's first canvas with a clear hue (not grey): curves, bands, markers. */
async function colouredPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    const c = document.querySelector('canvas') as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) n++;
    return n;
  });
}

const expectedCells = (row: Msg<'runResult'>['optimizers'][number]['row']) => {
  const fmt = (v: number | null) => (v === null ? '–' : String(Number(v.toPrecision(4))));
  return [`${row.converged}/${row.n}`, String(row.diverged), fmt(row.medianSteps)];
};

webviewTest('panel (dark): draws the landscape, trajectories, convergence and the results table', async () => {
  const o = await open('panel', 'dark');
  const { page } = o;
  await send(page, fixture.init, fixture.landscape, fixture.runResult);

  // The table shows the engine's numbers.
  const rows = await page.$$eval('table.results tbody tr', (trs) =>
    trs.map((tr) => ({
      id: (tr as HTMLElement).dataset.optimizer,
      cells: Array.from(tr.querySelectorAll('td')).map((td) => td.textContent),
    })),
  );
  assert.deepEqual(
    rows.map((r) => r.id),
    ['gd', 'h-adam'],
  );
  fixture.runResult.optimizers.forEach((opt, i) => {
    assert.deepEqual(rows[i].cells.slice(0, 3), expectedCells(opt.row), opt.curves.id);
    assert.match(rows[i].cells[3]!, /^[\d.e-]+ ns$/);
  });

  // The heat map drew: the plot's centre is opaque and not the page background.
  const g = await geometry(page);
  const centre = await block(page, 'landscape', (g.left + g.right) / 2, (g.top + g.bottom) / 2, 0);
  assert.equal(centre[3], 255, 'heat map is opaque');
  assert.ok(difference(centre.slice(0, 3), [0x1f, 0x1f, 0x1f]) > 30, `heat map differs from the background: ${centre}`);

  // The trajectories are on the trajectory layer over the chart: every traced lane of each optimizer, in its colour.
  const groups = await page.evaluate(() =>
    (window as any).descentLab.playback.groups().map((g: any) => [g.id, g.colour, g.lanes.length]),
  );
  assert.deepEqual(
    groups,
    fixture.runResult.optimizers.map((o) => [o.curves.id, o.curves.colour, o.traces.lanes.length]),
  );
  const mid = trajectoryPoint(g, 1);
  const drawn = await page.evaluate(
    ({ x, y }) => {
      const c = document.querySelector<HTMLCanvasElement>('#run-view canvas.trajectory-layer')!;
      const d = c
        .getContext('2d')!
        .getImageData(Math.round(x - c.offsetLeft) - 3, Math.round(y - c.offsetTop) - 3, 7, 7).data;
      let a = 0;
      for (let i = 3; i < d.length; i += 4) a = Math.max(a, d[i]);
      return a;
    },
    { x: mid.px, y: mid.py },
  );
  assert.ok(drawn > 0, 'a full path goes through a recorded point of h-Adam');

  // The convergence chart drew its curves in the optimizers' colours.
  const painted = await page.evaluate(() => {
    const c = (window as unknown as { descentLab: { convergence: any } }).descentLab.convergence;
    const a = c.chartArea;
    const data = c.ctx.getImageData(a.left, a.top, a.right - a.left, a.bottom - a.top).data;
    const near = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
      let n = 0;
      for (let i = 0; i < data.length; i += 4)
        if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) n++;
      return n;
    };
    return { blue: near('#3381dd'), orange: near('#df7718') };
  });
  // GD's and h-Adam's own colours (present/colours.ts), whatever the theme's palette.
  assert.deepEqual(
    fixture.runResult.optimizers.map((o) => o.curves.colour),
    ['#3381dd', '#df7718'],
  );
  assert.ok(painted.blue > 100 && painted.orange > 100, `median lines drawn: ${JSON.stringify(painted)}`);

  await page.screenshot({ path: resolve(ARTIFACTS, 'panel-dark.png'), fullPage: true });
  await noProblems(o);
  await page.close();
});

webviewTest('panel (narrow): one column, every part visible', async () => {
  const o = await open('panel', 'dark', undefined, { width: 620, height: 900 });
  await send(o.page, fixture.init, fixture.landscape, fixture.runResult);
  const columns = await o.page.evaluate(
    () => getComputedStyle(document.querySelector('.lab')!).gridTemplateColumns.split(' ').length,
  );
  assert.equal(columns, 1);
  await o.page.screenshot({ path: resolve(ARTIFACTS, 'panel-narrow-dark.png'), fullPage: true });
  await noProblems(o);
  await o.page.close();
});

webviewTest('panel: a click adds a start at the clicked data coordinates; a click on it removes it', async () => {
  const o = await open('panel', 'dark');
  const { page } = o;
  await send(page, fixture.init, fixture.landscape, fixture.runResult);
  const g = await geometry(page);
  const target = { x: -2.25, y: 3.1 };
  const { px, py } = toPixel(g, target.x, target.y);
  await page.mouse.click(g.canvasX + px, g.canvasY + py);
  await send(page);
  const add = (await posted(page)).filter((m) => m.type === 'addStart');
  assert.equal(add.length, 1);
  assert.equal(add[0].fn, 'beale');
  // One pixel's worth of data units: the click lands on a whole pixel.
  const tolX = (g.xMax - g.xMin) / (g.right - g.left);
  const tolY = (g.yMax - g.yMin) / (g.bottom - g.top);
  const [x, y] = add[0].point as number[];
  assert.ok(Math.abs(x - target.x) <= tolX, `x ${x} ≈ ${target.x}`);
  assert.ok(Math.abs(y - target.y) <= tolY, `y ${y} ≈ ${target.y}`);
  assert.match(
    (await page.locator('details.section', { hasText: 'Random starts' }).textContent()) ?? '',
    /1 start placed on the view/,
  );

  await page.mouse.click(g.canvasX + px + 2, g.canvasY + py - 2);
  await send(page);
  // Export PNG asks the host to export; the host then requests the image, and the reply names the request.
  await page.locator('summary', { hasText: 'View' }).click();
  await page.locator('vscode-button', { hasText: 'Export PNG' }).click();
  await send(page, { type: 'requestPng', requestId: 3 });
  const all = await posted(page);
  assert.deepEqual(
    all.filter((m) => m.type === 'removeStart'),
    [{ type: 'removeStart', fn: 'beale', index: 0 }],
  );
  assert.ok(all.some((m) => m.type === 'exportLandscape'));
  const png = all.find((m) => m.type === 'pngReply');
  assert.equal(png?.inReplyTo, 3);
  assert.match(String(png?.dataUrl), /^data:image\/png;base64,iVBORw0KGgo/, 'the landscape exported as PNG');
  for (const m of all) parseWebviewMessage(m);
  await noProblems(o);
  await page.close();
});

webviewTest(
  'panel: the function selector follows a run the host started on another function; requestPng is answered with the PNG',
  async () => {
    const o = await open('panel', 'dark');
    const { page } = o;
    await send(page, fixture.init, fixture.landscape, fixture.runResult);
    const selected = () =>
      page.evaluate(() => (document.querySelector('#function') as unknown as { value: string }).value);
    assert.equal(await selected(), 'beale');
    const config = {
      ...fixture.runResult.config,
      fn: 'himmelblau',
      steps: 100,
      optimizers: [{ id: 'adam', params: {} }],
    };
    await send(page, { type: 'runStarted', runId: 9, config, n: 4, live: false });
    assert.equal(await selected(), 'himmelblau');
    const definition = await page.evaluate(
      () => (document.querySelector('.controls vscode-textarea') as unknown as { value: string }).value,
    );
    assert.match(definition, /^himmelblau\(x, y\) = /);
    // A later Run from the panel asks for the function now shown.
    await send(page, { type: 'runError', runId: 9, message: 'Run cancelled.' }, { type: 'requestPng', requestId: 7 });
    await page.locator('#run').click();
    await send(page);
    const all = await posted(page);
    const png = all.find((m) => m.type === 'pngReply');
    assert.equal(png?.inReplyTo, 7);
    assert.match(String(png?.dataUrl), /^data:image\/png;base64,iVBORw0KGgo/, 'requestPng answered with the landscape');
    const run = all.filter((m) => m.type === 'run').at(-1) as { settings: { fn: string } } | undefined;
    assert.equal(run?.settings.fn, 'himmelblau');
    for (const m of all) parseWebviewMessage(m);
    await noProblems(o);
    await page.close();
  },
);

webviewTest('panel: a request the Lab cannot answer gets an error reply naming it, not silence', async () => {
  const o = await open('panel', 'dark');
  await send(o.page, fixture.init, { type: 'requestPng', requestId: 12 });
  const replies = (await posted(o.page)).filter((m) => m.type === 'requestFailed' || m.type === 'pngReply');
  assert.deepEqual(replies, [
    {
      type: 'requestFailed',
      inReplyTo: 12,
      message: 'the Lab shows no landscape (it draws functions of two variables)',
    },
  ]);
  for (const m of replies) parseWebviewMessage(m);
  await noProblems(o);
  await o.page.close();
});

webviewTest('panel: wheel zoom posts viewChanged with the new view; the answering grid keeps the view', async () => {
  const o = await open('panel', 'dark');
  const { page } = o;
  await send(page, fixture.init, fixture.landscape, fixture.runResult);
  const g = await geometry(page);
  await page.mouse.move(g.canvasX + (g.left + g.right) / 2, g.canvasY + (g.top + g.bottom) / 2);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction(() =>
    (window as unknown as { posted: { type: string }[] }).posted.some((m) => m.type === 'viewChanged'),
  );
  const view = parseWebviewMessage((await posted(page)).find((m) => m.type === 'viewChanged'));
  assert.ok(view.type === 'viewChanged' && view.bounds);
  const zoomed = await geometry(page);
  const [[xMin, xMax], [yMin, yMax]] = view.bounds;
  assert.deepEqual([xMin, xMax, yMin, yMax], [zoomed.xMin, zoomed.xMax, zoomed.yMin, zoomed.yMax]);
  assert.ok(xMax - xMin < 9 && xMin > -4.5, `zoomed in: ${JSON.stringify(view)}`);
  assert.deepEqual([view.fn, view.axes, view.at], ['beale', [0, 1], { kind: 'point', point: fixture.landscape.at }]);
  // The host answers with a grid over the new view, for the same function: the view must not jump back.
  const b = { xMin, xMax, yMin, yMax };
  await send(page, { ...fixture.landscape, bounds: b });
  const after = await geometry(page);
  assert.deepEqual([after.xMin, after.xMax], [zoomed.xMin, zoomed.xMax]);
  await noProblems(o);
  await page.close();
});

webviewTest('panel: Enter in a field runs with the settings shown; the state survives a reload', async () => {
  const o = await open('panel', 'dark');
  const { page } = o;
  await send(page, fixture.init, fixture.landscape, fixture.runResult);
  await page
    .locator('vscode-textfield')
    .filter({ has: page.locator('input') })
    .first()
    .waitFor();
  const steps = page.locator('.controls vscode-textfield').nth(2);
  await steps.click();
  await page.keyboard.press('Enter');
  await send(page);
  const runs = (await posted(page)).filter((m) => m.type === 'run');
  assert.equal(runs.length, 1);
  const run = parseWebviewMessage(runs[0]);
  assert.ok(run.type === 'run');
  // The fields show the host's settings, with every other hyperparameter at its registry default.
  const defaults = (id: string) =>
    Object.fromEntries(fixture.init.optimizers.find((m) => m.id === id)!.params.map((p) => [p.name, p.default]));
  assert.deepEqual(run.settings, {
    ...fixture.init.settings,
    optimizers: fixture.init.settings.optimizers.map((c) => ({ id: c.id, params: { ...defaults(c.id), ...c.params } })),
  });

  // Diagnostics from the host show under the editor; a run error shows as a banner.
  await send(
    page,
    {
      type: 'functionValidation',
      text: 'f(x, y) = x +',
      ok: false,
      diagnostics: [
        {
          message: 'unexpected end of expression',
          severity: 'error',
          range: { line: 1, column: 14, endLine: 1, endColumn: 14 },
        },
      ],
    },
    { type: 'runError', runId: 2, message: 'the worker stopped' },
  );
  assert.equal(await page.textContent('.diagnostics li'), '1:14 unexpected end of expression');
  assert.equal(await page.textContent('[role=alert]'), 'the worker stopped');

  const saved = await page.evaluate(() => (window as unknown as { savedState: unknown }).savedState);
  await noProblems(o);
  await page.close();
  // Reopened: the landscape comes back from the saved state; the result, which the host sends again on `ready`.
  const again = await open('panel', 'dark', saved);
  await send(again.page);
  const datasets = () =>
    again.page.evaluate(
      () => (window as unknown as { descentLab: { landscape: any } }).descentLab.landscape.data.datasets.length,
    );
  assert.equal(await datasets(), 2, 'the landscape with its starts and minima, from the saved state');
  await send(again.page, fixture.runResult);
  const cells = await again.page.$$eval('table.results tbody tr td', (tds) => tds.map((td) => td.textContent));
  assert.equal(cells.length, 8);
  assert.equal(await datasets(), 2, 'the trajectories are on the trajectory layer, not chart datasets');
  assert.equal(await again.page.evaluate(() => (window as any).descentLab.playback.groups().length), 2);
  await noProblems(again);
  await again.page.close();
});

webviewTest('panel (light): follows the theme, and redraws when the body class changes', async () => {
  // A partial saved state (only the arrow choice) is honoured: the screenshot shows the power-gradient field.
  const o = await open('panel', 'light', { arrows: 'power' });
  const { page } = o;
  await send(page, fixture.init, fixture.landscape, fixture.runResult);
  const colour = () =>
    page.evaluate(
      () => (window as unknown as { descentLab: { convergence: any } }).descentLab.convergence.options.color,
    );
  assert.equal(await colour(), '#3b3b3b');
  await page.evaluate(() => new Promise<void>((r) => setTimeout(r, 100)));
  await page.screenshot({ path: resolve(ARTIFACTS, 'panel-light.png'), fullPage: true });

  // What VS Code does on a theme switch: new variables, new body class.
  await page.evaluate(
    (origin) =>
      new Promise<void>((done) => {
        const link = document.getElementById('theme') as HTMLLinkElement;
        link.addEventListener(
          'load',
          () => {
            document.body.className = 'vscode-dark';
            done();
          },
          { once: true },
        );
        link.href = `${origin}/themes/dark.css`;
      }),
    server.origin,
  );
  await send(page);
  assert.deepEqual(o.problems, [], 'the theme switch redrew without errors');
  assert.equal(await colour(), '#cccccc');
  await noProblems(o);
  await page.close();
});

webviewTest('sidebar: live progress, the final curves, and the same picture after reopening', async () => {
  const o = await open('sidebar', 'dark', undefined, { width: 340, height: 560 });
  const { page } = o;
  const r = fixture.runResult;
  const half = (s: Msg<'runResult'>['optimizers'][number]['curves']) => {
    const k = Math.ceil(s.steps.length / 2);
    return {
      ...s,
      steps: s.steps.slice(0, k),
      median: s.median.slice(0, k),
      q1: s.q1.slice(0, k),
      q3: s.q3.slice(0, k),
    };
  };
  const n = r.starts.length / 2;
  const steps = r.config.steps;
  await send(
    page,
    { type: 'runStarted', runId: r.runId, config: r.config, n, live: false },
    {
      type: 'progress',
      runId: r.runId,
      step: steps / 2,
      steps,
      curves: r.optimizers.map((x) => half(x.curves)),
    },
  );
  assert.match((await page.textContent('body')) ?? '', new RegExp(`Step ${steps / 2} of ${steps}`));
  assert.ok((await colouredPixels(page)) > 100, 'progress curves drawn');
  await send(page, r);
  assert.match((await page.textContent('body')) ?? '', /Done\. Converged: GD 0\/8 · h-Adam 3\/8/);
  await page.screenshot({ path: resolve(ARTIFACTS, 'sidebar-dark.png') });
  const saved = await page.evaluate(() => (window as unknown as { savedState: unknown }).savedState);
  await noProblems(o);
  await page.close();

  const again = await open('sidebar', 'light', saved, { width: 340, height: 560 });
  await send(again.page);
  assert.match((await again.page.textContent('body')) ?? '', /Done\. Converged/);
  assert.ok((await colouredPixels(again.page)) > 100, 'redrawn from the saved state');
  await again.page.screenshot({ path: resolve(ARTIFACTS, 'sidebar-light.png') });
  await noProblems(again);
  await again.page.close();
});

webviewTest(
  'panel sweep view: f_D charts, heat map and outcome map drew; a click on a point and Enter on a cell post runCell',
  async () => {
    // A real (small) engine sweep, converted as the host converts it.
    const result = sweep({
      fn: findBuiltin('beale')!,
      optimizers: [
        { id: 'adam', params: {} },
        { id: 'h-adam', params: {} },
      ],
      grid: [
        { name: 'eta', values: [0.01, 0.1, 1] },
        { name: 'H', values: [0.5, 1] },
      ],
      starts: { kind: 'random', n: 16, seed: 2, domain: findBuiltin('beale')!.domain! },
      budgets: [100, 1000],
      target: 1e-4,
      backend: 'js',
    });
    const config = resultConfig(
      executeRequest({
        fn: { kind: 'builtin', name: 'beale' },
        optimizers: [{ id: 'adam', params: {} }],
        starts: { kind: 'random', n: 16, seed: 2, domain: findBuiltin('beale')!.domain! },
        steps: 1,
        targets: [1e-4],
      }),
    );
    const msg = JSON.parse(JSON.stringify({ type: 'sweepResult', sweepId: 1, sweep: sweepData(result), config }));
    parseHostMessage(msg);
    const o = await open('panel', 'dark', undefined, { width: 1280, height: 1400 });
    const { page } = o;
    await send(page, fixture.init, fixture.landscape, msg);
    const inks = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#sweep canvas')).map((c) => {
        const cv = c as HTMLCanvasElement;
        const data = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4)
          if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) n++;
        return n;
      }),
    );
    assert.equal(inks.length, 4, 'two budgets, the heat map and the outcome map');
    for (const n of inks) assert.ok(n > 500, `every sweep chart drew: ${inks}`);

    // Click Adam's point at η = 0.1 on the T = 1000 chart.
    const target = msg.sweep.cells.findIndex(
      (c: { optimizer: string; params: { eta: number } }) => c.optimizer === 'adam' && c.params.eta === 0.1,
    );
    const at = await page.evaluate((cell) => {
      const view = (window as unknown as { descentLab: { sweep: any } }).descentLab.sweep;
      const chart = view.fractionCharts[1];
      const p = chart.pixelOf(cell);
      const r = chart.chart.canvas.getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }, target);
    await page.mouse.click(at.x, at.y);
    await send(page);
    const first = (await posted(page)).filter((m) => m.type === 'runCell');
    assert.deepEqual(first, [
      { type: 'runCell', fn: 'beale', optimizer: 'adam', params: msg.sweep.cells[target].params },
    ]);
    for (const m of first) parseWebviewMessage(m);

    // Keyboard: focus the heat map (h-Adam), Enter runs the cell under the cursor (top-left: H = 1, η = 0.01).
    await page.focus('#sweep .heat-box canvas');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await send(page);
    const second = (await posted(page)).filter((m) => m.type === 'runCell')[1];
    assert.deepEqual(
      second?.params,
      msg.sweep.cells.find(
        (c: { optimizer: string; params: { eta: number; H: number } }) =>
          c.optimizer === 'h-adam' && c.params.eta === 0.1 && c.params.H === 1,
      ).params,
    );
    assert.match(
      (await page.textContent('#sweep')) ?? '',
      /h-Adam, η = 0\.1, H = 1: \d+ of 16 starts converged/,
      'the outcome map shows the activated cell',
    );
    await page.locator('#sweep').screenshot({ path: resolve(ARTIFACTS, 'panel-sweep-dark.png') });
    await noProblems(o);
    await page.close();
  },
);

webviewTest('panel: a host message that fails the check leaves the panel usable: error shown, Run back', async () => {
  const o = await open('panel', 'dark');
  const { page } = o;
  await send(page, fixture.init, fixture.landscape);
  const r = fixture.runResult;
  await send(page, { type: 'runStarted', runId: 5, config: r.config, n: 8, live: false });
  const buttons = () =>
    page.evaluate(() => ['#run', '#stop'].map((id) => document.querySelector(id)!.hasAttribute('disabled')));
  assert.deepEqual(await buttons(), [true, false], 'running: Run disabled, Stop enabled');
  // What hill(x, y) = −x² − y² once produced: a row counting lanes converged and diverged both.
  const bad = {
    ...r,
    runId: 5,
    optimizers: [{ ...r.optimizers[0], row: { ...r.optimizers[0].row, converged: 8, diverged: 8 } }],
  };
  await send(page, bad);
  assert.match((await page.textContent('[role=alert]')) ?? '', /malformed message.*converged \+ diverged ≤ n/);
  assert.deepEqual(await buttons(), [false, true], 'Run usable again, Stop off');
  await page.locator('#run').click();
  await send(page);
  assert.equal((await posted(page)).filter((m) => m.type === 'run').length, 1, 'Run runs');
  // The replacement the host sends for such a message (safeHostMessage) ends the run the same way.
  await send(page, { type: 'runStarted', runId: 6, config: r.config, n: 8, live: false });
  await send(page, { type: 'runError', runId: 6, message: 'Descent Lab could not show this runResult (…)' });
  assert.deepEqual(await buttons(), [false, true]);
  // A notice does not end a run.
  await send(
    page,
    { type: 'runStarted', runId: 7, config: r.config, n: 8, live: false },
    { type: 'notice', message: 'n' },
  );
  assert.deepEqual(await buttons(), [true, false]);
  o.problems.splice(0, o.problems.length, ...o.problems.filter((p) => !/ignored a malformed message/.test(p)));
  await noProblems(o);
  await page.close();
});

webviewTest('panel: f* unknown and a stopped run are stated where the numbers are; f is plotted as it is', async () => {
  const o = await open('panel', 'dark');
  const { page } = o;
  await send(page, fixture.init, fixture.landscape);
  const r = fixture.runResult;
  const shifted = (c: Msg<'runResult'>['optimizers'][number]['curves']) => ({
    ...c,
    median: c.median.map((v) => (v === null ? null : v - 3)),
    q1: c.q1.map((v) => (v === null ? null : v - 3)),
    q3: c.q3.map((v) => (v === null ? null : v - 3)),
  });
  await send(page, {
    ...r,
    config: { ...r.config, fStar: null, steps: 1_000_000 },
    status: 'stopped',
    stoppedAt: 412_377,
    optimizers: r.optimizers.map((x) => ({ ...x, curves: shifted(x.curves), row: { ...x.row, stoppedAt: 412_377 } })),
  });
  const caption = (await page.textContent('table.results caption')) ?? '';
  assert.match(caption, /stopped at step 412,377 of 1,000,000/);
  assert.match(caption, /f\* unknown: targets are on f itself/);
  const axis = await page.evaluate(() => {
    const c = (window as unknown as { descentLab: { convergence: any } }).descentLab.convergence;
    return { type: c.scales.y.type, min: c.scales.y.min, title: c.options.scales.y.title.text };
  });
  assert.deepEqual([axis.type, axis.title], ['linear', 'f (f* unknown)']);
  assert.ok(axis.min < 0, `negative values of f are on the axis (min ${axis.min})`);
  await page.screenshot({ path: resolve(ARTIFACTS, 'panel-fstar-unknown-stopped.png'), fullPage: true });
  await noProblems(o);
  await page.close();
});

webviewTest(
  'panel: a one-variable function clears the landscape; starts of another function are not drawn',
  async () => {
    const o = await open('panel', 'dark');
    const { page } = o;
    await send(page, fixture.init, fixture.landscape, fixture.runResult, {
      type: 'starts',
      fn: 'beale',
      points: [[1, 1]],
    });
    const datasets = () =>
      page.evaluate(() =>
        (window as unknown as { descentLab: { landscape: any } }).descentLab.landscape.data.datasets.map(
          (d: { label: string; data: unknown[] }) => [d.label, d.data.length],
        ),
      );
    assert.deepEqual(
      (await datasets()).find((d: [string, number]) => d[0] === 'Starts'),
      ['Starts', 1],
    );
    await send(page, {
      type: 'curve',
      fn: 'g1',
      variable: 'x',
      title: 'g1(x)',
      bounds: [-5, 5],
      xs: [-5, 0, 5],
      f: [50, 5, 10],
      fStar: null,
      minima: [],
    });
    assert.equal(await page.textContent('.landscape-card h2'), 'g1(x)');
    for (const [label, n] of await datasets()) assert.equal(n, 0, `${label}: nothing of beale is left drawn`);
    // A starts message for another function than the one shown draws nothing.
    await send(page, fixture.landscape, { type: 'starts', fn: 'g1', points: [[0.5]] });
    assert.deepEqual(
      (await datasets()).find((d: [string, number]) => d[0] === 'Starts'),
      ['Starts', 0],
    );
    await noProblems(o);
    await page.close();
  },
);
