// The views for one and for three or more variables, and the hover readouts, in a real headless Chromium under
// the panel's CSP at 620 px and 1200 px: the curve draws from the samples (gaps where undefined), its points move
// along it with the step, hovering reads out the nearest sample, a click or Enter adds a start at x; the slice
// controls keep their axes distinct, say what they fix, and edit the fixed values; the landscape readout gives the
// host's value at the nearest grid sample; "showing K of N" appears only when K < N.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import {
  ARTIFACTS,
  recorded,
  componentTest,
  frames,
  noProblems,
  openComponents,
  overflowing,
  useComponents,
} from './componentHarness';

const landscape = recorded.landscape;

// What the host would send for f(x) = (x² − 1)² + 0.3x on [−2, 2]: 401 samples, undefined on (1.2, 1.3) to show a
// gap; two GD runs (η = 0.02) from −1.9 and 1.8, as (x, f) per step.
const f = (x: number) => (x * x - 1) ** 2 + 0.3 * x;
const df = (x: number) => 4 * x * (x * x - 1) + 0.3;
const xs = Array.from({ length: 401 }, (_, i) => -2 + i / 100);
const curve = {
  variable: 'x',
  xs,
  fs: xs.map((x) => (x > 1.2 && x < 1.3 ? null : f(x))),
  logY: false,
  fLabel: 'f(x)',
  minima: [{ x: -1.0363, f: f(-1.0363) }],
};
function gdLane(x0: number): { xs: number[]; ys: number[]; last: number } {
  const lane = { xs: [x0], ys: [f(x0)], last: 200 };
  for (let k = 0; k < 200; k++) {
    const x = lane.xs[k] - 0.02 * df(lane.xs[k]);
    lane.xs.push(x);
    lane.ys.push(f(x));
  }
  return lane;
}
const groups = [{ id: 'gd', label: 'GD', colour: '#3794ff', lanes: [gdLane(-1.9), gdLane(1.8)] }];

const harness = useComponents();

async function mountCurve(page: Page): Promise<void> {
  await page.evaluate(
    ({ curve, groups }) => {
      const { CurveView, readTheme } = (window as any).lab;
      const t = { starts: [] as number[], hovers: [] as unknown[] } as any;
      const view = new CurveView(readTheme(), {
        addStart: (x: number) => t.starts.push(x),
        hover: (s: unknown) => t.hovers.push(s),
      });
      const card = document.createElement('section');
      card.className = 'card';
      card.append(view.root);
      document.getElementById('root')!.append(card);
      view.set(curve);
      view.setTrajectories(groups);
      card.append(view.layer.legend);
      t.view = view;
      (window as any).t = t;
    },
    { curve, groups },
  );
  await frames(page);
}

/** Pixel position of data (x, y) on the curve chart, in page coordinates. */
async function curvePixel(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ x, y }) => {
      const chart = (window as any).t.view.chart;
      const r = chart.canvas.getBoundingClientRect();
      return { x: r.left + chart.scales.x.getPixelForValue(x), y: r.top + chart.scales.y.getPixelForValue(y) };
    },
    { x, y },
  );
}

for (const [width, theme] of [
  [620, 'dark'],
  [1200, 'light'],
] as const) {
  componentTest(`curve view at ${width} px (${theme}): draws, moves its points, reads out, adds starts`, async () => {
    const o = await openComponents(harness, theme, width, 900);
    const { page } = o;
    await mountCurve(page);
    // The gap: the curve's dataset has no value there; the chart drew the curve elsewhere.
    const gap = await page.evaluate(() => {
      const data = (window as any).t.view.chart.data.datasets[0].data as { x: number; y: number }[];
      return [data.filter((p) => Number.isNaN(p.y)).length, data.length];
    });
    assert.deepEqual(gap, [curve.fs.filter((v) => v === null).length, 401]);

    const moving = () =>
      page.evaluate(() => {
        const c = document.querySelectorAll('canvas.trajectory-layer')[1] as HTMLCanvasElement;
        return Array.from(
          c
            .getContext('2d')!
            .getImageData(0, 0, c.width, c.height)
            .data.filter((_, i) => i % 4 === 3),
        );
      });
    const at0 = await moving();
    await page.locator('.card').screenshot({ path: resolve(ARTIFACTS, `curve-${width}-${theme}-step0.png`) });
    await page.evaluate(() => (window as any).t.view.setStep(60));
    await frames(page);
    const at60 = await moving();
    const changed = at0.filter((a, i) => Math.abs(a - at60[i]) > 64).length;
    assert.ok(changed > 50, `the points moved along the curve: ${changed} pixels changed`);

    // Hover near x = 0.5: the readout names the nearest sample and its f, and the hover is reported.
    const p = await curvePixel(page, 0.503, f(0.5));
    await page.mouse.move(p.x, p.y);
    await page.locator('.hover-tip:not(.hidden)').waitFor();
    const tip = await page.locator('.hover-tip').innerText();
    assert.match(tip, /x\s+0\.5\b/);
    assert.ok(tip.includes(String(Number(f(0.5).toPrecision(4)))), tip);
    const hovered = await page.evaluate(() => (window as any).t.hovers.at(-1));
    assert.deepEqual(hovered, { x: 0.5, f: f(0.5) });
    await page.locator('.card').screenshot({ path: resolve(ARTIFACTS, `curve-${width}-${theme}-hover.png`) });

    // A click adds a start at the x under the pointer (one pixel's worth of x).
    const c = await curvePixel(page, -0.75, 1);
    await page.mouse.click(c.x, c.y);
    await frames(page); // chart.js handles pointer events at the next animation frame
    const tol = await page.evaluate(() => {
      const s = (window as any).t.view.chart.scales.x;
      return (s.max - s.min) / s.width;
    });
    const starts = await page.evaluate(() => (window as any).t.starts as number[]);
    assert.equal(starts.length, 1);
    assert.ok(Math.abs(starts[0] + 0.75) <= tol, `start at ${starts[0]} ≈ −0.75`);
    // Keyboard: focus the chart; → puts the cursor on the middle sample (x = 0), → again on the next (x = 0.01);
    // Enter adds a start there.
    await page.mouse.move(0, 0);
    await page.focus('.curve-view canvas');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    assert.deepEqual(await page.evaluate(() => (window as any).t.starts.slice(1)), [xs[201]]);
    assert.match(await page.locator('.hover-tip').innerText(), /x\s+0\.01\n/);
    // The placed starts are drawn on the curve, at f of their nearest sample.
    await page.evaluate(() => (window as any).t.view.setStarts([-0.75, 0.01]));
    await frames(page);
    const placed = await page.evaluate(
      () => (window as any).t.view.chart.data.datasets.find((d: { label: string }) => d.label === 'Placed starts').data,
    );
    await page.locator('.card').screenshot({ path: resolve(ARTIFACTS, `curve-${width}-${theme}-starts.png`) });
    assert.deepEqual(placed, [
      { x: -0.75, y: f(xs[125]) },
      { x: 0.01, y: f(xs[201]) },
    ]);
    assert.deepEqual(await overflowing(page, '.card, .curve-view, .chart-box'), []);
    await noProblems(o);
    await page.close();
  });
}

componentTest('curve view: a log y axis draws f − f* with its zeros and negatives as gaps', async () => {
  const o = await openComponents(harness, 'dark', 620, 700);
  const { page } = o;
  await mountCurve(page);
  await page.evaluate((c) => (window as any).t.view.set(c), {
    ...curve,
    logY: true,
    fLabel: 'f − f*',
    fs: xs.map((x) => (x * x - 1) ** 2),
  });
  await frames(page);
  const scale = await page.evaluate(() => {
    const chart = (window as any).t.view.chart;
    const data = chart.data.datasets[0].data as { y: number }[];
    return { type: chart.scales.y.type, gaps: data.filter((p) => Number.isNaN(p.y)).length };
  });
  // x = ±1 are exact zeros of (x² − 1)²: not drawable on a log axis.
  assert.deepEqual(scale, { type: 'logarithmic', gaps: 2 });
  await page.locator('.card').screenshot({ path: resolve(ARTIFACTS, 'curve-620-dark-log.png') });
  await noProblems(o);
  await page.close();
});

/** The host's slice of f(x, y, z, w) through `point`. */
const sliceOf = (mode: string, point: number[], canFollow = false) => ({
  variables: ['x', 'y', 'z', 'w'],
  xAxis: 0,
  yAxis: 1,
  mode,
  point,
  hasMinimum: true,
  canFollow,
});

for (const width of [620, 1200]) {
  componentTest(`slice controls at ${width} px: distinct axes, fixed values edited and titled`, async () => {
    const o = await openComponents(harness, 'dark', width, 500);
    const { page } = o;
    await page.evaluate(
      (input) => {
        const { SliceControls } = (window as any).lab;
        const t = { choices: [] as unknown[] } as any;
        const slice = new SliceControls({ change: (c: unknown) => t.choices.push(c) });
        const card = document.createElement('section');
        card.className = 'card';
        card.append(slice.root);
        document.getElementById('root')!.append(card);
        slice.set(input);
        Object.assign(t, { slice });
        (window as any).t = t;
      },
      sliceOf('minimum', [1, 2, 0, 1.5]),
    );
    await frames(page);
    assert.equal(await page.textContent('.slice-title'), 'slice at z = 0, w = 1.5');
    for (const name of ['X axis', 'Y axis', 'Fixed point'])
      assert.equal(await page.getByRole('combobox', { name }).count(), 1, name);
    const z = page.getByRole('textbox', { name: 'z fixed at' });
    assert.equal(await z.inputValue(), '0');

    // Picking x for the y axis swaps the axes: they stay distinct.
    await page.getByRole('combobox', { name: 'Y axis' }).click();
    await page.getByRole('option', { name: 'x', exact: true }).click();
    await frames(page);
    assert.deepEqual(await page.evaluate(() => (window as any).t.choices.at(-1)), {
      xAxis: 1,
      yAxis: 0,
      mode: 'minimum',
      point: [1, 2, 0, 1.5],
    });

    // Typing a fixed value asks for the slice through it; the host's answers do not overwrite the typing.
    await z.click();
    await z.fill('');
    await page.keyboard.type('0.25', { delay: 40 });
    await page.evaluate((input) => (window as any).t.slice.set(input), sliceOf('minimum', [1, 2, 0, 1.5]));
    assert.equal(await z.inputValue(), '0.25', 'a stale echo leaves the focused field alone');
    await page.waitForFunction(() => (window as any).t.choices.some((c: any) => c.mode === 'values'));
    assert.deepEqual(await page.evaluate(() => (window as any).t.choices.at(-1)), {
      xAxis: 0,
      yAxis: 1,
      mode: 'values',
      point: [1, 2, 0.25, 1.5],
    });
    await page.evaluate((input) => (window as any).t.slice.set(input), sliceOf('values', [1, 2, 0.25, 1.5], true));
    assert.equal(await page.textContent('.slice-title'), 'slice at z = 0.25, w = 1.5');
    assert.equal(await z.inputValue(), '0.25');
    await frames(page);
    const shown = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.slice-pickers vscode-single-select')).map((e) => (e as any).value),
    );
    assert.deepEqual(shown, ['0', '1', 'values'], 'the pickers show the host’s slice');

    // Many fixed variables: three spelt out, the rest counted; the full list in the title attribute.
    const many = await page.evaluate(() => {
      const names = ['x₁', 'x₂', 'x₃', 'x₄', 'x₅', 'x₆', 'x₇', 'x₈'];
      return (window as any).lab.sliceTitle(names, 0, 1, [0, 0, 0, 1, 2, 3.5, -1, 0.001]);
    });
    assert.deepEqual(many, {
      text: 'slice at x₃ = 0, x₄ = 1, x₅ = 2 and 3 more',
      full: 'slice at x₃ = 0, x₄ = 1, x₅ = 2, x₆ = 3.5, x₇ = -1, x₈ = 0.001',
    });
    assert.deepEqual(await overflowing(page, '.card, .slice, .slice-pickers, .slice-values'), []);
    await page.locator('.card').screenshot({ path: resolve(ARTIFACTS, `slice-${width}-dark.png`) });
    await noProblems(o);
    await page.close();
  });
}

componentTest(
  'readouts: the landscape tip gives the host value at the nearest grid sample; showing K of N',
  async () => {
    const o = await openComponents(harness, 'light', 620, 900);
    const { page } = o;
    await page.evaluate((landscape) => {
      const { LandscapeView, readTheme, HoverTip, chartHover, gridLookup, pointRows, ShownNote } = (window as any).lab;
      const canvas = document.createElement('canvas');
      const box = document.createElement('div');
      box.className = 'chart-box';
      box.append(canvas);
      const note = new ShownNote();
      const card = document.createElement('section');
      card.className = 'card';
      card.append(box, note.root);
      document.getElementById('root')!.append(card);
      const view = new LandscapeView(canvas, readTheme(), { addStart() {}, removeStart() {}, viewChanged() {} });
      view.setLandscape(landscape);
      const lookup = gridLookup(landscape);
      chartHover(view.chart, new HoverTip(box), (x: number, y: number) => {
        const s = lookup(x, y);
        return pointRows(['x', 'y'], [s.x, s.y], s.f, 'log₁₀(f − f* + δ)');
      });
      (window as any).t = { view, note };
    }, landscape);
    await frames(page);
    const at = await page.evaluate(() => {
      const c = (window as any).t.view.chart;
      const r = c.canvas.getBoundingClientRect();
      return { x: r.left + c.scales.x.getPixelForValue(1.3), y: r.top + c.scales.y.getPixelForValue(-0.6) };
    });
    await page.mouse.move(at.x, at.y);
    await page.locator('.hover-tip:not(.hidden)').waitFor();
    // The nearest sample to (1.3, −0.6), found here independently by a linear scan.
    const nearest = (axis: readonly number[], v: number) =>
      axis.reduce((best, a, i) => (Math.abs(a - v) < Math.abs(axis[best] - v) ? i : best), 0);
    const pointer = await page.evaluate(
      ({ px, py }) => {
        const c = (window as any).t.view.chart;
        const r = c.canvas.getBoundingClientRect();
        return [c.scales.x.getValueForPixel(px - r.left), c.scales.y.getValueForPixel(py - r.top)];
      },
      { px: Math.round(at.x), py: Math.round(at.y) },
    );
    const i = nearest(landscape.xs, pointer[0]);
    const j = nearest(landscape.ys, pointer[1]);
    const value = landscape.values[j * landscape.xs.length + i]!;
    const tip = await page.locator('.hover-tip').innerText();
    const fmt = (v: number) => String(Number(v.toPrecision(4)));
    assert.match(tip, new RegExp(`x\\s+${fmt(landscape.xs[i])}\\b`));
    assert.match(tip, new RegExp(`y\\s+${fmt(landscape.ys[j]).replace('-', '-')}\\b`));
    assert.ok(tip.includes(fmt(value)), `${tip} has ${fmt(value)}`);
    await page.locator('.card').screenshot({ path: resolve(ARTIFACTS, 'readout-landscape-light.png') });
    await page.mouse.move(1, 1);
    await page.locator('.hover-tip.hidden').waitFor({ state: 'attached' });

    await page.evaluate(() => (window as any).t.note.set(17, 64));
    assert.equal(await page.textContent('.shown-note'), 'showing 17 of 64 starts');
    assert.ok(await page.isVisible('.shown-note'));
    await page.evaluate(() => (window as any).t.note.set(64, 64));
    assert.ok(await page.isHidden('.shown-note'));
    await noProblems(o);
    await page.close();
  },
);
