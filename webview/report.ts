/**
 * The self-contained HTML report (`descent-lab report`, `descent-lab demo`): the Lab's own chart code drawing
 * from the data embedded in the page, with the settings that reproduce it and tables of the numbers.
 * Nothing is fetched; every number comes from the embedded data.
 */
import { formatNumber } from '../src/present/format';
import { parseReportData, type ReportData, type ReportMeta } from '../src/present/reportData';
import type { Pair } from '../src/shared/runShapes';
import type { HostMessage } from '../src/shared/webviewProtocol';
import { ConvergenceChart } from './convergenceChart';
import { ModelViewsPanel } from './data/modelViewsPanel';
import { card, h } from './dom';
import { LandscapeView } from './landscape';
import { renderResultsTable } from './resultsTable';
import { renderDemo } from './demoReport';
import { reportSweepView } from './reportParts';
import { readTheme, type Theme } from './theme';

type RunResult = HostMessage<'runResult'>;

const root = document.getElementById('root') ?? document.body;
const theme = readTheme();
/** For tests: every chart drawn, by name. */
const charts: Record<string, unknown> = {};

function header(meta: ReportMeta): HTMLElement {
  const settings = h(
    'dl',
    { class: 'settings' },
    ...meta.settings.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );
  return h(
    'header',
    { class: 'report-header' },
    h('h1', {}, meta.title),
    h('p', { class: 'subtitle' }, meta.subtitle),
    h(
      'section',
      { class: 'reproduce', 'aria-label': 'Reproduce' },
      h('h2', {}, 'Reproduce'),
      h(
        'p',
        { class: 'hint' },
        'This command writes this report again: the same starts (seeded), the same settings, the same numbers up to timing.',
      ),
      h('pre', {}, h('code', {}, meta.command)),
      settings,
      h('p', { class: 'hint' }, `Descent Lab ${meta.version} · ${meta.backend} backend · generated ${meta.generated}`),
    ),
    ...meta.notes.map((n) => h('p', { class: 'note' }, n)),
  );
}

/** An optimizer's colour as a legend mark (set through the CSSOM: the page's CSP has no inline styles). */
function swatch(colour: string): HTMLElement {
  const s = h('span', { class: 'swatch', 'aria-hidden': 'true' });
  s.style.setProperty('--swatch', colour);
  return s;
}

function paramsTable(result: RunResult): HTMLElement {
  const table = h('table', { class: 'results params' }) as HTMLTableElement;
  table.createCaption().textContent = 'Hyperparameters';
  table
    .createTHead()
    .insertRow()
    .append(h('th', { scope: 'col' }, 'Optimizer'), h('th', { scope: 'col' }, 'Settings'));
  const body = table.createTBody();
  for (const o of result.optimizers) {
    const tr = body.insertRow();
    tr.append(h('th', { scope: 'row' }, swatch(o.curves.colour), o.curves.label));
    tr.insertCell().textContent = Object.entries(o.params)
      .map(([k, v]) => `${k} = ${typeof v === 'number' ? formatNumber(v) : v}`)
      .join(', ');
  }
  return table;
}

function renderRun(d: Extract<ReportData, { kind: 'run' }>, t: Theme): void {
  if (d.landscape) {
    const canvas = h('canvas', {
      id: 'landscape',
      role: 'img',
      'aria-label': 'Landscape with trajectories',
    }) as HTMLCanvasElement;
    root.append(
      card(
        'Landscape and trajectories',
        [],
        h(
          'div',
          {},
          h(
            'p',
            { class: 'hint' },
            `Heat map of log₁₀(f − f* + δ) over the domain, evaluated by the engine, with iso-lines; each optimizer’s trajectories from the starts (○ start, ◆ end) and the known minima (★).`,
          ),
          h('div', { class: 'chart-box landscape-box' }, canvas),
        ),
        'landscape-card',
      ),
    );
    const view = new LandscapeView(
      canvas,
      t,
      { addStart: () => {}, removeStart: () => {}, viewChanged: () => {} },
      { interactive: false },
    );
    view.setLandscape(d.landscape);
    const dim = d.result.config.variables.length;
    const [i, j] = d.landscape.axes;
    view.setStarts(
      Array.from({ length: d.result.starts.length / dim }, (_, k): Pair => [
        d.result.starts[k * dim + i],
        d.result.starts[k * dim + j],
      ]),
    );
    view.setResult(d.result);
    charts.landscape = view.chart;
  }
  const conv = h('canvas', { id: 'convergence', role: 'img', 'aria-label': 'Convergence curves' }) as HTMLCanvasElement;
  const results = h('div', {});
  root.append(
    h(
      'div',
      { class: 'lower' },
      card(
        'Convergence',
        [],
        h(
          'div',
          {},
          h(
            'p',
            { class: 'hint' },
            'Median of f − f* over the starts per step, with the band between the first and third quartiles; log scale.',
          ),
          h('div', { class: 'chart-box' }, conv),
        ),
      ),
      card('Results', [], h('div', {}, results, paramsTable(d.result))),
    ),
  );
  const chart = new ConvergenceChart(conv, t);
  chart.setSeries(
    d.result.optimizers.map((o) => o.curves),
    new Map(d.result.optimizers.map((o) => [o.curves.id, o.row.nsPerStep])),
  );
  charts.convergence = chart.chart;
  renderResultsTable(results, d.result);
  if (d.model) {
    const panel = new ModelViewsPanel(t, { slider: true });
    root.append(panel.root);
    panel.set(d.model);
    charts.model = panel;
  }
}

function sweepSection(sweep: Extract<ReportData, { kind: 'sweep' }>['sweep'], t: Theme, key: string): void {
  charts[key] = reportSweepView(root, sweep, t);
}

function main(): void {
  const el = document.getElementById('data');
  let data: ReportData;
  try {
    data = parseReportData(JSON.parse(el?.textContent ?? 'null'));
  } catch (e) {
    root.append(h('p', { class: 'banner', role: 'alert' }, `This report’s data is damaged: ${(e as Error).message}`));
    throw e;
  }
  document.title = data.meta.title;
  root.append(header(data.meta));
  if (data.kind === 'run') renderRun(data, theme);
  else if (data.kind === 'sweep') sweepSection(data.sweep, theme, 'sweep0');
  else renderDemo(root, data, theme, charts);
  Object.assign(window, { descentLabReport: charts });
}

main();
