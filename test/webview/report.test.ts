// The HTML reports (`descent-lab report` for a run and a sweep, `descent-lab demo`'s demo-report/index.html)
// opened from disk (file://) in a real headless Chromium: no console errors, no request at all (everything is
// inlined; the page's CSP allows nothing else), every chart canvas drew, and the tables show the engine's numbers.
// Screenshots go to test-artifacts/.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { BAIESI_FIG3, POWERBALL, SPRUNGER_DENSE, SPRUNGER_TABLES } from '../../src/engine/library/papers';
import { formatNumber } from '../../src/present/format';
import {
  ARTIFACTS,
  checkClean,
  everyCanvasDrew,
  launch,
  missing,
  open as openIn,
  reportTests,
  ROOT,
  tableText,
} from './reportPage';

const reportTest = reportTests('report tests');

let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'descent-lab-report-'));
const cli = (...args: string[]) =>
  execFileSync(process.execPath, [resolve(ROOT, 'dist/cli.js'), ...args], { cwd: dir, encoding: 'utf8' });

before(async () => {
  if (missing) return;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const open = (file: string, width?: number) => openIn(browser, file, width);

reportTest('run report: landscape, trajectories, convergence and the results table, offline', async () => {
  const file = join(dir, 'run.html');
  cli(
    'report',
    '--fn',
    'beale',
    '--opt',
    'gd:eta=0.001,h-adam:eta=0.1',
    '--starts',
    '12',
    '--seed',
    '7',
    '--steps',
    '1000',
    '--backend',
    'js',
    '--out',
    file,
  );
  const html = readFileSync(file, 'utf8');
  assert.match(html.slice(0, 2000), /Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
  const data = JSON.parse(html.match(/<script type="application\/json" id="data">(.*?)<\/script>/s)![1]);
  const o = await open(file);
  await everyCanvasDrew(o.page, 2);
  // The results table shows the embedded numbers (which are the engine's, from the run above).
  const rows = (await tableText(o.page, 'table.results:not(.compact) tbody tr')).slice(0, 2);
  data.result.optimizers.forEach(
    (opt: { curves: { label: string }; row: { converged: number; n: number; diverged: number } }, i: number) => {
      assert.equal(rows[i][0], opt.curves.label);
      assert.equal(rows[i][1], `${opt.row.converged}/${opt.row.n}`);
      assert.equal(rows[i][2], String(opt.row.diverged));
    },
  );
  const text = await o.page.textContent('body');
  assert.match(
    text!,
    /descent-lab report --fn beale --opt gd:eta=0\.001,h-adam:eta=0\.1 --starts 12 --seed 7/,
    'the command that reproduces it',
  );
  assert.match(text!, /12 uniform random starts, seed 7/);
  await o.page.screenshot({ path: resolve(ARTIFACTS, 'report-run.png'), fullPage: true });
  await checkClean(o);
  await o.page.close();
});

reportTest('sweep report: f_D charts per budget, η × H heat map, outcome map, tables of the numbers', async () => {
  const file = join(dir, 'sweep.html');
  cli(
    'report',
    '--sweep',
    '--fn',
    'beale',
    '--opt',
    'adam,h-adam',
    '--eta',
    '1e-3:1:4',
    '--H',
    '0.25:1:4',
    '--budgets',
    '100,1000',
    '--starts',
    '30',
    '--seed',
    '3',
    '--backend',
    'js',
    '--out',
    file,
  );
  const json = JSON.parse(
    cli(
      'sweep',
      '--fn',
      'beale',
      '--opt',
      'adam,h-adam',
      '--eta',
      '1e-3:1:4',
      '--H',
      '0.25:1:4',
      '--budgets',
      '100,1000',
      '--starts',
      '30',
      '--seed',
      '3',
      '--backend',
      'js',
      '--json',
    ),
  );
  const o = await open(file);
  // Two budgets, the heat map and the outcome map.
  await everyCanvasDrew(o.page, 4);
  // The f_D table for T = 1000: Adam's row has the sweep's fractions in η order (Adam has no H: one cell per η).
  const tables = await tableText(o.page, 'table.results.compact');
  const t1000 = tables[1];
  const adam = json.cells.filter((c: { optimizer: string }) => c.optimizer === 'adam');
  const start = t1000.indexOf('Adam');
  assert.deepEqual(
    t1000.slice(start + 1, start + 1 + adam.length),
    adam.map((c: { fraction: Record<string, number> }) => c.fraction['1000'].toFixed(2)),
  );
  // The heat map has one cell per (η, H) of h-Adam, each with its f_D printed.
  const heat = await o.page.evaluate(() => {
    const v = (window as unknown as { descentLabReport: { sweep0: { heatmap: { pixelOf(c: number): unknown } } } })
      .descentLabReport.sweep0;
    return v.heatmap !== null;
  });
  assert.ok(heat, 'a heat map for the η × H sweep');
  await o.page.screenshot({ path: resolve(ARTIFACTS, 'report-sweep.png'), fullPage: true });
  await checkClean(o);
  await o.page.close();
});

reportTest(
  'demo report: Baiesi Fig. 3 as 3 × 3 f_D charts with tables, Sprunger Tables 1–2 beside the paper, Sprunger §3 and Powerball SGD with the papers’ sentences, wall times',
  async () => {
    const out = cli('demo', '--out', join(dir, 'demo-report', 'index.html'));
    const file = out.match(/Report: (.*index\.html)/)![1];
    const data = JSON.parse(
      readFileSync(file, 'utf8').match(/<script type="application\/json" id="data">(.*?)<\/script>/s)![1],
    );
    const o = await open(file);
    // Per function: one chart per budget and the outcome map; Sprunger §3: a panel per family and the Rosetta
    // stone's three; Powerball: two heat maps and the early curves.
    await everyCanvasDrew(
      o.page,
      BAIESI_FIG3.functions.length * (BAIESI_FIG3.budgets.length + 1) + SPRUNGER_DENSE.families.length + 3 + 2 + 1,
    );
    const text = (await o.page.textContent('body'))!;
    for (const fn of BAIESI_FIG3.functions) assert.ok(text.includes(fn), fn);
    assert.match(text, /took \d+\.\d\d s wall/);
    assert.match(text, /chaotic/);
    assert.match(text, /binary32/);
    // Sprunger Table 1, row SGD(η = 0.1156): 23 39 56 74 92, each equal to the paper.
    const papers = await tableText(o.page, 'table.paper');
    // Table 2 twice: in binary64, then in binary32, where its SGD rows are the printed numbers
    assert.equal(papers.length, SPRUNGER_TABLES.length + 1);
    const row = papers[0].slice(papers[0].indexOf('SGD(η = 0.1156)'), papers[0].indexOf('SGD(η = 0.1156)') + 6);
    assert.deepEqual(row, ['SGD(η = 0.1156)', '23✓', '39✓', '56✓', '74✓', '92✓']);
    const f32 = papers[2].slice(papers[2].indexOf('SGD(η = 0.0003945)'), papers[2].indexOf('SGD(η = 0.0003945)') + 6);
    assert.deepEqual(f32, ['SGD(η = 0.0003945)', '7✓', '9✓', '14✓', '20✓', '13633✓']);
    const mismatches = await o.page.$$eval('table.paper td.mismatch', (tds) => tds.length);
    assert.ok(mismatches > 0, 'the NaSGD α = 0.7 and binary32 mismatches are highlighted');
    // Fig. 3's numbers: the f_D tables hold 3 functions × 3 budgets × 7 optimizers × 6 η.
    const fd = await o.page.$$eval('table.results.compact tbody td[data-cell]', (tds) => tds.length);
    assert.equal(
      fd,
      BAIESI_FIG3.functions.length *
        BAIESI_FIG3.budgets.length *
        BAIESI_FIG3.optimizers.length *
        BAIESI_FIG3.etas.length,
    );
    // The papers' sentences, each with the verdict the demo computed.
    const claims = await tableText(o.page, 'table.claims');
    assert.deepEqual(
      claims.map((t) => (t.length - 4) / 4),
      [SPRUNGER_DENSE.claims.length, POWERBALL.claims.length],
    );
    for (const t of claims) for (let i = 7; i < t.length; i += 4) assert.match(t[i], /^(agrees|partly|differs)$/);
    // The final test distances as the engine computed them, and every experiment's wall time with the total.
    const finals = (await tableText(o.page, 'table.numbers'))[0];
    const first = data.dense.finals.rows[0];
    assert.deepEqual(finals.slice(finals.indexOf(first.label), finals.indexOf(first.label) + 1 + first.cells.length), [
      first.label,
      ...first.cells.map((v: number | null) => formatNumber(v)),
    ]);
    const timings = (await tableText(o.page, 'table.timings'))[0];
    for (const t of [...data.timings.map((x: { experiment: string }) => x.experiment), 'Total'])
      assert.ok(timings.includes(t), t);
    await o.page.screenshot({ path: resolve(ARTIFACTS, 'report-demo.png'), fullPage: true });
    await checkClean(o);
    await o.page.close();
  },
);
