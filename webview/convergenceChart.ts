/**
 * Convergence: per optimizer the median of f − f* over the lanes with its q1–q3 band, on a log scale, against
 * the step or the wall time (Baiesi 2019, Fig. 2); when f* is unknown, of f itself on a symmetric log scale (it
 * may be negative). Used by the Lab panel and the sidebar view.
 */
import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset,
  type LegendItem,
  type Plugin,
} from 'chart.js';
import { formatNumber } from '../src/present/format';
import type { CurveSeries } from '../src/shared/resultShapes';
import { curveData, logAxisRange, symlogRange, symlogTick, type XAxisMode, type XY } from './chartData';
import { applyChartTheme, withAlpha, type Theme } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Filler, Legend, Tooltip);

type Role = 'q1' | 'q3' | 'median';

/** Decades only on the log axis. */
const logTick = (v: number | string): string => {
  const e = Math.log10(Number(v));
  return Number.isInteger(e) ? `1e${e}` : '';
};
type Dataset = ChartDataset<'line', XY[]> & { seriesId: string; role: Role };

export class ConvergenceChart {
  readonly chart: Chart<'line', XY[]>;
  private series: readonly CurveSeries[] = [];
  private nsPerStep: ReadonlyMap<string, number> = new Map();
  private mode: XAxisMode = 'step';
  /** The curves are f − f* (a log axis), or f itself when f* is unknown (a linear one). */
  private relative = true;
  private readonly hidden = new Set<string>();
  /** The playback step marked by a vertical line (null: none); on the step axis only. */
  private cursor: number | null = null;

  constructor(
    canvas: HTMLCanvasElement,
    private theme: Theme,
    opts: { aspectRatio?: number; legend?: boolean } = {},
  ) {
    const cursor: Plugin<'line'> = { id: 'stepCursor', afterDatasetsDraw: (chart) => this.drawCursor(chart) };
    this.chart = new Chart<'line', XY[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [cursor],
      options: {
        animation: false,
        responsive: true,
        aspectRatio: opts.aspectRatio ?? 2,
        parsing: false,
        normalized: true,
        spanGaps: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' } },
          y: {
            type: 'logarithmic',
            title: { display: true, text: 'f − f*' },
            ticks: { callback: logTick },
          },
        },
        plugins: {
          legend: {
            display: opts.legend ?? true,
            position: 'bottom',
            labels: {
              filter: (item, data) => (data.datasets[item.datasetIndex!] as Dataset).role === 'median',
              boxHeight: 2,
              padding: 14,
            },
            onClick: (_e, item) => this.toggle(item),
          },
          tooltip: {
            filter: (item) => (item.dataset as Dataset).role === 'median',
            callbacks: { label: (item) => `${item.dataset.label}: ${formatNumber(this.valueAt(item))}` },
          },
        },
      },
    });
    this.applyTheme();
  }

  /**
   * New curves (a progress update or a result); `nsPerStep` by optimizer id enables the time axis; `fStarKnown`
   * false means the curves are f itself.
   */
  setSeries(
    series: readonly CurveSeries[],
    nsPerStep: ReadonlyMap<string, number> = new Map(),
    fStarKnown = this.relative,
  ): void {
    this.series = series;
    this.nsPerStep = nsPerStep;
    this.relative = fStarKnown;
    this.rebuild();
  }

  /** Marks playback's step (null: no mark); only the marker is redrawn, the curves are not rebuilt. */
  setCursor(step: number | null): void {
    if (step === this.cursor) return;
    this.cursor = step;
    this.chart.draw();
  }

  setMode(mode: XAxisMode): void {
    this.mode = mode;
    this.rebuild();
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.applyTheme();
    this.rebuild();
  }

  /** Whether every series has a time per step, so the time axis means something. */
  get timeAvailable(): boolean {
    return this.series.length > 0 && this.series.every((s) => this.nsPerStep.has(s.id));
  }

  /** The value a tooltip names: the curve's own number, whatever scale it is drawn on. */
  private valueAt(item: { datasetIndex: number; dataIndex: number; parsed: { y: number | null } }): number | null {
    const d = this.chart.data.datasets[item.datasetIndex] as Dataset;
    return this.series.find((s) => s.id === d.seriesId)?.median[item.dataIndex] ?? item.parsed.y;
  }

  private toggle(item: LegendItem): void {
    const id = (this.chart.data.datasets[item.datasetIndex!] as Dataset).seriesId;
    if (this.hidden.has(id)) this.hidden.delete(id);
    else this.hidden.add(id);
    this.rebuild();
  }

  private applyTheme(): void {
    applyChartTheme(this.chart, this.theme, 0.45);
  }

  private drawCursor(chart: Chart): void {
    if (this.cursor === null || (this.mode === 'time' && this.timeAvailable) || !this.series.length) return;
    const a = chart.chartArea;
    const x = chart.scales.x.getPixelForValue(this.cursor);
    if (!(x >= a.left && x <= a.right)) return;
    const { ctx } = chart;
    ctx.save();
    ctx.strokeStyle = this.theme.foreground;
    ctx.globalAlpha = 0.7;
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(Math.round(x) + 0.5, a.top);
    ctx.lineTo(Math.round(x) + 0.5, a.bottom);
    ctx.stroke();
    ctx.restore();
  }

  private rebuild(): void {
    const time = this.mode === 'time' && this.timeAvailable;
    const datasets: Dataset[] = [];
    for (const s of this.series) {
      const colour = s.colour;
      const d = curveData(s, time ? 'time' : 'step', this.nsPerStep.get(s.id) ?? null, this.relative);
      const hidden = this.hidden.has(s.id);
      const common = { seriesId: s.id, hidden, pointRadius: 0, pointHoverRadius: 0, borderColor: colour };
      datasets.push({ ...common, role: 'q1', label: `${s.label} q1`, data: d.q1, borderWidth: 0, fill: false });
      datasets.push({
        ...common,
        role: 'q3',
        label: `${s.label} q3`,
        data: d.q3,
        borderWidth: 0,
        fill: '-1',
        backgroundColor: withAlpha(colour, 0.2),
      });
      datasets.push({
        ...common,
        role: 'median',
        label: s.label,
        data: d.median,
        borderWidth: 2,
        backgroundColor: colour,
        pointHoverRadius: 3,
      });
    }
    const range = this.relative ? logAxisRange(this.series) : symlogRange(this.series);
    const y = this.chart.options.scales!.y!;
    Object.assign(y, { type: this.relative ? 'logarithmic' : 'linear', min: range?.min, max: range?.max });
    (y.title as { text: string }).text = this.relative ? 'f − f*' : 'f (f* unknown)';
    (y.ticks as { callback: unknown; stepSize?: number }).callback = this.relative
      ? logTick
      : (v: number | string) => symlogTick(Number(v));
    const x = this.chart.options.scales!.x!;
    (x.title as { text: string }).text = time ? 'time (ms)' : 'step';
    this.chart.data.datasets = datasets;
    this.chart.update('none');
  }
}
