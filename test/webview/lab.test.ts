// The integrated Lab panel (webview/main.ts) in a real headless Chromium under the panel's strict CSP, at 620 px
// (the panel beside an editor at 1600 × 1000 with the Explorer open) and 1200 px: the main view fully visible
// without scrolling and nothing wider than the panel; the 3-D tab draws a non-blank WebGL canvas; an invalid
// message from the host leaves the panel usable with the error shown; Play moves the points. Everything drawn is
// the recorded engine run (test/fixtures/recordedRun.json). Screenshots go to test-artifacts/lab-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseExpression } from '../../src/engine/expr/costParser';
import { findBuiltin } from '../../src/engine/library';
import { run } from '../../src/engine/run/runner';
import { functionInfo } from '../../src/present/labInit';
import { viewMessage } from '../../src/present/landscape';
import { resultConfig } from '../../src/present/runConfig';
import { runResultMessage } from '../../src/present/runMessages';
import { sweep } from '../../src/engine/run/sweep';
import { internals } from '../../src/present/internals';
import { sweepData } from '../../src/present/sweepMessage';
import { fromJsonValue } from '../../src/shared/typedJson';
import type { HostToWebview } from '../../src/shared/webviewProtocol';
import { startHarness, type HarnessServer } from './server';

const ROOT = resolve(import.meta.dirname, '../..');
const ARTIFACTS = resolve(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// WebGL without a GPU: ANGLE on SwiftShader, as surface3d.test.ts asks for it.
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
if (missing && process.env.CI === 'true')
  test('Chromium is installed (required when CI=true)', () => assert.fail(missing));
else if (missing) console.log(`# skipping Lab panel tests: ${missing}`);
const labTest = (name: string, fn: () => Promise<void>) => test(name, { skip: missing ?? false }, fn);

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

/** The panel at `width` × `height` (the webview's size in the workbench), with the recording VS Code API stub. */
async function open(width: number, height: number): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (
      (m.type() === 'error' || m.type() === 'warning') &&
      !/willReadFrequently|malformed|GPU stall|WebGL/.test(m.text())
    )
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(`(() => {
    window.__name = (f) => f;
    const posted = [];
    window.posted = posted;
    window.csp = [];
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => { posted.push(JSON.parse(JSON.stringify(m))); },
      getState: () => undefined,
      setState: () => {},
    });
    document.addEventListener('securitypolicyviolation', (e) => window.csp.push(e.violatedDirective + ' ' + e.blockedURI));
  })();`);
  await page.goto(`${server.origin}/panel.html?theme=dark`);
  await page.waitForFunction(() => (window as any).posted.some((m: { type: string }) => m.type === 'ready'));
  return { page, problems };
}

async function send(page: Page, ...messages: unknown[]): Promise<void> {
  for (const m of messages) await page.evaluate((msg) => window.postMessage(msg, '*'), m);
  await frames(page);
}
const frames = (page: Page) =>
  page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

async function noProblems(o: Opened): Promise<void> {
  assert.deepEqual(await o.page.evaluate(() => (window as any).csp), [], 'no CSP violations');
  assert.deepEqual(o.problems, [], 'no console errors or warnings');
}

const box = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
    });

/** Elements of the panel wider than the page, or wider than their own box when they clip (by description). */
const tooWide = (page: Page) =>
  page.evaluate(() => {
    const W = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > W) out.push(`page: ${document.documentElement.scrollWidth} > ${W}`);
    for (const e of Array.from(document.querySelectorAll('#root *'))) {
      const r = e.getBoundingClientRect();
      // Beyond the panel, or beyond the side column, which clips what sticks out of it.
      const side = e.closest('.side')?.getBoundingClientRect();
      const limit = side ? Math.min(W, side.right) : W;
      if (r.width > 0 && r.right > limit + 0.5 && !e.closest('.hidden') && !e.closest('#results'))
        out.push(`${e.tagName.toLowerCase()}.${(e as HTMLElement).className}: right ${Math.round(r.right)} > ${limit}`);
    }
    return out;
  });

for (const [width, height] of [
  [620, 898],
  [1200, 898],
] as const) {
  labTest(
    `Lab at ${width} px: the main view is fully visible without scrolling, nothing is wider than the panel`,
    async () => {
      const o = await open(width, height);
      const { page } = o;
      await send(page, fixture.init, fixture.landscape, fixture.runResult);
      await page.waitForTimeout(200);
      const view = await box(page, '#landscape');
      assert.ok(
        view.top >= 0 && view.bottom <= height,
        `the landscape is within the first screen: ${JSON.stringify(view)}`,
      );
      assert.ok(
        view.width >= 250 && view.height >= 180,
        `the landscape is at least 250 × 180: ${JSON.stringify(view)}`,
      );
      // It uses the space: most of the panel's width, and taller when the panel is wider.
      assert.ok(view.width >= 0.55 * width, `the landscape spans most of the width: ${view.width} of ${width}`);
      const bar = await box(page, '.playback');
      assert.ok(bar.bottom <= height, `the playback bar is on the first screen: ${JSON.stringify(bar)}`);
      for (const sel of ['#run', '#stop', '#tab-run', '#tab-surface', '#tab-sweep'])
        assert.ok((await box(page, sel)).bottom <= height, `${sel} is on the first screen`);
      assert.deepEqual(await tooWide(page), [], 'nothing is wider than the panel');
      const table = await page.$eval('#results', (e) => ({ scroll: e.scrollWidth, width: e.clientWidth }));
      assert.ok(table.scroll <= table.width + 1, `the results table fits its section: ${JSON.stringify(table)}`);
      assert.equal(await page.evaluate(() => window.scrollY), 0);
      await page.screenshot({ path: resolve(ARTIFACTS, `lab-${width}.png`) });
      await page.screenshot({ path: resolve(ARTIFACTS, `lab-${width}-full.png`), fullPage: true });
      await noProblems(o);
      await page.close();
    },
  );
}

labTest(
  'Lab: the 3-D tab draws the surface with the trajectories (a non-blank WebGL canvas under the CSP)',
  async () => {
    const o = await open(620, 898);
    const { page } = o;
    await send(page, fixture.init, fixture.landscape, fixture.runResult);
    await page.locator('#tab-surface').click();
    await page.waitForTimeout(800);
    const canvas = page.locator('#surface-view canvas').first();
    const r = await box(page, '#surface-view canvas');
    assert.ok(
      r.width >= 250 && r.height >= 180 && r.bottom <= 898,
      `the surface is on the first screen: ${JSON.stringify(r)}`,
    );
    const png = await canvas.screenshot({ path: resolve(ARTIFACTS, 'lab-3d-620.png') });
    const colours = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4) seen.add(((d[i] >> 3) << 10) | ((d[i + 1] >> 3) << 5) | (d[i + 2] >> 3));
      return seen.size;
    }, png.toString('base64'));
    assert.ok(colours > 200, `a shaded surface has many colours: ${colours}`);
    await page.screenshot({ path: resolve(ARTIFACTS, 'lab-3d-620-page.png') });
    // Back to the run's view: the landscape is there again.
    await page.locator('#tab-run').click();
    assert.ok((await box(page, '#landscape')).width > 250);
    await noProblems(o);
    await page.close();
  },
);

labTest('Lab: an invalid message from the host leaves the panel usable and shows the error', async () => {
  const o = await open(620, 898);
  const { page } = o;
  const r = fixture.runResult;
  await send(page, fixture.init, fixture.landscape, {
    type: 'runStarted',
    runId: 7,
    config: r.config,
    n: r.starts.length / 2,
    live: false,
  });
  assert.equal(await page.locator('#run[disabled]').count(), 1, 'Run is disabled while the run is in flight');
  // The defect of issue 10: a lane counted converged and diverged (64 + 64 > 64).
  const bad = {
    ...r,
    runId: 7,
    optimizers: r.optimizers.map((x) => ({ ...x, row: { ...x.row, converged: x.row.n, diverged: x.row.n } })),
  };
  await send(page, bad);
  assert.equal(await page.locator('#run[disabled]').count(), 0, 'Run is usable again');
  assert.equal(await page.locator('#stop[disabled]').count(), 1, 'Stop has nothing to stop');
  const banner = await page.locator('.banner').innerText();
  assert.match(banner, /converged \+ diverged ≤ n/, 'the error names the fault');
  await page.screenshot({ path: resolve(ARTIFACTS, 'lab-recovered.png') });
  // Run posts a run, and the next valid result is drawn.
  await page.locator('#run').click();
  const runs = await page.evaluate(
    () => (window as any).posted.filter((m: { type: string }) => m.type === 'run').length,
  );
  assert.equal(runs, 1, 'Run posted a run');
  await send(page, { ...r, runId: 8 });
  assert.equal(await page.locator('table.results tbody tr').count(), r.optimizers.length);
  assert.deepEqual(
    o.problems.filter((p) => !/malformed/.test(p)),
    [],
  );
  await page.close();
});

labTest(
  'Lab: Play moves the points along the trajectories; the step readout and the convergence cursor follow',
  async () => {
    const o = await open(1200, 898);
    const { page } = o;
    await send(page, fixture.init, fixture.landscape, fixture.runResult);
    const moving = () =>
      page.evaluate(() => {
        const c = document.querySelectorAll<HTMLCanvasElement>('#run-view canvas.trajectory-layer')[1];
        return Array.from(
          c
            .getContext('2d')!
            .getImageData(0, 0, c.width, c.height)
            .data.filter((_, i) => i % 4 === 3),
        );
      });
    // Home: the starts; then play for a moment.
    await page.locator('#landscape').focus();
    await page.keyboard.press('Home');
    await frames(page);
    const atStart = await moving();
    const chartPixels = () =>
      page.evaluate(() => {
        const c = document.getElementById('convergence') as HTMLCanvasElement;
        return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
      });
    const chartAtStart = await chartPixels();
    const readout0 = await page.locator('.step-readout').innerText();
    await page.locator('.playback vscode-toolbar-button[title="Play"]').click();
    await page.waitForTimeout(700);
    await page.locator('.playback vscode-toolbar-button[title="Pause"]').click();
    await frames(page);
    const later = await moving();
    const readout1 = await page.locator('.step-readout').innerText();
    let changed = 0;
    for (let i = 0; i < atStart.length; i++) if (Math.abs(atStart[i] - later[i]) > 64) changed++;
    assert.match(readout0, /^step 0 of 1,000$/);
    assert.match(readout1, /^step [1-9][\d,]* of 1,000$/, readout1);
    assert.ok(changed > 100, `the points moved: ${changed} pixels changed`);
    // The convergence chart's step cursor moved with them.
    const chartLater = await chartPixels();
    let cursorMoved = 0;
    for (let i = 0; i < chartLater.length; i += 4)
      if (Math.abs(chartLater[i] - chartAtStart[i]) + Math.abs(chartLater[i + 1] - chartAtStart[i + 1]) > 60)
        cursorMoved++;
    assert.ok(cursorMoved > 20, `the convergence cursor moved: ${cursorMoved} pixels changed`);
    // Step forward moves by one recorded step.
    await page.locator('.playback vscode-toolbar-button[title="Step forward"]').click();
    await frames(page);
    assert.notEqual(await page.locator('.step-readout').innerText(), readout1);
    await page.screenshot({ path: resolve(ARTIFACTS, 'lab-playing-1200.png') });
    await noProblems(o);
    await page.close();
  },
);

labTest(
  'Lab: dragging a start of the run asks for its preview while dragging, and the release re-runs from there',
  async () => {
    const o = await open(1200, 898);
    const { page } = o;
    await send(page, fixture.init, fixture.landscape, fixture.runResult);
    const r = fixture.runResult;
    // Lane 1's start (the recorded run's), in page pixels.
    const at = await page.evaluate(
      ([x, y]) => {
        const c = (window as any).descentLab.landscape;
        const rect = c.canvas.getBoundingClientRect();
        return { x: rect.left + c.scales.x.getPixelForValue(x), y: rect.top + c.scales.y.getPixelForValue(y) };
      },
      [r.starts[2], r.starts[3]],
    );
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    for (let k = 1; k <= 5; k++) {
      await page.mouse.move(at.x + 8 * k, at.y - 6 * k);
      await frames(page);
    }
    const during = await page.evaluate(() =>
      (window as any).posted.filter((m: { type: string }) => m.type === 'previewStart'),
    );
    assert.ok(during.length >= 1, 'previews were asked for while dragging');
    assert.equal(during.at(-1).index, 1);
    assert.equal(during.at(-1).fn, 'beale');
    assert.equal(during.at(-1).point.length, 2);
    await page.mouse.up();
    await frames(page);
    const sent = await page.evaluate(() => (window as any).posted.map((m: { type: string }) => m.type));
    const after = sent.slice(sent.lastIndexOf('clearStarts'));
    assert.deepEqual(after.filter((t: string) => t === 'addStart').length, r.starts.length / 2, 'every start placed');
    assert.equal(after.at(-1), 'run', 'a live-sized run re-ran from the moved start');
    // The drag did not pan the view.
    const view = await page.evaluate(() => (window as any).descentLab.landscape.scales.x.min);
    assert.equal(view, fixture.landscape.bounds.xMin);
    await noProblems(o);
    await page.close();
  },
);

labTest('Lab: arrows at the points ask the host for the run’s internals and draw them with their key', async () => {
  const o = await open(1200, 898);
  const { page } = o;
  await send(page, fixture.init, fixture.landscape, fixture.runResult);
  await page.locator('summary', { hasText: 'View' }).click();
  await page.evaluate(() => {
    const p = Array.from(document.querySelectorAll('vscode-single-select')).find(
      (e) => e.getAttribute('aria-label') === 'Arrows at the points',
    ) as HTMLElement & { value: string };
    p.value = 'all';
    p.dispatchEvent(new Event('change'));
  });
  const asked = await page.evaluate(() =>
    (window as any).posted.filter((m: { type: string }) => m.type === 'requestInternals'),
  );
  assert.equal(asked.length, 1, 'one request for the whole run');
  const { requestId, runId, from, to } = asked[0];
  assert.equal(runId, fixture.runResult.runId);
  // The host's answer, computed as the host does (present/internals.ts) on the recorded run.
  const sets = internals(findBuiltin('beale')!, fixture.runResult.optimizers, from, to);
  await send(page, { type: 'internals', inReplyTo: requestId, runId, from, to, dim: 2, optimizers: sets });
  await page.locator('#landscape').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await frames(page);
  const key = await page.locator('#run-view .arrow-legend').first().innerText();
  assert.match(key, /−∇f/);
  assert.match(key, /step/);
  const groups = await page.evaluate(() =>
    (window as any).descentLab.playback.groups().map((g: any) => Object.keys(g.arrows ?? {}).sort()),
  );
  assert.deepEqual(groups, [
    ['gradient', 'power', 'step'],
    ['gradient', 'power', 'step'],
  ]);
  await page.locator('#run-view').screenshot({ path: resolve(ARTIFACTS, 'lab-arrows-1200.png') });
  await noProblems(o);
  await page.close();
});

labTest(
  'Lab at 620 px: a sweep is its own tab, its heat map fully on the first screen; a run takes the view back',
  async () => {
    const o = await open(620, 898);
    const { page } = o;
    const beale = findBuiltin('beale')!;
    const result = sweep({
      fn: beale,
      optimizers: [{ id: 'h-adam', params: {} }],
      grid: [
        { name: 'eta', values: [1e-3, 1e-2, 0.1, 1] },
        { name: 'H', values: [0.25, 0.5, 0.75, 1] },
      ],
      starts: { kind: 'random', n: 16, seed: 2, domain: beale.domain! },
      budgets: [100, 1000],
      target: 1e-4,
      backend: 'js',
    });
    await send(page, fixture.init, fixture.landscape, fixture.runResult, {
      type: 'sweepResult',
      sweepId: 5,
      sweep: sweepData(result),
      config: fixture.runResult.config,
    });
    assert.equal(await page.locator('#tab-sweep').getAttribute('aria-selected'), 'true', 'the sweep tab is shown');
    assert.equal(await page.locator('.playback').isVisible(), false, 'no playback bar under a sweep');
    const heat = await box(page, '#sweep .heat-box canvas');
    // Within the first screen and not clipped by the sweep's panel.
    const panel = await box(page, '#sweep');
    assert.ok(
      heat.top >= 0 && heat.bottom <= Math.min(898, panel.bottom) && heat.width >= 250,
      `the heat map is on the first screen: ${JSON.stringify({ heat, panel })}`,
    );
    assert.deepEqual(await tooWide(page), [], 'nothing is wider than the panel');
    await page.screenshot({ path: resolve(ARTIFACTS, 'lab-sweep-620.png') });
    // A run's result takes the run's view back, at the top of the page however far the sweep was scrolled.
    await page.evaluate(() => window.scrollTo(0, 1500));
    await send(page, { ...fixture.runResult, runId: 6 });
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    assert.equal(await page.locator('#tab-run').getAttribute('aria-selected'), 'true');
    assert.ok((await box(page, '#landscape')).bottom <= 898);
    await noProblems(o);
    await page.close();
  },
);

labTest(
  'Lab: a slice that follows the selected trajectory moves with playback (the host is asked for its points)',
  async () => {
    // A three-variable function run by the engine, its slice and result made as the host makes them.
    const fn = parseExpression('w(x, y, z) = (x - 1)^2 + 2*(y + 0.5)^2 + 3*z^2 + x*z');
    const optimizers = [{ id: 'gd', params: { eta: 0.02 } }];
    const result = run({
      fn,
      optimizers,
      steps: 300,
      targets: [1e-6],
      traces: 4,
      maxPoints: 100,
      starts: {
        kind: 'random',
        n: 4,
        seed: 3,
        domain: [
          [-2, 2],
          [-2, 2],
          [-2, 2],
        ],
      },
      backend: 'js',
    });
    const init = {
      ...fixture.init,
      settings: { ...fixture.init.settings, fn: 'w', optimizers, steps: 300 },
      functions: [functionInfo(fn, 'file', 'w')],
    };
    const slice = viewMessage(fn, 'w', { axes: [0, 1], bounds: null, at: { kind: 'centre' } });
    const o = await open(1200, 898);
    const { page } = o;
    await send(page, init, slice, runResultMessage(1, result, { config: resultConfig(result) }));
    await page.evaluate(() => {
      const mode = document.querySelector('.slice .mode-pick') as HTMLElement & { value: string };
      mode.value = 'follow';
      mode.dispatchEvent(new Event('change'));
    });
    const asked = () =>
      page.evaluate(() =>
        (window as any).posted
          .filter((m: any) => m.type === 'viewChanged' && m.at?.kind === 'point')
          .map((m: any) => m.at.point[2]),
      );
    const chosen = (await asked()).length;
    assert.ok(chosen >= 1, 'choosing the mode asks for the slice through the trajectory');
    await page.locator('#landscape').focus();
    await page.keyboard.press('Home');
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(1500);
    const zs = (await asked()).slice(chosen);
    assert.ok(new Set(zs).size >= 2, `playback asked for slices through new points: z = ${zs.join(', ')}`);
    await noProblems(o);
    await page.close();
  },
);
