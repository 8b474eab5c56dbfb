/**
 * The views of the function shown, in the stage's panels: the landscape or a slice (a LandscapeView with a
 * trajectory layer over it, slice pickers for ≥ 3 variables), the curve f(x) for one variable, and the 3-D surface
 * (made when its tab first opens). A view of another function than the one asked for is dropped, and while the
 * asked-for view is on its way nothing of the previous function is drawn. Clicks place starts with every
 * coordinate (a slice's fixed ones from its point); dragging a start of the run drawn previews its trajectory.
 */
import type { Point } from '../src/shared/runShapes';
import type { SliceAt, ViewRequest } from '../src/shared/viewShapes';
import type { HostMessage } from '../src/shared/webviewProtocol';
import { CurveView, type CurveInput } from './curveView';
import { h } from './dom';
import type { LabLayout } from './labLayout';
import { LandscapeView, type ArrowMode } from './landscape';
import { chartHover, gridLookup, HoverTip, nearestIndex, pointRows } from './readouts';
import type { DrawnView } from './runPlayback';
import { SliceControls, sliceTitle, type SliceChoice } from './sliceControls';
import { SurfaceView, type SurfaceData } from './surface3d/surfaceView';
import type { Theme } from './theme';
import { TrajectoryLayer } from './trajectoryLayer';

export type View = HostMessage<'landscape' | 'curve'>;
type Plane = HostMessage<'landscape'>;
type RunResult = HostMessage<'runResult'>;

export interface ViewEvents {
  addStart(point: Point): void;
  removeStart(index: number): void;
  viewChanged(request: ViewRequest): void;
  /** Lane `index` of the run drawn, dragged to `point` (every coordinate). */
  previewStart(index: number, point: Point): void;
  /** The drag of lane `index` ended at `point`: the run's starts with that one moved become the placed starts. */
  moveStart(index: number, point: Point): void;
  /** The run's step playback shows (a slice that follows a trajectory fixes the others there). */
  step(): number;
}

/** A slice that follows a trajectory during playback asks for a new slice at most this often. */
const FOLLOW_MS = 250;

/** Pixels within which a press on a lane's start drags it rather than panning the view. */
const DRAG_RADIUS = 7;

/** f on a plane's grid from its colour values log10(f − base + δ); NaN where f is not finite. */
function planeF(p: Plane): Float64Array {
  return Float64Array.from(p.values, (v) => (v === null ? NaN : 10 ** v - p.delta + p.base));
}

export class LabViews {
  readonly sliceRoot: HTMLElement;
  surface: SurfaceView | null = null;
  private readonly landscape: LandscapeView;
  private readonly landscapeLayer: TrajectoryLayer;
  private readonly landscapeBox: HTMLElement;
  private readonly curve: CurveView;
  private readonly slice: SliceControls;
  private view: View | null = null;
  private planeValues: Float64Array | null = null;
  /** A function the user picked whose view has not come yet: views of other functions are stale until it does. */
  private pending: string | null = null;
  private sliceMode: SliceChoice['mode'] = 'minimum';
  private followTimer: number | undefined;
  private placed: { fn: string; points: readonly Point[] } = { fn: '', points: [] };
  private surfaceRun: RunResult | null = null;
  private redrawn: () => void = () => {};
  private drag: { lane: number; start: Point } | null = null;

  constructor(
    private readonly layout: LabLayout,
    private theme: Theme,
    private readonly events: ViewEvents,
  ) {
    const canvas = h('canvas', {
      id: 'landscape',
      role: 'img',
      tabindex: '0',
      'aria-label': 'Landscape: heat map of log10(f − f* + δ) with trajectories; click to add a start',
    }) as HTMLCanvasElement;
    this.landscapeBox = h('div', { class: 'chart-box main-chart' }, canvas);
    this.curve = new CurveView(theme, { addStart: (x) => this.events.addStart([x]) }, { fill: true });
    this.curve.root.classList.add('main-chart', 'hidden');
    layout.runPanel.append(this.landscapeBox, this.curve.root);
    this.landscape = new LandscapeView(
      canvas,
      theme,
      {
        addStart: (x, y) => {
          const p = this.plane();
          if (!p) return;
          // A click on a slice fixes the other coordinates at the slice's point.
          const point = [...p.at];
          point[p.axes[0]] = x;
          point[p.axes[1]] = y;
          this.events.addStart(point);
        },
        removeStart: (index) => this.events.removeStart(index),
        viewChanged: (b) => {
          const p = this.plane();
          if (!p) return;
          this.events.viewChanged({
            fn: p.fn,
            axes: [p.axes[0], p.axes[1]],
            bounds: [
              [b.xMin, b.xMax],
              [b.yMin, b.yMax],
            ],
            at: { kind: 'point', point: p.at },
          });
        },
      },
      { fill: true },
    );
    this.landscapeLayer = TrajectoryLayer.over(this.landscape.chart);
    this.landscapeBox.after(this.landscapeLayer.legend);
    const tip = new HoverTip(this.landscapeBox);
    chartHover(this.landscape.chart, tip, (x, y) => {
      const p = this.plane();
      if (!p || !this.planeValues) return null;
      const s = gridLookup({
        xs: p.xs,
        ys: p.ys,
        values: Array.from(this.planeValues, (v) => (Number.isFinite(v) ? v : null)),
      })(x, y);
      return pointRows([p.variables[p.axes[0]], p.variables[p.axes[1]]], [s.x, s.y], s.f);
    });
    this.slice = new SliceControls({ change: (c) => this.sliceChanged(c) });
    this.sliceRoot = this.slice.root;
    this.sliceRoot.classList.add('hidden');
    this.dragging(canvas);
  }

  /** The landscape's chart (the tests' hook reads its scales). */
  get chart(): LandscapeView['chart'] {
    return this.landscape.chart;
  }

  /** The function shown (or on its way), or null before any. */
  get fn(): string | null {
    return this.pending ?? this.view?.fn ?? null;
  }

  onRedraw(listener: () => void): void {
    this.redrawn = listener;
  }

  /** The user picked `fn`: until its view comes, nothing of the previous function is drawn. */
  expect(fn: string): void {
    if (this.view?.fn === fn) return;
    this.pending = fn;
    this.view = null;
    this.landscape.clear();
    this.layout.title.textContent = `${fn}: drawing…`;
    this.redrawn();
  }

  /** Shows the host's view; false when it is stale (another function than the one asked for). */
  show(msg: View): boolean {
    if (this.pending !== null && msg.fn !== this.pending) return false;
    this.pending = null;
    this.view = msg;
    const plane = msg.type === 'landscape';
    this.landscapeBox.classList.toggle('hidden', !plane);
    this.landscapeLayer.legend.classList.toggle('hidden', !plane);
    this.curve.root.classList.toggle('hidden', plane);
    this.layout.tabs.setEnabled('surface', plane);
    if (plane) {
      this.planeValues = planeF(msg);
      this.landscape.setLandscape(msg);
      const dim = msg.variables.length;
      this.sliceRoot.classList.toggle('hidden', dim < 3);
      if (dim >= 3) {
        this.slice.set({
          variables: msg.variables,
          xAxis: msg.axes[0],
          yAxis: msg.axes[1],
          mode: this.sliceMode === 'minimum' && !msg.minima.length ? 'centre' : this.sliceMode,
          point: msg.at,
          hasMinimum: msg.minima.length > 0,
          canFollow: this.surfaceRun !== null,
        });
      }
      const title = dim >= 3 ? sliceTitle(msg.variables, msg.axes[0], msg.axes[1], msg.at) : null;
      this.layout.title.textContent = title ? title.text : msg.title;
      this.layout.title.title = title ? `${msg.fn}: ${title.full}` : msg.title;
    } else {
      this.planeValues = null;
      this.landscape.clear();
      this.sliceRoot.classList.add('hidden');
      this.curve.set(curveInput(msg));
      this.curve.setStarts(this.placed.fn === msg.fn ? this.placed.points.map((x) => x[0]) : []);
      this.layout.title.textContent = msg.title;
      this.layout.title.title = msg.title;
    }
    this.redrawn();
    this.updateSurface();
    return true;
  }

  /** The starts placed on a function, drawn when it is the one shown (a slice shows their projection). */
  setStarts(starts: { fn: string; points: readonly Point[] }): void {
    this.placed = starts;
    const p = this.plane();
    const points = p && starts.fn === p.fn ? starts.points : [];
    this.landscape.setStarts(p ? points.map((x) => [x[p.axes[0]], x[p.axes[1]]] as const) : []);
    const v = this.view;
    this.curve.setStarts(v?.type === 'curve' && starts.fn === v.fn ? starts.points.map((x) => x[0]) : []);
  }

  /** The trajectory layer of the view shown. */
  layer(): TrajectoryLayer | null {
    if (!this.view) return null;
    return this.view.type === 'landscape' ? this.landscapeLayer : this.curve.layer;
  }

  /** What the tracks are laid out for. */
  drawnView(): DrawnView | null {
    const v = this.view;
    if (!v) return null;
    return v.type === 'landscape'
      ? { fn: v.fn, dim: v.variables.length, projection: { kind: 'plane', axes: v.axes } }
      : { fn: v.fn, dim: 1, projection: { kind: 'curve' } };
  }

  /** The run drawn on the surface (null: none of this function). */
  setSurfaceRun(run: RunResult | null): void {
    if (run === this.surfaceRun) return;
    this.surfaceRun = run;
    this.updateSurface();
  }

  /** The 3-D tab opened: the surface is made the first time, then sized to its panel. */
  showSurface(): void {
    if (!this.surface) {
      this.surface = new SurfaceView(this.layout.surfacePanel, this.theme);
      this.updateSurface();
      this.surface.setStep(this.events.step());
    }
    this.surface.resize(this.surfaceSize());
  }

  setArrows(mode: ArrowMode): void {
    this.landscape.setArrows(mode);
  }

  resetView(): void {
    this.landscape.resetView();
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.landscape.setTheme(theme);
    this.landscapeLayer.refreshTheme();
    this.curve.setTheme(theme);
    this.surface?.setTheme(theme);
  }

  /** The landscape with the trajectories as drawn, as a PNG data URL. */
  toPng(): string {
    // Throws when no landscape is shown; draws what is pending.
    this.landscape.toPng();
    this.landscapeLayer.flush();
    const base = this.landscape.chart.canvas;
    const out = document.createElement('canvas');
    out.width = base.width;
    out.height = base.height;
    const ctx = out.getContext('2d')!;
    ctx.drawImage(base, 0, 0);
    const scale = base.width / base.clientWidth;
    for (const c of this.landscapeBox.querySelectorAll<HTMLCanvasElement>('canvas.trajectory-layer'))
      ctx.drawImage(c, c.offsetLeft * scale, c.offsetTop * scale, c.clientWidth * scale, c.clientHeight * scale);
    return out.toDataURL('image/png');
  }

  private plane(): Plane | null {
    return this.view?.type === 'landscape' ? this.view : null;
  }

  private surfaceSize(): { width: number; height: number } {
    const panel = this.layout.surfacePanel;
    // The surface's own bar (hint, log height, reset) takes about 40 px under the canvas.
    return { width: Math.max(200, panel.clientWidth), height: Math.max(160, panel.clientHeight - 44) };
  }

  private updateSurface(): void {
    const p = this.plane();
    if (!this.surface || !p || !this.planeValues) return;
    const run = this.surfaceRun;
    const dim = p.variables.length;
    const optimizers =
      run && run.config.fn === p.fn && run.config.variables.length === dim
        ? run.optimizers.map((o) => {
            const t = o.traces;
            const R = t.steps.length;
            return {
              id: o.curves.id,
              label: o.curves.label,
              colour: o.curves.colour,
              lanes: Array.from(t.lanes, (_, l) => {
                const len = t.lengths[l];
                const xs = new Float64Array(len);
                const ys = new Float64Array(len);
                for (let r = 0; r < len; r++) {
                  xs[r] = t.theta[(l * R + r) * dim + p.axes[0]];
                  ys[r] = t.theta[(l * R + r) * dim + p.axes[1]];
                }
                // On a slice f is the whole function's, not the plane's: the points take the surface's height.
                return {
                  xs,
                  ys,
                  steps: t.steps.subarray(0, len),
                  fs: dim === 2 ? t.f.subarray(l * R, l * R + len) : undefined,
                };
              }),
            };
          })
        : [];
    const data: SurfaceData = {
      grid: {
        x: [p.xs[0], p.xs[p.xs.length - 1]],
        y: [p.ys[0], p.ys[p.ys.length - 1]],
        nx: p.xs.length,
        ny: p.ys.length,
        f: this.planeValues,
      },
      fStar: p.fStar ?? p.base,
      delta: p.delta,
      minima: p.minima.map(([x, y]) => [x, y] as const),
      optimizers,
      variables: [p.variables[p.axes[0]], p.variables[p.axes[1]]],
    };
    this.surface.update(data);
    this.surface.setStep(this.events.step());
  }

  /**
   * Playback moved: a slice that follows the selected trajectory asks for the slice through its new point, at most
   * every FOLLOW_MS (each answer is a new grid from the host) and once more for where playback stops.
   */
  stepChanged(): void {
    const p = this.plane();
    if (this.sliceMode !== 'follow' || !p || p.variables.length < 3 || this.followTimer !== undefined) return;
    this.followTimer = window.setTimeout(() => {
      this.followTimer = undefined;
      const now = this.plane();
      const point = this.followPoint();
      if (this.sliceMode !== 'follow' || !now || !point) return;
      const others = point.filter((_, i) => i !== now.axes[0] && i !== now.axes[1]);
      const held = now.at.filter((_, i) => i !== now.axes[0] && i !== now.axes[1]);
      if (others.every((v, i) => v === held[i])) return;
      this.events.viewChanged({
        fn: now.fn,
        axes: [now.axes[0], now.axes[1]],
        bounds: null,
        at: { kind: 'point', point },
      });
    }, FOLLOW_MS);
  }

  private sliceChanged(c: SliceChoice): void {
    const p = this.plane();
    if (!p) return;
    this.sliceMode = c.mode;
    let at: SliceAt;
    if (c.mode === 'minimum') at = { kind: 'minimum' };
    else if (c.mode === 'centre') at = { kind: 'centre' };
    else if (c.mode === 'values') at = { kind: 'point', point: c.point };
    else at = { kind: 'point', point: this.followPoint() ?? p.at };
    this.events.viewChanged({ fn: p.fn, axes: [c.xAxis, c.yAxis], bounds: null, at });
  }

  /** The first traced lane of the run drawn, at the step playback shows. */
  private followPoint(): Point | null {
    const run = this.surfaceRun;
    const t = run?.optimizers[0]?.traces;
    if (!run || !t || !t.lanes.length || !t.lengths[0]) return null;
    const dim = run.config.variables.length;
    const r = Math.min(nearestIndex(Array.from(t.steps), this.events.step()), t.lengths[0] - 1);
    return Array.from(t.theta.subarray(r * dim, (r + 1) * dim));
  }

  /**
   * Pressing a lane's start (within DRAG_RADIUS) drags it: the host previews its trajectory from where it is, once
   * per frame at most. The box listens in the capture phase, so the chart's pan and click never see the drag.
   */
  private dragging(canvas: HTMLCanvasElement): void {
    const box = this.landscapeBox;
    let frame = 0;
    let last: Point | null = null;
    const toPoint = (e: PointerEvent): Point | null => {
      const p = this.plane();
      if (!p || !this.drag) return null;
      const r = canvas.getBoundingClientRect();
      const x = this.landscape.chart.scales.x.getValueForPixel(e.clientX - r.left);
      const y = this.landscape.chart.scales.y.getValueForPixel(e.clientY - r.top);
      if (x === undefined || y === undefined) return null;
      const point = [...this.drag.start];
      point[p.axes[0]] = x;
      point[p.axes[1]] = y;
      return point;
    };
    box.addEventListener(
      'pointerdown',
      (e) => {
        const hit = this.startAt(e, canvas);
        if (!hit) return;
        this.drag = hit;
        e.stopPropagation();
        e.preventDefault();
        canvas.setPointerCapture?.(e.pointerId);
      },
      true,
    );
    box.addEventListener(
      'pointermove',
      (e) => {
        if (!this.drag) return;
        e.stopPropagation();
        last = toPoint(e);
        if (!frame)
          frame = requestAnimationFrame(() => {
            frame = 0;
            if (this.drag && last) this.events.previewStart(this.drag.lane, last);
          });
      },
      true,
    );
    const end = (e: Event) => {
      if (!this.drag) return;
      e.stopPropagation();
      if (last) this.events.moveStart(this.drag.lane, last);
      this.drag = null;
      last = null;
      // The click that ends a drag places no start.
      box.addEventListener('click', (c) => c.stopPropagation(), { capture: true, once: true });
    };
    box.addEventListener('pointerup', end, true);
    box.addEventListener('pointercancel', end, true);
  }

  /** The run's lane whose start is under the pointer, with its start point. */
  private startAt(e: PointerEvent, canvas: HTMLCanvasElement): { lane: number; start: Point } | null {
    const p = this.plane();
    const run = this.surfaceRun;
    if (!p || !run || run.config.fn !== p.fn) return null;
    const dim = run.config.variables.length;
    const r = canvas.getBoundingClientRect();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    const { x, y } = this.landscape.chart.scales;
    const t = run.optimizers[0]?.traces;
    if (!t) return null;
    for (const lane of t.lanes) {
      const start = Array.from(run.starts.subarray(lane * dim, (lane + 1) * dim));
      const sx = x.getPixelForValue(start[p.axes[0]]);
      const sy = y.getPixelForValue(start[p.axes[1]]);
      if (Math.hypot(sx - px, sy - py) <= DRAG_RADIUS) return { lane, start };
    }
    return null;
  }
}

/** The curve view's input: f itself on a linear axis, the known minima at their sampled height. */
function curveInput(c: HostMessage<'curve'>): CurveInput {
  const at = (x: number) => c.f[nearestIndex(c.xs, x)];
  return {
    variable: c.variable,
    xs: c.xs,
    fs: c.f,
    logY: false,
    fLabel: `f(${c.variable})`,
    minima: c.minima.flatMap((x) => {
      const f = c.fStar ?? at(x);
      return f === null ? [] : [{ x, f }];
    }),
  };
}
