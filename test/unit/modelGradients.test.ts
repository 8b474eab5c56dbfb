/**
 * Models over data against two independent references, on 36 models covering every operator and function of
 * the model language: the per-row loss against mathjs (the full package) evaluating the same text — with
 * `map(v, f)` and indices where mathjs needs them, the activations written naively — and the gradient against
 * central differences of that mathjs loss and of the engine's own loss, at random θ on several data rows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCostError } from '../../src/engine/expr/costParser';
import { evaluate } from '../../src/engine/expr/ir';
import type { ModelProgram } from '../../src/engine/model';
import { evalRow, inputs, math, mathjsScope, memoryData, parseWith, uniforms } from './modelHarness';

interface Case {
  name: string;
  /** Bindings and @param lines, one per line. */
  lines: string;
  vars: string;
  loss: string;
  /** The same loss for mathjs, where it needs map(…) or indices; the bindings too, when they differ. */
  mathjs?: string;
  mathjsBindings?: string[];
}

const XY = 'x = row[1:4]\ny = row[5:7]';
const DENSE = `${XY}\n@param W 3x4 uniform(-1, 1)\n@param b 3 zeros`;

const CASES: Case[] = [
  {
    name: 'dense layer with tanh (Sprunger)',
    lines: DENSE,
    vars: 'W, b',
    loss: 'sum((tanh(W*x + b) - y).^2)',
    mathjs: 'sum((map(W*x + b, tanh) - y).^2)',
  },
  {
    name: 'logistic regression with sigmoid',
    lines: 'x = row[1:2]\nt = (row[3] + 1) / 2\n@param w 2 zeros\n@param c 1 zeros',
    vars: 'w, c',
    loss: '-(t*log(sigmoid(dot(w, x) + c)) + (1 - t)*log(1 - sigmoid(dot(w, x) + c)))',
  },
  {
    name: 'logistic regression with softplus and a transposed vector',
    lines: 'x = row[1:2]\n@param w 2 zeros\n@param c 1 zeros',
    vars: 'w, c',
    loss: "softplus(-row[3] * (w'*x + c))",
  },
  {
    name: 'softmax regression with logsumexp',
    lines: DENSE,
    vars: 'W, b',
    loss: 'logsumexp(W*x + b) - dot(y, W*x + b)',
  },
  {
    name: 'softmax regression with softmax and log',
    lines: DENSE,
    vars: 'W, b',
    loss: '-sum(y .* log(softmax(W*x + b)))',
    mathjs: '-sum(y .* map(softmax(W*x + b), f(t) = log(t)))',
  },
  {
    name: '2-layer tanh MLP',
    lines: 'x = row[1:2]\n@param W1 4x2 zeros\n@param b1 4 zeros\n@param v 4 zeros\n@param c 1 zeros',
    vars: 'W1, b1, v, c',
    loss: '(dot(v, tanh(W1*x + b1)) + c - row[3])^2',
    mathjs: '(dot(v, map(W1*x + b1, tanh)) + c - row[3])^2',
  },
  {
    name: '2-layer relu MLP with a matrix output layer',
    lines: `${XY}\n@param W1 3x4 zeros\n@param b1 3 zeros\n@param W2 3x3 zeros\n@param b2 3 zeros`,
    vars: 'W1, b1, W2, b2',
    loss: 'sum((W2*relu(W1*x + b1) + b2 - y).^2)',
    mathjs: 'sum((W2*map(W1*x + b1, relu) + b2 - y).^2)',
  },
  {
    name: 'sigmoid layer under softplus',
    lines: 'x = row[1:4]\n@param W 2x4 zeros\n@param v 2 zeros',
    vars: 'W, v',
    loss: 'softplus(dot(v, sigmoid(W*x)))',
    mathjs: 'softplus(dot(v, map(W*x, sigmoid)))',
  },
  {
    name: 'reductions of vectors: mean, max, min, sum',
    lines: DENSE,
    vars: 'W, b',
    loss: 'mean((W*x).^2) + max(W*x) - min(b) + sum(b)',
  },
  {
    name: 'reductions of a matrix',
    lines: DENSE,
    vars: 'W, b',
    loss: 'mean(W .* W) + max(W) + min(W) + sum(W) + sum(b)',
  },
  {
    name: 'norms of vectors, and the Frobenius norm written out',
    lines: DENSE,
    vars: 'W, b',
    loss: 'sqrt(sum(W.^2)) + norm(W*x - y)^2 + norm(b)',
    mathjs: 'sqrt(sum(W.^2)) + norm(W*x - y)^2 + norm(b)',
  },
  {
    name: "transpose with '",
    lines: 'x = row[1:4]\n@param W 3x4 zeros\n@param u 3 zeros',
    vars: 'W, u',
    loss: "sum((W'*u - x).^2)",
  },
  {
    name: 'transpose() as a function',
    lines: 'x = row[1:4]\n@param W 3x4 zeros\n@param u 3 zeros',
    vars: 'W, u',
    loss: 'sum((transpose(W)*u - x).^2) + sum(transpose(u))',
  },
  {
    name: 'matrix times matrix times vector',
    lines: '@param A 2x3 zeros\n@param B 3x2 zeros',
    vars: 'A, B',
    loss: 'norm(A*B*row[1:2] - row[3:4])^2',
  },
  {
    name: 'vector times matrix (the vector as a row)',
    lines: 'x = row[1:4]\n@param u 3 zeros\n@param W 3x4 zeros',
    vars: 'u, W',
    loss: 'sum((u*W - x).^2)',
  },
  {
    name: 'vector times vector is the dot product',
    lines: 'x = row[1:3]\n@param u 3 zeros\n@param c 1 zeros',
    vars: 'u, c',
    loss: "(u*u - 1)^2 + (x'*u) * c + (x*x) * c",
  },
  {
    name: 'scalars broadcast in + - * with vectors',
    lines: 'x = row[1:4]\n@param c 1 zeros\n@param d 1 zeros',
    vars: 'c, d',
    loss: 'sum((c*x + d - row[5]).^2) + sum((x - c).^2) + sum(2 - x) * d + sum(x*c*d)',
  },
  {
    name: 'division: ./ elementwise, / by a scalar',
    lines: 'x = row[1:4]\n@param W 3x4 zeros\n@param b 3 zeros\n@param c 1 zeros',
    vars: 'W, b, c',
    loss: 'sum(c ./ (1 + x.^2)) + sum((W*x) ./ (2 + b.^2)) + sum(b / 3) + sum(b ./ 3)',
  },
  {
    name: '.^ with tensor exponents and bases',
    lines: 'x = row[1:3]\n@param u 3 zeros',
    vars: 'u',
    loss: 'sum((1 + u.^2) .^ x) + sum(2 .^ u) + sum((2 + x) .^ u)',
  },
  {
    name: 'unary minus on tensors and scalars',
    lines: 'x = row[1:4]\n@param W 3x4 zeros\n@param b 3 zeros\n@param c 1 zeros',
    vars: 'W, b, c',
    loss: 'sum(-(W*x) .* b) + (-c)^2 + sum(-W)',
  },
  {
    name: 'elementwise sin cos atan exp',
    lines: 'x = row[1:3]\n@param b 3 zeros\n@param u 3 zeros',
    vars: 'b, u',
    loss: 'sum(sin(b) .* cos(b)) + sum(atan(u .* x)) + sum(exp(-b.^2))',
    mathjs: 'sum(map(b, sin) .* map(b, cos)) + sum(map(u .* x, atan)) + sum(map(-b.^2, exp))',
  },
  {
    name: 'elementwise log sqrt log1p expm1',
    lines: '@param b 3 zeros',
    vars: 'b',
    loss: 'sum(log(1 + b.^2)) + sum(sqrt(2 + b)) + sum(log1p(b.^2)) + sum(expm1(0.5*b))',
    mathjs:
      'sum(map(1 + b.^2, f(t) = log(t))) + sum(map(2 + b, sqrt)) + sum(map(b.^2, f(t) = log1p(t))) + sum(map(0.5*b, expm1))',
  },
  {
    name: 'elementwise square cube cbrt sinh cosh abs sign',
    lines: '@param b 3 zeros',
    vars: 'b',
    loss: 'sum(square(b)) + sum(cube(b)) + sum(cbrt(2 + b)) + sum(sinh(0.3*b)) + sum(cosh(0.3*b)) + sum(abs(b) + sign(b))',
    mathjs:
      'sum(map(b, square)) + sum(map(b, cube)) + sum(map(2 + b, cbrt)) + sum(map(0.3*b, sinh)) + ' +
      'sum(map(0.3*b, cosh)) + sum(abs(b) + sign(b))',
  },
  {
    name: 'elementwise log2 log10 asin acos tan',
    lines: '@param b 3 zeros',
    vars: 'b',
    loss: 'sum(log2(2 + b)) + sum(log10(2 + b)) + sum(asin(0.5*b)) + sum(acos(0.5*b)) + sum(tan(0.5*b))',
    mathjs:
      'sum(map(2 + b, log2)) + sum(map(2 + b, log10)) + sum(map(0.5*b, asin)) + sum(map(0.5*b, acos)) + ' +
      'sum(map(0.5*b, tan))',
  },
  {
    name: 'map(v, f) as mathjs writes it, with an activation',
    lines: DENSE,
    vars: 'W, b',
    loss: 'sum(map(W*x + b, tanh).^2) + sum(map(b, sigmoid)) + sum(map(W, softplus))',
  },
  {
    name: 'indexing single elements, end',
    lines: DENSE,
    vars: 'W, b',
    loss: 'W[2, 3]^2 + b[1]*b[end] + W[end, 1] + W[end - 1, 2*2]',
  },
  {
    name: 'indexing with ranges and :',
    lines: DENSE,
    vars: 'W, b',
    loss: 'sum(W[1, :] .* x) + sum(W[:, 2]) + sum(W[1:2, 2:3]) + sum(b[2:end]) + sum(W[2:2, :] * x)',
  },
  {
    name: 'feature columns written in the model (an array literal)',
    lines: '@param w 5 zeros\n@param c 1 zeros',
    vars: 'w, c',
    loss: 'softplus(-row[3] * (dot(w, [row[1], row[2], row[1]^2, row[2]^2, row[1]*row[2]]) + c))',
  },
  {
    name: 'a matrix literal',
    lines: '@param u 2 zeros',
    vars: 'u',
    loss: 'sum(([[1, 2], [3, 4]] * u - row[1:2]).^2) + dot([1, -1], u)',
  },
  {
    name: 'comparisons (piecewise constant) in a loss',
    lines: DENSE + '\n@param c 1 zeros',
    vars: 'W, b, c',
    loss: 'sum((W*x > 0) .* (W*x)) + (c >= 0) * c^2 + (c < 0.5) * c + sum((b <= 0) .* b) + (c == c) + (c != 1)',
  },
  {
    name: 'the whole row as a vector',
    lines: '@param W 2x7 zeros\n@param b 2 zeros',
    vars: 'W, b',
    loss: 'sum((W*row - b).^2)',
  },
  {
    name: 'columns by name (row.c1)',
    lines: '@param w 2 zeros\n@param c 1 zeros',
    vars: 'w, c',
    loss: '(w[1]*row.c1 + w[2]*row.c2 + c - row.c3)^2',
    mathjs: '(w[1]*row[1] + w[2]*row[2] + c - row[3])^2',
  },
  {
    name: 'logsumexp of a matrix, a vector and a scalar',
    lines: '@param W 2x3 zeros\n@param b 3 zeros\n@param c 1 zeros',
    vars: 'W, b, c',
    loss: 'logsumexp(W) + logsumexp(b .* row[1:3]) + logsumexp(c)',
  },
  {
    name: 'max and min of scalars (2 and 3 arguments)',
    lines: 'x = row[1:3]\n@param u 3 zeros\n@param c 1 zeros',
    vars: 'u, c',
    loss: 'max(dot(u, x), 0) + min(c, 1) + max(c, u[1], u[2]) + min(u[3], c, -2)',
  },
  {
    name: 'functions of several scalars: atan2, hypot, log with a base',
    lines: '@param u 3 zeros',
    vars: 'u',
    loss: 'atan2(u[1], 2) + hypot(u[1], u[2]) + log(2 + u[3], 3)',
  },
  {
    name: 'bindings built on bindings',
    lines: 'x = row[1:3]\nz = 2 .* x + 1\ns = sum(z)\n@param u 3 zeros\n@param c 1 zeros',
    vars: 'u, c',
    loss: 'dot(u, z) * s + c*s + dot(softmax(u), x)',
  },
];

const COLUMNS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
const ROWS = [0, 1, 2].map((r) => uniforms(COLUMNS.length, 100 + r));
const DATA = memoryData(COLUMNS, ROWS);

function parseCase(c: Case): ModelProgram {
  const file = parseWith(`@data "t.csv"\n${c.lines}\nmodel(${c.vars}) = ${c.loss}\n`, { 't.csv': DATA });
  assert.deepEqual(file.errors.map(formatCostError), [], c.name);
  assert.equal(file.models.length, 1);
  return file.models[0];
}

/** ℓ by mathjs at θ on row r: the bindings evaluated first, in the same scope. */
function mathjsLoss(c: Case, model: ModelProgram, theta: readonly number[], r: number): number {
  const scope = mathjsScope(model, theta, r);
  const bindings = c.mathjsBindings ?? c.lines.split('\n').filter((l) => !l.startsWith('@'));
  for (const b of bindings) math.evaluate(b, scope);
  const value: unknown = math.evaluate(c.mathjs ?? c.loss, scope);
  assert.equal(typeof value, 'number', `${c.name}: mathjs gives ${String(value)}`);
  return value as number;
}

/** Central differences of f at θ, step h·max(1, |θᵢ|). */
function centralDifferences(f: (theta: number[]) => number, theta: readonly number[], h = 1e-5): number[] {
  return theta.map((t, i) => {
    const step = h * Math.max(1, Math.abs(t));
    const at = (d: number) => f(theta.map((v, k) => (k === i ? v + d : v)));
    return (at(step) - at(-step)) / (2 * step);
  });
}

const close = (actual: number, expected: number, tol: number): boolean =>
  Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));

test('at least 30 models, and every operator and function of the model language is in one', () => {
  assert.ok(CASES.length >= 30);
  const text = CASES.map((c) => c.loss + c.lines).join('\n');
  for (const op of ['*', "'", '.*', './', '.^', '+', '-', '/', '^', '>', '<', '>=', '<=', '==', '!=', '[', ':']) {
    assert.ok(text.includes(op), `no case uses ${op}`);
  }
  const functions = ['tanh', 'sigmoid', 'relu', 'softplus', 'logsumexp', 'softmax', 'map', 'sum', 'mean', 'dot'];
  for (const fn of [...functions, 'norm', 'max', 'min', 'transpose', 'exp', 'log', 'sqrt', 'abs', 'end', 'row.']) {
    assert.ok(text.includes(fn), `no case uses ${fn}`);
  }
});

for (const c of CASES) {
  test(`model: ${c.name}`, () => {
    const model = parseCase(c);
    const theta = uniforms(model.parameterCount, 7 + model.parameterCount, -0.8, 0.8);
    for (let r = 0; r < ROWS.length; r++) {
      const ours = evalRow(model, theta, r);
      const reference = mathjsLoss(c, model, theta, r);
      assert.ok(close(ours.loss, reference, 1e-12), `${c.name}, row ${r}: ℓ = ${ours.loss}, mathjs ${reference}`);

      const byMathjs = centralDifferences((t) => mathjsLoss(c, model, t, r), theta);
      const byEngine = centralDifferences((t) => evaluate(model.graph, inputs(model, t, r), [model.loss])[0], theta);
      ours.gradient.forEach((g, i) => {
        const where = `${c.name}, row ${r}, ∂/∂θ${i}`;
        assert.ok(close(g, byMathjs[i], 1e-6), `${where}: AD ${g}, central differences of mathjs ${byMathjs[i]}`);
        assert.ok(close(g, byEngine[i], 1e-6), `${where}: AD ${g}, central differences ${byEngine[i]}`);
      });
    }
  });
}
