/**
 * The dataset preview page: the first rows as a table (the split marked) and a scatter of two chosen columns
 * coloured by a third, with pickers for x, y and the colour. It draws what the host's `dataset` message holds,
 * checked on receipt; the picks are kept in the webview's state (they survive hiding and reloads).
 */
import { count, obj, str, tryCheck } from '../src/shared/check';
import { parsePreviewMessage, type PreviewDataset, type PreviewToHost } from '../src/shared/dataPreviewProtocol';
import { formatNumber } from '../src/present/format';
import { DataScatter, type ScatterChoice } from './dataScatter';
import { card, h, picker, type Picker } from './dom';
import { readTheme, watchTheme } from './theme';

interface VsCodeApi {
  postMessage(msg: PreviewToHost): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const api = acquireVsCodeApi();

interface PreviewState extends ScatterChoice {
  readonly title: string;
}
const savedState = obj<PreviewState>({ title: str(500), x: count(), y: count(), colour: count() });
let picks = tryCheck(savedState, api.getState()) ?? null;

const root = document.getElementById('root')!;
const heading = h('h1', {});
const subtitle = h('p', { class: 'subtitle' });
const problem = h('p', { class: 'problem hidden', role: 'alert' });
const pickerRow = h('div', { class: 'pickers' });
const canvas = h('canvas', { id: 'scatter', role: 'img', 'aria-label': 'Scatter of two columns' }) as HTMLCanvasElement;
const note = h('p', { class: 'note' }, '● training rows  ▲ test rows');
const tableBox = h('div', { class: 'table-box', tabindex: '0', 'aria-label': 'The first rows' });
root.append(
  h('header', { class: 'title' }, heading, subtitle),
  problem,
  // Chart.js sizes the canvas from its container: the container holds the canvas alone.
  card('Scatter', [pickerRow], h('div', {}, h('div', { class: 'chart-box' }, canvas), note), 'scatter-card'),
  card('First rows', [], tableBox, 'table-card'),
);

const scatter = new DataScatter(canvas, readTheme());
watchTheme((t) => scatter.setTheme(t));
let shown: PreviewDataset | null = null;

function labelled(label: string, p: Picker): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, label), p);
}

function renderPickers(d: PreviewDataset, choice: ScatterChoice): void {
  const columns = d.columns.map((c, j) => [String(j), c.name] as const);
  const colours = d.colourings.map((c, k) => [String(k), c.name] as const);
  const x = picker('x axis', columns, String(choice.x));
  const y = picker('y axis', columns, String(choice.y));
  const colour = picker('colour', colours, String(choice.colour));
  x.id = 'pick-x';
  y.id = 'pick-y';
  colour.id = 'pick-colour';
  const changed = () => {
    picks = { title: d.title, x: Number(x.value), y: Number(y.value), colour: Number(colour.value) };
    api.setState(picks);
    scatter.set(d, picks);
  };
  for (const p of [x, y, colour]) p.addEventListener('change', changed);
  pickerRow.replaceChildren(labelled('x', x), labelled('y', y), labelled('colour', colour));
}

function renderTable(d: PreviewDataset): void {
  const width = d.columns.length;
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'row'),
    ...(d.split ? [h('th', { scope: 'col' }, 'split')] : []),
    ...d.columns.map((c) =>
      h(
        'th',
        {
          scope: 'col',
          class: 'num',
          title: `${c.kind}; ${formatNumber(c.min)} … ${formatNumber(c.max)}, mean ${formatNumber(c.mean)}`,
        },
        c.name,
      ),
    ),
  );
  const body = [...d.table.rows].map((r, k) => {
    const test = d.table.test[k] === 1;
    const cells = Array.from({ length: width }, (_, j) => {
      const v = d.table.values[k * width + j];
      return h('td', { class: 'num', title: String(v) }, formatNumber(v));
    });
    return h(
      'tr',
      test ? { class: 'test' } : {},
      h('th', { scope: 'row' }, String(r + 1)),
      ...(d.split ? [h('td', { class: 'split' }, test ? 'test' : 'train')] : []),
      ...cells,
    );
  });
  const more =
    d.rows > d.table.rows.length
      ? `the first ${d.table.rows.length} of ${d.rows.toLocaleString('en')} rows`
      : `all ${d.rows} rows`;
  tableBox.replaceChildren(
    h('table', { class: 'data' }, h('caption', {}, more), h('thead', {}, head), h('tbody', {}, ...body)),
  );
}

function render(d: PreviewDataset): void {
  shown = d;
  const valid = (c: ScatterChoice) =>
    c.x < d.columns.length && c.y < d.columns.length && c.colour < d.colourings.length;
  const choice = picks && picks.title === d.title && valid(picks) ? picks : d.initial;
  heading.textContent = d.title;
  subtitle.textContent = d.subtitle;
  problem.classList.add('hidden');
  renderPickers(d, choice);
  renderTable(d);
  scatter.set(d, choice);
}

window.addEventListener('message', (event: MessageEvent) => {
  try {
    render(parsePreviewMessage(event.data));
  } catch (e) {
    problem.textContent = `This preview received data it cannot show: ${(e as Error).message}`;
    problem.classList.remove('hidden');
    if (!shown) heading.textContent = 'Dataset preview';
  }
});
// The harness of the webview tests marks its page; the chart is then reachable for reading scales and data.
if (document.documentElement.hasAttribute('data-test-hooks'))
  Object.assign(window, { descentLab: { scatter: scatter.chart } });
api.postMessage({ type: 'ready' });
