/**
 * One band chart (BandChartData): per configuration a line — the mean or the median over starts — and the band
 * between the first and third quartiles, against the step or the epoch, on a log or linear y axis, with the
 * data's reference lines (the paper's 10⁻³, α = 2) and faded stretches where the data marks them (Sprunger 2020,
 * Fig. 6c). The legend toggles a series. Training and test curves and the Rosetta stone are all drawn with it. A
 * step cursor (`setCursor`) marks the animation's step, as the Lab's convergence chart does.
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
  type ScriptableLineSegmentContext,
} from 'chart.js';
import type { BandChartData } from '../../src/shared/dataViewShapes';
import { formatNumber } from '../../src/present/format';
import type { XY } from '../chartData';
import { applyChartTheme, withAlpha, type Theme } from '../theme';
import { bandPoints, bandRange, fadedSegment, type BandAxis, type BandLine } from './bandData';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Filler, Legend, Tooltip);

type Role = 'q1' | 'q3' | 'line';
type Dataset = ChartDataset<'line', XY[]> & { seriesId: string; role: Role };

/** How much of its colour a faded stretch keeps. */
const FADED = 0.25;

export class BandChart {
  readonly chart: Chart<'line', XY[]>;
  private data: BandChartData | null = null;
  private axis: BandAxis = 'step';
  private line: BandLine = 'mean';
  private readonly hidden = new Set<string>();
  private cursor: number | null = null;

  constructor(
    canvas: HTMLCanvasElement,
    private theme: Theme,
    opts: { aspectRatio?: number } = {},
  ) {
    const references: Plugin<'line'> = { id: 'references', afterDatasetsDraw: (chart) => this.drawReferences(chart) };
    this.chart = new Chart<'line', XY[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [references],
      options: {
        animation: false,
        responsive: true,
        aspectRatio: opts.aspectRatio ?? 1.5,
        parsing: false,
        normalized: true,
        spanGaps: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' } },
          y: { type: 'logarithmic', title: { display: true, text: '' } },
        },
        plugins: {
          legend: {
            position: 'bottom',
            labels: {
              filter: (item, data) => (data.datasets[item.datasetIndex!] as Dataset).role === 'line',
              boxHeight: 2,
              boxWidth: 18,
              padding: 10,
            },
            onClick: (_e, item) => this.toggle(item),
          },
          tooltip: {
            filter: (item) => (item.dataset as Dataset).role === 'line',
            callbacks: { label: (item) => `${item.dataset.label}: ${formatNumber(item.parsed.y)}` },
          },
        },
      },
    });
    applyChartTheme(this.chart, theme, 0.45);
  }

  /** New data, drawn with its own line and x axis (setLine and setAxis change them after). */
  set(data: BandChartData): void {
    this.data = data;
    this.line = data.line;
    this.axis = data.axis;
    this.rebuild();
  }

  /** Step or epoch on the x axis (epoch only when the data counts steps per epoch). */
  setAxis(axis: BandAxis): void {
    this.axis = axis;
    this.rebuild();
  }

  /** A vertical line at this step (in epochs when the x axis counts them); null: none. */
  setCursor(step: number | null): void {
    this.cursor = step;
    this.chart.draw();
  }

  setLine(line: BandLine): void {
    this.line = line;
    this.rebuild();
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    applyChartTheme(this.chart, theme, 0.45);
    this.rebuild();
  }

  private toggle(item: LegendItem): void {
    const id = (this.chart.data.datasets[item.datasetIndex!] as Dataset).seriesId;
    if (this.hidden.has(id)) this.hidden.delete(id);
    else this.hidden.add(id);
    this.rebuild();
  }

  private rebuild(): void {
    const d = this.data;
    if (!d) return;
    const axis = d.epochSteps === null ? 'step' : this.axis;
    const datasets: Dataset[] = [];
    for (const s of d.series) {
      const colour = this.theme.palette[s.colour % this.theme.palette.length];
      const pts = bandPoints(s, this.line, axis, d.scale, d.epochSteps);
      const hidden = this.hidden.has(s.id);
      const common = { seriesId: s.id, hidden, pointRadius: 0, pointHoverRadius: 0, borderColor: colour };
      const faded = (c: ScriptableLineSegmentContext, full: string, dim: string) =>
        fadedSegment(s, c.p0DataIndex) ? dim : full;
      datasets.push({ ...common, role: 'q1', label: `${s.label} q1`, data: pts.q1, borderWidth: 0, fill: false });
      datasets.push({
        ...common,
        role: 'q3',
        label: `${s.label} q3`,
        data: pts.q3,
        borderWidth: 0,
        fill: '-1',
        backgroundColor: withAlpha(colour, 0.16),
        segment: {
          backgroundColor: (c) => faded(c, withAlpha(colour, 0.16), withAlpha(colour, 0.16 * FADED)),
        },
      });
      datasets.push({
        ...common,
        role: 'line',
        label: s.label,
        data: pts.line,
        borderWidth: 2,
        backgroundColor: colour,
        pointHoverRadius: 3,
        segment: { borderColor: (c) => faded(c, colour, withAlpha(colour, FADED)) },
      });
    }
    const o = this.chart.options.scales!;
    const range = bandRange(d, (s) => !this.hidden.has(s.id));
    Object.assign(o.y!, { type: d.scale === 'log' ? 'logarithmic' : 'linear', min: range?.min, max: range?.max });
    (o.y!.title as { text: string }).text = `${d.quantity} (${this.line})`;
    (o.x!.title as { text: string }).text = axis;
    const last = Math.max(0, ...d.series.flatMap((s) => s.steps.slice(-1)));
    Object.assign(o.x!, { min: 0, max: axis === 'epoch' && d.epochSteps ? last / d.epochSteps : last });
    const ticks = o.y!.ticks as { callback?: (v: number | string) => string };
    ticks.callback =
      d.scale === 'log'
        ? (v) => {
            const e = Math.log10(Number(v));
            return Number.isInteger(e) ? `1e${e}` : '';
          }
        : (v) => formatNumber(Number(v));
    this.chart.data.datasets = datasets;
    this.chart.update('none');
  }

  private drawReferences(chart: Chart): void {
    const d = this.data;
    if (!d) return;
    const { ctx, chartArea: a } = chart;
    const y = chart.scales.y;
    ctx.save();
    ctx.setLineDash([4, 4]);
    ctx.strokeStyle = this.theme.muted;
    ctx.fillStyle = this.theme.muted;
    ctx.lineWidth = 1;
    ctx.font = `${this.theme.fontSize - 2}px ${this.theme.fontFamily}`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    for (const r of d.references) {
      const py = y.getPixelForValue(r.value);
      if (!(py >= a.top && py <= a.bottom)) continue;
      ctx.beginPath();
      ctx.moveTo(a.left, py);
      ctx.lineTo(a.right, py);
      ctx.stroke();
      ctx.fillText(r.label, a.right - 4, py - 2);
    }
    if (this.cursor !== null) {
      const epochs = this.axis === 'epoch' && d.epochSteps !== null;
      const px = chart.scales.x.getPixelForValue(epochs ? this.cursor / d.epochSteps! : this.cursor);
      if (px >= a.left && px <= a.right) {
        ctx.setLineDash([]);
        ctx.strokeStyle = this.theme.foreground;
        ctx.globalAlpha = 0.6;
        ctx.beginPath();
        ctx.moveTo(px, a.top);
        ctx.lineTo(px, a.bottom);
        ctx.stroke();
      }
    }
    ctx.restore();
  }
}
