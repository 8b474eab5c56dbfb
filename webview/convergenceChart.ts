/**
 * Convergence: per optimizer the median of f − f* over the lanes with its q1–q3 band, on a log scale, against
 * the step or the wall time (Baiesi 2019, Fig. 2). Used by the Lab panel and the sidebar view.
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
} from 'chart.js';
import { formatNumber } from '../src/present/format';
import type { CurveSeries } from '../src/shared/runShapes';
import { curveData, logAxisRange, type XAxisMode, type XY } from './chartData';
import { applyChartTheme, withAlpha, type Theme } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Filler, Legend, Tooltip);

type Role = 'q1' | 'q3' | 'median';
type Dataset = ChartDataset<'line', XY[]> & { seriesId: string; role: Role };

export class ConvergenceChart {
  readonly chart: Chart<'line', XY[]>;
  private series: readonly CurveSeries[] = [];
  private nsPerStep: ReadonlyMap<string, number> = new Map();
  private mode: XAxisMode = 'step';
  private readonly hidden = new Set<string>();

  constructor(
    canvas: HTMLCanvasElement,
    private theme: Theme,
    opts: { aspectRatio?: number; legend?: boolean } = {},
  ) {
    this.chart = new Chart<'line', XY[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
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
            ticks: {
              callback: (v) => {
                const e = Math.log10(Number(v));
                return Number.isInteger(e) ? `1e${e}` : '';
              },
            },
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
            callbacks: { label: (item) => `${item.dataset.label}: ${formatNumber(item.parsed.y)}` },
          },
        },
      },
    });
    this.applyTheme();
  }

  /** New curves (a progress update or a result); `nsPerStep` by optimizer id enables the time axis. */
  setSeries(series: readonly CurveSeries[], nsPerStep: ReadonlyMap<string, number> = new Map()): void {
    this.series = series;
    this.nsPerStep = nsPerStep;
    this.rebuild();
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

  private toggle(item: LegendItem): void {
    const id = (this.chart.data.datasets[item.datasetIndex!] as Dataset).seriesId;
    if (this.hidden.has(id)) this.hidden.delete(id);
    else this.hidden.add(id);
    this.rebuild();
  }

  private applyTheme(): void {
    applyChartTheme(this.chart, this.theme, 0.45);
  }

  private rebuild(): void {
    const time = this.mode === 'time' && this.timeAvailable;
    const datasets: Dataset[] = [];
    for (const s of this.series) {
      const colour = this.theme.palette[s.colour % this.theme.palette.length];
      const d = curveData(s, time ? 'time' : 'step', this.nsPerStep.get(s.id) ?? null);
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
    const range = logAxisRange(this.series);
    Object.assign(this.chart.options.scales!.y!, { min: range?.min, max: range?.max });
    const x = this.chart.options.scales!.x!;
    (x.title as { text: string }).text = time ? 'time (ms)' : 'step';
    this.chart.data.datasets = datasets;
    this.chart.update('none');
  }
}
