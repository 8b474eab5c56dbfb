/**
 * The demo's report (`descent-lab demo`): Baiesi Fig. 3 as sweep sections and Sprunger Tables 1–2 beside the paper;
 * Sprunger §3 as Figs. 4–5 (one curves view per optimizer family), the Rosetta stone (Fig. 6) and the final
 * numbers; the Powerball SGD γ × η heat maps and early curves; the papers' sentences beside what the runs show; the
 * experiments' wall times. The data views are the components the Lab for a model mounts (webview/data/).
 */
import { formatNumber } from '../src/present/format';
import type { DenseSection, PowerballSection, ReportData } from '../src/present/reportData';
import { CurvesView, curvesPickers } from './data/curvesView';
import { MetricHeatmapView } from './data/metricHeatmapView';
import { RosettaView } from './data/rosettaView';
import { h } from './dom';
import { claimsTable, numberTable, paperTable, reportSweepView, timingsTable } from './reportParts';
import type { Theme } from './theme';

type Demo = Extract<ReportData, { kind: 'demo' }>;

const intro = (title: string, paragraphs: readonly string[]) =>
  h(
    'section',
    { class: 'intro' },
    h('h2', { class: 'function-title' }, title),
    ...paragraphs.map((p) => h('p', {}, p)),
  );

function dense(root: HTMLElement, d: DenseSection, t: Theme, charts: Record<string, unknown>): void {
  root.append(intro(d.title, d.text));
  // One set of pickers for the panels, which share their quantities and y axes, so that they stay comparable.
  const grid = h('div', { class: 'curves-grid' });
  const views = d.curves.map(() => new CurvesView(t, { controls: false }));
  if (d.curves.length) {
    const first = d.curves[0].charts[0];
    const tools = curvesPickers(d.curves[0], first, {
      quantity: (i) => views.forEach((v) => v.quantity(i)),
      axis: (a) => views.forEach((v) => v.axis(a)),
      line: (l) => views.forEach((v) => v.line(l)),
    });
    root.append(h('div', { class: 'toolbar curves-tools', 'aria-label': 'All panels' }, ...tools));
  }
  root.append(grid);
  views.forEach((view, i) => {
    grid.append(view.root);
    view.set(d.curves[i]);
    charts[`dense${i}`] = view;
  });
  const rosetta = new RosettaView(t);
  root.append(
    h(
      'p',
      { class: 'hint' },
      'Sprunger §3.2: GD and NaSGD follow the same direction, so each step of one has an equivalent hyperparameter of the other — η_eq of a NaSGD step, α_eq of a GD step, here for every recorded update and over the starts. The paper reads in (c) that GD makes progress while α_eq < 2.',
    ),
    rosetta.root,
  );
  rosetta.set(d.rosetta);
  charts.rosetta = rosetta;
  root.append(
    h('div', { class: 'sweep-numbers' }, numberTable(d.finals)),
    claimsTable('Sprunger 2020 §3: the paper beside this reproduction', d.claims),
  );
}

function powerball(root: HTMLElement, d: PowerballSection, t: Theme, charts: Record<string, unknown>): void {
  root.append(intro(d.title, d.text));
  const grid = h('div', { class: 'lower' });
  root.append(grid);
  d.heatmaps.forEach((m, i) => {
    const view = new MetricHeatmapView(t);
    grid.append(view.root);
    view.set(m);
    charts[`heat${i}`] = view;
  });
  const early = new CurvesView(t, { aspectRatio: 2.2 });
  root.append(early.root);
  early.set(d.early);
  charts.early = early;
  root.append(claimsTable('Powerball SGD: the paper beside this reproduction', d.claims));
}

export function renderDemo(root: HTMLElement, d: Demo, t: Theme, charts: Record<string, unknown>): void {
  const fig3 = d.timings[0];
  root.append(
    h(
      'section',
      { class: 'intro' },
      h('h2', {}, 'Baiesi 2019, Fig. 3: success fraction against the learning rate'),
      h(
        'p',
        {},
        `For each function, 100 uniform random starts (seed 1) run with each optimizer at η = 10ᵏ, k = −4…1; a start succeeds when V < 10⁻⁴ within T = 10², 10³ or 10⁴ steps. ` +
          `Each chart is one budget T; NAG, AMSGrad and Adam share their colour with their power-gradient variants (h- dashed, h(t)- dotted), as the paper pairs them. ` +
          `The whole protocol (${formatNumber(fig3.laneSteps)} trajectory-steps) took ${fig3.seconds.toFixed(2)} s wall on this machine.`,
      ),
    ),
  );
  d.sweeps.forEach((s, i) => {
    root.append(h('h2', { class: 'function-title' }, `${s.fn}`));
    charts[`sweep${i}`] = reportSweepView(root, s, t);
  });
  root.append(
    h(
      'section',
      { class: 'intro papers' },
      h('h2', {}, 'Sprunger 2020, Tables 1–2: steps to each threshold'),
      h(
        'p',
        {},
        'Steps as the paper counts them (iterates inclusively, k + 1), beside the printed numbers: ✓ where they agree, the paper’s number where they differ (highlighted).',
      ),
      ...d.papers.map(paperTable),
    ),
  );
  dense(root, d.dense, t, charts);
  powerball(root, d.powerball, t, charts);
  root.append(
    h('section', { class: 'intro' }, h('h2', { class: 'function-title' }, 'Wall time'), timingsTable(d.timings)),
  );
}
