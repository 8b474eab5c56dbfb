// The 3-D surface view (webview/surface3d) in a real headless Chromium with WebGL on SwiftShader, under the
// panel's strict CSP (the same harness.html). Data: Beale's grid and a real engine run (GD, Adam, h-Adam) with
// their recorded steps and f. Pixels are read from screenshots, the way a person sees them; the screenshots go
// to test-artifacts/.
import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { findBuiltin } from '../../src/engine/library';
import { run } from '../../src/engine/run/runner';
import type { SurfaceData } from '../../webview/surface3d/surfaceView';

const ROOT = resolve(import.meta.dirname, '../..');
const ARTIFACTS = resolve(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// WebGL without a GPU: ANGLE on SwiftShader, asked for explicitly (Chromium deprecates falling back to it
// silently).
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SIZE = { width: 720, height: 500 };
const COLOURS = { gd: '#f14c4c', adam: '#3794ff', 'h-adam': '#d18616' };

const missing = existsSync(CHROMIUM)
  ? null
  : `${CHROMIUM} not found (apt-get install -y chromium, or set CHROMIUM_PATH)`;
if (missing && process.env.CI === 'true')
  test('Chromium is installed (required when CI=true)', () => assert.fail(missing));
else if (missing) console.log(`# skipping 3-D view tests: ${missing}`);
const webglTest = (name: string, fn: (t: TestContext) => Promise<void>) => test(name, { skip: missing ?? false }, fn);

const beale = (x: number, y: number) =>
  (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2;

function bealeData(holes = false): SurfaceData {
  const n = 121;
  const f = new Array<number>(n * n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const x = -4.5 + (9 * i) / (n - 1);
      const y = -4.5 + (9 * j) / (n - 1);
      // A disc of NaN, a band of +∞ and one −∞ sample: each must be a hole, not a crash or a spike.
      f[j * n + i] = !holes
        ? beale(x, y)
        : Math.hypot(x + 2, y - 2) < 1
          ? NaN
          : Math.abs(y + 3) < 0.2
            ? Infinity
            : i === 10 && j === 100
              ? -Infinity
              : beale(x, y);
    }
  const fn = findBuiltin('beale')!;
  const result = run({
    fn,
    optimizers: [
      { id: 'gd', params: { eta: 1e-3 } },
      { id: 'adam', params: { eta: 0.05 } },
      { id: 'h-adam', params: { eta: 0.1, H: 0.5 } },
    ],
    steps: 600,
    targets: [1e-6],
    traces: 12,
    maxPoints: 600,
    starts: { kind: 'random', n: 12, seed: 7, domain: fn.domain! },
    backend: 'js',
  });
  return {
    grid: { x: [-4.5, 4.5], y: [-4.5, 4.5], nx: n, ny: n, f },
    fStar: 0,
    delta: 1e-12,
    minima: [[3, 0.5]],
    variables: ['x', 'y'],
    optimizers: result.runs.map((r) => ({
      id: r.optimizer,
      label: r.label,
      colour: COLOURS[r.optimizer as keyof typeof COLOURS],
      lanes: r.traces.map((t) => ({
        xs: t.points.map((p) => p.theta[0]),
        ys: t.points.map((p) => p.theta[1]),
        fs: t.points.map((p) => (holes && t.lane === 0 ? NaN : p.f)),
        steps: t.points.map((p) => p.step),
      })),
    })),
  };
}

let browser: Browser;
/** A blank page whose 2-D canvas decodes the screenshots. */
let decoder: Page;
let server: Server;
let origin = '';

before(async () => {
  if (missing) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  const out = join(mkdtempSync(join(tmpdir(), 'surface3d-')), 'page.js');
  await esbuild.build({
    entryPoints: [resolve(import.meta.dirname, 'surface3dPage.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    outfile: out,
    logLevel: 'warning',
  });
  // harness.html as the panel tests serve it (server.ts), with this test's page script in the script slot.
  const template = readFileSync(resolve(import.meta.dirname, 'harness.html'), 'utf8');
  const files: Record<string, [string, string]> = {
    '/dist/surface3d-page.js': [out, 'text/javascript'],
    '/media/lab.css': [resolve(ROOT, 'media/lab.css'), 'text/css'],
    '/themes/dark.css': [resolve(import.meta.dirname, 'themes/dark.css'), 'text/css'],
    '/themes/light.css': [resolve(import.meta.dirname, 'themes/light.css'), 'text/css'],
  };
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/page.html') {
      const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
      const slots: Record<string, string> = {
        origin,
        nonce: randomBytes(16).toString('base64'),
        theme,
        css: 'lab.css',
        script: 'surface3d-page.js',
      };
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => slots[k]));
      return;
    }
    const file = files[url.pathname];
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': `${file[1]}; charset=utf-8` });
    res.end(readFileSync(file[0]));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  decoder = await browser.newPage();
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
});

interface Opened {
  page: Page;
  problems: string[];
}

/** Opens the harness page; console errors and warnings, page errors and CSP violations are collected. */
async function open(theme: 'dark' | 'light', init = ''): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 800, height: 640 }, deviceScaleFactor: 1 });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(`(() => {
    window.csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.csp.push(e.violatedDirective + ' ' + e.blockedURI));
    ${init}
  })();`);
  await page.goto(`${origin}/page.html?theme=${theme}`);
  await page.waitForFunction(() => 'surface' in window);
  return { page, problems };
}

async function noProblems(o: Opened): Promise<void> {
  assert.deepEqual(await o.page.evaluate(() => (window as any).csp), [], 'no CSP violations');
  assert.deepEqual(o.problems, [], 'no console errors or warnings');
}

async function mount(o: Opened, data: SurfaceData): Promise<void> {
  assert.equal(await o.page.evaluate((size) => (window as any).surface.mount(size), SIZE), true, 'WebGL available');
  await o.page.evaluate((d) => (window as any).surface.update(d), data);
}

/** A screenshot of the canvas, saved, and its pixels (RGBA) decoded by a blank page's 2-D canvas. */
async function shot(o: Opened, name: string): Promise<number[]> {
  const png = await o.page.locator('canvas').screenshot();
  writeFileSync(join(ARTIFACTS, `surface3d-${name}.png`), png);
  const pixels = await decoder.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return Array.from(ctx.getImageData(0, 0, c.width, c.height).data);
  }, png.toString('base64'));
  return pixels;
}

const hex = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
/** Pixels within `tol` of a colour on every channel. */
const near = (px: number[], colour: string, tol = 14) => {
  const [r, g, b] = hex(colour);
  let n = 0;
  for (let i = 0; i < px.length; i += 4)
    if (Math.abs(px[i] - r) <= tol && Math.abs(px[i + 1] - g) <= tol && Math.abs(px[i + 2] - b) <= tol) n++;
  return n;
};
/** Distinct colours at 5 bits per channel. */
const distinct = (px: number[]) => {
  const seen = new Set<number>();
  for (let i = 0; i < px.length; i += 4) seen.add(((px[i] >> 3) << 10) | ((px[i + 1] >> 3) << 5) | (px[i + 2] >> 3));
  return seen.size;
};
const changed = (a: number[], b: number[]) => {
  let n = 0;
  for (let i = 0; i < a.length; i += 4)
    if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 30) n++;
  return n;
};

webglTest(
  'renders Beale with trajectories in both themes: a shaded surface, every optimizer colour, no CSP violation',
  async () => {
    const data = bealeData();
    for (const theme of ['dark', 'light'] as const) {
      const o = await open(theme);
      await mount(o, data);
      await shot(o, theme);
      await o.page.screenshot({ path: join(ARTIFACTS, `surface3d-${theme}-page.png`) });
      // At step 40 the lanes are still spread over the open slopes, not hidden in Beale's curved valley.
      await o.page.evaluate(() => (window as any).surface.setStep(40));
      const px = await shot(o, `${theme}-step-40`);
      assert.ok(distinct(px) > 300, `a shaded surface has many colours (${distinct(px)})`);
      for (const [id, colour] of Object.entries(COLOURS))
        assert.ok(near(px, colour) > 40, `${id}'s colour ${colour} is drawn (${near(px, colour)} px)`);
      const text = await o.page.evaluate(() => (window as any).surface.text());
      assert.match(text, /Drag to rotate/);
      const label = await o.page.locator('canvas').getAttribute('aria-label');
      assert.match(label ?? '', /3-D surface.*arrows/);
      await noProblems(o);
      await o.page.close();
    }
  },
);

webglTest('setStep moves the markers along the trajectories', async () => {
  const o = await open('dark');
  await mount(o, bealeData());
  const end = await shot(o, 'step-end');
  await o.page.evaluate(() => (window as any).surface.setStep(3));
  const early = await shot(o, 'step-3');
  assert.ok(changed(end, early) > 200, `the picture changes with the step (${changed(end, early)} px)`);
  // Beale starts in log height (most of it lies in the bottom 5 % of f's range); the toggle shows f itself.
  const toggle = o.page.locator('vscode-checkbox');
  assert.equal(await toggle.evaluate((e) => (e as any).checked), true);
  await toggle.click();
  assert.equal(await toggle.evaluate((e) => (e as any).checked), false);
  const linear = await shot(o, 'linear-height');
  assert.ok(changed(early, linear) > 5000, `linear height reshapes the surface (${changed(early, linear)} px)`);
  await o.page.evaluate(() => (window as any).surface.retheme('light'));
  const light = await shot(o, 'switched-to-light');
  await o.page.screenshot({ path: join(ARTIFACTS, 'surface3d-switched-to-light-page.png') });
  assert.deepEqual(light.slice(0, 3), [255, 255, 255], 'the background follows the new theme');
  await noProblems(o);
  await o.page.close();
});

webglTest('the camera follows the mouse and the keys, and 0 brings the starting view back', async () => {
  const o = await open('dark');
  await mount(o, bealeData());
  const canvas = o.page.locator('canvas');
  // Focused from the start, so that its focus ring is in every screenshot compared.
  await canvas.focus();
  const home = await shot(o, 'home');
  const box = (await canvas.boundingBox())!;
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  const drag = async (dx: number, dy: number) => {
    await o.page.mouse.move(cx, cy);
    await o.page.mouse.down();
    await o.page.mouse.move(cx + dx, cy + dy, { steps: 5 });
    await o.page.mouse.up();
  };
  const expectChange = async (what: string, before: number[]) => {
    const after = await shot(o, what);
    assert.ok(changed(before, after) > 5000, `${what} moves the view (${changed(before, after)} px)`);
    return after;
  };
  await drag(120, 30);
  const rotated = await expectChange('drag', home);
  await o.page.keyboard.press('0');
  assert.equal(changed(home, await shot(o, 'reset')), 0, '0 restores the starting view');
  await o.page.keyboard.down('Shift');
  await drag(120, 30);
  await o.page.keyboard.up('Shift');
  const panned = await expectChange('shift-drag', home);
  assert.ok(changed(rotated, panned) > 5000, 'shift-drag pans rather than rotates');
  for (const [what, act] of [
    ['wheel', () => o.page.mouse.wheel(0, -400)],
    ['ArrowLeft', () => o.page.keyboard.press('ArrowLeft')],
    ['+', () => o.page.keyboard.press('+')],
  ] as const) {
    await o.page.keyboard.press('0');
    await o.page.mouse.move(cx, cy);
    await act();
    await expectChange(what, home);
  }
  await noProblems(o);
  await o.page.close();
});

webglTest('a grid with NaN and ±∞ and a lane with NaN f render as holes, without errors', async () => {
  const o = await open('dark');
  await mount(o, bealeData(true));
  const px = await shot(o, 'holes');
  assert.ok(distinct(px) > 300, `the rest of the surface is drawn (${distinct(px)} colours)`);
  await noProblems(o);
  await o.page.close();
});

webglTest('thousands of lanes: paths are decimated and say so, every lane keeps its marker', async (t) => {
  const o = await open('dark');
  await mount(o, bealeData());
  const text = await o.page.evaluate(() => {
    const s = (window as any).surface;
    // 3 optimizers × 1,500 lanes × 1,000 points spiralling into Beale's minimum from all over the domain.
    const optimizers = ['#f14c4c', '#3794ff', '#d18616'].map((colour, o) => ({
      id: String(o),
      label: String(o),
      colour,
      lanes: Array.from({ length: 1500 }, (_, l) => {
        const a0 = (l * 2.399) % (2 * Math.PI);
        const r0 = 1 + ((l * 7) % 30) / 10;
        const xs = new Float64Array(1000);
        const ys = new Float64Array(1000);
        for (let k = 0; k < 1000; k++) {
          const r = r0 * Math.exp(-k / 150);
          xs[k] = 3 + r * Math.cos(a0 + k / 40 + o);
          ys[k] = 0.5 + (r * Math.sin(a0 + k / 40 + o)) / 3;
        }
        return { xs, ys };
      }),
    }));
    const t0 = performance.now();
    s.update({ ...s.lastData, optimizers });
    const t1 = performance.now();
    s.setStep(300);
    return { text: s.text(), update: t1 - t0, step: performance.now() - t1 };
  });
  // Figures for the record, not assertions: the page's own time (the GPU process draws after it), SwiftShader,
  // two shared cores.
  t.diagnostic(
    `4,500 lanes × 1,000 points, main thread: update ${Math.round(text.update)} ms, setStep ${Math.round(text.step)} ms`,
  );
  assert.match(text.text, /paths of 510 of 4500 lanes shown/);
  await shot(o, 'many-lanes');
  await noProblems(o);
  await o.page.close();
});

webglTest('dispose removes the view and releases the WebGL context', async () => {
  const o = await open('dark');
  await mount(o, bealeData());
  const r = await o.page.evaluate(() => (window as any).surface.dispose());
  assert.deepEqual(r, { removed: true, contextLost: true });
  await noProblems(o);
  await o.page.close();
});

webglTest('without WebGL the view says so instead of failing', async () => {
  const o = await open(
    'dark',
    `const get = HTMLCanvasElement.prototype.getContext;
     HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
       return /webgl/.test(type) ? null : get.call(this, type, ...rest);
     };`,
  );
  assert.equal(await o.page.evaluate((size) => (window as any).surface.mount(size), SIZE), false);
  await o.page.evaluate(() => (window as any).surface.update({ grid: null, optimizers: [] }));
  assert.match(await o.page.evaluate(() => (window as any).surface.text()), /needs WebGL/);
  await o.page.screenshot({ path: join(ARTIFACTS, 'surface3d-no-webgl.png') });
  await noProblems(o);
  await o.page.close();
});
