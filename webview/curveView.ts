/**
 * The view of a function of one variable: the curve f(x) from the host's samples (nulls are gaps; linear or log y),
 * its known minima, and the trajectories' points moving along it (a TrajectoryLayer over the chart). Hovering reads
 * out the nearest sample; a click, or Enter at the keyboard cursor (← / → move it), adds a start at that x.
 */
import {
  Chart,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  type ChartDataset,
} from 'chart.js';
import type { XY } from './chartData';
import { h } from './dom';
import { chartHover, HoverTip, nearestIndex, pointRows } from './readouts';
import { applyChartTheme, type Theme } from './theme';
import { TrajectoryLayer, type TrajectoryGroup } from './trajectoryLayer';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale);

export interface CurveInput {
  /** The variable's name, for the axis and the readout. */
  readonly variable: string;
  /** Ascending sample positions over the domain, and f there (null where undefined). */
  readonly xs: readonly number[];
  readonly fs: readonly (number | null)[];
  readonly logY: boolean;
  /** The y axis title: "f(x)", or "f − f*" when the host plots the gap. */
  readonly fLabel: string;
  readonly minima: readonly { readonly x: number; readonly f: number }[];
}

export interface CurveEvents {
  addStart(x: number): void;
  /** The sample under the pointer or the keyboard cursor, or null when it leaves. */
  hover?(sample: { x: number; f: number | null } | null): void;
}

export class CurveView {
  readonly root: HTMLElement;
  readonly chart: Chart<'line' | 'scatter', XY[]>;
  readonly layer: TrajectoryLayer;
  private input: CurveInput | null = null;
  /** The starts placed on this function (their x), drawn on the curve. */
  private starts: readonly number[] = [];
  private readonly tip: HoverTip;
  private cursor = -1;

  /** `fill`: the chart takes its box's size (the Lab sizes the box to the screen) instead of a fixed aspect ratio. */
  constructor(
    private theme: Theme,
    private readonly events: CurveEvents,
    opts: { fill?: boolean } = {},
  ) {
    const canvas = h('canvas', {
      role: 'img',
      tabindex: '0',
      'aria-label': 'The function of one variable with the trajectories on it; click or press Enter to add a start',
    }) as HTMLCanvasElement;
    const box = h('div', { class: 'chart-box' }, canvas);
    this.root = h('div', { class: 'curve-view' }, box);
    this.tip = new HoverTip(box);
    this.chart = new Chart<'line' | 'scatter', XY[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: !opts.fill,
        aspectRatio: 1.8,
        parsing: false,
        // The nearest sample along x is the active one: chart.js enlarges its point, the tip gives its numbers.
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'x' } },
          y: { type: 'linear', title: { display: true, text: 'f(x)' } },
        },
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        onClick: (e) => {
          const a = this.chart.chartArea;
          if (e.x === null || e.y === null || e.x < a.left || e.x > a.right || e.y < a.top || e.y > a.bottom) return;
          const x = this.chart.scales.x.getValueForPixel(e.x);
          if (x !== undefined) this.events.addStart(x);
        },
      },
    });
    chartHover(this.chart, this.tip, (x) => this.readout(x));
    canvas.addEventListener('mouseleave', () => this.events.hover?.(null));
    canvas.addEventListener('keydown', (e) => this.key(e));
    canvas.addEventListener('blur', () => this.tip.hide());
    this.layer = TrajectoryLayer.over(this.chart);
    applyChartTheme(this.chart, theme, 0.35);
  }

  set(input: CurveInput): void {
    if (!this.input) applyChartTheme(this.chart, this.theme, 0.35);
    this.input = input;
    this.cursor = -1;
    const s = this.chart.options.scales!;
    Object.assign(s.x!, { min: input.xs[0], max: input.xs[input.xs.length - 1] });
    (s.x!.title as { text: string }).text = input.variable;
    s.y!.type = input.logY ? 'logarithmic' : 'linear';
    (s.y!.title as { text: string }).text = input.fLabel;
    this.rebuild();
  }

  /** The placed starts, drawn as rings on the curve at f of the nearest sample. */
  setStarts(xs: readonly number[]): void {
    this.starts = xs;
    this.rebuild();
  }

  setTrajectories(groups: readonly TrajectoryGroup[]): void {
    this.layer.setData(groups);
  }

  setStep(k: number): void {
    this.layer.setStep(k);
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.layer.refreshTheme();
    // A chart not drawn yet (no curve set) takes the theme when it is: chart.js cannot resolve a never-drawn
    // chart's scale options.
    if (!this.input) return;
    applyChartTheme(this.chart, theme, 0.35);
    this.rebuild();
  }

  dispose(): void {
    this.layer.dispose();
    this.chart.destroy();
    this.root.remove();
  }

  private rebuild(): void {
    const c = this.input;
    if (!c) return;
    const t = this.theme;
    // On a log axis a value ≤ 0 cannot be drawn: a gap, as an undefined value is.
    const y = (f: number | null) => (f === null || !Number.isFinite(f) || (c.logY && f <= 0) ? NaN : f);
    const datasets: ChartDataset<'line' | 'scatter', XY[]>[] = [
      {
        type: 'line',
        label: 'f',
        data: c.xs.map((x, i) => ({ x, y: y(c.fs[i]) })),
        borderColor: t.foreground,
        borderWidth: 1.6,
        pointRadius: 0,
        pointHoverRadius: 4,
        pointHoverBackgroundColor: t.foreground,
        spanGaps: false,
      },
      {
        type: 'scatter',
        label: 'Known minima',
        data: c.minima.map((m) => ({ x: m.x, y: y(m.f) })),
        pointStyle: 'star',
        pointRadius: 8,
        pointHoverRadius: 8,
        pointBorderWidth: 2,
        borderColor: t.foreground,
        backgroundColor: t.foreground,
      },
      {
        type: 'scatter',
        label: 'Placed starts',
        data: this.starts.map((x) => ({ x, y: y(c.fs[nearestIndex(c.xs, x)]) })),
        pointStyle: 'circle',
        pointRadius: 5,
        pointHoverRadius: 5,
        pointBorderWidth: 2,
        borderColor: t.foreground,
        backgroundColor: 'transparent',
      },
    ];
    this.chart.data.datasets = datasets;
    this.chart.update('none');
  }

  private readout(x: number): ReturnType<typeof pointRows> | null {
    const c = this.input;
    if (!c || !Number.isFinite(x) || c.xs.length === 0) return null;
    const i = nearestIndex(c.xs, x);
    this.events.hover?.({ x: c.xs[i], f: c.fs[i] });
    return pointRows([c.variable], [c.xs[i]], c.fs[i]);
  }

  /** ← / → move a cursor over the samples (Shift: ten at a time); Enter adds a start there. */
  private key(e: KeyboardEvent): void {
    const c = this.input;
    if (!c || c.xs.length === 0) return;
    if (e.key === 'Enter' && this.cursor >= 0) {
      this.events.addStart(c.xs[this.cursor]);
      e.preventDefault();
      return;
    }
    const d = { ArrowLeft: -1, ArrowRight: 1 }[e.key as string];
    if (!d) return;
    e.preventDefault();
    const from = this.cursor < 0 ? Math.floor(c.xs.length / 2) : this.cursor + d * (e.shiftKey ? 10 : 1);
    this.cursor = Math.min(c.xs.length - 1, Math.max(0, from));
    const el = this.chart.getDatasetMeta(0).data[this.cursor];
    this.chart.setActiveElements([{ datasetIndex: 0, index: this.cursor }]);
    this.chart.update('none');
    const canvas = this.chart.canvas;
    // At a gap (f undefined there) the tip sits at mid-height.
    const y = Number.isFinite(el.y) ? el.y : (this.chart.chartArea.top + this.chart.chartArea.bottom) / 2;
    this.tip.show(canvas.offsetLeft + el.x, canvas.offsetTop + y, this.readout(c.xs[this.cursor]) ?? []);
  }
}
