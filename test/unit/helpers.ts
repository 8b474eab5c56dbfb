/** Small builders shared by the unit tests: cost functions written directly in IR, independent of the parser. */
import { Graph, type NodeId } from '../../src/engine/expr/ir';
import type { RunFunction } from '../../src/engine/run/runner';
import { fromJsonValue, toJsonValue } from '../../src/shared/typedJson';

export function irFunction(
  name: string,
  variables: string[],
  build: (g: Graph, v: NodeId[]) => NodeId,
  extra: Partial<Pick<RunFunction, 'domain' | 'minima' | 'fStar'>> = {},
): RunFunction {
  const graph = new Graph();
  const inputs = variables.map((v) => graph.input(v));
  return { name, variables, graph, inputs, output: build(graph, inputs), minima: [], ...extra };
}

export const rosenbrockIR = () =>
  irFunction(
    'rosenbrock',
    ['x', 'y'],
    (g, [x, y]) => {
      const a = g.sub(g.const(1), x);
      const b = g.sub(y, g.mul(x, x));
      return g.add(g.mul(a, a), g.mul(g.const(100), g.mul(b, b)));
    },
    {
      minima: [[1, 1]],
      fStar: 0,
      domain: [
        [-2, 2],
        [-1, 3],
      ],
    },
  );

export const bealeIR = () =>
  irFunction(
    'beale',
    ['x', 'y'],
    (g, [x, y]) => {
      const term = (c: number, p: number) => {
        const t = g.add(g.sub(g.const(c), x), g.mul(x, g.pow(y, g.const(p))));
        return g.mul(t, t);
      };
      return g.add(g.add(term(1.5, 1), term(2.25, 2)), term(2.625, 3));
    },
    {
      minima: [[3, 0.5]],
      fStar: 0,
      domain: [
        [-4.5, 4.5],
        [-4.5, 4.5],
      ],
    },
  );

/** κθ²/2 in one variable. */
export const quadratic1D = (kappa: number) =>
  irFunction('quad', ['x'], (g, [x]) => g.mul(g.const(kappa / 2), g.mul(x, x)), { minima: [[0]], fStar: 0 });

/** Relative error, with exact equality (including both non-finite) counting as zero. */
export function relErr(a: number, b: number): number {
  if (Object.is(a, b) || a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

/**
 * A message as a webview receives it from `postMessage`: VS Code writes it as JSON (NaN and ∞ in plain arrays
 * become null) but carries typed arrays as binary, as the tagged JSON of typedJson.ts does.
 */
export function asPosted<T>(msg: T): unknown {
  return fromJsonValue(JSON.parse(JSON.stringify(toJsonValue(msg))));
}
