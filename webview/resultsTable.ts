/**
 * The results table: per optimizer converged/N, diverged, median steps to the target, time per lane-step; the
 * caption says what ran, whether it was stopped, and when f* is unknown that the targets are on f itself.
 */
import { F_STAR_UNKNOWN, formatCount, formatNumber, stoppedText } from '../src/present/format';
import type { HostMessage } from '../src/shared/webviewProtocol';
import { rowCells } from './chartData';

type RunResult = HostMessage<'runResult'>;

const HEADERS = ['Optimizer', 'Converged', 'Diverged', 'Median steps', 'Time / step'];

export function renderResultsTable(root: HTMLElement, result: RunResult | null): void {
  root.replaceChildren();
  if (!result) {
    const p = document.createElement('p');
    p.className = 'placeholder';
    p.textContent = 'Run the optimizers to see how many starts reach the target.';
    root.append(p);
    return;
  }
  const table = document.createElement('table');
  table.className = 'results';
  const caption = table.createCaption();
  const c = result.config;
  const n = result.starts.length / c.variables.length;
  const steps = result.stoppedAt === null ? `${formatCount(c.steps)} steps` : stoppedText(result.stoppedAt, c.steps);
  const target =
    c.fStar === null
      ? `target f ≤ ${formatNumber(c.target)} (${F_STAR_UNKNOWN})`
      : `target f − f* ≤ ${formatNumber(c.target)}`;
  caption.textContent = `${c.fn}: ${formatCount(n)} starts, ${steps}, ${target}`;
  const head = table.createTHead().insertRow();
  for (const h of HEADERS) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const o of result.optimizers) {
    const tr = body.insertRow();
    tr.dataset.optimizer = o.curves.id;
    const name = document.createElement('th');
    name.scope = 'row';
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.setProperty('--swatch', o.curves.colour);
    swatch.setAttribute('aria-hidden', 'true');
    const stopped =
      o.row.stoppedAt !== null && o.row.stoppedAt !== result.stoppedAt
        ? ` (stopped at ${formatCount(o.row.stoppedAt)})`
        : '';
    name.append(swatch, o.curves.label + stopped);
    tr.append(name);
    const cells = rowCells(o.row);
    cells.forEach((text, k) => {
      const td = tr.insertCell();
      td.textContent = text;
      td.className = 'num';
      if (k === 0) td.classList.toggle('good', o.row.converged === o.row.n);
      if (k === 1) td.classList.toggle('bad', o.row.diverged > 0);
    });
  }
  root.append(table);
}
