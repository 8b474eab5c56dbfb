/**
 * The sweep's tables: f_D per budget (one row per optimizer, one column per value of the curve axis) and the best
 * cell per optimizer. Every number that stands for a cell is a button: click, Enter or Space activates the cell,
 * as a click on its chart point does. Both fit a panel about 620 px wide.
 */
import { formatNumber } from '../src/present/format';
import type { SweepData } from '../src/shared/sweepShapes';
import { h } from './dom';
import { cellTitle, curveAxis, fractionCurves, starred } from './sweepData';

export interface TableActions {
  activate(cell: number): void;
  /** What activating does ("Run", "Show outcomes"), for the buttons' names. */
  readonly actionLabel: string;
}

function cellButton(d: SweepData, cell: number, text: string, detail: string, a: TableActions, cls = ''): HTMLElement {
  const name = `${a.actionLabel}: ${cellTitle(d, d.cells[cell])}${detail}`;
  const b = h('button', { type: 'button', class: `cell-link ${cls}`.trim(), 'aria-label': name, title: name }, text);
  b.addEventListener('click', () => a.activate(cell));
  return b;
}

function swatch(colour: number, variant: number): HTMLElement {
  return h('span', { class: `swatch c${colour % 12} v${variant}`, 'aria-hidden': 'true' });
}

/** f_D within budget `b` against the curve axis, at the chosen values of the other axes. */
export function fractionTable(
  d: SweepData,
  b: number,
  slice: Record<string, number>,
  best: ReadonlyMap<string, number>,
  a: TableActions,
): HTMLTableElement {
  const x = curveAxis(d);
  const T = d.budgets[b];
  const curves = fractionCurves(d, b, slice);
  const xs = [...new Set(curves.flatMap((c) => c.points.map((p) => p.x)))].sort((u, v) => u - v);
  const table = h('table', { class: 'results compact' }) as HTMLTableElement;
  table.createCaption().textContent = `f_D within ${T.toLocaleString('en-US')} steps`;
  table
    .createTHead()
    .insertRow()
    .append(
      h('th', { scope: 'col' }, x ? `Optimizer \\ ${x.symbol}` : 'Optimizer'),
      ...xs.map((v) =>
        h('th', { scope: 'col' }, x ? formatNumber(x.scale === 'log' ? Number((10 ** v).toPrecision(12)) : v) : ''),
      ),
    );
  const body = table.createTBody();
  for (const c of curves) {
    const tr = body.insertRow();
    tr.dataset.optimizer = c.optimizer;
    tr.append(h('th', { scope: 'row' }, swatch(c.style.colour, c.style.variant), c.label));
    for (const v of xs) {
      const p = c.points.find((q) => q.x === v);
      const td = tr.insertCell();
      td.className = 'num';
      if (!p) {
        td.textContent = '–';
        continue;
      }
      const star = starred(d, best, p.cell, b);
      td.dataset.cell = String(p.cell);
      td.classList.toggle('best', star);
      const detail = ` (f_D = ${p.y.toFixed(2)} within ${T} steps${star ? ', the best cell' : ''})`;
      td.append(cellButton(d, p.cell, p.y.toFixed(2), detail, a));
    }
  }
  return table;
}

/** Per optimizer its best cell: the setting (a button that activates it), f_D per budget and the step counts. */
export function bestTable(d: SweepData, best: ReadonlyMap<string, number>, a: TableActions): HTMLTableElement {
  const table = h('table', { class: 'results compact best-cells' }) as HTMLTableElement;
  table.createCaption().textContent =
    `Best cell per optimizer (${d.n} starts, target f − f* ≤ ${formatNumber(d.target)}, ${d.backend} backend). ` +
    `Click a setting to ${a.actionLabel.toLowerCase()} it.`;
  const head = table.createTHead().insertRow();
  const cols: [string, string][] = [
    ['Optimizer', ''],
    ['Setting', ''],
    ...d.budgets.map((T): [string, string] => [`f_D(${T.toLocaleString('en-US')})`, '']),
    ['Median steps', ''],
    ['Mean steps', ''],
    ['Diverged', ''],
    ['Orbits', 'minor'],
    ['ns / step', 'minor'],
  ];
  head.append(...cols.map(([c, cls]) => h('th', { scope: 'col', class: cls }, c)));
  const body = table.createTBody();
  const styles = new Map(fractionCurves(d, 0).map((f) => [f.optimizer, f.style]));
  for (const [id, i] of best) {
    const c = d.cells[i];
    const tr = body.insertRow();
    tr.dataset.optimizer = id;
    tr.dataset.cell = String(i);
    const style = styles.get(id)!;
    tr.append(h('th', { scope: 'row' }, swatch(style.colour, style.variant), c.label));
    const setting = d.axes
      .filter((ax) => typeof c.params[ax.name] === 'number')
      .map((ax) => `${ax.symbol} = ${formatNumber(c.params[ax.name] as number)}`)
      .join(', ');
    const converged = c.fraction[c.fraction.length - 1] > 0;
    tr.insertCell().append(
      cellButton(d, i, setting || 'defaults', '', a, 'action'),
      ...(converged ? [] : [h('span', { class: 'hint' }, ' (none converged)')]),
    );
    const cells: [string, string][] = [
      ...c.fraction.map((f): [string, string] => [f.toFixed(2), '']),
      [formatNumber(c.medianSteps), ''],
      [formatNumber(c.meanSteps), ''],
      [`${Math.round(c.diverged * d.n)}/${d.n}`, ''],
      [String(c.orbits), 'minor'],
      [formatNumber(d.nsPerLaneStep[id] ?? null), 'minor'],
    ];
    for (const [text, cls] of cells) {
      const td = tr.insertCell();
      td.textContent = text;
      td.className = `num ${cls}`.trim();
    }
  }
  return table;
}
