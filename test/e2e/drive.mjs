// The scenario, driven with playwright-core in headless Chromium against a running code-server.
// Selectors follow ../shared/vscode-e2e.md (tested against VS Code 1.139 in code-server 4.139).
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { labScenario } from './labScenario.mjs';
import {
  acceptPick,
  canvasColours,
  fillInput,
  gotoLine,
  lap,
  palette,
  quickInput,
  waitFor,
  webviewFrame,
} from './workbench.mjs';

const require = createRequire(import.meta.url);
const { chromium: browserType } = require('playwright-core');

async function exportAs(page, format, file) {
  await (await palette(page, 'Descent Lab: Export Results…')).click();
  await acceptPick(page, format, { click: true });
  await fillInput(page, file);
  await waitFor(`${file} to be written`, async () => existsSync(file) && statSync(file).size > 0, 60_000);
  return file;
}

async function sweepEtaHFrom(page, line) {
  await page.locator('.tab', { hasText: 'paper-functions.cost' }).first().click();
  await gotoLine(page, line);
  await (await palette(page, 'Descent Lab: Sweep Learning Rate × Power (η × H)')).click();
  await acceptPick(page, 'η = 10⁻⁴ … 10¹, 6 values');
  await acceptPick(page, 'H = 0.1 … 1, 10 values');
  await acceptPick(page, 'Adam');
}

export async function drive({ url, outDir, chromium, home, workspace }) {
  globalThis.e2eOut = outDir;
  const profile = mkdtempSync('/tmp/dle2e-chromium-');
  const context = await browserType.launchPersistentContext(profile, {
    executablePath: chromium,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    env: { ...process.env, HOME: home },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  const shot = (name) => page.screenshot({ path: join(outDir, name) });
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
    await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    lap('workbench visible');
    await page
      .locator('.monaco-workbench')
      .click({ position: { x: 800, y: 500 } })
      .catch(() => {});

    // Open the example through Quick Open (the palette without '>').
    const fileRow = await quickInput(
      page,
      () => page.keyboard.press('F1'),
      'paper-functions.cost',
      'paper-functions.cost',
    );
    await fileRow.click();
    const bealeLine = page.locator('.monaco-editor .view-line', { hasText: 'beale(x, y)' }).first();
    await bealeLine.waitFor({ state: 'visible', timeout: 30_000 });
    lap('example open');
    // The CodeLens shows that the extension activated on the language and parsed the file.
    await page
      .locator('.monaco-editor .codelens-decoration', { hasText: 'Run' })
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    lap('CodeLens ▶ Run · Sweep η · Sweep H shown');
    // Hover on the name: ∇f, the domain and the known minimum.
    await page
      .locator('.monaco-editor .view-line span', { hasText: /^beale$/ })
      .first()
      .hover();
    const hover = page.locator('.monaco-hover-content', { hasText: '∂f/∂x' }).first();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    lap(`hover: ${JSON.stringify((await hover.innerText()).replace(/\s+/g, ' ').slice(0, 160))}…`);
    await shot('1-hover.png');
    await page.keyboard.press('Escape');
    await bealeLine.click();

    // Run Optimizers from the palette; the optimizer quick pick comes ticked with the defaults: accept it.
    const run = await palette(page, 'Descent Lab: Run Optimizers');
    await run.click();
    const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Adam' }).first();
    await pick.waitFor({ state: 'visible', timeout: 30_000 });
    await shot('2-optimizer-pick.png');
    await page.keyboard.press('Enter');
    lap('optimizers accepted');

    // The Lab panel: the results table with converged counts, and a landscape that drew.
    const frame = await waitFor('the Lab panel', () => webviewFrame(page, 'lab'), 60_000);
    const rows = frame.locator('#results table.results tbody tr');
    await rows.first().waitFor({ state: 'visible', timeout: 120_000 });
    const table = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
    lap(`results table: ${JSON.stringify(table)}`);
    if (table.length !== 3) throw new Error(`expected 3 optimizer rows (GD, Adam, h-Adam), got ${table.length}`);
    for (const r of table) {
      const m = /^(\d+)\s*\/\s*(\d+)$/.exec(r[1] ?? '');
      if (!m || Number(m[2]) !== 32) throw new Error(`row ${JSON.stringify(r)}: the Converged cell is not k/32`);
    }
    if (!table.some((r) => Number(/^(\d+)/.exec(r[1])[1]) > 0))
      throw new Error('no optimizer converged from any start on beale');
    await page.waitForTimeout(1000);
    const canvases = await canvasColours(frame);
    lap(`canvases: ${JSON.stringify(canvases)}`);
    const drawn = canvases.filter((c) => c.w >= 100 && c.h >= 100 && c.colours >= 20);
    if (drawn.length < 2)
      throw new Error(
        `expected the landscape and the convergence chart to draw; canvases: ${JSON.stringify(canvases)}`,
      );
    // One screen: at 1600 × 1000 with the Explorer open and the panel beside the editor, the main view is fully
    // visible in the panel without scrolling, at least 250 × 180.
    if (!(await page.locator('.part.sidebar').first().isVisible()))
      throw new Error('the side bar (Explorer) is not open for the one-screen check');
    const screen = await frame.evaluate(() => {
      const r = document.getElementById('landscape').getBoundingClientRect();
      return {
        top: r.top,
        bottom: r.bottom,
        width: r.width,
        height: r.height,
        panel: [window.innerWidth, window.innerHeight],
        scrollY: window.scrollY,
        tooWide: document.documentElement.scrollWidth > window.innerWidth,
      };
    });
    lap(`one screen (Explorer open): ${JSON.stringify(screen)}`);
    if (
      screen.top < 0 ||
      screen.bottom > screen.panel[1] ||
      screen.width < 250 ||
      screen.height < 180 ||
      screen.tooWide
    )
      throw new Error(`the main view is not fully visible on the first screen: ${JSON.stringify(screen)}`);
    await shot('3-lab-one-screen.png');
    // Wider view for the next screenshots: hide the primary side bar.
    await page.keyboard.press('Control+B');
    await page.waitForTimeout(800);
    await shot('4-lab-wide.png');

    // A broken line: the diagnostic shows as a squiggle and in the status bar's problem count.
    await page
      .locator('.monaco-editor .view-line', { hasText: 'banana(x, y)' })
      .first()
      .click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('broken(x, y) = x + foo(y)', { delay: 15 });
    await page.keyboard.press('Home');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 10_000 });
    const problems = await waitFor(
      'the problems count',
      async () => {
        const text = await page.locator('.statusbar-item[id="status.problems"]').first().innerText();
        return /\b1\b/.test(text) ? text : undefined;
      },
      10_000,
    );
    lap(`diagnostic shown; status bar problems: ${JSON.stringify(problems.replace(/\s+/g, ' '))}`);
    await page
      .locator('.monaco-editor .squiggly-error')
      .first()
      .hover({ timeout: 3000, force: true })
      .catch(() => {});
    await page.waitForTimeout(1200);
    await shot('5-diagnostic.png');

    // The Convergence view in the Descent Lab sidebar shows the same run (replayed when it opens).
    await page.locator('.activitybar .action-item a[aria-label^="Descent Lab"]').first().click();
    lap('Descent Lab side bar opened from the activity bar');
    const sidebar = await waitFor('the Convergence view', () => webviewFrame(page, 'sidebar'), 30_000);
    const sidebarCanvas = await waitFor(
      'the Convergence chart',
      async () => {
        const c = (await canvasColours(sidebar)).find((x) => x.w >= 100 && x.colours >= 20);
        return c;
      },
      20_000,
    );
    lap(`sidebar chart: ${JSON.stringify(sidebarCanvas)}`);
    await shot('6-sidebar.png');

    // Show Gradient with the cursor on `quadratic` (line 10): ∇f goes to the Descent Lab output.
    await gotoLine(page, 10);
    await (await palette(page, 'Descent Lab: Show Gradient')).click();
    const gradient = page.locator('.part.panel .view-line', { hasText: '∂f/∂x' }).first();
    await gradient.waitFor({ state: 'visible', timeout: 20_000 });
    lap(`Show Gradient: ${JSON.stringify(await page.locator('.part.panel .view-lines').first().innerText())}`);
    await shot('7-show-gradient.png');

    // Sweep η from the palette: the grid, optimizer and budget quick picks come with the defaults chosen; accept them.
    await page.locator('.tab', { hasText: 'paper-functions.cost' }).first().click();
    await gotoLine(page, 10);
    await (await palette(page, 'Descent Lab: Sweep Learning Rate (η)')).click();
    await acceptPick(page, 'η = 10⁻⁴ … 10¹, 6 values', { screenshot: '8-sweep-grid-pick.png' });
    await acceptPick(page, 'Adam');
    await acceptPick(page, '100, 1000, 10000');
    // The Lab's sweep section: one success-fraction chart and table per budget (T = 100, 1000, 10000).
    const sweepTables = frame.locator('#sweep:not(.hidden) .sweep-numbers table');
    await waitFor('the sweep charts', async () => (await sweepTables.count()) === 3, 90_000);
    const fractions = await sweepTables
      .nth(2)
      .evaluate((t) => [...t.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())));
    lap(`sweep η, f_D within 10⁴ steps: ${JSON.stringify(fractions)}`);
    // GD on 8x² + y²/2 converges for η = 0.1 (contraction |1 − 16η| < 1) and diverges for η = 1 and 10.
    const header = fractions[0];
    const gd = fractions.find((r) => r[0] === 'GD');
    const at = (eta) => gd?.[header.indexOf(eta)];
    if (at('0.1') !== '1.00' || at('1') !== '0.00' || at('10') !== '0.00')
      throw new Error(`unexpected GD fractions: ${JSON.stringify({ header, gd })}`);
    await page.waitForTimeout(800);
    const sweepCanvases = await canvasColours(frame, '#sweep .sweep-budgets canvas');
    lap(`sweep charts (distinct colours): ${JSON.stringify(sweepCanvases.map((c) => c.colours))}`);
    if (sweepCanvases.length !== 3 || sweepCanvases.some((c) => c.colours < 5))
      throw new Error(`expected 3 drawn success-fraction charts: ${JSON.stringify(sweepCanvases)}`);
    await page.waitForTimeout(500);
    await shot('9-sweep-eta.png');
    // The best cell of GD, run from its row: the panel shows that one configuration's trajectories.
    await frame.locator('#sweep tr[data-optimizer="gd"] button.cell-link.action').first().click();
    await frame
      .locator('#results table.results tbody tr th', { hasText: /^GD · η=/ })
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    const cellRows = await frame
      .locator('#results table.results tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim()).slice(0, 2)));
    lap(`best GD cell run: ${JSON.stringify(cellRows)}`);
    if (cellRows.length !== 1 || cellRows[0][1] !== '32/32')
      throw new Error(`expected the best GD cell to converge from all 32 starts: ${JSON.stringify(cellRows)}`);
    await page.waitForTimeout(800);
    await shot('10-sweep-cell-run.png');

    // Sweep η × H: two grids, optimizers, budgets; the heat map draws.
    await sweepEtaHFrom(page, 10);
    await acceptPick(page, '100, 1000, 10000');
    const heat = await waitFor(
      'the η × H heat map',
      async () => {
        const c = (await canvasColours(frame, '#sweep .heat-box canvas')).find((x) => x.colours >= 10);
        return c;
      },
      90_000,
    );
    lap(`η × H heat map: ${JSON.stringify(heat)}`);
    await page.waitForTimeout(500);
    await shot('11-sweep-eta-h.png');

    // Export Results…: the sweep as CSV and the landscape as PNG, through the save dialog.
    const csv = await exportAs(page, 'Sweep: CSV, one row per cell', join(workspace, 'quadratic-sweep.csv'));
    const csvLines = readFileSync(csv, 'utf8').trim().split('\n');
    lap(`exported ${csvLines.length - 1} sweep cells: ${csvLines[0]}`);
    if (
      !csvLines[0].startsWith('optimizer,eta,H,fraction_T100,fraction_T1000,fraction_T10000') ||
      csvLines.length - 1 !== 120
    )
      throw new Error(`unexpected sweep CSV: ${csvLines.slice(0, 2).join(' / ')} (${csvLines.length - 1} rows)`);
    const png = await exportAs(page, 'Landscape: PNG', join(workspace, 'quadratic.png'));
    const pngBytes = readFileSync(png);
    lap(`exported the landscape: ${pngBytes.length} bytes`);
    if (pngBytes.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a' || pngBytes.length < 5000)
      throw new Error('the exported landscape is not a drawn PNG');

    // Stop: a long η × H sweep (budget 10⁶ steps) is stopped from the palette before its one budget: the panel says so.
    // The budget's input box replaces the pick in the same widget. A click on 'Custom…' while the pick redraws can
    // close the widget instead (seen once in code-server): then the sweep's picks are taken again.
    const budgetBox = page.locator('.quick-input-widget .quick-input-box input');
    for (let attempt = 1; ; attempt++) {
      await sweepEtaHFrom(page, 5);
      await acceptPick(page, 'Custom…', { click: true });
      const opened = await waitFor(
        'the budget input box',
        async () =>
          (await budgetBox.isVisible()) &&
          !(await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Custom…' }).first().isVisible()),
        5_000,
        100,
      ).catch(() => false);
      if (opened) break;
      if (attempt === 3) throw new Error('the budget input box never opened after Custom…');
      lap(`the budget input box did not open (attempt ${attempt}): the sweep's picks again`);
      await page.keyboard.press('Escape');
    }
    await fillInput(page, '1000000');
    await frame
      .locator('#status', { hasText: /sweep:/ })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await (await palette(page, 'Descent Lab: Stop')).click();
    const stoppedSweep = frame.locator('.banner', { hasText: /^Sweep stopped at step [\d,]+ of 1,000,000/ });
    await stoppedSweep.waitFor({ state: 'visible', timeout: 30_000 });
    lap(`Stop: ${JSON.stringify(await stoppedSweep.innerText())}`);

    await labScenario({ page, frame, workspace, outDir, shot, consoleLines });

    // New Cost File: the template opens as an untitled cost document, with its CodeLens.
    await (await palette(page, 'Descent Lab: New Cost File')).click();
    await acceptPick(page, 'Empty template', { click: true });
    await page
      .locator('.monaco-editor .view-line', { hasText: 'bowl(x, y)' })
      .first()
      .waitFor({ state: 'visible', timeout: 20_000 });
    await page
      .locator('.monaco-editor .codelens-decoration', { hasText: 'Sweep η' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    lap('New Cost File: the template is open and parsed');
    await shot('12-new-cost-file.png');

    // Ctrl+Enter on `banana` (a file with an error elsewhere, and a constant) runs it with the remembered optimizers.
    await page.locator('.tab', { hasText: 'paper-functions.cost' }).first().click();
    await gotoLine(page, 17);
    await page.keyboard.press('Control+Enter');
    // The Lab's webview is made again when its tab was hidden (the template may have opened in its group).
    const lab = await waitFor(
      'the Lab showing banana',
      async () => {
        const f = await webviewFrame(page, 'lab');
        const n = await f?.locator('#results table.results caption', { hasText: /^banana:/ }).count();
        return n ? f : undefined;
      },
      60_000,
    );
    const banana = await lab
      .locator('#results table.results tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim()).slice(0, 2)));
    lap(`Ctrl+Enter on banana: ${JSON.stringify(banana)}`);
    if (banana.length !== 3) throw new Error('expected 3 rows for banana');

    // A window reload restores the Lab panel (serializer) with the latest run, banana's (kept by the extension).
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 90_000 });
    // The Lab's tab may be behind the editors that opened in its group since (Open Example, New Cost File): a
    // restored webview loads when it is shown.
    const restored = await waitFor(
      'the restored Lab panel',
      async () => {
        const f = await webviewFrame(page, 'lab');
        if (f) return f;
        await page
          .locator('.tab', { hasText: 'Descent Lab' })
          .first()
          .click({ timeout: 2000 })
          .catch(() => {});
        return undefined;
      },
      60_000,
    );
    await restored
      .locator('#results table.results caption', { hasText: /^banana:/ })
      .waitFor({ state: 'visible', timeout: 60_000 });
    const restoredRows = await restored.locator('#results table.results tbody tr').count();
    lap(`after reload: the Lab is back with banana's ${restoredRows} result rows`);
    if (restoredRows !== 3) throw new Error(`expected banana's 3 rows after the reload, got ${restoredRows}`);
    // The replay of the saved run arrives after the webview redrew its own state: give it time, then check both
    // webviews show banana (not a stale earlier run) and the panel's function selector follows.
    await page.waitForTimeout(2500);
    const restoredCaption = await restored.locator('#results table.results caption').first().innerText();
    if (!restoredCaption.startsWith('banana:'))
      throw new Error(`after the reload the Lab shows ${JSON.stringify(restoredCaption)}, not banana's run`);
    const restoredSidebar = await waitFor(
      'the Convergence view after the reload',
      () => webviewFrame(page, 'sidebar'),
      30_000,
    );
    const sidebarTitle = await waitFor(
      'the Convergence view title',
      async () => (await restoredSidebar.locator('h2').first().innerText()).trim() || undefined,
      20_000,
    );
    lap(`after reload: the Convergence view shows ${JSON.stringify(sidebarTitle)}`);
    if (sidebarTitle !== 'banana')
      throw new Error(`after the reload the Convergence view shows ${JSON.stringify(sidebarTitle)}, not banana`);
    await page.waitForTimeout(1500);
    await shot('13-after-reload.png');

    await modelEditing(page, workspace, shot);
  } catch (e) {
    await shot('error.png').catch(() => {});
    throw e;
  } finally {
    writeFileSync(join(outDir, 'console.log'), consoleLines.join('\n'));
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

// ─── Models in the .cost editor (issue 11 §1) ─────────────────────────────────────────────────────────────────
// A copy of examples/circle-logistic.cost that reads a CSV beside it: the model's CodeLens and hover, a
// diagnostic for a bad column, a bad CSV cell reported on the CSV itself at its line and column (and cleared when
// the file is fixed), the dataset preview from the hover's link with its table and scatter, and ▶ Run on the model
// saying it cannot run models yet.

/** 100 points: a disc of radius 2 (+1) inside a ring of radius 4 (−1), at angles spread by the golden ratio. */
function circleCsv() {
  const rows = ['x1,x2,label'];
  for (let i = 0; i < 100; i++) {
    const inner = i % 2 === 0;
    const r = inner ? 0.5 + (1.5 * (i % 7)) / 6 : 3.5 + (i % 5) / 4;
    const a = i * 2.399963;
    rows.push(`${(r * Math.cos(a)).toFixed(4)},${(r * Math.sin(a)).toFixed(4)},${inner ? 1 : -1}`);
  }
  return rows.join('\n') + '\n';
}

const ACTIVE = '.editor-group-container.active .monaco-editor';

/** The text of the diagnostics listed in the Problems view (which is opened). */
async function problemRows(page) {
  // Ctrl+Shift+M toggles: press it only while the view is hidden.
  if (!(await page.locator('.markers-panel').first().isVisible())) await page.keyboard.press('Control+Shift+M');
  const rows = page.locator('.markers-panel .monaco-list-row');
  await rows
    .first()
    .waitFor({ state: 'visible', timeout: 10_000 })
    .catch(() => {});
  return rows.evaluateAll((rs) => rs.map((r) => r.textContent.replace(/\s+/g, ' ').trim()));
}

async function modelEditing(page, workspace, shot) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
  const example = readFileSync(join(root, 'examples/circle-logistic.cost'), 'utf8');
  const model = example.replace(/^@data .*$/m, '@data "points.csv"                    # columns x1, x2, label');
  if (model === example) throw new Error('circle-logistic.cost has no @data line to replace');
  const csvPath = join(workspace, 'points.csv');
  const good = circleCsv();
  writeFileSync(csvPath, good);
  writeFileSync(join(workspace, 'circle-csv.cost'), model);
  const lines = model.split('\n');
  const dataLine = lines.findIndex((l) => l.startsWith('@data')) + 1;
  const labelLine = lines.findIndex((l) => l.startsWith('y = row.label')) + 1;

  await page.keyboard.press('Escape');
  await (await quickInput(page, () => page.keyboard.press('Control+P'), 'circle-csv.cost', 'circle-csv.cost')).click();
  const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: 'Sweep η' }).first();
  await lens.waitFor({ state: 'visible', timeout: 60_000 });
  lap('model file open, CodeLens ▶ Run · Sweep η · Sweep H · η × H on the model');

  // Hover on the model's name: parameters with shapes and P, the CSV's rows and the split (0.8 of 100 rows).
  await page
    .locator('.monaco-editor .view-line span', { hasText: /^logistic$/ })
    .first()
    .hover();
  const hover = page.locator('.monaco-hover-content', { hasText: 'P = 5' }).first();
  await hover.waitFor({ state: 'visible', timeout: 20_000 });
  const hoverText = (await hover.innerText()).replace(/\s+/g, ' ');
  lap(`model hover: ${JSON.stringify(hoverText.slice(0, 240))}…`);
  for (const want of ['vector of 4', 'points.csv', '100 rows × 3 columns', '80 train, 20 test', '∂ℓ/∂w[1]'])
    if (!hoverText.includes(want)) throw new Error(`the model hover lacks ${JSON.stringify(want)}: ${hoverText}`);
  await shot('m1-model-hover.png');

  // The hover's link opens the dataset preview: its table and its scatter.
  await hover.locator('a', { hasText: 'Preview dataset' }).first().click();
  const preview = await waitFor('the dataset preview', () => webviewFrame(page, 'dataPreview'), 30_000);
  const tableRows = preview.locator('table.data tbody tr');
  await waitFor('the preview table', async () => (await tableRows.count()) === 50, 20_000);
  const scatter = await waitFor(
    'the preview scatter',
    async () => (await canvasColours(preview, '#scatter')).find((c) => c.w >= 300 && c.colours >= 4),
    20_000,
  );
  const testRows = await preview.locator('table.data tbody tr.test').count();
  lap(`dataset preview: 50 table rows (${testRows} marked test), scatter ${JSON.stringify(scatter)}`);
  await page.waitForTimeout(500);
  await shot('m2-dataset-preview.png');
  await page.locator('.tab', { hasText: 'circle-csv.cost' }).first().click();

  // Hover on the @data line: the file's columns with their kinds and ranges.
  await page.locator(`${ACTIVE} .view-line span`, { hasText: '"points.csv"' }).first().hover();
  const dataHover = page.locator('.monaco-hover-content', { hasText: 'binary ±1' }).first();
  await dataHover.waitFor({ state: 'visible', timeout: 20_000 });
  const dataHoverText = (await dataHover.innerText()).replace(/\s+/g, ' ');
  lap(`@data hover: ${JSON.stringify(dataHoverText.slice(0, 200))}…`);
  if (!/x1 real/.test(dataHoverText) || !/label binary ±1 -1 … 1/.test(dataHoverText))
    throw new Error(`the @data hover lacks the columns' kinds and ranges: ${dataHoverText}`);
  await shot('m3-data-hover.png');
  await page.keyboard.press('Escape');

  // Completion after `row.`: the CSV's header.
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('@metric m = row.', { delay: 30 });
  const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'label' }).first();
  await suggestion.waitFor({ state: 'visible', timeout: 20_000 });
  const suggested = await page.locator('.suggest-widget .monaco-list-row .label-name').allInnerTexts();
  lap(`completion after row.: ${JSON.stringify(suggested)}`);
  if (suggested.join(',') !== 'x1,x2,label') throw new Error(`expected the columns x1, x2, label: ${suggested}`);
  await shot('m4-column-completion.png');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');

  // A bad column: the diagnostic names the columns there are.
  await gotoLine(page, labelLine);
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('x', { delay: 20 });
  const problems = await waitFor(
    'the unknown-column diagnostic',
    async () => (await problemRows(page)).find((r) => r.includes("no column 'labex'")),
    20_000,
  );
  lap(`bad column: ${JSON.stringify(problems)}`);
  await shot('m5-bad-column.png');
  await page.locator('.tab', { hasText: 'circle-csv.cost' }).first().click();
  await gotoLine(page, labelLine);
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.type('y = row.label', { delay: 10 });
  await page.keyboard.press('Control+S');

  // A bad cell written into the CSV on disk: reported on points.csv at its line and column, and on the @data line.
  const bad = good.split('\n');
  bad[4] = bad[4].replace(/,([^,]*),/, ',abc,');
  const col = bad[4].indexOf('abc') + 1;
  writeFileSync(csvPath, bad.join('\n'));
  const cell = await waitFor(
    'the CSV cell diagnostic',
    async () =>
      (await problemRows(page)).find((r) => r.includes("'abc' is not a number") && r.includes(`[Ln 5, Col ${col}]`)),
    30_000,
  );
  const rowsNow = await problemRows(page);
  lap(`bad CSV cell: ${JSON.stringify(rowsNow.filter((r) => r.includes('abc')))}`);
  if (!rowsNow.some((r) => r.includes(`points.csv:5:${col}: 'abc' is not a number`) && r.includes(`[Ln ${dataLine},`)))
    throw new Error(
      `no diagnostic on the @data line (${dataLine}) quoting points.csv:5:${col}: ${JSON.stringify(rowsNow)}`,
    );
  await (await quickInput(page, () => page.keyboard.press('Control+P'), 'points.csv', 'points.csv')).click();
  await page.locator(`${ACTIVE} .squiggly-error`).first().waitFor({ state: 'attached', timeout: 20_000 });
  lap(`the CSV shows the squiggle: ${JSON.stringify(cell)}`);
  await page.waitForTimeout(800);
  await shot('m6-csv-cell-diagnostic.png');

  // Fixed on disk: the CSV's diagnostic goes away.
  writeFileSync(csvPath, good);
  await waitFor(
    'the CSV diagnostic to clear',
    async () => !(await problemRows(page)).some((r) => r.includes('abc')),
    30_000,
  );
  lap('CSV fixed: its diagnostic is gone');

  // ▶ Run on the model: the command says that it cannot run models yet.
  await page.locator('.tab', { hasText: 'circle-csv.cost' }).first().click();
  await page.locator(`${ACTIVE} .codelens-decoration a`, { hasText: 'Run' }).first().click();
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'is a model over data' }).first();
  await toast.waitFor({ state: 'visible', timeout: 20_000 });
  lap(`▶ Run on the model: ${JSON.stringify((await toast.innerText()).replace(/\s+/g, ' '))}`);
  await page.waitForTimeout(800);
  await shot('m7-run-model-notice.png');

  // Preview Dataset from the palette on a CSV of 1.5 MB open in the editor: parsed on the worker thread.
  const wide = ['a,b,c,d,e,f,g,h,label'];
  for (let i = 0; i < 20_000; i++)
    wide.push([...Array.from({ length: 8 }, (_, j) => Math.sin(i * 8 + j).toFixed(6)), i % 3].join(','));
  writeFileSync(join(workspace, 'wide.csv'), wide.join('\n') + '\n');
  await (await quickInput(page, () => page.keyboard.press('Control+P'), 'wide.csv', 'wide.csv')).click();
  await page
    .locator(`${ACTIVE} .view-line`, { hasText: 'a,b,c,d' })
    .first()
    .waitFor({ state: 'visible', timeout: 20_000 });
  await (await palette(page, 'Descent Lab: Preview Dataset')).click();
  const widePreview = await waitFor(
    'the preview of wide.csv',
    async () => {
      const frame = await webviewFrame(page, 'dataPreview');
      const title = await frame?.locator('h1').innerText();
      return title === 'wide.csv' ? frame : undefined;
    },
    60_000,
  );
  const subtitle = await widePreview.locator('.subtitle').innerText();
  const legend = await widePreview.locator('#pick-colour').evaluate((el) => el.value);
  lap(`Preview Dataset on wide.csv: ${JSON.stringify(subtitle)}, colour ${legend}`);
  if (!subtitle.startsWith('CSV file: 20,000 rows × 9 columns'))
    throw new Error(`unexpected preview of wide.csv: ${subtitle}`);
  await page.waitForTimeout(500);
  await shot('m8-preview-large-csv.png');
}
