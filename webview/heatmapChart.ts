/**
 * A grid over two hyperparameters of one optimizer (Powerball SGD, Figs. 4–5): the η × H grid of a sweep coloured by
 * f_D or by median steps, or a model's final metric over γ × η; the value printed in each cell and the colour bar
 * beside it. Keyboard: see keyboardCursor.ts.
 */
import { Chart, LinearScale, PointElement, ScatterController, Tooltip, type ChartEvent, type Plugin } from 'chart.js';
import { formatNumber } from '../src/present/format';
import type { XY } from './chartData';
import { viridis } from './colormap';
import { BAR_ROOM, COLOUR_BAR, drawColourBar, stepTicks, type ColourBarTick } from './colourBar';
import { KeyboardCursor, type Activate } from './keyboardCursor';
import { heatPosition, type HeatGrid, type HeatMetric } from './sweepData';
import { applyChartTheme, withAlpha, type Theme } from './theme';

Chart.register(ScatterController, PointElement, LinearScale, Tooltip);

/** How values become colours and text: a position on the viridis scale, a cell's label, the colour bar's ticks and title. */
export interface HeatScale {
  position(v: number): number;
  text(v: number): string;
  readonly ticks: readonly ColourBarTick[];
  readonly title: string;
}

/** A sweep's scales: f_D as it is, or the median steps to target on a log scale up to the largest budget. */
export function sweepHeatScale(metric: HeatMetric, maxBudget: number): HeatScale {
  return metric === 'fraction'
    ? {
        position: (v) => heatPosition(metric, v, maxBudget),
        text: (v) => v.toFixed(2),
        ticks: [0, 0.25, 0.5, 0.75, 1].map((pos) => ({ pos, label: String(pos) })),
        title: 'f_D',
      }
    : {
        position: (v) => heatPosition(metric, v, maxBudget),
        text: (v) => formatNumber(v),
        ticks: stepTicks(maxBudget),
        title: 'median steps to target',
      };
}

/** A grid of one optimizer's cells, coloured on a scale, with the value printed in each cell. */
export class HeatmapChart {
  readonly chart: Chart<'scatter', XY[]>;
  private grid: HeatGrid | null = null;
  private scale: HeatScale | null = null;
  private best: number | null = null;
  private markedRow: number | null = null;
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
        return vs && Number.isInteger(i) && i >= 0 && i < vs.length ? formatNumber(vs[i]) : '';
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

  /** `markedRow` (an index into grid.ys) is framed with a dashed line, e.g. γ = 1, where pbSGD is plain SGD. */
  set(grid: HeatGrid | null, scale: HeatScale, best: number | null, markedRow: number | null = null): void {
    this.grid = grid;
    this.scale = scale;
    this.best = best;
    this.markedRow = markedRow;
    const s = this.chart.options.scales!;
    if (grid) {
      Object.assign(s.x!, { min: -0.5, max: grid.xs.length - 0.5 });
      Object.assign(s.y!, { min: -0.5, max: grid.ys.length - 0.5 });
      (s.x!.title as { text: string }).text = grid.xAxis.symbol;
      (s.y!.title as { text: string }).text = grid.yAxis.symbol;
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
    const scale = this.scale;
    if (!g || !scale) return;
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
      const pos = scale.position(v);
      const [r, gr, b] = viridis(pos);
      ctx.fillStyle = `rgb(${r}, ${gr}, ${b})`;
      ctx.fillRect(cx - w / 2, cy - h / 2, w + 0.5, h + 0.5);
      if (w > 26 && h > 14) {
        ctx.fillStyle = pos > 0.6 ? '#1e1e1e' : '#ffffff';
        ctx.fillText(scale.text(v), cx, cy);
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
    if (this.markedRow !== null) {
      const cy = sy.getPixelForValue(this.markedRow);
      const x0 = sx.getPixelForValue(0) - w / 2;
      ctx.save();
      ctx.setLineDash([5, 3]);
      ctx.strokeStyle = this.theme.foreground;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x0 + 1, cy - h / 2 + 1, w * g.xs.length - 2, h - 2);
      ctx.restore();
    }
    mark(this.best, '#ff2e88', 3);
    mark(this.selected, this.theme.foreground, 2);
    mark(this.cursor.cell, this.theme.foreground, 3);
    ctx.restore();
  }

  private drawBar(chart: Chart): void {
    if (!this.grid || !this.scale) return;
    drawColourBar(chart, this.theme, this.scale.ticks, this.scale.title, BAR_ROOM - 8);
  }
}
