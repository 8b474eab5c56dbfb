/**
 * The decision boundary (DecisionBoundaryData; issue 11 §2, TensorFlow Playground's main view for any model of a
 * `.cost` file): the model's output over the plane of its two input columns as a heat map, with the training points
 * (filled) and the test points (rings), following the animation's step (`setStep`: the last recorded frame at or
 * before it). A binary target is drawn in the two labels' colours, strongest where the model is surest
 * (tanh(s/2) = 2p − 1 for a likelihood loss), with the boundary s = 0 as a line; a regression target in viridis
 * over the target's range, with its iso-lines. Hovering reads the output under the pointer.
 */
import {
  Chart,
  Legend,
  LinearScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartDataset,
  type Plugin,
} from 'chart.js';
import { formatNumber } from '../../src/present/format';
import type { DecisionBoundaryData } from '../../src/shared/modelViewShapes';
import { contourLevels, contourLines, type XY } from '../chartData';
import { viridis } from '../colormap';
import { card, h } from '../dom';
import { applyChartTheme, withAlpha, type Theme } from '../theme';
import { drawGridLayer, frameAt, gridRGBA, imageOf, mix, nearestValue, rgbOf, type RGB } from './planeLayers';

Chart.register(ScatterController, PointElement, LinearScale, Legend, Tooltip);

/** How much of a label's colour the surest cells take (the points keep theirs in full). */
const STRENGTH = 0.7;

export class BoundaryView {
  readonly root: HTMLElement;
  readonly chart: Chart<'scatter', XY[]>;
  private readonly readout: HTMLElement;
  private readonly stepText: HTMLElement;
  private readonly hint: HTMLElement;
  private data: DecisionBoundaryData | null = null;
  private frame = 0;
  private layer: { image: HTMLCanvasElement; lines: XY[][][] } | null = null;

  constructor(private theme: Theme) {
    const canvas = h('canvas', { role: 'img', 'aria-label': 'Decision boundary' }) as HTMLCanvasElement;
    this.readout = h('p', { class: 'hint readout', 'aria-live': 'polite' }, 'Hover the plane to read the output.');
    this.hint = h('p', { class: 'hint' });
    this.stepText = h('span', { class: 'hint' });
    const layers: Plugin<'scatter'> = { id: 'boundaryLayer', beforeDatasetsDraw: (c) => this.drawLayer(c) };
    this.chart = new Chart<'scatter', XY[]>(canvas, {
      type: 'scatter',
      data: { datasets: [] },
      plugins: [layers],
      options: {
        animation: false,
        responsive: true,
        aspectRatio: 1.1,
        scales: {
          x: { type: 'linear', title: { display: true, text: '' }, ticks: { includeBounds: false } },
          y: { type: 'linear', title: { display: true, text: '' }, ticks: { includeBounds: false } },
        },
        onHover: (e) => this.hover(e.x ?? NaN, e.y ?? NaN),
        plugins: {
          legend: { position: 'bottom', labels: { usePointStyle: true, boxHeight: 7, padding: 12 } },
          tooltip: {
            callbacks: {
              label: (item) =>
                `${item.dataset.label}: (${formatNumber(item.parsed.x)}, ${formatNumber(item.parsed.y)})`,
            },
          },
        },
      },
    });
    applyChartTheme(this.chart, theme, 0.3);
    this.root = card(
      'Decision boundary',
      [this.stepText],
      h('div', {}, this.hint, h('div', { class: 'chart-box boundary-box' }, canvas), this.readout),
      'boundary-card',
    );
  }

  set(data: DecisionBoundaryData): void {
    this.data = data;
    this.root.querySelector('header h2')!.textContent = data.title;
    const [lo, hi] = data.levels.map((v) => formatNumber(v));
    this.hint.textContent =
      data.kind === 'binary'
        ? `The model's output s = ℓ(${lo}) − ℓ(${hi}), its loss with each label (the log-odds for a likelihood loss): ` +
          `blue where it prefers ${data.target} ${hi}, orange for ${lo}, stronger where surer; the line is s = 0. ` +
          'Filled: training rows, rings: test rows.'
        : `The model's prediction of ${data.target} (the target minimising its loss), on the colour scale of the ` +
          `targets (${lo} to ${hi}). Filled: training rows, rings: test rows.`;
    const o = this.chart.options.scales!;
    (o.x!.title as { text: string }).text = data.xLabel;
    (o.y!.title as { text: string }).text = data.yLabel;
    Object.assign(o.x!, { min: data.xs[0], max: data.xs[data.xs.length - 1] });
    Object.assign(o.y!, { min: data.ys[0], max: data.ys[data.ys.length - 1] });
    this.chart.canvas.setAttribute(
      'aria-label',
      `${data.title}: the model's output over ${data.xLabel} and ${data.yLabel}, with ${data.train.x.length} training ` +
        `and ${data.test.x.length} test points coloured by ${data.target}`,
    );
    this.showFrame(data.frames.length - 1);
  }

  /** Follows the animation: the last frame recorded at or before `step`. */
  setStep(step: number): void {
    if (!this.data) return;
    this.showFrame(
      frameAt(
        this.data.frames.map((f) => f.step),
        step,
      ),
    );
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    applyChartTheme(this.chart, theme, 0.3);
    if (this.data) this.showFrame(this.frame);
  }

  /** The colour of an output value (the heat map's). */
  colourOf(v: number): RGB {
    const d = this.data!;
    const bg = rgbOf(this.theme.background);
    if (d.kind === 'regression') return mix(bg, viridis((v - d.levels[0]) / (d.levels[1] - d.levels[0])), 0.85);
    const t = Math.tanh(v / 2);
    return mix(bg, rgbOf(this.labelColour(t > 0 ? 1 : 0)), STRENGTH * Math.abs(t));
  }

  /** Label k's colour (0: the lower label, 1: the higher), as TensorFlow Playground: orange and blue. */
  private labelColour(k: 0 | 1): string {
    return this.theme.palette[k === 1 ? 0 : 1];
  }

  private showFrame(k: number): void {
    const d = this.data!;
    this.frame = k;
    const f = d.frames[k];
    const nx = d.xs.length;
    const ny = d.ys.length;
    const grid = { xs: d.xs, ys: d.ys, values: f.values };
    const levels = d.kind === 'binary' ? [0] : contourLevels({ lo: d.levels[0], hi: d.levels[1] }, 5);
    this.layer = {
      image: imageOf(
        gridRGBA(f.values, nx, ny, (v) => this.colourOf(v)),
        nx,
        ny,
      ),
      lines: contourLines(grid, levels).map((c) => c.lines),
    };
    this.stepText.textContent = `step ${f.step}`;
    this.chart.data.datasets = this.pointSets(d);
    this.chart.update('none');
  }

  private pointSets(d: DecisionBoundaryData): ChartDataset<'scatter', XY[]>[] {
    const bg = this.theme.background;
    const sets: ChartDataset<'scatter', XY[]>[] = [];
    const xy = (p: DecisionBoundaryData['train'], keep: (t: number) => boolean) =>
      p.x.flatMap((x, i) => (keep(p.target[i]) ? [{ x, y: p.y[i] }] : []));
    const point = (test: boolean, colour: string | string[]) => ({
      pointRadius: test ? 3.5 : 3,
      pointHoverRadius: 5,
      borderWidth: test ? 2 : 1,
      borderColor: test ? colour : withAlpha(bg, 0.9),
      backgroundColor: test ? withAlpha(bg, 0.9) : colour,
    });
    for (const [name, p] of [
      ['training', d.train],
      ['test', d.test],
    ] as const) {
      if (p.x.length === 0) continue;
      const test = name === 'test';
      if (d.kind === 'binary') {
        for (const k of [0, 1] as const) {
          const label = d.levels[k];
          sets.push({
            label: `${d.target} ${formatNumber(label)} (${name})`,
            data: xy(p, (t) => t === label),
            ...point(test, this.labelColour(k)),
          });
        }
      } else {
        const colours = p.target.map((t) => {
          const [r, g, b] = viridis((t - d.levels[0]) / (d.levels[1] - d.levels[0]));
          return `rgb(${r}, ${g}, ${b})`;
        });
        sets.push({ label: `${name} rows`, data: xy(p, () => true), ...point(test, colours) });
      }
    }
    return sets;
  }

  private drawLayer(chart: Chart): void {
    const d = this.data;
    if (!d || !this.layer) return;
    drawGridLayer(chart, this.layer.image, d.xs, d.ys, [
      {
        points: this.layer.lines.flat(),
        colour: d.kind === 'binary' ? this.theme.foreground : 'rgba(255, 255, 255, 0.6)',
        width: d.kind === 'binary' ? 2 : 1,
      },
    ]);
  }

  private hover(px: number, py: number): void {
    const d = this.data;
    if (!d) return;
    const x = this.chart.scales.x.getValueForPixel(px);
    const y = this.chart.scales.y.getValueForPixel(py);
    if (x === undefined || y === undefined) return;
    const v = nearestValue(d.xs, d.ys, d.frames[this.frame].values, x, y);
    if (v === null) return;
    const at = `${d.xLabel} = ${formatNumber(x)}, ${d.yLabel} = ${formatNumber(y)}`;
    this.readout.textContent =
      d.kind === 'binary'
        ? `${at}: s = ℓ(${formatNumber(d.levels[0])}) − ℓ(${formatNumber(d.levels[1])}) = ${formatNumber(v)}, ` +
          `prefers ${d.target} ${formatNumber(d.levels[v > 0 ? 1 : 0])}`
        : `${at}: predicted ${d.target} ${formatNumber(v)}`;
  }
}
