/**
 * The loss landscape along a path (ProjectionData; Li et al. 2018, "Visualizing the Loss Landscape of Neural
 * Nets"): log₁₀ of the training loss on the plane of the selected run's two principal directions as a viridis heat
 * map with iso-lines, the selected path (thick) and the other optimizers' paths from the same start projected on
 * it, ○ at each start, ◆ at each end, and a dot where each path is at the animation's step (`setStep`). The axes
 * say how much of the path's spread each direction holds. Hovering reads the loss under the pointer.
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
  type Plugin,
} from 'chart.js';
import { formatNumber } from '../../src/present/format';
import type { ProjectionData } from '../../src/shared/modelViewShapes';
import { contourLevels, contourLines, valueRange, type XY } from '../chartData';
import { viridis } from '../colormap';
import { COLOUR_BAR, drawColourBar } from '../colourBar';
import { card, h } from '../dom';
import { applyChartTheme, type Theme } from '../theme';
import { drawGridLayer, frameAt, gridRGBA, imageOf, nearestValue } from './planeLayers';

Chart.register(ScatterController, LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

const CONTOURS = 12;

type Dataset = ChartDataset<'scatter', XY[]> & { role?: 'path' | 'marker' | 'cursor'; pathIndex?: number };

export class ProjectionView {
  readonly root: HTMLElement;
  readonly chart: Chart<'scatter', XY[]>;
  private readonly readout: HTMLElement;
  private data: ProjectionData | null = null;
  private step = Infinity;
  private layer: { image: HTMLCanvasElement; lines: XY[][]; range: { lo: number; hi: number } } | null = null;

  constructor(private theme: Theme) {
    const canvas = h('canvas', { role: 'img', 'aria-label': 'Loss along the path' }) as HTMLCanvasElement;
    this.readout = h('p', { class: 'hint readout', 'aria-live': 'polite' }, 'Hover the plane to read the loss.');
    const layers: Plugin<'scatter'> = {
      id: 'projectionLayer',
      beforeDatasetsDraw: (c) => this.drawLayer(c),
      afterDraw: (c) => this.drawBar(c),
    };
    this.chart = new Chart<'scatter', XY[]>(canvas, {
      type: 'scatter',
      data: { datasets: [] },
      plugins: [layers],
      options: {
        animation: false,
        responsive: true,
        aspectRatio: 1.1,
        layout: { padding: { right: COLOUR_BAR.gap + COLOUR_BAR.width + 40 } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'd₁' }, ticks: { includeBounds: false } },
          y: { type: 'linear', title: { display: true, text: 'd₂' }, ticks: { includeBounds: false } },
        },
        onHover: (e) => this.hover(e.x ?? NaN, e.y ?? NaN),
        plugins: {
          legend: {
            position: 'bottom',
            labels: {
              usePointStyle: true,
              boxHeight: 7,
              padding: 12,
              filter: (item, data) => (data.datasets[item.datasetIndex!] as Dataset).role === 'path',
            },
          },
          tooltip: {
            filter: (item) => (item.dataset as Dataset).role !== 'marker',
            callbacks: {
              label: (item) => {
                const d = this.data!;
                const p = d.paths[(item.dataset as Dataset).pathIndex!];
                const k = item.dataIndex;
                return `${p.label}: step ${p.steps[k] ?? ''}, F = ${formatNumber(p.f[k])}`;
              },
            },
          },
        },
      },
    });
    applyChartTheme(this.chart, theme, 0.3);
    this.root = card(
      'Loss along the path',
      [],
      h(
        'div',
        {},
        h(
          'p',
          { class: 'hint' },
          'log₁₀ F on the plane of the path’s two principal directions, centred on its last iterate (Li et al. 2018); ○ start, ◆ end, ● the current step.',
        ),
        h('div', { class: 'chart-box projection-box' }, canvas),
        this.readout,
      ),
      'projection-card',
    );
  }

  set(data: ProjectionData): void {
    this.data = data;
    this.root.querySelector('header h2')!.textContent = data.title;
    const o = this.chart.options.scales!;
    const pct = (v: number) => `${formatNumber(100 * v, { digits: 3 })} %`;
    (o.x!.title as { text: string }).text = `d₁ (${pct(data.explained[0])} of the path’s spread)`;
    (o.y!.title as { text: string }).text = `d₂ (${pct(data.explained[1])})`;
    Object.assign(o.x!, { min: data.as[0], max: data.as[data.as.length - 1] });
    Object.assign(o.y!, { min: data.bs[0], max: data.bs[data.bs.length - 1] });
    this.chart.canvas.setAttribute(
      'aria-label',
      `${data.title}: log₁₀ of the training loss over the plane, with ${data.paths.length} path${data.paths.length > 1 ? 's' : ''}`,
    );
    const range = valueRange(data.logLoss) ?? { lo: 0, hi: 1 };
    const nx = data.as.length;
    const ny = data.bs.length;
    this.layer = {
      image: imageOf(
        gridRGBA(data.logLoss, nx, ny, (v) => viridis((v - range.lo) / (range.hi - range.lo))),
        nx,
        ny,
      ),
      lines: contourLines({ xs: data.as, ys: data.bs, values: data.logLoss }, contourLevels(range, CONTOURS)).flatMap(
        (c) => c.lines,
      ),
      range,
    };
    this.rebuild();
  }

  /** Follows the animation: each path's dot at its last iterate recorded at or before `step`. */
  setStep(step: number): void {
    this.step = step;
    this.rebuild();
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    applyChartTheme(this.chart, theme, 0.3);
    this.rebuild();
  }

  private rebuild(): void {
    const d = this.data;
    if (!d) return;
    const sets: Dataset[] = [];
    d.paths.forEach((p, i) => {
      const colour = this.theme.palette[p.colour % this.theme.palette.length];
      const pts = p.a.flatMap((a, k) => (a !== null && p.b[k] !== null ? [{ x: a, y: p.b[k]! }] : []));
      if (pts.length === 0) return;
      const common = { pathIndex: i, borderColor: colour, backgroundColor: colour };
      sets.push({
        ...common,
        role: 'path',
        // chart.js draws higher orders first: other paths, then the plane's path, then markers and dots on top.
        order: p.main ? 2 : 3,
        label: p.main ? `${p.label} (the plane’s path)` : p.label,
        data: pts,
        showLine: true,
        borderWidth: p.main ? 2.5 : 1.5,
        pointRadius: 0,
        pointHoverRadius: 4,
        pointHitRadius: 4,
      });
      const k = frameAt(p.steps, this.step);
      const halo = this.theme.background;
      sets.push({
        ...common,
        role: 'marker',
        order: 1,
        label: `${p.label} start and end`,
        data: [pts[0], pts[pts.length - 1]],
        pointStyle: ['circle', 'rectRot'],
        pointRadius: [5, 5],
        backgroundColor: [halo, colour],
        borderWidth: 2,
      });
      if (p.a[k] !== null && p.b[k] !== null)
        sets.push({
          ...common,
          role: 'cursor',
          order: 0,
          label: `${p.label} at step ${p.steps[k]}`,
          data: [{ x: p.a[k]!, y: p.b[k]! }],
          pointRadius: 5,
          borderColor: halo,
          borderWidth: 1.5,
        });
    });
    this.chart.data.datasets = sets;
    this.chart.update('none');
  }

  private drawLayer(chart: Chart): void {
    const d = this.data;
    if (!d || !this.layer) return;
    drawGridLayer(chart, this.layer.image, d.as, d.bs, [
      { points: this.layer.lines, colour: 'rgba(255, 255, 255, 0.35)', width: 0.8 },
    ]);
  }

  /** The colour scale, in log₁₀ F. */
  private drawBar(chart: Chart): void {
    const l = this.layer;
    if (!l) return;
    const span = l.range.hi - l.range.lo;
    const ticks = Array.from({ length: 6 }, (_, k) => ({
      pos: k / 5,
      label: formatNumber(l.range.lo + (span * k) / 5, { digits: 3 }),
    }));
    drawColourBar(chart, this.theme, ticks, 'log₁₀ F', 34);
  }

  private hover(px: number, py: number): void {
    const d = this.data;
    if (!d) return;
    const a = this.chart.scales.x.getValueForPixel(px);
    const b = this.chart.scales.y.getValueForPixel(py);
    if (a === undefined || b === undefined) return;
    const v = nearestValue(d.as, d.bs, d.logLoss, a, b);
    if (v === null) return;
    this.readout.textContent = `a = ${formatNumber(a)}, b = ${formatNumber(b)}: training loss F = ${formatNumber(10 ** v)}`;
  }
}
