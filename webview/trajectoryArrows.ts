/**
 * The per-step arrows of the trajectory layer (what gradient_descent_viz shows as an optimizer's internals): −∇f,
 * the power gradient −sign(g)·|g|^H and the optimizer's own step, at each lane's current point, from vectors the
 * host computed. Each kind has one scale per frame, so lanes and optimizers compare within a kind; the key says
 * which is which and how long the longest is.
 */
import { formatNumber } from '../src/present/format';
import { h } from './dom';

/** −∇f, the power gradient −sign(g)·|g|^H, and the optimizer's own step. */
export type ArrowKind = 'gradient' | 'power' | 'step';
const ARROW_KINDS: readonly ArrowKind[] = ['gradient', 'power', 'step'];
const ARROW_NAMES: Record<ArrowKind, string> = {
  gradient: '−∇f',
  power: '−sign(g)·|g|ᴴ',
  step: 'the optimizer’s step',
};

/** One arrow per step of a lane, in data units of the view; drawn from the lane's point at that step. */
export interface LaneVectors {
  readonly us: ArrayLike<number>;
  readonly vs: ArrayLike<number>;
}

/** A lane as the arrows need it: its points in data units and in pixels (x, y pairs), its vectors by kind. */
interface ArrowLane {
  readonly xs: ArrayLike<number>;
  readonly ys: ArrayLike<number>;
  readonly px: Float32Array;
  readonly vectors: Partial<Record<ArrowKind, LaneVectors>>;
}

/** The key under the chart, and the kinds' colours (CSS variables --arrow-gradient …, so the key matches). */
export class ArrowKey {
  readonly root = h('div', { class: 'arrow-legend hidden' });
  private colours: Record<ArrowKind, string> = { gradient: '#ffffff', power: '#ffb000', step: '#ff5cd6' };
  private shown = '';

  readColours(css: CSSStyleDeclaration): void {
    for (const k of ARROW_KINDS) this.colours[k] = css.getPropertyValue(`--arrow-${k}`).trim() || this.colours[k];
  }

  /**
   * Draws the arrows of `kinds` at step k of each lane (a lane at rest shows those of its last step), the longest
   * of each kind `length` pixels long; `x`, `y` map data to pixels. Then updates the key, which says so when the
   * arrows are on the first `capped` lanes of each optimizer only.
   */
  draw(
    ctx: CanvasRenderingContext2D,
    kinds: readonly ArrowKind[],
    lanes: readonly ArrowLane[],
    k: number,
    view: { x(v: number): number; y(v: number): number },
    length: number,
    capped: number | null,
  ): void {
    const longest: Partial<Record<ArrowKind, number>> = {};
    for (const kind of kinds) {
      const arrows: number[] = [];
      let maxPx = 0;
      for (const lane of lanes) {
        const vec = lane.vectors[kind];
        const p = lane.px;
        if (!vec) continue;
        const j = Math.min(k, p.length / 2 - 1, vec.us.length - 1);
        if (j < 0 || !Number.isFinite(p[2 * j])) continue;
        const u = vec.us[j];
        const v = vec.vs[j];
        const dx = view.x(lane.xs[j] + u) - p[2 * j];
        const dy = view.y(lane.ys[j] + v) - p[2 * j + 1];
        const len = Math.hypot(dx, dy);
        if (!Number.isFinite(len) || len === 0) continue;
        arrows.push(p[2 * j], p[2 * j + 1], dx, dy);
        if (len > maxPx) {
          maxPx = len;
          longest[kind] = Math.hypot(u, v);
        }
      }
      if (maxPx > 0) drawArrowSet(ctx, arrows, length / maxPx, this.colours[kind]);
    }
    this.render(kinds, capped, longest);
  }

  /** The key for `kinds` (hidden when none); the DOM changes only when what it says does, not every frame. */
  render(kinds: readonly ArrowKind[], capped: number | null, longest: Partial<Record<ArrowKind, number>> = {}): void {
    const key = `${capped}|${kinds.map((k) => `${k}:${formatNumber(longest[k])}`).join('|')}`;
    if (key === this.shown) return;
    this.shown = key;
    this.root.classList.toggle('hidden', kinds.length === 0);
    this.root.replaceChildren(
      ...kinds.map((k) =>
        h(
          'span',
          { class: `arrow-key arrow-${k}` },
          h('span', { class: 'arrow-swatch', 'aria-hidden': 'true' }),
          ARROW_NAMES[k],
          longest[k] === undefined ? '' : h('span', { class: 'arrow-scale' }, ` longest ${formatNumber(longest[k])}`),
        ),
      ),
      kinds.length
        ? h(
            'span',
            { class: 'arrow-note' },
            `each kind scaled to its longest at this step${capped === null ? '' : `; at the first ${capped} starts of each optimizer`}`,
          )
        : '',
    );
  }
}

/**
 * Arrows as flat (x, y, dx, dy) quadruples, scaled by `s`, in one colour over a dark outline that reads on any map
 * (an outline rather than a shadow: a blurred shadow costs a blur of the whole path's extent in software raster).
 */
function drawArrowSet(ctx: CanvasRenderingContext2D, a: readonly number[], s: number, colour: string): void {
  ctx.save();
  ctx.lineJoin = 'round';
  const shafts = new Path2D();
  for (let i = 0; i < a.length; i += 4) {
    if (Math.hypot(a[i + 2], a[i + 3]) * s < 1) continue;
    shafts.moveTo(a[i], a[i + 1]);
    shafts.lineTo(a[i] + a[i + 2] * s, a[i + 1] + a[i + 3] * s);
  }
  const heads = new Path2D();
  for (let i = 0; i < a.length; i += 4) {
    const len = Math.hypot(a[i + 2], a[i + 3]) * s;
    if (len < 1) continue;
    const x1 = a[i] + a[i + 2] * s;
    const y1 = a[i + 1] + a[i + 3] * s;
    const head = Math.min(6, len / 2.5);
    const ang = Math.atan2(a[i + 3], a[i + 2]);
    heads.moveTo(x1, y1);
    heads.lineTo(x1 - head * Math.cos(ang - 0.45), y1 - head * Math.sin(ang - 0.45));
    heads.lineTo(x1 - head * Math.cos(ang + 0.45), y1 - head * Math.sin(ang + 0.45));
    heads.closePath();
  }
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.6)';
  ctx.lineWidth = 3.4;
  ctx.stroke(shafts);
  ctx.lineWidth = 1.8;
  ctx.stroke(heads);
  ctx.strokeStyle = colour;
  ctx.fillStyle = colour;
  ctx.lineWidth = 1.6;
  ctx.stroke(shafts);
  ctx.fill(heads);
  ctx.restore();
}
