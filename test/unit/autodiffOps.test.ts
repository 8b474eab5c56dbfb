/**
 * Every operation's AD rule, driven from the operation lists (UNARY_OPS, BINARY_OPS): each op is applied to
 * inner functions of x and y (so the chain rule is exercised) at seeded points inside its domain, and ∇f is
 * compared with 5-point central differences of the IR interpreter — internal ops (comparisons, logic) included,
 * whose gradient must be 0 away from their jumps. Where the op can be written in a cost expression and mathjs's
 * `derivative` knows it, the same expression goes through the parser and is compared with mathjs too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { derivative } from 'mathjs';
import { gradient } from '../../src/engine/expr/autodiff';
import { parseExpression } from '../../src/engine/expr/costParser';
import {
  BINARY_OPS,
  evaluate,
  Graph,
  UNARY_OPS,
  type BinaryOp,
  type NodeId,
  type UnaryOp,
} from '../../src/engine/expr/ir';
import { BINARY_LOWERING, UNARY_LOWERING } from '../../src/engine/expr/mathFunctions';
import { prng } from '../../src/engine/run/starts';
import { spelling } from './opSpelling';

type Sampler = (rnd: () => number) => number;
const within =
  (lo: number, hi: number): Sampler =>
  (rnd) =>
    lo + (hi - lo) * rnd();
/** ±[lo, hi]: both signs, away from 0 (a kink or jump of the op). */
const awayFromZero =
  (lo: number, hi: number): Sampler =>
  (rnd) =>
    (rnd() < 0.5 ? -1 : 1) * within(lo, hi)(rnd);

/** Where each unary op's argument is sampled: inside its domain, away from kinks and jumps. */
const UNARY_ARGUMENT: { readonly [P in UnaryOp]: Sampler } = {
  neg: within(-3, 3),
  abs: awayFromZero(0.2, 3),
  sign: awayFromZero(0.2, 3),
  sqrt: within(0.2, 4),
  cbrt: awayFromZero(0.2, 4),
  exp: within(-2, 2),
  expm1: within(-1, 1),
  log: within(0.2, 4),
  log1p: within(-0.8, 3),
  log2: within(0.2, 4),
  log10: within(0.2, 4),
  sin: within(-3, 3),
  cos: within(-3, 3),
  tan: within(-1.2, 1.2),
  asin: within(-0.8, 0.8),
  acos: within(-0.8, 0.8),
  atan: within(-3, 3),
  sinh: within(-2, 2),
  cosh: within(-2, 2),
  tanh: within(-2, 2),
  not: awayFromZero(0.2, 3),
};

/** Where each binary op's two arguments are sampled (`ties` ops need them apart: their value jumps where a = b). */
const BINARY_ARGUMENTS: { readonly [P in BinaryOp]: { a: Sampler; b: Sampler; ties?: true } } = {
  add: { a: within(-3, 3), b: within(-3, 3) },
  sub: { a: within(-3, 3), b: within(-3, 3) },
  mul: { a: within(-3, 3), b: within(-3, 3) },
  div: { a: within(-3, 3), b: awayFromZero(0.3, 3) },
  pow: { a: within(0.3, 3), b: within(-2, 2) },
  atan2: { a: awayFromZero(0.2, 3), b: awayFromZero(0.2, 3) },
  hypot: { a: awayFromZero(0.2, 3), b: awayFromZero(0.2, 3) },
  min: { a: within(-3, 3), b: within(-3, 3), ties: true },
  max: { a: within(-3, 3), b: within(-3, 3), ties: true },
  lt: { a: within(-3, 3), b: within(-3, 3), ties: true },
  le: { a: within(-3, 3), b: within(-3, 3), ties: true },
  gt: { a: within(-3, 3), b: within(-3, 3), ties: true },
  ge: { a: within(-3, 3), b: within(-3, 3), ties: true },
  eq: { a: within(-3, 3), b: within(-3, 3), ties: true },
  and: { a: awayFromZero(0.2, 3), b: awayFromZero(0.2, 3) },
  or: { a: awayFromZero(0.2, 3), b: awayFromZero(0.2, 3) },
};

const POINTS_PER_OP = 4;

/**
 * One test case: the op applied to inner functions whose value at (x0, y0) is the sampled argument —
 * u = x·y + (s − x0·y0) and v = x + 2y + (t − x0 − 2y0) — as IR and, where the op has a spelling, as text.
 */
interface OpCase {
  readonly label: string;
  readonly point: { x: number; y: number };
  readonly build: (g: Graph, x: NodeId, y: NodeId) => NodeId;
  readonly text: string | undefined;
}

function opCases(): OpCase[] {
  const rnd = prng(20261130);
  const cases: OpCase[] = [];
  const point = () => ({ x: within(-1.5, 1.5)(rnd), y: within(-1.5, 1.5)(rnd) });
  const u = (p: { x: number; y: number }, s: number) => {
    const c = s - p.x * p.y;
    return { c, text: `x*y + ${c}`, build: (g: Graph, x: NodeId, y: NodeId) => g.add(g.mul(x, y), g.const(c)) };
  };
  const v = (p: { x: number; y: number }, t: number) => {
    const c = t - p.x - 2 * p.y;
    return {
      c,
      text: `x + 2*y + ${c}`,
      build: (g: Graph, x: NodeId, y: NodeId) => g.add(g.add(x, g.mul(g.const(2), y)), g.const(c)),
    };
  };
  for (const op of UNARY_OPS) {
    for (let k = 0; k < POINTS_PER_OP; k++) {
      const p = point();
      const inner = u(p, UNARY_ARGUMENT[op](rnd));
      cases.push({
        label: op,
        point: p,
        build: (g, x, y) => g.unary(op, inner.build(g, x, y)),
        text: spelling(UNARY_LOWERING[op], op, [inner.text]),
      });
    }
  }
  for (const op of BINARY_OPS) {
    const { a, b, ties } = BINARY_ARGUMENTS[op];
    for (let k = 0; k < POINTS_PER_OP; k++) {
      const p = point();
      let [s, t] = [a(rnd), b(rnd)];
      while (ties && Math.abs(s - t) < 0.2) [s, t] = [a(rnd), b(rnd)];
      const [ia, ib] = [u(p, s), v(p, t)];
      cases.push({
        label: op,
        point: p,
        build: (g, x, y) => g.binary(op, ia.build(g, x, y), ib.build(g, x, y)),
        text: spelling(BINARY_LOWERING[op], op, [ia.text, ib.text]),
      });
    }
  }
  // A constant exponent takes its own rule (c·a^(c−1), no adjoint for the exponent).
  for (const c of [2, 3, 4, 0.5, -1, 1.5, -2.5]) {
    const p = point();
    const base = u(p, within(0.3, 3)(rnd));
    cases.push({
      label: `pow(·, ${c})`,
      point: p,
      build: (g, x, y) => g.pow(base.build(g, x, y), g.const(c)),
      text: `(${base.text})^(${c})`,
    });
  }
  return cases;
}

const CASES = opCases();

function adAndDifferences(c: OpCase): { ad: number[]; fd: number[] } {
  const g = new Graph();
  const [x, y] = [g.input('x'), g.input('y')];
  const f = c.build(g, x, y);
  const ad = evaluate(g, c.point, gradient(g, f, [x, y]));
  const fd = (['x', 'y'] as const).map((v) => {
    const h = 1e-4 * Math.max(1, Math.abs(c.point[v]));
    const at = (dv: number) => evaluate(g, { ...c.point, [v]: c.point[v] + dv }, [f])[0];
    return (at(-2 * h) - 8 * at(-h) + 8 * at(h) - at(2 * h)) / (12 * h);
  });
  return { ad, fd };
}

const close = (a: number, b: number, rel: number, abs: number) =>
  Math.abs(a - b) <= Math.max(abs, rel * Math.max(Math.abs(a), Math.abs(b)));

test('the cases exercise every operation of the IR', () => {
  for (const op of [...UNARY_OPS, ...BINARY_OPS])
    assert.ok(
      CASES.some((c) => c.label === op),
      `no case for ${op}`,
    );
});

test('AD equals 5-point central differences for every operation (rel 1e-7)', () => {
  for (const c of CASES) {
    const { ad, fd } = adAndDifferences(c);
    ad.forEach((d, i) =>
      assert.ok(
        Number.isFinite(d) && close(d, fd[i], 1e-7, 1e-8),
        `${c.label} at ${JSON.stringify(c.point)}: ∂/∂${'xy'[i]} AD ${d}, central difference ${fd[i]}`,
      ),
    );
  }
});

test('AD of every operation written in a cost expression equals mathjs derivative() where mathjs knows it', () => {
  const compared = new Set<string>();
  const unknownToMathjs = new Set<string>();
  for (const c of CASES) {
    if (c.text === undefined) continue;
    let d: ReturnType<typeof derivative>[];
    try {
      d = (['x', 'y'] as const).map((v) => derivative(c.text!, v));
    } catch (e) {
      if (!/not supported/.test(String(e))) throw e;
      unknownToMathjs.add(c.label);
      continue;
    }
    const fn = parseExpression(`f(x, y) = ${c.text}`);
    const ad = evaluate(fn.graph, c.point, gradient(fn.graph, fn.output, fn.inputs));
    d.forEach((node, i) => {
      const want: unknown = node.evaluate({ ...c.point });
      // mathjs writes cbrt′ with a fractional power, complex for a negative base: nothing to compare there.
      if (typeof want !== 'number') return;
      assert.ok(close(ad[i], want, 1e-12, 1e-13), `∂(${c.text})/∂${'xy'[i]}: AD ${ad[i]}, mathjs ${want}`);
      compared.add(c.label);
    });
  }
  console.log(`compared with mathjs: ${[...compared].join(' ')}; mathjs cannot differentiate: ${[...unknownToMathjs]}`);
  // mathjs differentiates the arithmetic operators and most elementary functions.
  assert.ok(compared.size >= 20, `only ${compared.size} operations compared with mathjs`);
});
