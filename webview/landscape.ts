/**
 * The landscape chart: a viridis heat map of log10(f − f* + δ) with iso-lines, the optional arrow field, each
 * optimizer's trajectories, the user's start points and the known minima. Clicking empty ground adds a start,
 * clicking a start removes it; wheel zooms and dragging pans, and the new view goes to the host, which sends a
 * grid evaluated for it.
 */
import {
  Chart,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartDataset,
  type Plugin,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import { formatNumber } from '../src/present/format';
import type { Pair } from '../src/shared/runShapes';
import { boundsProblem, type Bounds } from '../src/shared/viewShapes';
import type { HostMessage } from '../src/shared/webviewProtocol';
import {
  arrowSegments,
  contourLevels,
  contourLines,
  heatmapRGBA,
  planeTraces,
  valueRange,
  trajectoryPoints,
  type Segment,
  type XY,
} from './chartData';
import { COLOUR_BAR, drawColourBar } from './colourBar';
import { applyChartTheme, withAlpha, type Theme } from './theme';

Chart.register(ScatterController, LineElement, PointElement, LinearScale, Legend, Tooltip, zoomPlugin);

type Landscape = HostMessage<'landscape'>;
type RunResult = HostMessage<'runResult'>;
export type ArrowMode = 'off' | 'gradient' | 'power';

export interface LandscapeEvents {
  addStart(x: number, y: number): void;
  removeStart(index: number): void;
  viewChanged(view: Bounds): void;
}

/** Trajectories drawn per optimizer: this static view stays quick; the animation views move all of them. */
const DRAWN_LANES = 16;
/** Pixels within which a click hits a start marker rather than the ground. */
const HIT_RADIUS = 8;
const CONTOUR_COUNT = 14;
const MINIMA = 'Known minima';

interface Layers {
  image: HTMLCanvasElement;
  grid: Landscape;
  range: { lo: number; hi: number };
  contours: XY[][];
}

export class LandscapeView {
  readonly chart: Chart<'scatter', XY[]>;
  private layers: Layers | null = null;
  private arrows: ArrowMode = 'off';
  private arrowCache: Segment[] = [];
  private starts: Pair[] = [];
  private result: RunResult | null = null;
  private fn: string | null = null;
  private home: Bounds | null = null;
  private panning = false;
  /** A rebuild waiting for the next frame (requestAnimationFrame's handle), or 0. */
  private pending = 0;
  private markers: { dataset: number; colour: string; starts: XY[]; ends: XY[] }[] = [];
  private viewTimer: number | undefined;

  /**
   * `interactive: false` (the HTML report): no starts by click, no zoom or pan, since no host re-evaluates the grid.
   * `fill`: the chart takes its box's size (the Lab sizes the box to the screen) instead of a fixed aspect ratio.
   */
  constructor(
    canvas: HTMLCanvasElement,
    private theme: Theme,
    private readonly events: LandscapeEvents,
    opts: { interactive?: boolean; fill?: boolean } = {},
  ) {
    const interactive = opts.interactive ?? true;
    const layers: Plugin<'scatter'> = {
      id: 'landscapeLayers',
      beforeDatasetsDraw: (chart) => this.drawLayers(chart),
      afterDatasetsDraw: (chart) => this.drawMarkers(chart),
      afterDraw: (chart) => this.drawColourBar(chart),
    };
    this.chart = new Chart<'scatter', XY[]>(canvas, {
      type: 'scatter',
      data: { datasets: [] },
      plugins: [layers],
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: !opts.fill,
        aspectRatio: 1.25,
        layout: { padding: { right: COLOUR_BAR.gap + COLOUR_BAR.width + 44 } },
        // Parsed, not `parsing: false`: chart.js then assumes data sorted by x and draws only a window of a
        // trajectory's points.
        // No ticks forced at the view's edges: they crowd the nice ticks next to them.
        scales: {
          x: { type: 'linear', title: { display: true, text: 'x' }, ticks: { includeBounds: false } },
          y: { type: 'linear', title: { display: true, text: 'y' }, ticks: { includeBounds: false } },
        },
        plugins: {
          legend: {
            position: 'bottom',
            labels: {
              usePointStyle: true,
              boxHeight: 7,
              padding: 14,
              filter: (item, data) => data.datasets[item.datasetIndex!].data.length > 0,
              // The minima's white star is for the heat map; in the legend it takes the text colour.
              generateLabels: (chart) =>
                Chart.defaults.plugins.legend.labels
                  .generateLabels(chart)
                  .map((item) =>
                    item.text === MINIMA
                      ? { ...item, strokeStyle: this.theme.foreground, fillStyle: this.theme.foreground }
                      : item,
                  ),
            },
          },
          tooltip: {
            filter: (item) => Number.isFinite(item.parsed.x),
            callbacks: {
              label: (item) =>
                `${item.dataset.label}: (${formatNumber(item.parsed.x)}, ${formatNumber(item.parsed.y)})`,
            },
          },
          zoom: {
            zoom: {
              wheel: { enabled: interactive },
              pinch: { enabled: interactive },
              mode: 'xy',
              onZoomComplete: () => this.scheduleViewChanged(),
            },
            pan: {
              enabled: interactive,
              mode: 'xy',
              threshold: 6,
              onPanStart: () => {
                this.panning = true;
                return true;
              },
              onPanComplete: () => {
                this.scheduleViewChanged();
                window.setTimeout(() => {
                  this.panning = false;
                }, 60);
              },
            },
          },
        },
        onClick: interactive ? (event) => this.click(event.x, event.y) : undefined,
      },
    });
    this.applyTheme();
  }

  setLandscape(msg: Landscape): void {
    const range = valueRange(msg.values) ?? { lo: 0, hi: 1 };
    const image = document.createElement('canvas');
    image.width = msg.xs.length;
    image.height = msg.ys.length;
    image.getContext('2d')!.putImageData(new ImageData(heatmapRGBA(msg, range), msg.xs.length, msg.ys.length), 0, 0);
    const contours = contourLines(msg, contourLevels(range, CONTOUR_COUNT)).flatMap((c) => c.lines);
    this.layers = { image, grid: msg, range, contours };
    const scales = this.chart.options.scales!;
    (scales.x!.title as { text: string }).text = msg.variables[msg.axes[0]];
    (scales.y!.title as { text: string }).text = msg.variables[msg.axes[1]];
    this.arrowCache = msg.arrows && this.arrows !== 'off' ? arrowSegments(msg.arrows, this.arrows) : [];
    // A new function resets the view; a grid for the same function answers a zoom or pan, so the view stays.
    if (msg.fn !== this.fn) {
      this.fn = msg.fn;
      this.home = msg.bounds;
      this.setView(msg.bounds);
    }
    this.rebuild();
  }

  /** The starts on the plane drawn (a slice's projection of them). */
  setStarts(points: readonly Pair[]): void {
    this.starts = [...points];
    this.rebuild();
  }

  setResult(result: RunResult | null): void {
    this.result = result;
    this.rebuild();
  }

  /** Nothing drawn: the function shown has no plane (one variable). */
  clear(): void {
    this.layers = null;
    this.arrowCache = [];
    this.fn = null;
    this.result = null;
    this.starts = [];
    this.rebuild();
  }

  setArrows(mode: ArrowMode): void {
    this.arrows = mode;
    const field = this.layers?.grid.arrows;
    this.arrowCache = field && mode !== 'off' ? arrowSegments(field, mode) : [];
    this.chart.update('none');
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.applyTheme();
    this.rebuild();
  }

  /** Back to the function's domain; the host re-evaluates the grid for it. */
  resetView(): void {
    if (!this.home) return;
    this.setView(this.home);
    this.chart.update('none');
    this.events.viewChanged(this.home);
  }

  /** The chart as drawn, as a PNG data URL; there is nothing to export before a landscape arrived. */
  toPng(): string {
    if (!this.layers) throw new Error('the Lab shows no landscape (it draws functions of two variables)');
    if (this.pending) {
      cancelAnimationFrame(this.pending);
      this.build();
    }
    return this.chart.toBase64Image('image/png');
  }

  private setView(b: Bounds): void {
    const s = this.chart.options.scales!;
    Object.assign(s.x!, { min: b.xMin, max: b.xMax });
    Object.assign(s.y!, { min: b.yMin, max: b.yMax });
  }

  private applyTheme(): void {
    applyChartTheme(this.chart, this.theme, 0.35);
  }

  /**
   * Draws again once the messages of this moment are in (a new view brings its function, result and starts):
   * the datasets are built at the next frame, once.
   */
  private rebuild(): void {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => this.build());
  }

  private build(): void {
    this.pending = 0;
    const t = this.theme;
    const datasets: ChartDataset<'scatter', XY[]>[] = [];
    this.markers = [];
    const grid = this.layers?.grid;
    // Trajectories on the plane drawn: the run's function must be the one shown, with these variables.
    const drawn = grid && this.result?.config.fn === grid.fn ? this.result.optimizers : [];
    for (const o of drawn) {
      const colour = o.curves.colour;
      const traces = planeTraces(o.traces, grid!.variables.length, grid!.axes).slice(0, DRAWN_LANES);
      const { points, starts, ends } = trajectoryPoints(traces, this.home);
      // Options that are not functions of the point: chart.js then resolves them once, not per point.
      this.markers.push({
        dataset: datasets.length,
        colour,
        starts: [...starts].map((i) => points[i]),
        ends: [...ends].map((i) => points[i]),
      });
      datasets.push({
        label: o.curves.label,
        data: points,
        showLine: true,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: 1.6,
        pointRadius: 0,
        pointHoverRadius: 0,
        pointHitRadius: 3,
        pointStyle: 'circle',
      });
    }
    datasets.push({
      label: 'Starts',
      data: this.starts.map(([x, y]) => ({ x, y })),
      pointStyle: 'circle',
      pointRadius: 5,
      pointHoverRadius: 7,
      pointBackgroundColor: withAlpha(t.background, 0.6),
      pointBorderColor: t.foreground,
      pointBorderWidth: 2,
      backgroundColor: t.foreground,
      borderColor: t.foreground,
    });
    datasets.push({
      label: MINIMA,
      data: (this.layers?.grid.minima ?? []).map(([x, y]) => ({ x, y })),
      pointStyle: 'star',
      pointRadius: 8,
      pointHoverRadius: 9,
      pointBorderWidth: 2,
      pointBorderColor: '#ffffff',
      backgroundColor: '#ffffff',
      borderColor: '#ffffff',
    });
    this.keepHidden(datasets);
    this.chart.data.datasets = datasets;
    this.chart.update('none');
  }

  /** Each trajectory's start (a hollow circle) and end (a filled diamond), for the optimizers shown. */
  private drawMarkers(chart: Chart): void {
    const { ctx } = chart;
    const sx = chart.scales.x;
    const sy = chart.scales.y;
    ctx.save();
    ctx.lineWidth = 1.5;
    for (const m of this.markers) {
      if (!chart.isDatasetVisible(m.dataset)) continue;
      ctx.strokeStyle = m.colour;
      const at = (p: XY) => [sx.getPixelForValue(p.x), sy.getPixelForValue(p.y)];
      ctx.fillStyle = this.theme.background;
      for (const p of m.starts) {
        const [x, y] = at(p);
        ctx.beginPath();
        ctx.arc(x, y, 3.5, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
      ctx.fillStyle = m.colour;
      for (const p of m.ends) {
        const [x, y] = at(p);
        ctx.beginPath();
        ctx.moveTo(x, y - 4.5);
        ctx.lineTo(x + 4.5, y);
        ctx.lineTo(x, y + 4.5);
        ctx.lineTo(x - 4.5, y);
        ctx.closePath();
        ctx.fill();
        ctx.stroke();
      }
    }
    ctx.restore();
  }

  /** A legend toggle survives new data: datasets are matched by label. */
  private keepHidden(next: ChartDataset<'scatter', XY[]>[]): void {
    const hidden = new Set(
      this.chart.data.datasets.filter((_, i) => !this.chart.isDatasetVisible(i)).map((d) => d.label),
    );
    next.forEach((d) => {
      d.hidden = hidden.has(d.label);
    });
  }

  private click(px: number | null, py: number | null): void {
    if (this.panning || px === null || py === null) return;
    const startsIndex = this.chart.data.datasets.findIndex((d) => d.label === 'Starts');
    if (startsIndex >= 0 && this.chart.isDatasetVisible(startsIndex)) {
      const hit = this.chart
        .getDatasetMeta(startsIndex)
        .data.findIndex((el) => Math.hypot(el.x - px, el.y - py) <= HIT_RADIUS);
      if (hit >= 0) {
        this.starts.splice(hit, 1);
        this.rebuild();
        this.events.removeStart(hit);
        return;
      }
    }
    const area = this.chart.chartArea;
    if (px < area.left || px > area.right || py < area.top || py > area.bottom) return;
    const x = this.chart.scales.x.getValueForPixel(px);
    const y = this.chart.scales.y.getValueForPixel(py);
    if (x === undefined || y === undefined) return;
    this.starts.push([x, y]);
    this.rebuild();
    this.events.addStart(x, y);
  }

  private scheduleViewChanged(): void {
    window.clearTimeout(this.viewTimer);
    this.viewTimer = window.setTimeout(() => {
      const { x, y } = this.chart.scales;
      const view = { xMin: x.min, xMax: x.max, yMin: y.min, yMax: y.max };
      // The host refuses a view it cannot draw (zoomed out past the finite numbers, or in below their precision).
      if (!boundsProblem(view)) this.events.viewChanged(view);
    }, 150);
  }

  private drawLayers(chart: Chart): void {
    const l = this.layers;
    if (!l) return;
    const { ctx, chartArea: a } = chart;
    const sx = chart.scales.x;
    const sy = chart.scales.y;
    const { xs, ys } = l.grid;
    const halfX = (xs[xs.length - 1] - xs[0]) / (xs.length - 1) / 2;
    const halfY = (ys[ys.length - 1] - ys[0]) / (ys.length - 1) / 2;
    ctx.save();
    ctx.beginPath();
    ctx.rect(a.left, a.top, a.right - a.left, a.bottom - a.top);
    ctx.clip();
    const left = sx.getPixelForValue(xs[0] - halfX);
    const top = sy.getPixelForValue(ys[ys.length - 1] + halfY);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(
      l.image,
      left,
      top,
      sx.getPixelForValue(xs[xs.length - 1] + halfX) - left,
      sy.getPixelForValue(ys[0] - halfY) - top,
    );
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.32)';
    ctx.lineWidth = 0.8;
    ctx.beginPath();
    for (const line of l.contours) {
      line.forEach((p, k) =>
        (k ? ctx.lineTo : ctx.moveTo).call(ctx, sx.getPixelForValue(p.x), sy.getPixelForValue(p.y)),
      );
    }
    ctx.stroke();
    if (this.arrowCache.length) this.drawArrows(chart);
    ctx.restore();
  }

  private drawArrows(chart: Chart): void {
    const { ctx } = chart;
    const sx = chart.scales.x;
    const sy = chart.scales.y;
    // White with a dark halo reads on both ends of viridis.
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
    ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
    ctx.shadowColor = 'rgba(0, 0, 0, 0.7)';
    ctx.shadowBlur = 2;
    ctx.lineWidth = 1.2;
    for (const s of this.arrowCache) {
      const x0 = sx.getPixelForValue(s.x0);
      const y0 = sy.getPixelForValue(s.y0);
      const x1 = sx.getPixelForValue(s.x1);
      const y1 = sy.getPixelForValue(s.y1);
      const len = Math.hypot(x1 - x0, y1 - y0);
      if (len < 0.5) continue;
      const head = Math.min(5, len / 2.5);
      const ang = Math.atan2(y1 - y0, x1 - x0);
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - head * Math.cos(ang - 0.45), y1 - head * Math.sin(ang - 0.45));
      ctx.lineTo(x1 - head * Math.cos(ang + 0.45), y1 - head * Math.sin(ang + 0.45));
      ctx.fill();
    }
  }

  /** The colour scale at the chart's right edge, labelled in log10(f − f* + δ). */
  private drawColourBar(chart: Chart): void {
    const l = this.layers;
    if (!l) return;
    const span = l.range.hi - l.range.lo;
    const ticks = Array.from({ length: 6 }, (_, k) => ({
      pos: k / 5,
      label: (l.range.lo + (span * k) / 5).toFixed(Math.abs(span) < 5 ? 1 : 0),
    }));
    const base = l.grid.fStar === null ? 'min f' : 'f*';
    drawColourBar(chart, this.theme, ticks, `log₁₀(f − ${base} + ${formatNumber(l.grid.delta)})`, 36);
  }
}
