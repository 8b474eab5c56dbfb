/**
 * The sweep section, shared by the Lab panel and the HTML report: f_D charts with their numbers, the η × H heat
 * map, the outcome map of the selected cell and the best cell per optimizer. Activating a cell (click, Enter on a
 * focused chart, or its button) selects it for the outcome map and tells the caller, which runs it in the panel.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { formatNumber } from '../src/present/format';
import type { SweepData } from '../src/shared/sweepShapes';
import { card, h, picker, type Picker } from './dom';
import { FractionChart } from './fractionChart';
import { HeatmapChart, sweepHeatScale } from './heatmapChart';
import { OutcomeChart } from './outcomeChart';
import {
  axisTitle,
  bestCells,
  cellTitle,
  curveAxis,
  defaultSlice,
  fractionCurves,
  heatmapGrid,
  heatmapOptimizers,
  outcomeCounts,
  outcomePoints,
  rowAxis,
  type HeatMetric,
} from './sweepData';
import type { Theme } from './theme';

export interface SweepViewOptions {
  /** The cell was activated: the panel runs it. */
  activate(cell: number): void;
  /** Text of the per-cell button in the best-cell table. */
  actionLabel: string;
  /** A sentence on what activating does, for the hints. */
  actionHint: string;
}

export class SweepView {
  readonly root: HTMLElement;
  fractionCharts: FractionChart[] = [];
  heatmap: HeatmapChart | null = null;
  outcome: OutcomeChart | null = null;
  private data: SweepData | null = null;
  private selected = -1;
  private heat = { optimizer: '', metric: 'fraction' as HeatMetric, budget: 0 };
  private outcomeCaption: HTMLElement | null = null;
  private tables: HTMLElement[] = [];

  constructor(
    private theme: Theme,
    private readonly opts: SweepViewOptions,
  ) {
    this.root = h('div', { class: 'sweep' });
  }

  set(data: SweepData | null): void {
    for (const c of [...this.fractionCharts, this.heatmap, this.outcome]) c?.chart.destroy();
    this.fractionCharts = [];
    this.heatmap = null;
    this.outcome = null;
    this.root.replaceChildren();
    this.data = data;
    if (!data) return;
    const best = bestCells(data);
    const last = data.budgets.length - 1;
    this.selected = [...best.values()].reduce(
      (a, i) => (a < 0 || data.cells[i].fraction[last] > data.cells[a].fraction[last] ? i : a),
      -1,
    );
    this.root.append(this.fractionCard(data));
    const heatIds = heatmapOptimizers(data);
    if (heatIds.length) {
      this.heat = { optimizer: heatIds[0], metric: 'fraction', budget: last };
      this.root.append(this.heatCard(data, heatIds));
    }
    if (data.starts.length) this.root.append(this.outcomeCard());
    this.root.append(this.bestCard(data, best));
    this.select(this.selected);
  }

  /** Selects a cell for the outcome map and marks it in every chart. */
  select(cell: number): void {
    const d = this.data;
    if (!d || !d.cells[cell]) return;
    this.selected = cell;
    for (const c of this.fractionCharts) c.setSelected(cell);
    this.heatmap?.setSelected(cell);
    if (this.outcome && this.outcomeCaption) {
      this.outcome.set(d, cell);
      const n = outcomeCounts(outcomePoints(d, cell));
      const c = d.cells[cell];
      this.outcomeCaption.textContent =
        `${cellTitle(d, c)}: ${n.converged} of ${d.n} starts converged (median ${formatNumber(c.medianSteps)} steps), ` +
        `${n.diverged} diverged, ${n.stalled} did not reach f − f* ≤ ${formatNumber(d.target)} within ${d.budgets[d.budgets.length - 1]} steps.`;
    }
    for (const t of this.tables) {
      t.querySelectorAll('[data-cell]').forEach((e) =>
        e.classList.toggle('selected', Number((e as HTMLElement).dataset.cell) === cell),
      );
    }
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    for (const c of [...this.fractionCharts, this.heatmap, this.outcome]) c?.setTheme(theme);
  }

  private activate = (cell: number): void => {
    this.select(cell);
    this.opts.activate(cell);
  };

  private fractionCard(d: SweepData): HTMLElement {
    const x = curveAxis(d);
    const others = d.axes.filter((a) => a !== x);
    let slice = defaultSlice(d);
    const pickers: Picker[] = others.map((a) => {
      const p = picker(
        `${a.symbol} of the curves`,
        [...a.values].sort((u, v) => u - v).map((v) => [String(v), `${a.symbol} = ${formatNumber(v)}`] as const),
        String(slice[a.name]),
      );
      p.addEventListener('change', () => {
        slice = { ...slice, [a.name]: Number(p.value) };
        for (const c of this.fractionCharts) c.setSlice(slice);
        this.renderFractionTables(d, slice, tables);
        this.select(this.selected);
      });
      return p;
    });
    const grid = h('div', { class: 'sweep-budgets' });
    const tables: HTMLElement[] = [];
    d.budgets.forEach((T, b) => {
      const canvas = h('canvas', { role: 'img' }) as HTMLCanvasElement;
      const table = h('div', { class: 'sweep-numbers' });
      tables.push(table);
      grid.append(
        h(
          'figure',
          { class: 'sweep-budget' },
          h('figcaption', {}, `Within T = ${T.toLocaleString('en-US')} steps`),
          h('div', { class: 'chart-box' }, canvas),
          table,
        ),
      );
      this.fractionCharts.push(new FractionChart(canvas, this.theme, d, b, slice, this.activate));
    });
    this.renderFractionTables(d, slice, tables);
    const xName = x ? axisTitle(x) : 'the cell';
    const hint = h(
      'p',
      { class: 'hint' },
      `Fraction f_D of the ${d.n} starts that reach f − f* ≤ ${formatNumber(d.target)} within T steps, against ${xName}`,
      others.length ? ` (other axes held at the chosen values)` : '',
      '. ',
      'An optimizer and its power-gradient variants share a colour: the base solid, h- dashed, h(t)- dotted. ',
      `★ marks each optimizer’s best cell (highest f_D at the largest budget, ties to fewer median steps). ${this.opts.actionHint}`,
    );
    return card(`Success fraction · ${d.fn}`, pickers, h('div', {}, hint, grid), 'sweep-card');
  }

  private renderFractionTables(d: SweepData, slice: Record<string, number>, tables: HTMLElement[]): void {
    const x = curveAxis(d);
    const best = new Set(bestCells(d).values());
    this.tables = this.tables.filter((t) => !tables.includes(t));
    d.budgets.forEach((T, b) => {
      const curves = fractionCurves(d, b, slice);
      const xs = [...new Set(curves.flatMap((c) => c.points.map((p) => p.x)))].sort((u, v) => u - v);
      const table = h('table', { class: 'results compact' });
      (table as HTMLTableElement).createCaption().textContent = `f_D within ${T} steps`;
      const head = (table as HTMLTableElement).createTHead().insertRow();
      head.append(
        h('th', { scope: 'col' }, x ? `Optimizer \\ ${x.symbol}` : 'Optimizer'),
        ...xs.map((v) =>
          h('th', { scope: 'col' }, x ? formatNumber(x.scale === 'log' ? Number((10 ** v).toPrecision(12)) : v) : ''),
        ),
      );
      const body = (table as HTMLTableElement).createTBody();
      for (const c of curves) {
        const tr = body.insertRow();
        tr.dataset.optimizer = c.optimizer;
        tr.append(
          h(
            'th',
            { scope: 'row' },
            h('span', { class: `swatch c${c.style.colour % 12} v${c.style.variant}`, 'aria-hidden': 'true' }),
            c.label,
          ),
        );
        for (const v of xs) {
          const p = c.points.find((q) => q.x === v);
          const td = tr.insertCell();
          td.className = 'num';
          if (!p) {
            td.textContent = '–';
            continue;
          }
          td.textContent = p.y.toFixed(2);
          td.dataset.cell = String(p.cell);
          if (best.has(p.cell)) {
            td.classList.add('best');
            td.title = 'best cell of this optimizer';
          }
        }
      }
      tables[b].replaceChildren(table);
      this.tables.push(table);
    });
  }

  private heatCard(d: SweepData, ids: readonly string[]): HTMLElement {
    const label = (id: string) => d.cells.find((c) => c.optimizer === id)!.label;
    const opt = picker(
      'Optimizer',
      ids.map((id) => [id, label(id)] as const),
      this.heat.optimizer,
    );
    const metric = picker(
      'Colour by',
      [
        ['fraction', 'Colour: f_D'],
        ['median', 'Colour: median steps'],
      ],
      this.heat.metric,
    );
    const budget = picker(
      'Budget',
      d.budgets.map((T, b) => [String(b), `T = ${T}`] as const),
      String(this.heat.budget),
    );
    const canvas = h('canvas', { role: 'img' }) as HTMLCanvasElement;
    const x = curveAxis(d)!;
    const y = rowAxis(d)!;
    canvas.setAttribute(
      'aria-label',
      `Heat map over ${x.symbol} and ${y.symbol}; arrow keys move between cells, Enter runs one`,
    );
    this.heatmap = new HeatmapChart(canvas, this.theme, this.activate);
    // The pickers' values are read on change only: before the elements render, `value` is empty.
    const update = () => {
      const best = bestCells(d).get(this.heat.optimizer) ?? null;
      this.heatmap!.set(
        heatmapGrid(d, this.heat.optimizer, this.heat.budget, this.heat.metric),
        sweepHeatScale(this.heat.metric, d.budgets[d.budgets.length - 1]),
        best,
      );
      this.heatmap!.setSelected(this.selected);
    };
    for (const p of [opt, metric, budget]) {
      p.addEventListener('change', () => {
        this.heat = { optimizer: opt.value, metric: metric.value as HeatMetric, budget: Number(budget.value) };
        update();
      });
    }
    update();
    const hint = h(
      'p',
      { class: 'hint' },
      `Each cell is one (${x.symbol}, ${y.symbol}) pair of the chosen optimizer: f_D within the chosen budget, or the median steps to target over the starts that converged (hatched: none did). ` +
        `The pink frame marks the optimizer’s best cell. ${this.opts.actionHint}`,
    );
    return card(
      `${x.symbol} × ${y.symbol} heat map`,
      [opt, metric, budget],
      h('div', {}, hint, h('div', { class: 'chart-box heat-box' }, canvas)),
      'sweep-card',
    );
  }

  private outcomeCard(): HTMLElement {
    const canvas = h('canvas', {
      role: 'img',
      'aria-label': 'Start outcomes of the selected cell: steps to target by colour, diverged starts as ×',
    }) as HTMLCanvasElement;
    this.outcome = new OutcomeChart(canvas, this.theme);
    this.outcomeCaption = h('p', { class: 'hint', 'aria-live': 'polite' });
    const hint = h(
      'p',
      { class: 'hint' },
      'Every start of the selected cell at its position, coloured by the steps it took to reach the target (log scale); × diverged, ○ neither within the largest budget.',
    );
    return card(
      'Start outcomes',
      [],
      h('div', {}, hint, this.outcomeCaption, h('div', { class: 'chart-box outcome-box' }, canvas)),
      'sweep-card',
    );
  }

  private bestCard(d: SweepData, best: Map<string, number>): HTMLElement {
    const table = h('table', { class: 'results' }) as HTMLTableElement;
    table.createCaption().textContent = `Best cell per optimizer (${d.n} starts, target f − f* ≤ ${formatNumber(d.target)}, ${d.backend} backend)`;
    const head = table.createTHead().insertRow();
    const cols = [
      'Optimizer',
      'Setting',
      ...d.budgets.map((T) => `f_D(${T})`),
      'Median steps',
      'Mean steps',
      'Diverged',
      'Orbits',
      'ns / step',
      '',
    ];
    head.append(...cols.map((c) => h('th', { scope: 'col' }, c)));
    const body = table.createTBody();
    for (const [id, i] of best) {
      const c = d.cells[i];
      const tr = body.insertRow();
      tr.dataset.optimizer = id;
      tr.dataset.cell = String(i);
      const style = fractionCurves(d, 0).find((f) => f.optimizer === id)!.style;
      tr.append(
        h(
          'th',
          { scope: 'row' },
          h('span', { class: `swatch c${style.colour % 12} v${style.variant}`, 'aria-hidden': 'true' }),
          c.label,
        ),
      );
      const setting = d.axes
        .filter((a) => typeof c.params[a.name] === 'number')
        .map((a) => `${a.symbol} = ${formatNumber(c.params[a.name] as number)}`)
        .join(', ');
      const cells = [
        setting || '–',
        ...c.fraction.map((f) => f.toFixed(2)),
        formatNumber(c.medianSteps),
        formatNumber(c.meanSteps),
        `${Math.round(c.diverged * d.n)}/${d.n}`,
        String(c.orbits),
        formatNumber(d.nsPerLaneStep[id] ?? null),
      ];
      cells.forEach((text, k) => {
        const td = tr.insertCell();
        td.textContent = text;
        if (k > 0) td.className = 'num';
      });
      const button = h(
        'vscode-button',
        { secondary: '', title: `${this.opts.actionLabel}: ${cellTitle(d, c)}` },
        this.opts.actionLabel,
      );
      button.addEventListener('click', () => this.activate(i));
      tr.insertCell().append(button);
    }
    this.tables.push(table);
    return card('Best cell per optimizer', [], table, 'sweep-card');
  }
}
