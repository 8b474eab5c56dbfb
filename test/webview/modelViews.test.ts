// The views of a model's run (webview/data/boundaryView.ts, projectionView.ts, modelViewsPanel.ts) in a real
// headless Chromium, inside the HTML report of runs trained by the engine: the decision boundary of a logistic
// regression is the line w·x + c = 0 of the run's final parameters (the drawn line on it, each side in its label's
// colour); the PCA projection of a straight-line path (GD on an isotropic quadratic) is drawn as a line; the step
// slider moves the boundary's frame, the paths' dots and the curves' cursor; `descent-lab report` on the example
// model draws every view; a regression target is drawn as the prediction; a dark theme redraws in its colours. Screenshots at 620 px wide go to test-artifacts/ (model-*.png).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { reportMeta, writeReport } from '../../src/cli/report';
import type { Dataset } from '../../src/engine/data';
import { mulberry32 } from '../../src/engine/data/random';
import { parseCostFile } from '../../src/engine/expr/costParser';
import { modelProblem } from '../../src/engine/run/dataProblem';
import { runData, type DataRunSpec } from '../../src/engine/run/dataRunner';
import { modelViews } from '../../src/present/modelViews';
import { runResultMessage } from '../../src/present/runMessages';
import {
  ARTIFACTS,
  checkClean,
  everyCanvasDrew,
  launch,
  missing,
  open,
  reportTests,
  ROOT,
  type Opened,
} from './reportPage';

const modelTest = reportTests('model view tests');
const dir = mkdtempSync(join(tmpdir(), 'descent-lab-model-'));
const WIDTH = 620;

let browser: Browser;

before(async () => {
  if (missing) return;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** Trains the file's model with the engine and writes its report; returns the run and the opened page. */
async function report(
  name: string,
  text: string,
  spec: Omit<DataRunSpec, 'problem'>,
  files: Record<string, Dataset> = {},
) {
  const parsed = parseCostFile(text, `${name}.cost`, {
    readData: (path) =>
      Object.hasOwn(files, path) ? { ok: true, dataset: files[path] } : { ok: false, error: 'none' },
  });
  assert.deepEqual(parsed.errors, []);
  const problem = modelProblem(parsed.models[0]);
  const result = runData({ ...spec, problem });
  const file = writeReport(join(dir, `${name}.html`), {
    kind: 'run',
    meta: reportMeta(name, 'a model run', ['report'], 'js', []),
    landscape: null,
    result: runResultMessage(1, { ...result, targets: [0] }),
    model: modelViews(problem, result),
  });
  const opened = await open(browser, file, WIDTH);
  return { result, opened };
}

/** Hides the points and paths of a chart, so that probes read the heat map and its lines only. */
async function layerOnly(page: Page, view: 'boundary' | 'projection'): Promise<void> {
  await page.evaluate((v) => {
    const chart = (window as any).descentLabReport.model[v].chart;
    chart.data.datasets.forEach((_: unknown, i: number) => chart.setDatasetVisibility(i, false));
    chart.update('none');
  }, view);
}

const rgb = (c: string) => {
  const m = /#(..)(..)(..)/.exec(c)!;
  return [1, 2, 3].map((i) => parseInt(m[i], 16));
};

modelTest('decision boundary of a logistic regression: the line w·x + c = 0 of its final parameters', async () => {
  const { result, opened } = await report(
    'logistic',
    `@data circle(noise=0.1)
@split 0.8 seed 1
x = [row.x1, row.x2]
y = row.label
@param w 2 uniform(-1, 1)
@param c 1 const(0.5)
logistic(w, c) = softplus(-y * (dot(w, x) + c))
@batch 10
@metric accuracy = y * (dot(w, x) + c) > 0
`,
    {
      optimizers: [{ id: 'gd', params: { eta: 0.02 } }],
      starts: { kind: 'draw', n: 2 },
      seed: 4,
      steps: 80,
      targets: [],
      traces: 2,
    },
  );
  const { page } = opened;
  const [w1, w2, c] = result.runs[0].final[0].theta;
  await layerOnly(page, 'boundary');
  const box = await page.evaluate(() => {
    const { chartArea: a, scales } = (window as any).descentLabReport.model.boundary.chart;
    return {
      left: a.left,
      right: a.right,
      top: a.top,
      bottom: a.bottom,
      x: [scales.x.min, scales.x.max],
      y: [scales.y.min, scales.y.max],
    };
  });
  const toPx = (x: number, y: number) => [
    Math.round(box.left + ((x - box.x[0]) / (box.x[1] - box.x[0])) * (box.right - box.left)),
    Math.round(box.bottom - ((y - box.y[0]) / (box.y[1] - box.y[0])) * (box.bottom - box.top)),
  ];
  // Points of the line w1 x + w2 y + c = 0 inside the plot, and points 12 px off it along its normal on each side.
  const norm = Math.hypot(w1, w2);
  const unitsPerPx = (box.x[1] - box.x[0]) / (box.right - box.left);
  const off = 12 * unitsPerPx;
  const spots: number[][] = [];
  for (let k = -12; k <= 12; k++) {
    const t = (k / 12) * (box.x[1] - box.x[0]);
    const x0 = (-c * w1) / norm ** 2 - (t * w2) / norm;
    const y0 = (-c * w2) / norm ** 2 + (t * w1) / norm;
    const inside = (x: number, y: number) =>
      x > box.x[0] + off && x < box.x[1] - off && y > box.y[0] + off && y < box.y[1] - off;
    if (!inside(x0, y0)) continue;
    spots.push(
      toPx(x0, y0),
      toPx(x0 + (off * w1) / norm, y0 + (off * w2) / norm),
      toPx(x0 - (off * w1) / norm, y0 - (off * w2) / norm),
    );
  }
  const pixels: number[][] = await page.evaluate((spots) => {
    const { ctx } = (window as any).descentLabReport.model.boundary.chart;
    const out: number[][] = [];
    // On the line: the darkest pixel within 2 px (the line is 2 px wide, anti-aliased); off it, the pixel itself.
    spots.forEach(([x, y], k) => {
      if (k % 3 === 0) {
        const d = ctx.getImageData(x - 2, y - 2, 5, 5).data as Uint8ClampedArray;
        let best = [255, 255, 255, 255];
        for (let i = 0; i < d.length; i += 4)
          if (d[i] + d[i + 1] + d[i + 2] < best[0] + best[1] + best[2]) best = [d[i], d[i + 1], d[i + 2], d[i + 3]];
        out.push(best);
      } else out.push(Array.from(ctx.getImageData(x, y, 1, 1).data as Uint8ClampedArray));
    });
    return out;
  }, spots);
  const probe = Array.from({ length: pixels.length / 3 }, (_, k) => ({
    onLine: pixels[3 * k],
    plus: pixels[3 * k + 1],
    minus: pixels[3 * k + 2],
  }));
  assert.ok(probe.length >= 3, `${probe.length} probes on the line inside the plot`);
  const palette = await page.evaluate(() => {
    const css = getComputedStyle(document.body);
    return {
      blue: css.getPropertyValue('--vscode-charts-blue').trim() || '#3794ff',
      orange: css.getPropertyValue('--vscode-charts-orange').trim() || '#d18616',
    };
  });
  const [blue, orange] = [rgb(palette.blue), rgb(palette.orange)];
  // Off the line the heat map's colour: the label's colour over white, by 0.7·|tanh(s/2)| with s = ±12 px of w·x + c.
  const s = off * norm;
  const expected = (colour: number[]) => colour.map((v) => Math.round(255 + (v - 255) * 0.7 * Math.tanh(s / 2)));
  const near = (got: number[], want: number[]) => Math.max(...want.map((v, i) => Math.abs(v - got[i]))) <= 16;
  for (const [i, p] of probe.entries()) {
    assert.ok(
      Math.max(...p.onLine.slice(0, 3)) < 110,
      `probe ${i}: the boundary line (dark) at the line, got ${p.onLine}`,
    );
    assert.ok(
      near(p.plus, expected(blue)),
      `probe ${i}: label +1's blue where w·x + c > 0, got ${p.plus}, want ${expected(blue)}`,
    );
    assert.ok(
      near(p.minus, expected(orange)),
      `probe ${i}: label −1's orange where w·x + c < 0, got ${p.minus}, want ${expected(orange)}`,
    );
  }
  await page.evaluate(() => {
    const chart = (window as any).descentLabReport.model.boundary.chart;
    chart.data.datasets.forEach((_: unknown, i: number) => chart.setDatasetVisibility(i, true));
    chart.update('none');
  });
  await (await page.$('.boundary-card'))!.screenshot({ path: resolve(ARTIFACTS, 'model-boundary-logistic.png') });
  await checkClean(opened);
});

modelTest('the PCA projection of a straight-line path is drawn as a line', async () => {
  // F(w) = mean over rows of ‖w − row‖²: its Hessian is 2I, so full-batch GD runs straight to the rows' mean.
  const { opened } = await report(
    'straight',
    `@data gauss(noise=0.5)
@param w 2 uniform(-4, 4)
@param v 1 const(3)
straight(w, v) = (w[1] - row.x1)^2 + (w[2] - row.x2)^2 + (v - row.label)^2
`,
    {
      optimizers: [
        { id: 'gd', params: { eta: 0.05 } },
        { id: 'adam', params: { eta: 0.1 } },
      ],
      starts: { kind: 'draw', n: 1 },
      seed: 2,
      steps: 60,
      targets: [],
      traces: 1,
      maxPoints: 61,
    },
  );
  const { page } = opened;
  const drawn = await page.evaluate(() => {
    const view = (window as any).descentLabReport.model.projection;
    const chart = view.chart;
    const main = chart.data.datasets.findIndex((d: any) => d.role === 'path');
    const pts = chart.getDatasetMeta(main).data.map((e: any) => [e.x, e.y]);
    return { pts, explained: view.data.explained, b: view.data.paths[0].b };
  });
  assert.ok(drawn.explained[0] > 1 - 1e-9, `all the path's spread along d₁: ${drawn.explained}`);
  assert.ok(drawn.pts.length > 20);
  const ys = drawn.pts.map((p: number[]) => p[1]);
  assert.ok(
    Math.max(...ys) - Math.min(...ys) < 0.5,
    `the path's pixels lie on one row: ${Math.min(...ys)}…${Math.max(...ys)}`,
  );
  const xs = drawn.pts.map((p: number[]) => p[0]);
  assert.ok(Math.max(...xs) - Math.min(...xs) > 100, 'and spread along it');
  // The line is on the canvas too: GD's colour along that row between the path's ends.
  const inked = await page.evaluate(
    ([y, x0, x1]) => {
      const chart = (window as any).descentLabReport.model.projection.chart;
      const row = chart.ctx.getImageData(Math.round(x0), Math.round(y), Math.round(x1 - x0), 1).data;
      const css = getComputedStyle(document.body).getPropertyValue('--vscode-charts-blue').trim() || '#3794ff';
      const m = /#(..)(..)(..)/.exec(css)!;
      const want = [1, 2, 3].map((i) => parseInt(m[i], 16));
      let n = 0;
      for (let i = 0; i < row.length; i += 4) if (Math.max(...want.map((w, c) => Math.abs(w - row[i + c]))) < 40) n++;
      return { n, width: row.length / 4 };
    },
    [ys[0], Math.min(...xs) + 8, Math.max(...xs) - 8],
  );
  assert.ok(inked.n > inked.width * 0.6, `the path's colour along its row: ${inked.n} of ${inked.width} px`);
  await (await page.$('.projection-card'))!.screenshot({ path: resolve(ARTIFACTS, 'model-projection-straight.png') });
  await checkClean(opened);
});

modelTest('descent-lab report on the example model: every view drawn, the slider moves them together', async () => {
  const file = join(dir, 'circle.html');
  execFileSync(
    process.execPath,
    [
      resolve(ROOT, 'dist/cli.js'),
      'report',
      '--fn',
      resolve(ROOT, 'examples/circle-logistic.cost#logistic'),
      '--opt',
      'gd:eta=0.05,adam:eta=0.05,nasgd:alpha=0.7',
      '--starts',
      '6',
      '--epochs',
      '20',
      '--out',
      file,
    ],
    { cwd: dir },
  );
  const opened: Opened = await open(browser, file, WIDTH);
  const { page } = opened;
  await everyCanvasDrew(page, 7);
  const read = () =>
    page.evaluate(() => {
      const m = (window as any).descentLabReport.model;
      return {
        frame: m.boundary.frame,
        frames: m.boundary.data.frames.length,
        stepText: document.querySelector('.step-slider output')!.textContent,
        cursorTitle: m.boundary.stepText.textContent,
      };
    });
  const end = await read();
  assert.equal(end.frame, end.frames - 1, 'the last frame at first');
  await page.$eval('.step-slider input', (el) => {
    (el as HTMLInputElement).value = '0';
    el.dispatchEvent(new Event('input'));
  });
  const start = await read();
  assert.equal(start.frame, 0);
  assert.equal(start.cursorTitle, 'step 0');
  assert.match(start.stepText!, /^0 \(epoch 0\)$/);
  await page.$eval('.step-slider input', (el) => {
    const input = el as HTMLInputElement;
    input.value = String(Math.floor(Number(input.max) / 4));
    el.dispatchEvent(new Event('input'));
  });
  await page.hover('.boundary-card canvas', { position: { x: 200, y: 150 } });
  const readout = await page.$eval('.boundary-card .readout', (e) => e.textContent);
  assert.match(readout!, /x1 = .*, x2 = .*: s = ℓ\(-1\) − ℓ\(1\) = .*, prefers label/);
  for (const [cls, png] of [
    ['.model-views', 'model-views'],
    ['.boundary-card', 'model-boundary-circle'],
    ['.projection-card', 'model-projection-circle'],
    ['.curves-card', 'model-curves'],
    ['.rosetta-card', 'model-rosetta'],
  ])
    await (await page.$(cls))!.screenshot({ path: resolve(ARTIFACTS, `${png}.png`) });
  await checkClean(opened);
});

modelTest(
  'a regression target: the prediction on the targets’ colour scale; a dark theme redraws the views',
  async () => {
    // z = sin(x)·cos(y) + noise on [−3, 3]², fitted by a small tanh net with the squared error.
    const next = mulberry32(9);
    const rows = Array.from({ length: 300 }, () => {
      const [x, y] = [6 * next() - 3, 6 * next() - 3];
      return [x, y, Math.sin(x) * Math.cos(y) + 0.05 * (next() - 0.5)];
    });
    const data: Dataset = {
      name: 'wave.csv',
      columns: ['x', 'y', 'z'],
      rows: rows.length,
      values: Float64Array.from(rows.flat()),
    };
    const { opened } = await report(
      'wave',
      `@data "wave.csv"
@split 0.8 seed 1
@param W 12x2 normal(0, 1)
@param b 12 zeros
@param v 12 normal(0, 0.3)
@param c 1 zeros
wave(W, b, v, c) = (dot(v, tanh(W*[row.x, row.y] + b)) + c - row.z)^2
@batch 20
`,
      {
        optimizers: [{ id: 'adam', params: { eta: 0.03 } }],
        starts: { kind: 'draw', n: 1 },
        seed: 3,
        steps: 2400,
        targets: [],
        traces: 1,
      },
      { 'wave.csv': data },
    );
    const { page } = opened;
    const kind = await page.evaluate(() => (window as any).descentLabReport.model.boundary.data.kind);
    assert.equal(kind, 'regression');
    await (await page.$('.boundary-card'))!.screenshot({ path: resolve(ARTIFACTS, 'model-boundary-regression.png') });
    // VS Code's Dark Modern colours, as the Lab's webview gets them.
    const dark = {
      'editor-background': '#1f1f1f',
      foreground: '#cccccc',
      descriptionForeground: '#9d9d9d',
      'editorWidget-border': '#454545',
      'panel-border': '#2b2b2b',
      'charts-blue': '#3794ff',
      'charts-orange': '#d18616',
      'charts-green': '#89d185',
    };
    await page.evaluate((vars) => {
      for (const [k, v] of Object.entries(vars)) document.body.style.setProperty(`--vscode-${k}`, v);
      // lab.css resolves the cards' colours at the root: they are set again here, as VS Code's own variables would.
      document.body.style.setProperty('--card-bg', '#181818');
      document.body.style.setProperty('--card-border', vars['panel-border']);
      document.body.style.background = vars['editor-background'];
      document.body.style.color = vars.foreground;
      document.body.classList.replace('vscode-light', 'vscode-dark');
      const theme = {
        kind: 'dark',
        foreground: vars.foreground,
        muted: vars.descriptionForeground,
        background: vars['editor-background'],
        grid: vars['editorWidget-border'],
        border: vars['panel-border'],
        fontFamily: 'system-ui, sans-serif',
        fontSize: 13,
        palette: [vars['charts-blue'], vars['charts-orange'], vars['charts-green'], '#f14c4c', '#b180d7', '#cca700'],
      };
      (window as any).descentLabReport.model.setTheme(theme);
    }, dark);
    // The regression heat map mixes viridis into the dark background: no pixel of the plot is near white.
    const brightest = await page.evaluate(() => {
      const { ctx, chartArea: a } = (window as any).descentLabReport.model.boundary.chart;
      const d = ctx.getImageData(a.left + 2, a.top + 2, a.right - a.left - 4, a.bottom - a.top - 4).data;
      let most = 0;
      for (let i = 0; i < d.length; i += 4) most = Math.max(most, Math.min(d[i], d[i + 1], d[i + 2]));
      return most;
    });
    assert.ok(brightest < 235, `no white left from the light theme (brightest ${brightest})`);
    await (await page.$('.boundary-card'))!.screenshot({
      path: resolve(ARTIFACTS, 'model-boundary-regression-dark.png'),
    });
    await (await page.$('.projection-card'))!.screenshot({ path: resolve(ARTIFACTS, 'model-projection-dark.png') });
    await checkClean(opened);
  },
);
