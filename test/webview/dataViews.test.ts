// The report's data views (webview/data/) in a real headless Chromium, drawing the demo's data experiments run by
// the engine at a reduced size (3 starts, 3 epochs): the curves panels share their y range and one set of pickers;
// the Rosetta stone fades GD's line exactly where the data says and draws α = 2; each heat-map cell is coloured by
// its value on the data's scale. Screenshots go to test-artifacts/ (report-data-*.png).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runDemo } from '../../src/cli/demo';
import { demoReport } from '../../src/cli/demoReport';
import { writeReport } from '../../src/cli/report';
import { SPRUNGER_DENSE } from '../../src/engine/library/papers';
import type { ReportData } from '../../src/present/reportData';
import { viridis } from '../../webview/colormap';
import { ARTIFACTS, checkClean, launch, missing, open, reportTests, ROOT, type Opened } from './reportPage';

const reportTest = reportTests('data view tests');

let browser: Browser;
let report: Extract<ReportData, { kind: 'demo' }>;
let opened: Opened;

before(async () => {
  if (missing) return;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const demo = await runDemo('auto', resolve(ROOT, 'dist/worker.js'), undefined, {
    dense: { starts: 3, epochs: 3 },
    powerball: { starts: 3, epochs: 3 },
  });
  report = demoReport(demo, ['demo']) as typeof report;
  const file = writeReport(join(mkdtempSync(join(tmpdir(), 'descent-lab-data-')), 'index.html'), report);
  browser = await launch();
  opened = await open(browser, file);
});

after(async () => {
  await browser?.close();
});

/** Clicks nothing: sets a vscode-single-select's value and fires its change, as a user's pick does. */
async function pick(page: Page, selector: string, value: string): Promise<void> {
  await page.$eval(
    selector,
    (el, v) => {
      (el as HTMLElement & { value: string }).value = v;
      el.dispatchEvent(new Event('change'));
    },
    value,
  );
}

reportTest('curves: the panels of Figs. 4–5 share one y range, and one set of pickers switches them all', async () => {
  const { page } = opened;
  const panels = SPRUNGER_DENSE.families.length;
  const axes = () =>
    page.evaluate((n) => {
      const charts = (window as unknown as { descentLabReport: Record<string, { chart: { chart: any } }> })
        .descentLabReport;
      return Array.from({ length: n }, (_, i) => {
        const c = charts[`dense${i}`].chart.chart;
        return {
          y: c.options.scales.y.title.text,
          x: c.options.scales.x.title.text,
          min: c.scales.y.min,
          max: c.scales.y.max,
          xMax: c.scales.x.max,
        };
      });
    }, panels);
  const before = await axes();
  const range = report.dense.curves[0].charts[0].yRange!;
  for (const a of before) {
    assert.deepEqual([a.min, a.max], [range.min, range.max], 'the shared range of the data');
    assert.equal(a.y, 'test distance (mean)');
    assert.equal(a.x, 'step');
  }
  const tools = '.curves-tools vscode-single-select';
  await pick(page, `${tools}:nth-of-type(1)`, '1');
  await pick(page, `${tools}:nth-of-type(2)`, 'epoch');
  await pick(page, `${tools}:nth-of-type(3)`, 'median');
  for (const a of await axes()) {
    assert.equal(a.y, 'training loss F (median)');
    assert.equal(a.x, 'epoch');
    assert.equal(a.xMax, 3, 'three epochs');
  }
  await (await page.$('.curves-grid'))!.screenshot({ path: resolve(ARTIFACTS, 'report-data-curves.png') });
  await pick(page, `${tools}:nth-of-type(1)`, '0');
  await pick(page, `${tools}:nth-of-type(2)`, 'step');
  await pick(page, `${tools}:nth-of-type(3)`, 'mean');
});

reportTest('Rosetta stone: GD’s line is faded exactly where the data marks α_eq > 2, and α = 2 is drawn', async () => {
  const { page } = opened;
  const progress = report.dense.rosetta.progress;
  const drawn = await page.evaluate(() => {
    const r = (window as unknown as { descentLabReport: { rosetta: { charts: Record<string, { chart: any }> } } })
      .descentLabReport.rosetta;
    const c = r.charts.progress.chart;
    const lines = c.data.datasets.filter((d: { role: string }) => d.role === 'line');
    const colours = lines.map((d: { data: unknown[]; segment: { borderColor(ctx: unknown): string } }) =>
      d.data.slice(0, -1).map((_, i) => d.segment.borderColor({ p0DataIndex: i })),
    );
    // The α = 2 line: grey pixels along its row in the α_eq panel.
    const a = r.charts.alphaEq.chart;
    const y = Math.round(a.scales.y.getPixelForValue(2));
    const { left, right } = a.chartArea;
    const row = a.ctx.getImageData(left, y, right - left, 1).data;
    let grey = 0;
    for (let i = 0; i < row.length; i += 4)
      if (row[i + 3] > 0 && Math.abs(row[i] - row[i + 1]) < 8 && Math.abs(row[i] - row[i + 2]) < 8 && row[i] < 150)
        grey++;
    return { colours, grey, width: right - left };
  });
  let faded = 0;
  progress.series.forEach((s, j) =>
    s.steps.slice(0, -1).forEach((_, i) => {
      const dim = s.faded![i] || s.faded![i + 1];
      if (dim) faded++;
      assert.equal(
        /rgba\(.*, 0\.25\)$/.test(drawn.colours[j][i]),
        dim,
        `${s.label}, segment ${i}: ${drawn.colours[j][i]}`,
      );
    }),
  );
  assert.ok(faded > 0, 'GD η = 0.3 has α_eq > 2');
  assert.ok(drawn.grey > drawn.width / 4, `a dashed line at α = 2 (${drawn.grey} of ${drawn.width} px)`);
  await (await page.$('.rosetta-card'))!.screenshot({ path: resolve(ARTIFACTS, 'report-data-rosetta.png') });
});

reportTest('heat maps: each γ × η cell is coloured by viridis of its value on the data’s range', async () => {
  const { page } = opened;
  for (const [m, map] of report.powerball.heatmaps.entries()) {
    const pixels = await page.evaluate(
      ([key, n]) => {
        const view = (window as unknown as { descentLabReport: Record<string, { heatmap: any }> }).descentLabReport[
          key
        ];
        const h = view.heatmap;
        const c = h.chart;
        const sx = c.scales.x;
        const w = Math.abs(sx.getPixelForValue(1) - sx.getPixelForValue(0));
        return Array.from({ length: n }, (_, k) => {
          const p = h.pixelOf(k);
          // Off the centre, where the value is printed.
          const d = c.ctx.getImageData(Math.round(p.x - w * 0.38), Math.round(p.y), 1, 1).data;
          return [d[0], d[1], d[2]];
        });
      },
      [`heat${m}`, map.values.length] as const,
    );
    map.values.forEach((v, k) => {
      if (v === null) return;
      const want = viridis((v - map.range.lo) / (map.range.hi - map.range.lo));
      const off = Math.max(...want.map((x, i) => Math.abs(x - pixels[k][i])));
      assert.ok(off <= 3, `${map.title}, cell ${k} (value ${v}): ${pixels[k]} against ${want}`);
    });
  }
  const cards = await page.$$('.heat-card');
  for (const [i, c] of cards.entries()) await c.screenshot({ path: resolve(ARTIFACTS, `report-data-heat${i}.png`) });
  await (await page.$$('.curves-card')).at(-1)!.screenshot({ path: resolve(ARTIFACTS, 'report-data-early.png') });
  await checkClean(opened);
});
