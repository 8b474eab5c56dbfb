// The sweep view's fixes in a real headless Chromium under the panel's CSP, at 620 px and 1200 px, on real engine
// sweeps converted as the host converts them: headings with Greek letters keep their case; the H axis has a tick
// at every swept H; ★ only where f_D > 0; the values held fixed are stated under the charts; f_D table cells are
// buttons (click, Enter); the tables fit the panel; a heat-map cell reads out on hover; no colour bar says "−0".
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { findBuiltin } from '../../src/engine/library';
import { sweep } from '../../src/engine/run/sweep';
import { sweepData } from '../../src/present/sweepMessage';
import type { SweepData } from '../../src/shared/sweepShapes';
import { parseHostMessage } from '../../src/shared/webviewProtocol';
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

/** Symbols by parameter name, from the registry's metadata, as the panel passes them. */
const symbols = Object.fromEntries(recorded.init.optimizers.flatMap((o) => o.params.map((p) => [p.name, p.symbol])));

function engineSweep(
  optimizers: { id: string; params: Record<string, number> }[],
  grid: { name: string; values: number[] }[],
): SweepData {
  const beale = findBuiltin('beale')!;
  const result = sweep({
    fn: beale,
    optimizers,
    grid,
    starts: { kind: 'random', n: 16, seed: 2, domain: beale.domain! },
    budgets: [100, 1000],
    target: 1e-4,
    backend: 'js',
  });
  const msg = JSON.parse(
    JSON.stringify({ type: 'sweepResult', sweepId: 1, sweep: sweepData(result), config: recorded.runResult.config }),
  );
  parseHostMessage(msg);
  return msg.sweep;
}

const etaH = engineSweep(
  [
    { id: 'adam', params: {} },
    { id: 'h-adam', params: {} },
  ],
  [
    { name: 'eta', values: [0.01, 0.1, 1] },
    { name: 'H', values: [0.25, 0.5, 0.75, 1] },
  ],
);
const sweepH = engineSweep([{ id: 'h-gd', params: { eta: 0.01 } }], [{ name: 'H', values: [0.25, 0.5, 0.75, 1] }]);

/** Each optimizer's best cell, worked out here: the highest f_D at the largest budget, ties to fewer median steps. */
function expectedBest(d: SweepData): Map<string, number> {
  const last = d.budgets.length - 1;
  const best = new Map<string, number>();
  d.cells.forEach((c, i) => {
    const j = best.get(c.optimizer);
    const b = j === undefined ? null : d.cells[j];
    const better =
      !b ||
      c.fraction[last] > b.fraction[last] ||
      (c.fraction[last] === b.fraction[last] && (c.medianSteps ?? Infinity) < (b.medianSteps ?? Infinity));
    if (better) best.set(c.optimizer, i);
  });
  return best;
}

const harness = useComponents();

async function mountSweep(page: Page, data: SweepData): Promise<void> {
  await page.evaluate(
    ({ data, symbols }) => {
      const { SweepView, readTheme } = (window as any).lab;
      const t = { activated: [] as number[] } as any;
      const view = new SweepView(readTheme(), {
        actionLabel: 'Run',
        actionHint: 'Click a point or a cell to run it.',
        symbols,
        activate: (cell: number) => t.activated.push(cell),
      });
      document.getElementById('root')!.append(view.root);
      view.set(data);
      t.view = view;
      (window as any).t = t;
    },
    { data, symbols },
  );
  await frames(page);
}

for (const [width, theme] of [
  [620, 'dark'],
  [1200, 'light'],
] as const) {
  componentTest(
    `η × H sweep at ${width} px (${theme}): headings, H ticks, ★, clickable cells, tables that fit`,
    async () => {
      const o = await openComponents(harness, theme, width, 2400);
      const { page } = o;
      await mountSweep(page, etaH);

      // Every heading with a Greek letter keeps its case: "η × H", never "Η × H".
      const greek = await page.$$eval('h2', (hs) =>
        hs
          .filter((h) => /[\u0370-\u03ff]/.test(h.textContent ?? ''))
          .map((h) => [h.textContent, getComputedStyle(h).textTransform]),
      );
      assert.deepEqual(greek, [['η × H heat map', 'none']]);

      // The heat map's H axis has a tick at each swept H, labelled with it.
      const hTicks = await page.evaluate(() => {
        const y = (window as any).t.view.heatmap.chart.scales.y;
        return y.ticks.map((tk: { value: number }) => y.getLabelForValue(tk.value) || tk.value);
      });
      assert.equal(hTicks.length, 4);
      const hLabels = await page.evaluate(() => {
        const y = (window as any).t.view.heatmap.chart.scales.y;
        return y._labelItems?.map((l: { label: string }) => l.label) ?? [];
      });
      assert.deepEqual(hLabels, ['0.25', '0.5', '0.75', '1']);

      // ★ where a cell is its optimizer's best and some start converged within that table's budget. The tables are
      // drawn at the H of the best cell overall (adam has no H: all its cells are on them).
      const best = expectedBest(etaH);
      const last = etaH.budgets.length - 1;
      const top = [...best.values()].reduce((a, i) =>
        etaH.cells[i].fraction[last] > etaH.cells[a].fraction[last] ? i : a,
      );
      const onSlice = (i: number) =>
        etaH.cells[i].params.H === undefined || etaH.cells[i].params.H === etaH.cells[top].params.H;
      const stars = await page.$$eval('table.results.compact:not(.best-cells)', (tables) =>
        tables.map((t) =>
          Array.from(t.querySelectorAll('td.best')).map((td) => Number((td as HTMLElement).dataset.cell)),
        ),
      );
      etaH.budgets.forEach((_, b) => {
        const expected = [...best.values()].filter((i) => onSlice(i) && etaH.cells[i].fraction[b] > 0);
        assert.deepEqual(stars[b].sort(), expected.sort(), `★ in the f_D table for T = ${etaH.budgets[b]}`);
      });

      // What the charts held fixed is stated under them, with the registry's symbols.
      const notes = await page.$$eval('.fixed-note', (ps) => ps.map((p) => p.textContent));
      assert.ok(notes[0]!.includes('β₁ = 0.9') && notes[0]!.includes('ε = 1e-8'), notes[0]!);
      assert.equal(notes[1], 'β₁ = 0.9, β₂ = 0.99, ε = 1e-8 fixed.');

      // An f_D cell is a button: a click activates its cell, and so does Enter on it.
      const cell = page.locator('table.results.compact td[data-cell] button').first();
      const id = Number(await page.locator('table.results.compact td[data-cell]').first().getAttribute('data-cell'));
      await cell.click();
      await cell.focus();
      await page.keyboard.press('Enter');
      assert.deepEqual(await page.evaluate(() => (window as any).t.activated), [id, id]);
      assert.match((await cell.getAttribute('aria-label'))!, /^Run: Adam, η = 0\.01 \(f_D = \d\.\d\d within 100 steps/);

      // A heat-map cell reads out η, H, f_D, median steps and diverged on hover.
      const at = await page.evaluate(() => {
        const hm = (window as any).t.view.heatmap;
        const cellIndex = hm.grid.cells.find((c: number) => c >= 0);
        const p = hm.pixelOf(cellIndex);
        const r = hm.chart.canvas.getBoundingClientRect();
        return { x: r.left + p.x, y: r.top + p.y, cell: cellIndex };
      });
      await page.mouse.move(at.x, at.y);
      await page.locator('.heat-box .hover-tip:not(.hidden)').waitFor();
      const tip = await page.locator('.heat-box .hover-tip').innerText();
      const c = etaH.cells[at.cell];
      assert.match(
        tip,
        new RegExp(`η\\s+${c.params.eta}\\nH\\s+${c.params.H}\\nf_D \\(T = 1,000\\)\\s+${c.fraction[1].toFixed(2)}`),
      );
      assert.match(tip, /median steps\s+\S+\ndiverged\s+\d+ of 16/);
      await page.mouse.move(0, 0);

      // Nothing is wider than the panel: the cards, the tables, the best-cell table with its settings.
      assert.deepEqual(await overflowing(page, '.sweep, .sweep-card, .sweep-numbers, table.results'), []);
      const fits = await page.$$eval('table.results', (ts) =>
        ts.map((t) => t.getBoundingClientRect().right <= t.closest('.card')!.getBoundingClientRect().right),
      );
      assert.ok(fits.every(Boolean), `every table inside its card: ${fits}`);
      await page.locator('.sweep').screenshot({ path: resolve(ARTIFACTS, `sweep-${width}-${theme}.png`) });
      await page
        .locator('.sweep-card')
        .last()
        .screenshot({ path: resolve(ARTIFACTS, `sweep-best-${width}-${theme}.png`) });
      await noProblems(o);
      await page.close();
    },
  );
}

componentTest('Sweep H: ticks at the swept H values, "η = 0.01 fixed" stated', async () => {
  const o = await openComponents(harness, 'dark', 620, 1400);
  const { page } = o;
  await mountSweep(page, sweepH);
  const ticks = await page.evaluate(() =>
    (window as any).t.view.fractionCharts.map((c: any) => c.chart.scales.x.ticks.map((t: any) => t.value)),
  );
  assert.deepEqual(ticks, [
    [0.25, 0.5, 0.75, 1],
    [0.25, 0.5, 0.75, 1],
  ]);
  assert.equal(await page.textContent('.fixed-note'), 'η = 0.01 fixed.');
  await page
    .locator('.sweep-card')
    .first()
    .screenshot({ path: resolve(ARTIFACTS, 'sweep-H-620-dark.png') });
  await noProblems(o);
  await page.close();
});

componentTest('colour bar: a tick that rounds to zero from below reads "0.0", never "−0.0"', async () => {
  const o = await openComponents(harness, 'dark', 620, 800);
  const { page } = o;
  // log10 values spanning [−0.3, 0.2]: the fourth of six ticks is −0.3 + 0.5·3/5 = −5.6e−17, "-0.0" by toFixed.
  const n = recorded.landscape.xs.length;
  const values = recorded.landscape.values.map((_, k) => -0.3 + (0.5 * (k % n)) / (n - 1));
  const labels = await page.evaluate(
    async (landscape) => {
      const drawn: string[] = [];
      const fill = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text: string, x: number, y: number) {
        drawn.push(text);
        return fill.call(this, text, x, y);
      };
      const { LandscapeView, readTheme } = (window as any).lab;
      const canvas = document.createElement('canvas');
      const box = document.createElement('div');
      box.className = 'chart-box';
      box.append(canvas);
      document.getElementById('root')!.append(box);
      new LandscapeView(canvas, readTheme(), { addStart() {}, removeStart() {}, viewChanged() {} }).setLandscape(
        landscape,
      );
      // The landscape draws at the next frame.
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      CanvasRenderingContext2D.prototype.fillText = fill;
      return drawn;
    },
    { ...recorded.landscape, values },
  );
  assert.ok(labels.includes('0.0'), `the zero tick is drawn: ${labels.join(' | ')}`);
  assert.ok(!labels.some((l) => /^[-−]0(\.0+)?$/.test(l)), `no negative zero: ${labels.join(' | ')}`);
  await noProblems(o);
  await page.close();
});
