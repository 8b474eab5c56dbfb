/**
 * What the decision boundary and the loss-along-the-path views share: a grid of colours drawn under a chart.js
 * scatter's datasets (one image pixel per grid sample, smoothed, clipped to the plot), iso-lines over it, and the
 * frame a step falls in. The colour functions are pure, so node:test checks them.
 */
import type { Chart } from 'chart.js';
import type { XY } from '../chartData';

export type RGB = readonly [number, number, number];

/** A CSS colour as bytes: #rgb, #rrggbb or rgb(…); grey when it is neither. */
export function rgbOf(colour: string): RGB {
  const c = colour.trim();
  const hex = /^#([0-9a-f]{6}|[0-9a-f]{3})(?:[0-9a-f]{2})?$/i.exec(c);
  if (hex) {
    const h = hex[1].length === 3 ? hex[1].replace(/./g, (d) => d + d) : hex[1];
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(c);
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : [128, 128, 128];
}

/** a + (b − a)·t per channel. */
export const mix = (a: RGB, b: RGB, t: number): RGB =>
  [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)) as unknown as RGB;

/** The index of the last frame at or before `step` (the first frame before them all). */
export function frameAt(steps: readonly number[], step: number): number {
  let k = 0;
  while (k + 1 < steps.length && steps[k + 1] <= step) k++;
  return k;
}

/** RGBA bytes, top row = largest y, of `colour(value)` per sample of a row-major ys × xs grid; null is clear. */
export function gridRGBA(
  values: readonly (number | null)[],
  nx: number,
  ny: number,
  colour: (v: number) => RGB,
): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(new ArrayBuffer(nx * ny * 4));
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const v = values[j * nx + i];
      if (v === null) continue;
      const o = ((ny - 1 - j) * nx + i) * 4;
      const c = colour(v);
      out[o] = c[0];
      out[o + 1] = c[1];
      out[o + 2] = c[2];
      out[o + 3] = 255;
    }
  return out;
}

/** The bytes as a canvas, ready for drawImage. */
export function imageOf(rgba: Uint8ClampedArray<ArrayBuffer>, nx: number, ny: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = nx;
  c.height = ny;
  c.getContext('2d')!.putImageData(new ImageData(rgba, nx, ny), 0, 0);
  return c;
}

/** Draws the image over the grid's cells (each sample at the centre of its cell) and the lines, clipped to the plot. */
export function drawGridLayer(
  chart: Chart,
  image: HTMLCanvasElement,
  xs: readonly number[],
  ys: readonly number[],
  lines: readonly { readonly points: readonly XY[][]; readonly colour: string; readonly width: number }[],
): void {
  const { ctx, chartArea: a } = chart;
  const sx = chart.scales.x;
  const sy = chart.scales.y;
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
    image,
    left,
    top,
    sx.getPixelForValue(xs[xs.length - 1] + halfX) - left,
    sy.getPixelForValue(ys[0] - halfY) - top,
  );
  for (const l of lines) {
    ctx.strokeStyle = l.colour;
    ctx.lineWidth = l.width;
    ctx.beginPath();
    for (const line of l.points)
      line.forEach((p, k) =>
        (k ? ctx.lineTo : ctx.moveTo).call(ctx, sx.getPixelForValue(p.x), sy.getPixelForValue(p.y)),
      );
    ctx.stroke();
  }
  ctx.restore();
}

/** The value of the grid sample nearest to (x, y), or null outside the grid. */
export function nearestValue(
  xs: readonly number[],
  ys: readonly number[],
  values: readonly (number | null)[],
  x: number,
  y: number,
): number | null {
  const i = Math.round(((x - xs[0]) / (xs[xs.length - 1] - xs[0])) * (xs.length - 1));
  const j = Math.round(((y - ys[0]) / (ys[ys.length - 1] - ys[0])) * (ys.length - 1));
  if (!(i >= 0 && i < xs.length && j >= 0 && j < ys.length)) return null;
  return values[j * xs.length + i];
}
