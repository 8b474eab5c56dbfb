/**
 * f_D against the swept axis at one budget (Baiesi 2019, Fig. 3): one curve per optimizer, an optimizer and its
 * power variants in one colour, the best cells starred. Keyboard: see keyboardCursor.ts.
 */
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
  type ChartEvent,
  type Plugin,
} from 'chart.js';
import type { SweepData } from '../src/shared/sweepShapes';
import type { XY } from './chartData';
import { KeyboardCursor, type Activate } from './keyboardCursor';
import { formatNumber } from '../src/present/format';
import { axisCoordinate, axisTitle, cellTitle, curveAxis, fractionCurves, type FractionCurve } from './sweepData';
import { applyChartTheme, withAlpha, type Theme } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

/** Dash and marker per variant: the base optimizer solid, its h- variant dashed, its h(t)- variant dotted. */
const DASH: readonly number[][] = [[], [7, 4], [2, 3]];
const MARKER = ['circle', 'triangle', 'rect'] as const;
/** Up to this many grid values each get a tick; more fall back to chart.js's own ticks. */
const MAX_GRID_TICKS = 12;

function ring(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, colour: string, width = 2): void {
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.restore();
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
          // Ticks at the swept values (H = 0.25, 0.5 …), not at round numbers the sweep never ran.
          x: {
            type: 'linear',
            title: { display: true, text: '' },
            ticks: { callback: (v) => formatNumber(Number(v)) },
            afterBuildTicks: (scale) => {
              const at = this.gridCoordinates();
              if (at.length && at.length <= MAX_GRID_TICKS) scale.ticks = at.map((value) => ({ value }));
            },
          },
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

  /** The swept values of the curve axis as chart coordinates (log10 on a log axis), ascending. */
  private gridCoordinates(): number[] {
    const axis = curveAxis(this.data);
    return axis ? axis.values.map((v) => axisCoordinate(axis, v)).sort((a, b) => a - b) : [];
  }

  private rebuild(): void {
    const t = this.theme;
    this.curves = fractionCurves(this.data, this.budget, this.slice);
    const axis = curveAxis(this.data);
    const x = this.chart.options.scales!.x!;
    (x.title as { text: string }).text = axis ? axisTitle(axis) : '';
    // A margin beyond the first and last values, so their markers (and a ★) are not cut at the plot's edge.
    const at = this.gridCoordinates();
    const margin = at.length > 1 ? 0.06 * (at[at.length - 1] - at[0]) : 0.5;
    Object.assign(x, at.length ? { min: at[0] - margin, max: at[at.length - 1] + margin } : {});
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
