/**
 * A deliberately plain implementation of training on data, written from DATA-CONVENTIONS.md's text and
 * CONVENTIONS.md's rules, sharing no code with the engine: the random streams, the split, batch orders, initial
 * parameters and gradient noise; loops over rows with hand-derived gradients; the optimizers' rules as
 * written. The data-fit tests compare the engine's iterates with it.
 */

/** mulberry32, as DATA-CONVENTIONS names it (Tommy Ettinger's generator); u in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** mix(s, r) = (s + r·0x9E3779B9) mod 2³² (exact in doubles for r < 2²⁰). */
export const mix = (s: number, r: number) => (s + r * 0x9e3779b9) % 4294967296;

export const normal = (next: () => number, mu: number, sigma: number) => {
  const u1 = next();
  const u2 = next();
  return mu + sigma * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
};

export type PlainInit = ['zeros'] | ['uniform', number, number] | ['normal', number, number];

/** Starts 0 … N−1 from one stream mulberry32(seed), each parameter in order, elements row-major. */
export function plainStarts(params: readonly { size: number; init: PlainInit }[], seed: number, N: number): number[][] {
  const next = mulberry32(seed);
  const starts: number[][] = [];
  for (let r = 0; r < N; r++) {
    const theta: number[] = [];
    for (const p of params) {
      for (let i = 0; i < p.size; i++) {
        const [kind, a, b] = p.init;
        if (kind === 'zeros') theta.push(0);
        else if (kind === 'uniform') theta.push(a + (b - a) * next());
        else theta.push(normal(next, a, b));
      }
    }
    starts.push(theta);
  }
  return starts;
}

export function fisherYates(perm: number[], next: () => number): number[] {
  for (let i = perm.length - 1; i >= 1; i--) {
    const j = Math.floor(next() * (i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return perm;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** `@split count` (ordered, or shuffled with mulberry32(splitSeed)). */
export function plainSplit(rows: number, count: number, seed?: number): { train: number[]; test: number[] } {
  const order = seed === undefined ? range(rows) : fisherYates(range(rows), mulberry32(seed));
  return { train: order.slice(0, count), test: order.slice(count) };
}

export interface PlainModel {
  loss(theta: readonly number[], row: readonly number[]): number;
  grad(theta: readonly number[], row: readonly number[]): number[];
  metric?(theta: readonly number[], row: readonly number[]): number;
}

export interface PlainOptimizer {
  /** Where the gradient is taken (θ unless the rule looks ahead). */
  point(theta: readonly number[]): number[];
  step(theta: readonly number[], g: readonly number[], f: number): number[];
}

export interface PlainRun {
  model: PlainModel;
  rows: readonly (readonly number[])[];
  train: readonly number[];
  test: readonly number[];
  /** Rows per batch; the whole split without one. */
  batch?: number;
  shuffle: 'epoch' | 'once' | 'none' | 'replace';
  seed: number;
  start: number;
  theta0: readonly number[];
  steps: number;
  optimizer: PlainOptimizer;
  noise?: number;
}

export interface PlainTrace {
  theta: number[][];
  /** F(θₖ), k = 0 … T. */
  F: number[];
  /** fB and gB of update k, k = 0 … T − 1. */
  fB: number[];
  gB: number[][];
  /** At steps e·nb: the mean metric over the test rows. */
  epochMetric: number[];
}

export function plainTrain(run: PlainRun): PlainTrace {
  const { model, rows, train, test, seed, start } = run;
  const n = train.length;
  const B = run.batch ?? n;
  const nb = Math.ceil(n / B);
  const order = mulberry32((mix(seed, start) ^ 0x6a09e667) >>> 0);
  const noise = mulberry32((mix(seed, start) ^ 0xbb67ae85) >>> 0);
  const mean = (f: (row: readonly number[]) => number, which: readonly number[]) => {
    let sum = 0;
    for (const i of which) sum += f(rows[i]);
    return sum / which.length;
  };
  const out: PlainTrace = { theta: [], F: [], fB: [], gB: [], epochMetric: [] };
  let theta = [...run.theta0];
  let perm = range(n);
  for (let k = 0; ; k++) {
    out.theta.push(theta);
    out.F.push(mean((row) => model.loss(theta, row), train));
    if (k % nb === 0 && model.metric) out.epochMetric.push(mean((row) => model.metric!(theta, row), test));
    if (k === run.steps) return out;
    const b = k % nb;
    let batch: number[];
    if (run.shuffle === 'replace') {
      batch = range(B).map(() => Math.floor(order() * n));
    } else {
      if (b === 0 && (run.shuffle === 'epoch' || (run.shuffle === 'once' && k === 0)))
        perm = fisherYates(range(n), order);
      batch = perm.slice(b * B, Math.min((b + 1) * B, n));
    }
    const p = run.optimizer.point(theta);
    let f = 0;
    let g = theta.map(() => 0);
    for (const i of batch) {
      const row = rows[train[i]];
      f += model.loss(p, row);
      const gi = model.grad(p, row);
      g = g.map((s, c) => s + gi[c]);
    }
    f /= batch.length;
    g = g.map((s) => s / batch.length);
    if (run.noise) g = g.map((x) => x + run.noise! * normal(noise, 0, 1));
    out.fB.push(f);
    out.gB.push(g);
    theta = run.optimizer.step(theta, g, f);
  }
}

/** The rules of CONVENTIONS.md, one closure per lane. */
export const plainOptimizers = {
  gd: (eta: number): PlainOptimizer => ({ point: (t) => [...t], step: (t, g) => t.map((x, i) => x - eta * g[i]) }),
  momentum(eta: number, beta: number): PlainOptimizer {
    let d: number[] | undefined;
    return {
      point: (t) => [...t],
      step(t, g) {
        d = g.map((gi, i) => beta * (d?.[i] ?? 0) - eta * gi);
        return t.map((x, i) => x + d![i]);
      },
    };
  },
  nag(eta: number, gamma: number): PlainOptimizer {
    let v: number[] | undefined;
    return {
      point: (t) => t.map((x, i) => x - gamma * (v?.[i] ?? 0)),
      step(t, g) {
        v = g.map((gi, i) => gamma * (v?.[i] ?? 0) + eta * gi);
        return t.map((x, i) => x - v![i]);
      },
    };
  },
  nasgd: (alpha: number): PlainOptimizer => ({
    point: (t) => [...t],
    step(t, g, f) {
      const norm2 = g.reduce((s, x) => s + x * x, 0);
      if (norm2 === 0) return [...t];
      const factor = Math.min(1, (alpha * f) / norm2);
      return t.map((x, i) => x - factor * g[i]);
    },
  }),
  adam(eta: number, beta1 = 0.9, beta2 = 0.999, eps = 1e-8): PlainOptimizer {
    let m: number[] | undefined;
    let s: number[] | undefined;
    let t = 0;
    return {
      point: (th) => [...th],
      step(th, g) {
        t++;
        m = g.map((gi, i) => beta1 * (m?.[i] ?? 0) + (1 - beta1) * gi);
        s = g.map((gi, i) => beta2 * (s?.[i] ?? 0) + (1 - beta2) * gi * gi);
        return th.map((x, i) => {
          const mHat = m![i] / (1 - beta1 ** t);
          const sHat = s![i] / (1 - beta2 ** t);
          return x - (eta * mHat) / (Math.sqrt(sHat) + eps);
        });
      },
    };
  },
};

/** The dense tanh layer R^10 → R^4 (Sprunger 2020 §3): θ = W (4×10, row-major), then b (4). */
export const denseLayer: PlainModel = {
  loss(theta, row) {
    let sum = 0;
    for (let j = 0; j < 4; j++) {
      const d = Math.tanh(pre(theta, row, j)) - row[10 + j];
      sum += d * d;
    }
    return sum;
  },
  grad(theta, row) {
    const g = new Array<number>(44).fill(0);
    for (let j = 0; j < 4; j++) {
      const t = Math.tanh(pre(theta, row, j));
      // ∂/∂z (t − y)² = 2(t − y)(1 − t²)
      const dz = 2 * (t - row[10 + j]) * (1 - t * t);
      for (let k = 0; k < 10; k++) g[j * 10 + k] = dz * row[k];
      g[40 + j] = dz;
    }
    return g;
  },
  metric(theta, row) {
    let sum = 0;
    for (let j = 0; j < 4; j++) sum += (Math.tanh(pre(theta, row, j)) - row[10 + j]) ** 2;
    return Math.sqrt(sum);
  },
};

function pre(theta: readonly number[], row: readonly number[], j: number): number {
  let z = 0;
  for (let k = 0; k < 10; k++) z += theta[j * 10 + k] * row[k];
  return z + theta[40 + j];
}

/**
 * Logistic regression with labels ±1 on features (x1, x2, x1², x2²) of a row (x1, x2, label): θ = w (4), c;
 * ℓ = log(1 + exp(−y z)), z = w·φ + c; ∂ℓ/∂z = −y σ(−y z). The metric is the accuracy, y z > 0.
 */
export const logistic: PlainModel = {
  loss(theta, row) {
    const m = -row[2] * score(theta, row);
    return m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
  },
  grad(theta, row) {
    const y = row[2];
    const m = -y * score(theta, row);
    const sigma = m >= 0 ? 1 / (1 + Math.exp(-m)) : Math.exp(m) / (1 + Math.exp(m));
    const dz = -y * sigma;
    return [...features(row).map((x) => dz * x), dz];
  },
  metric: (theta, row) => (row[2] * score(theta, row) > 0 ? 1 : 0),
};

const features = (row: readonly number[]) => [row[0], row[1], row[0] * row[0], row[1] * row[1]];

function score(theta: readonly number[], row: readonly number[]): number {
  const phi = features(row);
  let z = 0;
  for (let i = 0; i < 4; i++) z += theta[i] * phi[i];
  return z + theta[4];
}
