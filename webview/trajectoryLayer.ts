/**
 * Trajectories over a chart, animated: two canvases laid over a chart's plot area. The still one holds what does
 * not change with the step (the full paths, faint, and the starts) and is redrawn only when the data, the view or
 * the options change; the moving one holds each lane's point at step k with a fading tail of its last steps and
 * the optional per-step arrows, redrawn at most once per frame. The chart underneath is never redrawn per step.
 * Points arrive in the view's data coordinates (the landscape's (x, y), a slice's projection, the curve's
 * (x, f)); every vector is the host's.
 */
import { Chart, type Plugin } from 'chart.js';
import { h } from './dom';
import { withAlpha } from './theme';
import { ArrowKey, type ArrowKind, type LaneVectors } from './trajectoryArrows';

export type { ArrowKind, LaneVectors } from './trajectoryArrows';

export interface LaneTrack {
  /** Point k (after k updates; k = 0 is the start) at index k, in the view's data coordinates. */
  readonly xs: ArrayLike<number>;
  readonly ys: ArrayLike<number>;
  /** The lane's last step: it converged, diverged or the run stopped there; later steps show it at rest. */
  readonly last: number;
}

export interface TrajectoryGroup {
  readonly id: string;
  readonly label: string;
  /** A CSS colour (the optimizer's fixed colour). */
  readonly colour: string;
  readonly lanes: readonly LaneTrack[];
  /** Per kind, one entry per lane (in the order of `lanes`). */
  readonly arrows?: Partial<Record<ArrowKind, readonly LaneVectors[]>>;
}

/** Data → pixels of the chart canvas (CSS pixels), and the plot area the layer covers. */
export interface ViewTransform {
  readonly area: { readonly left: number; readonly top: number; readonly width: number; readonly height: number };
  x(v: number): number;
  y(v: number): number;
}

export interface LayerOptions {
  /** Steps of fading tail behind each point (0: none). */
  readonly tail: number;
  readonly fullPaths: boolean;
  readonly starts: boolean;
  readonly arrows: readonly ArrowKind[];
  /** Pixels of the longest arrow of each kind at the current step. */
  readonly arrowLength: number;
  /** Arrows at the first this many lanes of each optimizer: more are clutter, and slow to draw. */
  readonly arrowLanes: number;
}

const DEFAULTS: LayerOptions = {
  tail: 24,
  fullPaths: true,
  starts: true,
  arrows: [],
  arrowLength: 44,
  arrowLanes: 16,
};
/** Newest tail segments drawn two pixels wide; older ones one pixel. */
const WIDE_TAIL = 3;
const MARKER_RADIUS = 4;
/** Pixels beyond the plot area where a path is still drawn; farther points (diverging lanes) break the path. */
const SLACK = 2000;

/** A chart.js chart's scales as a ViewTransform (linear or logarithmic axes). */
function chartTransform(chart: Chart): ViewTransform {
  const a = chart.chartArea;
  const { x, y } = chart.scales;
  return {
    area: { left: a.left, top: a.top, width: a.right - a.left, height: a.bottom - a.top },
    x: (v) => x.getPixelForValue(v),
    y: (v) => y.getPixelForValue(v),
  };
}

/** The layer laid over each chart; the plugin below keeps it on the chart's current scales. */
const layers = new WeakMap<Chart, TrajectoryLayer>();
const follow: Plugin = {
  id: 'trajectoryLayer',
  afterDraw: (chart) => layers.get(chart)?.setTransform(chartTransform(chart)),
};
Chart.register(follow);

interface PixelLanes {
  readonly group: TrajectoryGroup;
  /** Per lane: x, y pixel pairs per step (NaN where the point cannot be drawn). */
  readonly px: Float32Array[];
}

export class TrajectoryLayer {
  private readonly arrows = new ArrowKey();
  /** The arrows' key (kinds shown, and the length of the longest at this step); the caller places it. */
  readonly legend: HTMLElement = this.arrows.root;
  /** Milliseconds the last redraw of the moving canvas took (tests log it). */
  lastDrawMs = 0;
  private readonly still: HTMLCanvasElement;
  private readonly moving: HTMLCanvasElement;
  private groups: readonly TrajectoryGroup[] = [];
  private pixels: PixelLanes[] = [];
  private transform: ViewTransform | null = null;
  private opts: LayerOptions = DEFAULTS;
  private step = 0;
  private hidden = new Set<string>();
  private frame: number | null = null;
  private stillDirty = true;
  private movingDirty = true;
  private background = '#1e1e1e';
  private readonly sprites = new Map<string, HTMLCanvasElement>();
  /** The layer's box in the chart canvas's CSS pixels: the plot area rounded out to whole pixels. */
  private box = { left: 0, top: 0, width: 1, height: 1 };
  private detach: (() => void) | null = null;

  /**
   * A layer over a chart.js chart that follows its scales: after every draw of the chart (zoom, pan, resize) the
   * layer re-reads them. The chart is drawn once here so the layer knows its plot area.
   */
  static over(chart: Chart): TrajectoryLayer {
    const layer = new TrajectoryLayer(chart.canvas);
    layers.set(chart, layer);
    layer.detach = () => layers.delete(chart);
    chart.update('none');
    return layer;
  }

  /** Lays two canvases over `chartCanvas`, inside its parent (which becomes their positioned container). */
  constructor(private readonly chartCanvas: HTMLCanvasElement) {
    const parent = chartCanvas.parentElement;
    if (!parent) throw new Error('the chart canvas must be in the document before a layer is laid over it');
    parent.classList.add('layer-host');
    this.still = h('canvas', { class: 'trajectory-layer', 'aria-hidden': 'true' }) as HTMLCanvasElement;
    this.moving = h('canvas', { class: 'trajectory-layer', 'aria-hidden': 'true' }) as HTMLCanvasElement;
    chartCanvas.after(this.still, this.moving);
    this.readColours();
  }

  setData(groups: readonly TrajectoryGroup[]): void {
    this.groups = groups;
    this.project();
  }

  /** The chart's scales changed (zoom, pan, resize); cheap when they did not. */
  setTransform(t: ViewTransform): void {
    if (this.transform && sameTransform(this.transform, t)) return;
    this.transform = t;
    this.place(t);
    this.project();
  }

  setStep(k: number): void {
    if (k === this.step) return;
    this.step = k;
    this.movingDirty = true;
    this.schedule();
  }

  setOptions(o: Partial<LayerOptions>): void {
    const next = { ...this.opts, ...o };
    if (next.fullPaths !== this.opts.fullPaths || next.starts !== this.opts.starts) this.stillDirty = true;
    this.opts = next;
    this.movingDirty = true;
    this.arrows.render(next.arrows, null);
    this.schedule();
  }

  /** Groups hidden by the chart's legend. */
  setHidden(ids: Iterable<string>): void {
    this.hidden = new Set(ids);
    this.stillDirty = this.movingDirty = true;
    this.schedule();
  }

  /** Re-reads the theme (the markers' outline, the arrows' colours) after a theme change. */
  refreshTheme(): void {
    this.readColours();
    this.stillDirty = this.movingDirty = true;
    this.schedule();
  }

  /** Draws what is pending now rather than at the next frame (an export, a test). */
  flush(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
    this.draw();
  }

  dispose(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.detach?.();
    this.still.remove();
    this.moving.remove();
    this.legend.remove();
  }

  private readColours(): void {
    const css = getComputedStyle(this.still);
    const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    this.background = v('--vscode-editor-background', this.background);
    this.arrows.readColours(css);
  }

  private place(t: ViewTransform): void {
    const ref = this.chartCanvas;
    // Whole CSS pixels and the exact device ratio: a transform that scales by 1.000006 or shifts by a fraction
    // of a device pixel pushes Chromium's software raster off its fast path for thin lines (ten times slower).
    const left = Math.floor(t.area.left);
    const top = Math.floor(t.area.top);
    const box = {
      left,
      top,
      width: Math.max(1, Math.ceil(t.area.left + t.area.width) - left),
      height: Math.max(1, Math.ceil(t.area.top + t.area.height) - top),
    };
    this.box = box;
    const dpr = window.devicePixelRatio || 1;
    for (const c of [this.still, this.moving]) {
      // CSSOM, not a style attribute: the webview's CSP allows the one and forbids the other.
      c.style.left = `${ref.offsetLeft + box.left}px`;
      c.style.top = `${ref.offsetTop + box.top}px`;
      c.style.width = `${box.width}px`;
      c.style.height = `${box.height}px`;
      c.width = Math.round(box.width * dpr);
      c.height = Math.round(box.height * dpr);
    }
  }

  /** Every point to pixels once per data or view change, so a frame only reads arrays. */
  private project(): void {
    const t = this.transform;
    this.pixels = t
      ? this.groups.map((group) => ({
          group,
          px: group.lanes.map((lane) => {
            const n = Math.min(lane.last + 1, lane.xs.length, lane.ys.length);
            const out = new Float32Array(2 * n);
            const { left, top, width, height } = t.area;
            for (let k = 0; k < n; k++) {
              const x = t.x(lane.xs[k]);
              const y = t.y(lane.ys[k]);
              const ok = x > left - SLACK && x < left + width + SLACK && y > top - SLACK && y < top + height + SLACK;
              out[2 * k] = ok ? x : NaN;
              out[2 * k + 1] = ok ? y : NaN;
            }
            return out;
          }),
        }))
      : [];
    this.stillDirty = this.movingDirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame === null) this.frame = requestAnimationFrame(() => this.draw());
  }

  private context(c: HTMLCanvasElement): CanvasRenderingContext2D | null {
    const ctx = c.getContext('2d');
    if (!this.transform || !ctx) return null;
    const dpr = window.devicePixelRatio || 1;
    const b = this.box;
    // Draw in the chart canvas's pixels: the translation puts the layer's corner at the origin.
    ctx.setTransform(dpr, 0, 0, dpr, -b.left * dpr, -b.top * dpr);
    ctx.clearRect(b.left, b.top, b.width, b.height);
    return ctx;
  }

  private draw(): void {
    this.frame = null;
    if (this.stillDirty) {
      this.stillDirty = false;
      const ctx = this.context(this.still);
      if (ctx) this.drawStill(ctx);
    }
    if (this.movingDirty) {
      this.movingDirty = false;
      const t0 = performance.now();
      const ctx = this.context(this.moving);
      if (ctx) this.drawMoving(ctx);
      this.lastDrawMs = performance.now() - t0;
    }
  }

  private visible(): PixelLanes[] {
    return this.pixels.filter((p) => !this.hidden.has(p.group.id));
  }

  private drawStill(ctx: CanvasRenderingContext2D): void {
    ctx.lineJoin = 'round';
    for (const { group, px } of this.visible()) {
      if (this.opts.fullPaths) {
        ctx.strokeStyle = withAlpha(group.colour, 0.28);
        ctx.lineWidth = 1;
        ctx.beginPath();
        for (const p of px) tracePath(ctx, p);
        ctx.stroke();
      }
      if (this.opts.starts) {
        ctx.strokeStyle = group.colour;
        ctx.fillStyle = withAlpha(this.background, 0.7);
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        for (const p of px) {
          if (!Number.isFinite(p[0])) continue;
          ctx.moveTo(p[0] + 3, p[1]);
          ctx.arc(p[0], p[1], 3, 0, 2 * Math.PI);
        }
        ctx.fill();
        ctx.stroke();
      }
    }
  }

  private drawMoving(ctx: CanvasRenderingContext2D): void {
    const k = this.step;
    const groups = this.visible();
    const L = this.opts.tail;
    ctx.lineCap = 'butt';
    for (const { group, px } of groups) {
      ctx.strokeStyle = group.colour;
      // One path per age: every lane's segment that many steps back shares its alpha, so a frame strokes
      // `tail` paths per optimizer however many lanes there are. Only the newest segments are wide: Chromium's
      // software raster draws one-pixel lines many times faster than wider ones.
      for (let age = L; age >= 1; age--) {
        ctx.globalAlpha = 0.9 * (1 - (age - 1) / L);
        ctx.lineWidth = age <= WIDE_TAIL ? 2 : 1;
        ctx.beginPath();
        for (const p of px) {
          const j = k - age;
          if (j < 0 || 2 * (j + 1) >= p.length) continue;
          const x0 = p[2 * j];
          const x1 = p[2 * j + 2];
          if (!Number.isFinite(x0) || !Number.isFinite(x1)) continue;
          ctx.moveTo(x0, p[2 * j + 1]);
          ctx.lineTo(x1, p[2 * j + 3]);
        }
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    // Markers are stamped from one pre-drawn sprite per colour: a blit is cheaper than an arc to fill and stroke.
    const r = MARKER_RADIUS + 1;
    for (const { group, px } of groups) {
      const sprite = this.sprite(group.colour);
      for (const p of px) {
        const j = Math.min(k, p.length / 2 - 1);
        const x = p[2 * j];
        if (Number.isFinite(x)) ctx.drawImage(sprite, x - r, p[2 * j + 1] - r, 2 * r, 2 * r);
      }
    }
    this.drawArrows(ctx, groups);
  }

  /** A marker (a disc of `colour` ringed in the background colour) at the device's resolution. */
  private sprite(colour: string): HTMLCanvasElement {
    const key = `${colour}|${this.background}`;
    let s = this.sprites.get(key);
    if (s) return s;
    const dpr = window.devicePixelRatio || 1;
    const r = MARKER_RADIUS + 1;
    s = document.createElement('canvas');
    s.width = s.height = Math.ceil(2 * r * dpr);
    const c = s.getContext('2d')!;
    c.scale(dpr, dpr);
    c.fillStyle = colour;
    c.strokeStyle = this.background;
    c.lineWidth = 1.2;
    c.beginPath();
    c.arc(r, r, MARKER_RADIUS, 0, 2 * Math.PI);
    c.fill();
    c.stroke();
    this.sprites.set(key, s);
    return s;
  }

  private drawArrows(ctx: CanvasRenderingContext2D, groups: PixelLanes[]): void {
    const kinds = this.opts.arrows;
    const cap = this.opts.arrowLanes;
    const lanes = kinds.length
      ? groups.flatMap(({ group, px }) =>
          group.lanes.slice(0, cap).map((lane, i) => ({
            xs: lane.xs,
            ys: lane.ys,
            px: px[i],
            vectors: Object.fromEntries(kinds.map((k) => [k, group.arrows?.[k]?.[i]])),
          })),
        )
      : [];
    const capped = groups.some(({ group }) => group.lanes.length > cap);
    this.arrows.draw(ctx, kinds, lanes, this.step, this.transform!, this.opts.arrowLength, capped ? cap : null);
  }
}

function sameTransform(a: ViewTransform, b: ViewTransform): boolean {
  const keys = ['left', 'top', 'width', 'height'] as const;
  // Two values per axis fix a linear scale; the third tells a logarithmic one apart.
  return (
    keys.every((k) => a.area[k] === b.area[k]) &&
    [0.5, 1, 10].every((v) => Object.is(a.x(v), b.x(v)) && Object.is(a.y(v), b.y(v)))
  );
}

/** A lane's whole path, skipping points less than a pixel from the last drawn one (converged tails are long). */
function tracePath(ctx: CanvasRenderingContext2D, p: Float32Array): void {
  let drawing = false;
  let lx = 0;
  let ly = 0;
  for (let i = 0; i < p.length; i += 2) {
    const x = p[i];
    const y = p[i + 1];
    if (!Number.isFinite(x)) {
      drawing = false;
      continue;
    }
    if (!drawing) {
      ctx.moveTo(x, y);
      drawing = true;
    } else if (Math.abs(x - lx) + Math.abs(y - ly) < 0.75) continue;
    else ctx.lineTo(x, y);
    lx = x;
    ly = y;
  }
}
