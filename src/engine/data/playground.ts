/**
 * TensorFlow-Playground-style 2-D classification sets (circle, xor, gauss, spiral), after the kinds of data in
 * tensorflow/playground's src/dataset.ts (Apache-2.0, © 2016 Google Inc.; README "Datasets"): the same shapes,
 * sizes and meaning of the noise level, written here over our own seeded stream instead of Math.random.
 *
 * Columns x1, x2, label (label ±1). n points, the first ceil(n/2) of class +1 where a set has two halves. Noise
 * in [0, 0.5] as the Playground's slider (0–50 %). One stream mulberry32(seed); each point takes its draws in
 * the order listed, and the draws that noise scales are taken even at noise 0, so a seed gives the same clean
 * points at every noise level. u(a, b) is uniformDraw, N(μ, σ) normalDraw (random.ts).
 */
import type { Dataset } from './dataset';
import { mulberry32, normalDraw, uniformDraw } from './random';

export interface PlaygroundArgs {
  readonly n: number;
  readonly noise: number;
  readonly seed: number;
}

type Point = [x: number, y: number, label: number];

function dataset(name: string, points: Point[]): Dataset {
  return { name, columns: ['x1', 'x2', 'label'], rows: points.length, values: Float64Array.from(points.flat()) };
}

const halves = (n: number) => [Math.ceil(n / 2), Math.floor(n / 2)] as const;

/**
 * circle: class +1 in the disc of radius 2.5, class −1 in the ring 3.5…5. Per point: r ~ u(0, 2.5) or
 * u(3.5, 5), angle ~ u(0, 2π), point (r·sin angle, r·cos angle); then ex, ey ~ u(−5, 5) and the label is +1 when
 * the point moved by noise·(ex, ey) lies within 2.5 of the origin, so noise flips labels near the boundary.
 */
export function circle(name: string, { n, noise, seed }: PlaygroundArgs): Dataset {
  const next = mulberry32(seed);
  const radius = 5;
  const points: Point[] = [];
  const [inner, outer] = halves(n);
  const ring = (count: number, lo: number, hi: number) => {
    for (let i = 0; i < count; i++) {
      const r = uniformDraw(next, lo, hi);
      const angle = uniformDraw(next, 0, 2 * Math.PI);
      const x = r * Math.sin(angle);
      const y = r * Math.cos(angle);
      const ex = uniformDraw(next, -radius, radius) * noise;
      const ey = uniformDraw(next, -radius, radius) * noise;
      points.push([x, y, Math.hypot(x + ex, y + ey) < radius / 2 ? 1 : -1]);
    }
  };
  ring(inner, 0, radius / 2);
  ring(outer, radius * 0.7, radius);
  return dataset(name, points);
}

/**
 * xor: x, y ~ u(−5, 5), each pushed 0.3 away from 0 (a margin between the quadrants); ex, ey ~ u(−5, 5); the
 * label is the sign of (x + noise·ex)·(y + noise·ey), +1 at 0.
 */
export function xor(name: string, { n, noise, seed }: PlaygroundArgs): Dataset {
  const next = mulberry32(seed);
  const margin = 0.3;
  const points: Point[] = [];
  for (let i = 0; i < n; i++) {
    let x = uniformDraw(next, -5, 5);
    x += x > 0 ? margin : -margin;
    let y = uniformDraw(next, -5, 5);
    y += y > 0 ? margin : -margin;
    const ex = uniformDraw(next, -5, 5) * noise;
    const ey = uniformDraw(next, -5, 5) * noise;
    points.push([x, y, (x + ex) * (y + ey) >= 0 ? 1 : -1]);
  }
  return dataset(name, points);
}

/**
 * gauss: class +1 around (2, 2), class −1 around (−2, −2); x ~ N(cx, σ) then y ~ N(cy, σ), with the variance
 * σ² growing linearly from 0.5 at noise 0 to 4 at noise 0.5, so the clouds overlap more as noise grows.
 */
export function gauss(name: string, { n, noise, seed }: PlaygroundArgs): Dataset {
  const next = mulberry32(seed);
  const sigma = Math.sqrt(0.5 + (noise / 0.5) * (4 - 0.5));
  const points: Point[] = [];
  const [pos, neg] = halves(n);
  const cloud = (count: number, c: number, label: number) => {
    for (let i = 0; i < count; i++) points.push([normalDraw(next, c, sigma), normalDraw(next, c, sigma), label]);
  };
  cloud(pos, 2, 1);
  cloud(neg, -2, -1);
  return dataset(name, points);
}

/**
 * spiral: two arms 1.75 turns long, class +1 and (rotated by π) class −1. Point i of an arm of m points lies
 * at radius 5·i/m and angle 1.75·2π·i/m (+ π), moved by noise·(ex, ey), ex, ey ~ u(−1, 1).
 */
export function spiral(name: string, { n, noise, seed }: PlaygroundArgs): Dataset {
  const next = mulberry32(seed);
  const points: Point[] = [];
  const [pos, neg] = halves(n);
  const arm = (m: number, turn: number, label: number) => {
    for (let i = 0; i < m; i++) {
      const r = (i / m) * 5;
      const t = ((1.75 * i) / m) * 2 * Math.PI + turn;
      const x = r * Math.sin(t) + uniformDraw(next, -1, 1) * noise;
      const y = r * Math.cos(t) + uniformDraw(next, -1, 1) * noise;
      points.push([x, y, label]);
    }
  };
  arm(pos, 0, 1);
  arm(neg, Math.PI, -1);
  return dataset(name, points);
}
