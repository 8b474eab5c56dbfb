/**
 * Helpers for the model tests: in-memory datasets, a `.cost` text parsed with them, a model's per-row program
 * evaluated by the IR interpreter, and mathjs (the full package, with the activations the language adds written
 * naively) evaluating the same loss as an independent reference.
 */
import { all, create, type Matrix, type MathType } from 'mathjs';
import type { Dataset } from '../../src/engine/data';
import { parseCostFile, type CostFile } from '../../src/engine/expr/costParser';
import { evaluate } from '../../src/engine/expr/ir';
import type { ModelProgram } from '../../src/engine/model';

export function memoryData(columns: readonly string[], rows: number[][], name = 'memory'): Dataset {
  return { name, columns, rows: rows.length, values: Float64Array.from(rows.flat()) };
}

/** Parses `text` with `files` as the data files it may read. */
export function parseWith(text: string, files: Record<string, Dataset> = {}): CostFile {
  return parseCostFile(text, 'test.cost', {
    readData: (path) =>
      Object.hasOwn(files, path) ? { ok: true, dataset: files[path] } : { ok: false, error: `no file '${path}'` },
  });
}

/** The input values of a model's graph for θ and dataset row r. */
export function inputs(model: ModelProgram, theta: readonly number[], r: number): Record<string, number> {
  const { graph, data } = model;
  const values: Record<string, number> = {};
  const name = (id: number): string => {
    const n = graph.node(id);
    if (n.kind !== 'input') throw new Error('not an input');
    return n.name;
  };
  model.theta.forEach((id, i) => (values[name(id)] = theta[i]));
  const width = data.dataset.columns.length;
  for (const c of model.columns) values[name(c.input)] = data.dataset.values[r * width + c.index];
  return values;
}

/** ℓ, ∇ℓ and the metrics at θ on dataset row r, by the IR interpreter. */
export function evalRow(model: ModelProgram, theta: readonly number[], r: number) {
  const outputs = [model.loss, ...model.gradient, ...model.metrics.map((m) => m.output)];
  const v = evaluate(model.graph, inputs(model, theta, r), outputs);
  const P = model.parameterCount;
  return { loss: v[0], gradient: v.slice(1, 1 + P), metrics: v.slice(1 + P) };
}

export const math = create(all);
const elements = (m: Matrix | number): number[] => (typeof m === 'number' ? [m] : (m.toArray().flat() as number[]));
math.import({
  sigmoid: (x: number) => 1 / (1 + Math.exp(-x)),
  softplus: (x: number) => Math.log(1 + Math.exp(x)),
  relu: (x: number) => Math.max(x, 0),
  logsumexp: (m: Matrix | number) => Math.log(elements(m).reduce((s, x) => s + Math.exp(x), 0)),
  softmax: (m: Matrix) => {
    const total = elements(m).reduce((s, x) => s + Math.exp(x), 0);
    return math.map(m, (x: number) => Math.exp(x) / total);
  },
});

/** The mathjs scope for θ laid out as `model.params` say, and row r as the vector `row`. */
export function mathjsScope(model: ModelProgram, theta: readonly number[], r: number): Map<string, MathType> {
  const scope = new Map<string, MathType>();
  for (const p of model.params) {
    const flat = theta.slice(p.offset, p.offset + p.size);
    if (p.shape.length === 0) scope.set(p.name, flat[0]);
    else if (p.shape.length === 1) scope.set(p.name, math.matrix(flat));
    else {
      const n = p.shape[1];
      scope.set(p.name, math.matrix(Array.from({ length: p.shape[0] }, (_, i) => flat.slice(i * n, (i + 1) * n))));
    }
  }
  const width = model.data.dataset.columns.length;
  scope.set('row', math.matrix([...model.data.dataset.values.subarray(r * width, (r + 1) * width)]));
  return scope;
}

/** Reproducible values in [lo, hi) for test inputs (an LCG: any stream will do here). */
export function uniforms(count: number, seed: number, lo = -1, hi = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 2 ** 32;
  });
}
