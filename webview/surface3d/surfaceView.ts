/**
 * The landscape as a 3-D surface with every optimizer's trajectories on it: a self-contained view that the Lab
 * mounts in a container of its own. Plain data in, no engine imports, WebGL through ogl; no inline style
 * element, no eval, no worker, so it runs under the panel's strict CSP.
 *
 *   const view = new SurfaceView(container, readTheme());
 *   view.update({ grid, fStar, delta, minima, optimizers, variables });  // draws; the step goes to the end
 *   view.setStep(k);             // each lane's point at iteration k, with a fading tail of its recent steps
 *   view.setTheme(readTheme());  // on a theme switch (watchTheme)
 *   view.resize();               // the container's width, 0.7 of it high; or view.resize({ width, height })
 *   view.dispose();              // removes the DOM and releases the WebGL context
 *
 * `view.available` is false when the webview has no WebGL; the view then shows a message and every call is a
 * no-op. Colour is the 2-D landscape's (viridis of log10(f − f* + δ)); height is f or log10(f − f* + δ), a
 * toolbar toggle, starting with the one that reads best for the grid. Drag rotates, right- or shift-drag pans,
 * wheel or pinch zooms; on the focused canvas arrows rotate, + and − zoom and 0 resets.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import { Vec3 } from 'ogl';
import { h } from '../dom';
import type { Theme } from '../theme';
import { axes } from './axes';
import { CameraControls } from './cameraControls';
import {
  defaultHeightMode,
  heightScale,
  HEIGHT,
  sampleGrid,
  surfaceMesh,
  toWorldXZ,
  type HeightMode,
  type HeightScale,
  type SurfaceGrid,
} from './surfaceGeometry';
import { SurfaceScene } from './surfaceScene';
import { pathBuffers, writeMarkers, type Place, type RGB, type SurfaceOptimizer } from './trajectoryBuffers';

export type { SurfaceGrid, HeightMode } from './surfaceGeometry';
export type { SurfaceLane, SurfaceOptimizer } from './trajectoryBuffers';

export interface SurfaceData {
  readonly grid: SurfaceGrid;
  /** The f* and δ of the 2-D landscape's colour scale. */
  readonly fStar: number;
  readonly delta: number;
  readonly minima: readonly (readonly [number, number])[];
  readonly optimizers: readonly SurfaceOptimizer[];
  /** Axis names; x and y when absent. */
  readonly variables?: readonly [string, string];
}

/** Paths and markers float this far over the surface (in half-widths), so that they are not buried in it. */
const LIFT = 0.012;
/** The tail covers this share of the run's steps. */
const TAIL_SHARE = 0.06;
const HINT = 'Drag to rotate · right- or shift-drag to pan · wheel to zoom · keys: arrows, + −, 0 resets';

export class SurfaceView {
  readonly available: boolean;
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly scene: SurfaceScene | null = null;
  private readonly controls: CameraControls | null = null;
  private readonly overlay = h('div', { 'aria-hidden': 'true' });
  private readonly status = h('span', { role: 'status' });
  private readonly logHeight = h('vscode-checkbox', {
    label: 'Log height',
    title: 'Height as log10(f − f* + δ), the colour scale, rather than f',
  }) as HTMLElement & { checked: boolean };
  private labels: { el: HTMLElement; at: readonly [number, number, number] }[] = [];
  private data: SurfaceData | null = null;
  private mode: HeightMode = 'linear';
  private place: Place = () => null;
  private lastStep = 0;
  private pathsDrawn = 0;
  private step = 0;
  private markers = { position: new Float32Array(0), colour: new Float32Array(0) };
  private colours: RGB[] = [];
  private frame = 0;

  constructor(
    private readonly container: HTMLElement,
    private theme: Theme,
  ) {
    this.canvas = h('canvas', {
      tabindex: '0',
      role: 'img',
      'aria-label': `3-D surface of the cost function with the optimizers' trajectories. ${HINT}.`,
    }) as HTMLCanvasElement;
    const stage = h('div', {}, this.canvas, this.overlay);
    const reset = h('vscode-button', { secondary: '', title: 'Back to the starting view (key 0)' }, 'Reset view');
    const bar = h('div', {}, h('span', {}, HINT), this.status, this.logHeight, reset);
    this.element = h('div', { class: 'surface3d' }, stage, bar);
    Object.assign(stage.style, { position: 'relative', overflow: 'hidden' });
    Object.assign(this.canvas.style, { display: 'block', outlineOffset: '-1px' });
    Object.assign(this.overlay.style, { position: 'absolute', inset: '0', pointerEvents: 'none' });
    Object.assign(bar.style, { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '4px 12px' });
    Object.assign(bar.style, { marginTop: '4px', fontSize: '0.9em' });
    this.status.style.flex = '1';
    container.append(this.element);

    const attributes = { antialias: true, alpha: false };
    const gl = this.canvas.getContext('webgl2', attributes) ?? this.canvas.getContext('webgl', attributes);
    this.available = gl !== null;
    if (!gl) {
      stage.replaceChildren(this.message('The 3-D view needs WebGL, which this webview does not offer'));
      bar.remove();
      return;
    }
    this.scene = new SurfaceScene(this.canvas, Math.min(2, window.devicePixelRatio || 1));
    this.controls = new CameraControls(this.scene.camera, this.canvas, () => this.invalidate());
    this.canvas.addEventListener('webglcontextlost', () =>
      stage.replaceChildren(this.message('The 3-D view lost its WebGL context')),
    );
    this.logHeight.addEventListener('change', () => this.setHeightMode(this.logHeight.checked ? 'log' : 'linear'));
    reset.addEventListener('click', () => this.resetView());
    this.setTheme(theme);
    this.resize();
  }

  /** New data: rebuilds every buffer, keeps the camera; the step goes to the end of the longest lane. */
  update(data: SurfaceData): void {
    if (!this.scene) return;
    const changedGrid = this.data?.grid !== data.grid;
    this.data = data;
    if (changedGrid) this.mode = defaultHeightMode(data.grid);
    this.rebuild();
    this.setStep(this.lastStep);
  }

  /** Shows each lane at iteration k (its last point when it stopped earlier). */
  setStep(k: number): void {
    this.step = k;
    if (!this.scene || !this.data) return;
    const n = writeMarkers(
      this.data.optimizers,
      this.colours,
      this.place,
      k,
      this.markers.position,
      this.markers.colour,
    );
    this.scene.showMarkers(n);
    this.scene.setPathStyle({ current: k, tail: Math.max(2, this.lastStep * TAIL_SHARE), faint: this.faint() });
    this.invalidate();
  }

  setHeightMode(mode: HeightMode): void {
    this.mode = mode;
    if (!this.data) return;
    this.rebuild();
    this.setStep(this.step);
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.element.style.color = theme.foreground;
    this.element.style.fontFamily = theme.fontFamily;
    this.overlay.style.fontSize = `${theme.fontSize - 2}px`;
    for (const { el } of this.labels) this.styleLabel(el);
    if (!this.scene) return;
    this.scene.setColours({
      background: cssRgb(theme.background),
      frame: mix(cssRgb(theme.muted), cssRgb(theme.background), 0.35),
    });
    if (this.data) this.rebuild();
    this.setStep(this.step);
  }

  /** Fits the canvas to `size`, or to the container's width and 0.7 of it in height (at least 180 px). */
  resize(size?: { width: number; height: number }): void {
    if (!this.scene) return;
    const width = Math.max(1, Math.floor(size?.width ?? this.container.clientWidth));
    const height = Math.max(1, Math.floor(size?.height ?? Math.max(180, width * 0.7)));
    this.scene.renderer.setSize(width, height);
    this.scene.camera.perspective({ aspect: width / height });
    this.invalidate();
  }

  resetView(): void {
    this.controls?.reset();
    this.invalidate();
  }

  /** Draws now rather than on the next animation frame: before reading the canvas (an export, a test). */
  drawNow(): void {
    if (!this.scene) return;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.controls!.update();
    this.scene.draw();
    this.placeLabels();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.controls?.dispose();
    this.scene?.dispose();
    this.element.remove();
  }

  private invalidate(): void {
    if (this.scene && !this.frame) this.frame = requestAnimationFrame(() => this.drawNow());
  }

  private rebuild(): void {
    const scene = this.scene!;
    const data = this.data!;
    const grid = data.grid;
    const scale = { fStar: data.fStar, delta: data.delta };
    const heights = heightScale(grid, this.mode, scale);
    this.place = placer(grid, heights);
    this.colours = data.optimizers.map((o) => cssRgb(o.colour));
    const frame = axes(grid, heights, data.variables ?? ['x', 'y']);
    scene.setFrame(frame.lines);
    scene.setSurface(surfaceMesh(grid, heights, scale));
    const paths = pathBuffers(data.optimizers, this.colours, this.place);
    this.lastStep = paths.lastStep;
    this.pathsDrawn = paths.lanesDrawn;
    scene.setPaths(paths);
    const minima = data.minima.flatMap(([x, y]) => this.place(x, y, data.fStar) ?? []);
    scene.setMinima(Float32Array.from(minima), cssRgb(this.theme.foreground));
    this.markers = { position: new Float32Array(3 * paths.lanesTotal), colour: new Float32Array(3 * paths.lanesTotal) };
    scene.setMarkers(this.markers.position, this.markers.colour);
    this.status.textContent =
      paths.lanesDrawn < paths.lanesTotal ? `paths of ${paths.lanesDrawn} of ${paths.lanesTotal} lanes shown` : '';
    this.logHeight.checked = this.mode === 'log';
    this.overlay.replaceChildren();
    this.labels = frame.labels.map((l) => {
      const el = h('span', l.name ? { 'data-name': '' } : {}, l.text);
      Object.assign(el.style, { position: 'absolute', left: '0', top: '0', whiteSpace: 'nowrap' });
      this.styleLabel(el);
      this.overlay.append(el);
      return { el, at: l.at };
    });
  }

  /** The travelled part of the paths: clear with a few lanes, a haze with hundreds. */
  private faint(): number {
    return Math.min(0.55, Math.max(0.12, 2.5 / Math.sqrt(Math.max(1, this.pathsDrawn))));
  }

  private placeLabels(): void {
    const { width, height } = this.scene!.renderer;
    for (const { el, at } of this.labels) {
      const p = new Vec3(...at);
      this.scene!.camera.project(p);
      el.style.visibility = p.z < 1 ? 'visible' : 'hidden';
      el.style.transform = `translate(${((p.x + 1) / 2) * width}px, ${((1 - p.y) / 2) * height}px) translate(-50%, -50%)`;
    }
  }

  /** Theme colours, with a halo of the background so that a label over the surface stays legible. */
  private styleLabel(el: HTMLElement): void {
    const t = this.theme;
    el.style.color = el.dataset.name !== undefined ? t.foreground : t.muted;
    el.style.textShadow = `0 0 2px ${t.background}, 0 0 3px ${t.background}, 0 0 4px ${t.background}`;
  }

  private message(text: string): HTMLElement {
    const p = h(
      'p',
      { role: 'status' },
      `${text}: hardware acceleration may be off. The 2-D landscape shows the same data.`,
    );
    p.style.color = this.theme.muted;
    return p;
  }
}

/**
 * Where a lane's point (x, y, f) goes: off the domain or not finite, nowhere (diverging lanes are cut). Never
 * under the surface as drawn: between grid samples the mesh is a linear interpolation, which lies above f in
 * a curved valley, exactly where lanes gather.
 */
function placer(grid: SurfaceGrid, heights: HeightScale): Place {
  return (x, y, f) => {
    const [wx, wz] = toWorldXZ(grid, x, y);
    if (!(Math.abs(wx) <= 1 && Math.abs(wz) <= 1)) return null;
    const known = [f === undefined ? NaN : heights.height(f), heights.height(sampleGrid(grid, x, y))];
    const h = Math.max(...known.filter(Number.isFinite));
    return h >= 0 ? [wx, h * HEIGHT + LIFT, wz] : null;
  };
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour as 0 … 1 floats, by letting a 2-D canvas parse it. */
function cssRgb(colour: string): RGB {
  probe ??= document.createElement('canvas').getContext('2d')!;
  probe.fillStyle = '#000';
  probe.fillStyle = colour;
  const s = String(probe.fillStyle);
  const m = /^#(..)(..)(..)$/.exec(s) ?? /^rgba?\((\d+), (\d+), (\d+)/.exec(s);
  const base = s.startsWith('#') ? 16 : 10;
  return m ? ([1, 2, 3].map((i) => parseInt(m[i], base) / 255) as unknown as RGB) : [0.5, 0.5, 0.5];
}

const mix = (a: RGB, b: RGB, t: number): RGB => [0, 1, 2].map((i) => a[i] * (1 - t) + b[i] * t) as unknown as RGB;
