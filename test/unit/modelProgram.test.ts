/**
 * The model program a runner gets from a `.cost` file: θ's layout, the per-row graph's inputs and outputs
 * (against a plain hand-derived implementation of the dense layer), the training plan from the directives,
 * scoping of data sections, a size that does not depend on the data, the numerically careful functions, and the
 * example files.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { builtinDataset, initialParameters, type Dataset } from '../../src/engine/data';
import { formatCostError, parseCostFile } from '../../src/engine/expr/costParser';
import { evaluate } from '../../src/engine/expr/ir';
import type { ModelProgram } from '../../src/engine/model';
import { evalRow, memoryData, parseWith, uniforms } from './modelHarness';

const teacher = (): Dataset => {
  const r = builtinDataset('sprunger_teacher');
  assert.ok(r.ok);
  return r.dataset;
};

/** DATA-CONVENTIONS' example, as written there. */
const SPRUNGER = `# Sprunger 2020, Sec. 3: recover a dense layer R^10 -> R^4 with tanh
@data "teacher.csv"                    # a CSV file beside this one (header row), or a built-in: @data sprunger_teacher
@split 100 ordered                     # train rows; the rest are test rows (see Split)
x = row[1:10]                          # a row's columns 1..10 (1-based, both ends included, as mathjs ranges)
y = row[11:14]
@param W 4x10 uniform(-0.5, 0.5)       # shape and initial distribution, in the order the definition lists them
@param b 4 zeros
dense(W, b) = sum((tanh(W*x + b) - y).^2)
@batch 1                               # minibatch size; without it, the whole training split (full batch)
@metric distance = norm(tanh(W*x + b) - y)
`;

function only(text: string, files: Record<string, Dataset>): ModelProgram {
  const file = parseWith(text, files);
  assert.deepEqual(file.errors.map(formatCostError), []);
  assert.equal(file.models.length, 1);
  return file.models[0];
}

const inputName = (m: ModelProgram, id: number): string => {
  const n = m.graph.node(id);
  assert.equal(n.kind, 'input');
  return n.kind === 'input' ? n.name : '';
};

test("DATA-CONVENTIONS' example: θ's layout, inputs, outputs and plan", () => {
  const data = teacher();
  const m = only(SPRUNGER, { 'teacher.csv': data });
  assert.equal(m.name, 'dense');
  assert.equal(m.source, 'sum((tanh(W*x + b) - y).^2)');
  assert.deepEqual(m.range, { line: 8, column: 1, endLine: 8, endColumn: 42 });
  assert.deepEqual(
    m.params.map((p) => [p.name, p.shape, p.init, p.offset, p.size, p.range.line]),
    [
      ['W', [4, 10], { kind: 'uniform', lo: -0.5, hi: 0.5 }, 0, 40, 6],
      ['b', [4], { kind: 'zeros' }, 40, 4, 7],
    ],
  );
  assert.equal(m.parameterCount, 44);
  assert.deepEqual(
    m.theta.map((id) => inputName(m, id)),
    [
      ...Array.from({ length: 40 }, (_, k) => `W[${Math.floor(k / 10) + 1},${(k % 10) + 1}]`),
      'b[1]',
      'b[2]',
      'b[3]',
      'b[4]',
    ],
  );
  assert.deepEqual(
    m.columns.map((c) => [c.index, c.name, inputName(m, c.input)]),
    data.columns.map((name, j) => [j, name, `row[${j + 1}]`]),
  );
  assert.deepEqual(
    new Set(m.graph.inputNames()),
    new Set([...m.theta, ...m.columns.map((c) => c.input)].map((id) => inputName(m, id))),
  );
  assert.equal(m.gradient.length, 44);
  assert.deepEqual(m.data.split, { size: 100, ordered: true });
  assert.equal(m.data.dataset, data);
  assert.equal(m.data.reference, '"teacher.csv"');
  assert.deepEqual(m.data.range, { line: 2, column: 1, endLine: 2, endColumn: 20 });
  assert.deepEqual([m.batch, m.shuffle, m.epochs, m.noise, m.fStar], [1, 'epoch', undefined, undefined, 0]);
  assert.deepEqual(
    m.metrics.map((x) => [x.name, x.source, x.range.line]),
    [['distance', 'norm(tanh(W*x + b) - y)', 10]],
  );
  // The data layer draws starts in this layout.
  assert.equal(initialParameters(m.params, 1, 3).length, 3 * 44);
});

test('the dense layer: ℓ, ∇ℓ and the metric against a plain implementation (loops, hand-derived gradient)', () => {
  const data = teacher();
  const m = only(SPRUNGER, { 'teacher.csv': data });
  const theta = uniforms(44, 3, -0.5, 0.5);
  for (const r of [0, 57, 199]) {
    const cells = data.values.subarray(r * 14, (r + 1) * 14);
    let loss = 0;
    let distance2 = 0;
    const grad = new Array<number>(44).fill(0);
    for (let i = 0; i < 4; i++) {
      let z = theta[40 + i];
      for (let j = 0; j < 10; j++) z += theta[i * 10 + j] * cells[j];
      const t = Math.tanh(z);
      const e = t - cells[10 + i];
      loss += e * e;
      distance2 += e * e;
      const dz = 2 * e * (1 - t * t);
      for (let j = 0; j < 10; j++) grad[i * 10 + j] = dz * cells[j];
      grad[40 + i] = dz;
    }
    const ours = evalRow(m, theta, r);
    const near = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
    assert.ok(near(ours.loss, loss), `row ${r}: ${ours.loss} vs ${loss}`);
    assert.ok(near(ours.metrics[0], Math.sqrt(distance2)));
    ours.gradient.forEach((g, i) => assert.ok(near(g, grad[i]), `row ${r}, θ${i}: ${g} vs ${grad[i]}`));
  }
});

test('the per-row program does not depend on the number of rows or the batch size', () => {
  const make = (rows: number) =>
    memoryData(
      teacher().columns,
      Array.from({ length: rows }, (_, r) => uniforms(14, r)),
    );
  const small = only(SPRUNGER, { 'teacher.csv': make(120) });
  const large = only(SPRUNGER.replace('@batch 1', '@batch 500'), { 'teacher.csv': make(10_000) });
  assert.equal(large.batch, 500);
  assert.equal(small.graph.size, large.graph.size);
  assert.deepEqual(small.graph.nodes, large.graph.nodes);
});

test('dense layers grow linearly in nodes with their parameters', () => {
  const nodes = (m: number) => {
    const cols = Array.from({ length: 20 + m }, (_, j) => `c${j + 1}`);
    const text = `@data "d.csv"\nx = row[1:20]\ny = row[21:${20 + m}]\n@param W ${m}x20 zeros\n@param b ${m} zeros\nf(W, b) = sum((tanh(W*x + b) - y).^2)`;
    const model = only(text, { 'd.csv': memoryData(cols, [cols.map(() => 0.5)]) });
    return model.graph.size / model.parameterCount;
  };
  const perParam = [10, 40, 160].map(nodes);
  for (const p of perParam) assert.ok(p > 5 && p < 8, `${perParam}`);
});

test('columns become inputs only where used, by column index; metrics may add some', () => {
  const data = memoryData(['a', 'b', 'c', 'd'], [[1, 2, 3, 4]]);
  const m = only('@data "d.csv"\nunused = row[1:4]\n@param w 1 zeros\nf(w) = (w*row.c - row[2])^2\n@metric m = row.a', {
    'd.csv': data,
  });
  assert.deepEqual(
    m.columns.map((c) => c.name),
    ['a', 'b', 'c'],
  );
});

test('scoping: sections, bindings, @split, constants, functions above the first @data', () => {
  const a = memoryData(
    ['p', 'q'],
    [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ],
  );
  const b = memoryData(['r'], [[10], [20]]);
  const text = [
    'k = 3',
    'bowl(u, v) = k*u^2 + v^2',
    '@noise 0.5',
    '@data "a.csv"',
    '@split 3 seed 7',
    'x = row[1:2]',
    '@param w 2 ones',
    'first(w) = dot(w, x) * k',
    '@param c 1 const(2.5)',
    'y = row.q',
    'second(c) = (c - y)^2',
    '@shuffle none',
    '@epochs 4',
    '@noise 0.01',
    '@minimum 0.25',
    '@data "b.csv"',
    'x = row[1]',
    '@param c 1 normal(0, 2)',
    'third(c) = (c * x)^2',
  ].join('\n');
  const file = parseWith(text, { 'a.csv': a, 'b.csv': b });
  assert.deepEqual(file.errors.map(formatCostError), []);
  assert.deepEqual(
    file.functions.map((f) => [f.name, f.noise]),
    [['bowl', 0.5]],
  );
  const [first, second, third] = file.models;
  assert.deepEqual(
    file.models.map((m) => [m.name, m.data.dataset.name, m.data.split]),
    [
      ['first', 'memory', { size: 3, seed: 7 }],
      ['second', 'memory', { size: 3, seed: 7 }],
      ['third', 'memory', undefined],
    ],
  );
  assert.equal(first.data.dataset, a);
  assert.equal(third.data.dataset, b);
  assert.deepEqual(evaluate(first.graph, { 'w[1]': 1, 'w[2]': 2, 'row[1]': 5, 'row[2]': 6 }, [first.loss]), [51]);
  assert.deepEqual([second.shuffle, second.epochs, second.noise, second.fStar], ['none', 4, 0.01, 0.25]);
  assert.deepEqual(second.params[0].init, { kind: 'const', value: 2.5 });
  assert.deepEqual(second.params[0].shape, []);
  assert.deepEqual(third.params[0].init, { kind: 'normal', mu: 0, sigma: 2 });
  assert.deepEqual(evaluate(third.graph, { c: 2, 'row[1]': 10 }, [third.loss, third.gradient[0]]), [400, 400]);
});

test('shapes of @param: 1 is a scalar, n a vector, mxn and m x n matrices; a binding may sit between @param and its model', () => {
  const data = memoryData(['a'], [[1]]);
  const m = only(
    '@data "d.csv"\n@param s 1 zeros\n@param v 3 ones\n@param A 2x3 zeros\n@param B 3 x 2 zeros\nz = row[1]\nf(s, v, A, B) = s + sum(v) + sum(A*B) * z',
    {
      'd.csv': data,
    },
  );
  assert.deepEqual(
    m.params.map((p) => [p.shape, p.offset, p.size]),
    [
      [[], 0, 1],
      [[3], 1, 3],
      [[2, 3], 4, 6],
      [[3, 2], 10, 6],
    ],
  );
  assert.equal(m.parameterCount, 16);
});

test('a model that uses a binding whose line failed says so', () => {
  const file = parseWith('@data "d.csv"\nz = row[7]\n@param w 1 zeros\nf(w) = w*z', {
    'd.csv': memoryData(['a'], [[1]]),
  });
  assert.deepEqual(
    file.errors.map((e) => [e.message, e.range.line, e.range.column]),
    [
      ['column 7 is out of range: the data has 1 columns, 1 to 1 (a)', 2, 9],
      ["'z' has an error on line 2", 4, 10],
    ],
  );
});

test('CRLF line ends in a data section', () => {
  const file = parseCostFile('@data iris\r\n@param W 3x4 zeros\r\nf(W) = sum(W*row[1:4])\r\n@batch 5\r\n', 'crlf.cost');
  assert.deepEqual(file.errors.map(formatCostError), []);
  assert.equal(file.models[0].batch, 5);
});

/** One model `f(v) = <loss>` on a 1-column dataset, evaluated at v and row value 0. */
function scalarModel(loss: string, v: number): { value: number; grad: number } {
  const m = only(`@data "d.csv"\n@param v 1 zeros\nf(v) = ${loss}`, { 'd.csv': memoryData(['a'], [[0]]) });
  const [value, grad] = evaluate(m.graph, { v, 'row[1]': 0 }, [m.loss, m.gradient[0]]);
  return { value, grad };
}

test('sigmoid, softplus, relu, logsumexp, norm: finite and accurate far out, the right derivative at 0', () => {
  const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
  for (const x of [-800, -30, -1, 0, 1, 30, 800]) {
    const s = scalarModel('sigmoid(v)', x);
    assert.ok(Math.abs(s.value - sigmoid(x)) <= 1e-15 * sigmoid(x) + 1e-300, `σ(${x}) = ${s.value}`);
    assert.ok(Math.abs(s.grad - sigmoid(x) * (1 - sigmoid(x))) <= 1e-15, `σ'(${x}) = ${s.grad}`);
    const p = scalarModel('softplus(v)', x);
    const softplus = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    assert.ok(Math.abs(p.value - softplus) <= 1e-15 * Math.max(1, softplus), `softplus(${x}) = ${p.value}`);
    assert.ok(Math.abs(p.grad - sigmoid(x)) <= 1e-15, `softplus'(${x}) = ${p.grad}`);
  }
  // σ(−30) = e⁻³⁰/(1 + e⁻³⁰) = 9.357622968839299e−14 (to 16 digits): the tail keeps its relative precision.
  assert.ok(Math.abs(scalarModel('sigmoid(v)', -30).value / 9.357622968839299e-14 - 1) <= 4e-16);
  assert.deepEqual(scalarModel('sigmoid(v)', 0), { value: 0.5, grad: 0.25 });
  assert.deepEqual(scalarModel('softplus(v)', 0), { value: Math.LN2, grad: 0.5 });
  assert.deepEqual(scalarModel('relu(v)', 0), { value: 0, grad: 0 });
  assert.deepEqual(scalarModel('relu(v)', 2), { value: 2, grad: 1 });
  assert.ok(Number.isNaN(scalarModel('relu(v)', NaN).value), 'a NaN stays NaN');
  const lse = scalarModel('logsumexp([v, v, 1000])', 1000);
  assert.ok(Math.abs(lse.value - (1000 + Math.log(3))) <= 1e-12);
  assert.ok(Math.abs(lse.grad - 2 / 3) <= 1e-15);
  assert.deepEqual(scalarModel('norm([v, 2*v])', 0), { value: 0, grad: 0 });
  const n = scalarModel('norm([v, 2*v])', -1);
  assert.equal(n.value, Math.sqrt(5));
  assert.ok(Math.abs(n.grad + Math.sqrt(5)) <= 1e-15);
});

test('the example files parse and lower', () => {
  const examples: [string, string, number, string[]][] = [
    ['sprunger-dense.cost', 'dense', 44, ['distance']],
    ['circle-logistic.cost', 'logistic', 5, ['accuracy', 'logistic_loss']],
    ['spiral-mlp.cost', 'mlp', 65, ['accuracy']],
    ['iris-softmax.cost', 'softmax_regression', 15, ['accuracy', 'cross_entropy']],
  ];
  for (const [file, name, P, metrics] of examples) {
    const parsed = parseCostFile(readFileSync(`examples/${file}`, 'utf8'), file);
    assert.deepEqual(parsed.errors.map(formatCostError), [], file);
    assert.deepEqual(
      parsed.models.map((m) => [m.name, m.parameterCount, m.metrics.map((x) => x.name)]),
      [[name, P, metrics]],
    );
    const m = parsed.models[0];
    const theta = initialParameters(m.params, 1, 1);
    const { loss, gradient } = evalRow(m, [...theta], 0);
    assert.ok(Number.isFinite(loss) && gradient.every(Number.isFinite), file);
  }
});
