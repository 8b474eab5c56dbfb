/**
 * The sweep charts: f_D against log10 η per budget (Baiesi 2019, Fig. 3), the η × H heat map of one optimizer
 * (Powerball SGD, Figs. 4–5), and the start-point outcome map of one cell. Each canvas takes the keyboard:
 * arrow keys move a cursor over the cells, Enter or Space activates the cell under it, as a click does.
 */
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartDataset,
  type ChartEvent,
  type Plugin,
} from 'chart.js';
import type { SweepData } from '../src/protocol';
import { viridis } from './colormap';
import { COLOUR_BAR, drawColourBar } from './colourBar';
import {
  axisTitle,
  cellTitle,
  curveAxis,
  formatValue,
  fractionCurves,
  heatPosition,
  moveCursor,
  outcomePoints,
  stepsPosition,
  type FractionCurve,
  type HeatGrid,
  type HeatMetric,
} from './sweepData';
import { applyChartTheme, withAlpha, type Theme } from './theme';
import type { XY } from './chartData';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Legend, Tooltip);

/** Dash and marker per variant: the base optimizer solid, its h- variant dashed, its h(t)- variant dotted. */
const DASH: readonly number[][] = [[], [7, 4], [2, 3]];
const MARKER = ['circle', 'triangle', 'rect'] as const;
/** Room right of the plot for the colour bar's labels and title. */
const BAR_ROOM = 52;

export type Activate = (cell: number) => void;
type Cursor = { row: number; col: number };

/** Canvas focus, arrow keys and Enter over a grid of cell indices; the chart draws the cursor when focused. */
class KeyboardCursor {
  at: Cursor | null = null;
  focused = false;

  constructor(
    canvas: HTMLCanvasElement,
    private readonly grid: () => number[][],
    private readonly redraw: () => void,
    activate: Activate,
  ) {
    canvas.tabIndex = 0;
    canvas.addEventListener('focus', () => {
      this.focused = true;
      this.at ??= this.first();
      this.redraw();
    });
    canvas.addEventListener('blur', () => {
      this.focused = false;
      this.redraw();
    });
    canvas.addEventListener('keydown', (e) => {
      if (!this.at) return;
      if (e.key === 'Enter' || e.key === ' ') {
        const cell = this.grid()[this.at.row]?.[this.at.col];
        if (cell !== undefined && cell >= 0) activate(cell);
        e.preventDefault();
        return;
      }
      const next = moveCursor(this.grid(), this.at, e.key);
      if (next !== this.at) {
        this.at = next;
        e.preventDefault();
        this.redraw();
      }
    });
  }

  /** The cell under the cursor when the canvas has focus. */
  get cell(): number | null {
    if (!this.focused || !this.at) return null;
    const c = this.grid()[this.at.row]?.[this.at.col];
    return c !== undefined && c >= 0 ? c : null;
  }

  reset(): void {
    this.at = this.first();
  }

  private first(): Cursor | null {
    const g = this.grid();
    for (let row = 0; row < g.length; row++)
      for (let col = 0; col < g[row].length; col++) if (g[row][col] >= 0) return { row, col };
    return null;
  }
}

function ring(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, colour: string, width = 2): void {
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.restore();
}

/** Ticks 1, 10, 100 … up to the largest budget on the log10(1 + k) scale. */
function stepTicks(maxBudget: number): { pos: number; label: string }[] {
  const out: { pos: number; label: string }[] = [{ pos: 0, label: '0' }];
  for (let k = 1; k <= maxBudget; k *= 10) out.push({ pos: stepsPosition(k, maxBudget), label: formatValue(k) });
  return out;
}

type CurveDataset = ChartDataset<'line', XY[]> & { cells: number[] };

/** f_D against the swept axis at one budget: one curve per optimizer, paired colours, the best cells starred. */
export class FractionChart {
  readonly chart: Chart<'line', XY[]>;
  private curves: FractionCurve[] = [];
  private selected: number | null = null;
  private readonly cursor: KeyboardCursor;

  constructor(
    canvas: HTMLCanvasElement,
    private theme: Theme,
    private data: SweepData,
    private readonly budget: number,
    private slice: Record<string, number>,
    activate: Activate,
  ) {
    const marks: Plugin<'line'> = { id: 'sweepMarks', afterDatasetsDraw: (chart) => this.drawMarks(chart) };
    this.chart = new Chart<'line', XY[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [marks],
      options: {
        animation: false,
        responsive: true,
        aspectRatio: 1.35,
        parsing: false,
        interaction: { mode: 'nearest', intersect: true },
        scales: {
          x: { type: 'linear', title: { display: true, text: '' }, ticks: { stepSize: 1 } },
          y: {
            type: 'linear',
            min: 0,
            max: 1,
            title: { display: true, text: 'f_D (fraction converged)' },
            ticks: { stepSize: 0.2 },
          },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 26, boxHeight: 2, padding: 10 } },
          tooltip: {
            callbacks: {
              title: (items) =>
                items
                  .map((i) => cellTitle(this.data, this.data.cells[(i.dataset as CurveDataset).cells[i.dataIndex]]))
                  .join('\n'),
              label: (item) => `f_D(T = ${this.data.budgets[this.budget]}) = ${item.parsed.y?.toFixed(2)}`,
            },
          },
        },
        onClick: (e: ChartEvent) => {
          const hit = this.chart.getElementsAtEventForMode(
            e as unknown as Event,
            'nearest',
            { intersect: true },
            false,
          )[0];
          if (hit) activate((this.chart.data.datasets[hit.datasetIndex] as CurveDataset).cells[hit.index]);
        },
      },
    });
    const x = curveAxis(data);
    canvas.setAttribute(
      'aria-label',
      `Fraction of starts converged within ${data.budgets[budget]} steps${x ? ` against ${axisTitle(x)}` : ''}; arrow keys move between points, Enter activates one`,
    );
    this.cursor = new KeyboardCursor(
      canvas,
      () => this.curves.map((c) => c.points.map((p) => p.cell)),
      () => this.chart.update('none'),
      activate,
    );
    applyChartTheme(this.chart, theme, 0.45);
    this.rebuild();
  }

  setSlice(slice: Record<string, number>): void {
    this.slice = slice;
    this.rebuild();
    this.cursor.reset();
  }

  setSelected(cell: number | null): void {
    this.selected = cell;
    this.chart.update('none');
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    applyChartTheme(this.chart, theme, 0.45);
    this.rebuild();
  }

  /** The data point of a cell on this chart, in canvas pixels (tests click it). */
  pixelOf(cell: number): { x: number; y: number } | null {
    for (let d = 0; d < this.curves.length; d++) {
      const k = this.curves[d].points.findIndex((p) => p.cell === cell);
      if (k >= 0) {
        const el = this.chart.getDatasetMeta(d).data[k];
        return { x: el.x, y: el.y };
      }
    }
    return null;
  }

  private rebuild(): void {
    const t = this.theme;
    this.curves = fractionCurves(this.data, this.budget, this.slice);
    const axis = curveAxis(this.data);
    (this.chart.options.scales!.x!.title as { text: string }).text = axis ? axisTitle(axis) : '';
    this.chart.data.datasets = this.curves.map((c): CurveDataset => {
      const colour = t.palette[c.style.colour % t.palette.length];
      const isBest = (ctx: { dataIndex: number }) => ctx.dataIndex === c.best;
      return {
        label: c.label,
        data: c.points.map((p) => ({ x: p.x, y: p.y })),
        cells: c.points.map((p) => p.cell),
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: c.style.variant ? 1.8 : 2.2,
        borderDash: DASH[c.style.variant] ?? [],
        pointStyle: (ctx) => (isBest(ctx) ? 'star' : (MARKER[c.style.variant] ?? 'circle')),
        pointRadius: (ctx) => (isBest(ctx) ? 8 : 3.2),
        pointHoverRadius: (ctx) => (isBest(ctx) ? 9 : 5),
        pointHitRadius: 6,
        pointBorderWidth: (ctx) => (isBest(ctx) ? 2 : 1),
        pointBackgroundColor: c.style.variant ? t.background : colour,
        pointBorderColor: colour,
      };
    });
    this.chart.update('none');
  }

  private drawMarks(chart: Chart): void {
    for (const cell of [this.selected, this.cursor.cell]) {
      if (cell === null) continue;
      const p = this.pixelOf(cell);
      if (p)
        ring(
          chart.ctx,
          p.x,
          p.y,
          9,
          cell === this.cursor.cell ? this.theme.foreground : withAlpha(this.theme.foreground, 0.7),
          cell === this.cursor.cell ? 2.5 : 1.5,
        );
    }
  }
}

/** The η × H grid of one optimizer, coloured by f_D or by median steps, with the value printed in each cell. */
export class HeatmapChart {
  readonly chart: Chart<'scatter', XY[]>;
  private grid: HeatGrid | null = null;
  private metric: HeatMetric = 'fraction';
  private maxBudget = 1;
  private best: number | null = null;
  private selected: number | null = null;
  private readonly cursor: KeyboardCursor;

  constructor(
    canvas: HTMLCanvasElement,
    private theme: Theme,
    activate: Activate,
  ) {
    const layers: Plugin<'scatter'> = {
      id: 'heatCells',
      beforeDatasetsDraw: (chart) => this.drawCells(chart),
      afterDraw: (chart) => this.drawBar(chart),
    };
    // One tick per grid column or row, at its centre, labelled with the axis value.
    const ticks = (which: 'xs' | 'ys') => ({
      autoSkip: true,
      callback: (v: number | string) => {
        const vs = this.grid?.[which];
        const i = Number(v);
        return vs && Number.isInteger(i) && i >= 0 && i < vs.length ? formatValue(vs[i]) : '';
      },
    });
    const centres = (which: 'xs' | 'ys') => (scale: { ticks: { value: number }[] }) => {
      scale.ticks = (this.grid?.[which] ?? []).map((_, i) => ({ value: i }));
    };
    this.chart = new Chart<'scatter', XY[]>(canvas, {
      type: 'scatter',
      data: { datasets: [] },
      plugins: [layers],
      options: {
        animation: false,
        responsive: true,
        aspectRatio: 1.3,
        layout: { padding: { right: COLOUR_BAR.gap + COLOUR_BAR.width + BAR_ROOM } },
        scales: {
          x: {
            type: 'linear',
            title: { display: true, text: '' },
            ticks: ticks('xs'),
            afterBuildTicks: centres('xs'),
            grid: { display: false },
          },
          y: {
            type: 'linear',
            title: { display: true, text: '' },
            ticks: ticks('ys'),
            afterBuildTicks: centres('ys'),
            grid: { display: false },
          },
        },
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        onClick: (e: ChartEvent) => {
          const c = this.cellAt(e.x, e.y);
          if (c !== null) activate(c);
        },
      },
    });
    this.cursor = new KeyboardCursor(
      canvas,
      () => this.rows(),
      () => this.chart.update('none'),
      activate,
    );
    applyChartTheme(this.chart, theme, 0.3);
  }

  set(grid: HeatGrid | null, metric: HeatMetric, maxBudget: number, best: number | null): void {
    this.grid = grid;
    this.metric = metric;
    this.maxBudget = maxBudget;
    this.best = best;
    const s = this.chart.options.scales!;
    if (grid) {
      Object.assign(s.x!, { min: -0.5, max: grid.xs.length - 0.5 });
      Object.assign(s.y!, { min: -0.5, max: grid.ys.length - 0.5 });
      (s.x!.title as { text: string }).text = grid.xAxis.name === 'eta' ? 'η' : grid.xAxis.name;
      (s.y!.title as { text: string }).text = grid.yAxis.name === 'eta' ? 'η' : grid.yAxis.name;
    }
    this.cursor.reset();
    this.chart.update('none');
  }

  setSelected(cell: number | null): void {
    this.selected = cell;
    this.chart.update('none');
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    applyChartTheme(this.chart, theme, 0.3);
    this.chart.update('none');
  }

  /** Centre of a cell in canvas pixels (tests click it). */
  pixelOf(cell: number): { x: number; y: number } | null {
    const k = this.grid?.cells.indexOf(cell) ?? -1;
    if (!this.grid || k < 0) return null;
    const nx = this.grid.xs.length;
    return {
      x: this.chart.scales.x.getPixelForValue(k % nx),
      y: this.chart.scales.y.getPixelForValue(Math.floor(k / nx)),
    };
  }

  /** Cursor rows top to bottom: the largest y first, as drawn. */
  private rows(): number[][] {
    const g = this.grid;
    if (!g) return [];
    const nx = g.xs.length;
    return g.ys.map((_, j) => g.cells.slice((g.ys.length - 1 - j) * nx, (g.ys.length - j) * nx));
  }

  private cellAt(px: number | null, py: number | null): number | null {
    if (!this.grid || px === null || py === null) return null;
    const i = Math.round(this.chart.scales.x.getValueForPixel(px) ?? NaN);
    const j = Math.round(this.chart.scales.y.getValueForPixel(py) ?? NaN);
    if (!(i >= 0 && i < this.grid.xs.length && j >= 0 && j < this.grid.ys.length)) return null;
    const c = this.grid.cells[j * this.grid.xs.length + i];
    return c >= 0 ? c : null;
  }

  private drawCells(chart: Chart): void {
    const g = this.grid;
    if (!g) return;
    const { ctx } = chart;
    const sx = chart.scales.x;
    const sy = chart.scales.y;
    const w = Math.abs(sx.getPixelForValue(1) - sx.getPixelForValue(0));
    const h = Math.abs(sy.getPixelForValue(1) - sy.getPixelForValue(0));
    const fontSize = Math.max(8, Math.min(this.theme.fontSize - 1, w / 4.2, h / 2));
    ctx.save();
    ctx.font = `${fontSize}px ${this.theme.fontFamily}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    g.values.forEach((v, k) => {
      const cx = sx.getPixelForValue(k % g.xs.length);
      const cy = sy.getPixelForValue(Math.floor(k / g.xs.length));
      if (v === null) {
        // No cell, or no converged start: hatched, so it reads as "no value" rather than a colour.
        ctx.strokeStyle = withAlpha(this.theme.muted, 0.5);
        ctx.strokeRect(cx - w / 2 + 1.5, cy - h / 2 + 1.5, w - 3, h - 3);
        ctx.beginPath();
        ctx.moveTo(cx - w / 2 + 2, cy + h / 2 - 2);
        ctx.lineTo(cx + w / 2 - 2, cy - h / 2 + 2);
        ctx.stroke();
        return;
      }
      const pos = heatPosition(this.metric, v, this.maxBudget);
      const [r, gr, b] = viridis(pos);
      ctx.fillStyle = `rgb(${r}, ${gr}, ${b})`;
      ctx.fillRect(cx - w / 2, cy - h / 2, w + 0.5, h + 0.5);
      if (w > 26 && h > 14) {
        ctx.fillStyle = pos > 0.6 ? '#1e1e1e' : '#ffffff';
        ctx.fillText(this.metric === 'fraction' ? v.toFixed(2) : formatValue(v), cx, cy);
      }
    });
    const mark = (cell: number | null, colour: string, width: number) => {
      const k = cell === null ? -1 : g.cells.indexOf(cell);
      if (k < 0) return;
      const cx = sx.getPixelForValue(k % g.xs.length);
      const cy = sy.getPixelForValue(Math.floor(k / g.xs.length));
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      ctx.strokeRect(cx - w / 2 + width / 2, cy - h / 2 + width / 2, w - width, h - width);
    };
    mark(this.best, '#ff2e88', 3);
    mark(this.selected, this.theme.foreground, 2);
    mark(this.cursor.cell, this.theme.foreground, 3);
    ctx.restore();
  }

  private drawBar(chart: Chart): void {
    if (!this.grid) return;
    const ticks =
      this.metric === 'fraction'
        ? [0, 0.25, 0.5, 0.75, 1].map((pos) => ({ pos, label: String(pos) }))
        : stepTicks(this.maxBudget);
    drawColourBar(
      chart,
      this.theme,
      ticks,
      this.metric === 'fraction' ? 'f_D' : 'median steps to target',
      BAR_ROOM - 8,
    );
  }
}

type OutcomeDataset = ChartDataset<'scatter', XY[]> & { starts: number[] };

/** Each start of one cell at its position: coloured by steps to target (log scale), × where it diverged. */
export class OutcomeChart {
  readonly chart: Chart<'scatter', XY[]>;
  private data: SweepData | null = null;
  private cell = -1;

  constructor(
    canvas: HTMLCanvasElement,
    private theme: Theme,
  ) {
    const bar: Plugin<'scatter'> = {
      id: 'outcomeBar',
      afterDraw: (chart) =>
        this.data && drawColourBar(chart, this.theme, stepTicks(this.maxBudget), 'steps to target', BAR_ROOM - 8),
    };
    this.chart = new Chart<'scatter', XY[]>(canvas, {
      type: 'scatter',
      data: { datasets: [] },
      plugins: [bar],
      options: {
        animation: false,
        responsive: true,
        aspectRatio: 1.2,
        layout: { padding: { right: COLOUR_BAR.gap + COLOUR_BAR.width + BAR_ROOM } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'x' } },
          y: { type: 'linear', title: { display: true, text: 'y' } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { usePointStyle: true, boxHeight: 7, padding: 12 } },
          tooltip: {
            callbacks: {
              label: (item) => {
                const s = (item.dataset as OutcomeDataset).starts[item.dataIndex];
                const k = this.data?.cells[this.cell]?.perStart[s];
                return `start ${s + 1} (${formatValue(item.parsed.x ?? 0)}, ${formatValue(item.parsed.y ?? 0)}): ${k === null || k === undefined ? item.dataset.label : `${k} steps`}`;
              },
            },
          },
        },
      },
    });
    applyChartTheme(this.chart, theme, 0.35);
  }

  private get maxBudget(): number {
    return this.data ? this.data.budgets[this.data.budgets.length - 1] : 1;
  }

  set(data: SweepData, cell: number): void {
    this.data = data;
    this.cell = cell;
    this.rebuild();
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    applyChartTheme(this.chart, theme, 0.35);
    this.rebuild();
  }

  private rebuild(): void {
    const t = this.theme;
    const d = this.data;
    if (!d) return;
    const s = this.chart.options.scales!;
    (s.x!.title as { text: string }).text = d.variables[0] ?? 'x';
    (s.y!.title as { text: string }).text = d.variables[1] ?? 'y';
    const points = outcomePoints(d, this.cell);
    const pick = (o: string) => points.filter((p) => p.outcome === o);
    const converged = pick('converged');
    const colours = converged.map((p) => {
      const [r, g, b] = viridis(stepsPosition(p.steps!, this.maxBudget));
      return `rgb(${r}, ${g}, ${b})`;
    });
    const mid = viridis(0.5);
    const datasets: OutcomeDataset[] = [
      {
        label: 'converged',
        data: converged.map((p) => ({ x: p.x, y: p.y })),
        starts: converged.map((p) => p.start),
        pointRadius: 5,
        pointHoverRadius: 7,
        pointBackgroundColor: colours,
        pointBorderColor: withAlpha(t.foreground, 0.6),
        pointBorderWidth: 0.8,
        backgroundColor: `rgb(${mid.join(', ')})`,
        borderColor: withAlpha(t.foreground, 0.6),
      },
      {
        label: 'not within budget',
        data: pick('stalled').map((p) => ({ x: p.x, y: p.y })),
        starts: pick('stalled').map((p) => p.start),
        pointStyle: 'circle',
        pointRadius: 4.5,
        pointHoverRadius: 6,
        pointBackgroundColor: 'transparent',
        pointBorderColor: t.muted,
        pointBorderWidth: 1.5,
        backgroundColor: 'transparent',
        borderColor: t.muted,
      },
      {
        label: 'diverged',
        data: pick('diverged').map((p) => ({ x: p.x, y: p.y })),
        starts: pick('diverged').map((p) => p.start),
        pointStyle: 'crossRot',
        pointRadius: 6,
        pointHoverRadius: 8,
        pointBorderColor: '#e5484d',
        pointBorderWidth: 2,
        backgroundColor: '#e5484d',
        borderColor: '#e5484d',
      },
    ];
    this.chart.data.datasets = datasets;
    this.chart.update('none');
  }
}
