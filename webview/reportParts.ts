/**
 * Pieces of the HTML report shared by its kinds: a sweep section, and the tables of numbers — a paper's table
 * beside ours, the papers' sentences beside what the runs show, a table of final numbers, the experiments' wall
 * times. Every number comes from the embedded data.
 */
import { formatNumber } from '../src/present/format';
import type { ClaimRow, NumberTableData, PaperCount, PaperTableData, TimingRow } from '../src/present/reportData';
import type { SweepData } from '../src/shared/sweepShapes';
import { h } from './dom';
import { SweepView } from './sweepView';
import type { Theme } from './theme';

/** A sweep as the report shows it, appended to `parent`: clicking a cell shows its start outcomes. */
export function reportSweepView(parent: HTMLElement, sweep: SweepData, t: Theme): SweepView {
  const view = new SweepView(t, {
    actionLabel: 'Show outcomes',
    actionHint: 'Click a point or a cell, or a row’s button, to show its start outcomes below.',
    activate: () => {},
  });
  parent.append(view.root);
  view.set(sweep);
  return view;
}

function tableOf(cls: string, caption: string, columns: readonly string[]): HTMLTableElement {
  const table = h('table', { class: `results ${cls}` }) as HTMLTableElement;
  table.createCaption().textContent = caption;
  table
    .createTHead()
    .insertRow()
    .append(...columns.map((c) => h('th', { scope: 'col' }, c)));
  return table;
}

const countText = (v: PaperCount) => (v === null ? '–' : String(v));

export function paperTable(p: PaperTableData): HTMLElement {
  const table = tableOf('paper', p.title, ['Method', ...p.thresholds.map((x) => `f ≤ ${formatNumber(x)}`)]);
  const body = table.createTBody();
  for (const row of p.rows) {
    const tr = body.insertRow();
    tr.append(h('th', { scope: 'row' }, row.label));
    row.ours.forEach((v, i) => {
      const td = tr.insertCell();
      const same = v === row.paper[i];
      td.className = `num ${same ? 'match' : 'mismatch'}`;
      td.append(
        h('span', { class: 'ours' }, countText(v)),
        h('span', { class: 'paper-value' }, same ? '✓' : `paper ${countText(row.paper[i])}`),
      );
      td.title = same ? 'equals the paper' : `ours ${countText(v)}, paper ${countText(row.paper[i])}`;
    });
  }
  return table;
}

/** The paper's sentences, where it says them, what the runs show and the verdict (agrees, partly, differs). */
export function claimsTable(caption: string, rows: readonly ClaimRow[]): HTMLElement {
  const table = tableOf('claims', caption, ['The paper', 'Says', 'This reproduction', 'Verdict']);
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    tr.append(h('th', { scope: 'row' }, r.where));
    tr.insertCell().textContent = `“${r.claim}”`;
    tr.insertCell().textContent = r.found;
    const verdict = tr.insertCell();
    verdict.className = `verdict ${r.verdict}`;
    verdict.textContent = r.verdict;
  }
  return table;
}

/** Numbers to four significant digits; a null is a dash. */
export function numberTable(d: NumberTableData): HTMLElement {
  const table = tableOf('compact numbers', d.caption, ['', ...d.columns]);
  const body = table.createTBody();
  for (const row of d.rows) {
    const tr = body.insertRow();
    tr.append(h('th', { scope: 'row' }, row.label));
    for (const v of row.cells) {
      const td = tr.insertCell();
      td.className = 'num';
      td.textContent = formatNumber(v);
    }
  }
  return table;
}

/** Each experiment's wall time and lane-steps, and their total. */
export function timingsTable(rows: readonly TimingRow[]): HTMLElement {
  const table = tableOf('timings', 'Wall time (text to numbers, compilation included) and lane-steps per experiment', [
    'Experiment',
    'Wall time',
    'Lane-steps',
    'Lane-steps/s',
    'Backend',
  ]);
  const total: TimingRow = {
    experiment: 'Total',
    seconds: rows.reduce((s, t) => s + t.seconds, 0),
    laneSteps: rows.reduce((s, t) => s + t.laneSteps, 0),
    backend: [...new Set(rows.map((t) => t.backend))].join(', '),
  };
  const body = table.createTBody();
  for (const t of [...rows, total]) {
    const tr = body.insertRow();
    tr.append(h('th', { scope: 'row' }, t.experiment));
    for (const text of [
      `${t.seconds.toFixed(2)} s`,
      formatNumber(t.laneSteps),
      formatNumber(t.laneSteps / t.seconds, { digits: 3 }),
    ]) {
      const td = tr.insertCell();
      td.className = 'num';
      td.textContent = text;
    }
    tr.insertCell().textContent = t.backend;
  }
  return table;
}
