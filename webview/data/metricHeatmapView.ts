/**
 * A final metric over a grid of two hyperparameters (MetricHeatmapData; the Powerball SGD paper, Figs. 4–5: test
 * accuracy over γ × η): the sweep's heat map (heatmapChart.ts) on the data's own colour scale, with the best cell
 * framed and a marked row (γ = 1, where pbSGD is plain SGD). Activating a cell tells the caller (the Lab runs it).
 */
import type { MetricHeatmapData } from '../../src/shared/dataViewShapes';
import { formatNumber } from '../../src/present/format';
import { card, h } from '../dom';
import { HeatmapChart, type HeatScale } from '../heatmapChart';
import type { HeatGrid } from '../sweepData';
import type { Theme } from '../theme';

/** The grid of the heat map: one cell per value, indexed as the values are. */
export function metricGrid(d: MetricHeatmapData): HeatGrid {
  return {
    xAxis: d.xAxis,
    yAxis: d.yAxis,
    xs: d.xAxis.values,
    ys: d.yAxis.values,
    cells: d.values.map((_, k) => k),
    values: d.values,
  };
}

/** The data's range on the colour scale, five ticks, two decimals in the cells (accuracies, fractions). */
export function metricScale(d: MetricHeatmapData): HeatScale {
  const { lo, hi } = d.range;
  return {
    position: (v) => Math.min(1, Math.max(0, (v - lo) / (hi - lo))),
    text: (v) => v.toFixed(2),
    ticks: [0, 0.25, 0.5, 0.75, 1].map((pos) => ({ pos, label: formatNumber(lo + pos * (hi - lo)) })),
    title: d.metric,
  };
}

export class MetricHeatmapView {
  readonly root: HTMLElement;
  readonly heatmap: HeatmapChart;
  private readonly caption: HTMLElement;

  constructor(theme: Theme, activate: (cell: number) => void = () => {}) {
    const canvas = h('canvas', { role: 'img' }) as HTMLCanvasElement;
    this.heatmap = new HeatmapChart(canvas, theme, activate);
    this.caption = h('p', { class: 'hint' });
    this.root = card(
      '',
      [],
      h('div', {}, this.caption, h('div', { class: 'chart-box heat-box' }, canvas)),
      'heat-card',
    );
  }

  set(d: MetricHeatmapData): void {
    this.root.querySelector('header h2')!.textContent = d.title;
    this.heatmap.chart.canvas.setAttribute(
      'aria-label',
      `${d.title}: ${d.metric} over ${d.xAxis.symbol} and ${d.yAxis.symbol}; arrow keys move between cells`,
    );
    const marked =
      d.markRow === null ? '' : ` The dashed row is ${d.yAxis.symbol} = ${formatNumber(d.yAxis.values[d.markRow])}.`;
    this.caption.textContent = `Each cell: ${d.metric} at one (${d.xAxis.symbol}, ${d.yAxis.symbol}); the pink frame marks the highest.${marked}`;
    this.heatmap.set(metricGrid(d), metricScale(d), d.best, d.markRow);
  }

  setTheme(theme: Theme): void {
    this.heatmap.setTheme(theme);
  }
}
