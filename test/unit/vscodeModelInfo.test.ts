// The hovers of models over data, without VS Code. The ∇ℓ a hover prints is read back by mathjs and compared
// with central differences of the loss written out by hand; counts, shapes, ranges and splits are checked
// against facts about the examples and the iris data (Fisher 1936) worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluate } from 'mathjs';
import { builtinDataset, describe, type Dataset } from '../../src/engine/data';
import { scanDataSections, sectionAt } from '../../src/vscode/costDataSections';
import { analyzeCostText } from '../../src/vscode/costDocument';
import {
  columnsHoverMarkdown,
  dataHoverMarkdown,
  escapeMarkdown,
  modelGradientText,
  modelHoverMarkdown,
} from '../../src/vscode/modelInfo';

const ROOT = resolve(import.meta.dirname, '../..');
const example = (name: string) => {
  const text = readFileSync(resolve(ROOT, 'examples', name), 'utf8');
  const info = analyzeCostText(text, name);
  assert.deepEqual(info.diagnostics, [], name);
  const model = info.models[0];
  return { info, model, section: sectionAt(info.sections, model.range.startLine) };
};

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';

/** The printed ∇ℓ (∂ℓ/∂… lines and `where` lines) evaluated by mathjs: W[1,2] → W_1_2, u₁₀ → u_10. */
function evaluatePrinted(text: string, scope: Record<string, number>): Map<string, number> {
  const rename = (s: string) =>
    s
      .replace(/([A-Za-z_]\w*)\[(\d+)(?:,(\d+))?\]/g, (_, n, i, j) => `${n}_${i}${j ? `_${j}` : ''}`)
      .replace(/u([₀-₉]+)/g, (_, d: string) => `u_${[...d].map((c) => SUBSCRIPTS.indexOf(c)).join('')}`);
  const lines = text.split('\n');
  const s: Record<string, unknown> = { ...scope };
  for (const l of lines.filter((l) => l.startsWith('where '))) {
    const [name, expr] = rename(l.slice(6)).split(' = ');
    s[name] = evaluate(expr, s);
  }
  const out = new Map<string, number>();
  for (const l of lines.filter((l) => l.startsWith('∂ℓ/∂'))) {
    const [name, expr] = l.slice(4).split(' = ');
    out.set(rename(name), Number(evaluate(rename(expr), s)));
  }
  return out;
}

function centralDifference(f: (p: Record<string, number>) => number, p: Record<string, number>, name: string): number {
  const h = 1e-6 * Math.max(1, Math.abs(p[name]));
  return (f({ ...p, [name]: p[name] + h }) - f({ ...p, [name]: p[name] - h })) / (2 * h);
}

test('circle-logistic hover: P = 5, the parameter table, 500 rows split 400/100, and every ∂ℓ/∂θ against differences', () => {
  const { model, section } = example('circle-logistic.cost');
  const md = modelHoverMarkdown(model.model, section, 'command:preview');
  assert.match(md, /^\*\*logistic\*\*\(w, c\): a model over data, \*\*P = 5\*\* parameters/);
  assert.match(md, /\| `w` \| vector of 4 \| 4 \| zeros \|/);
  assert.match(md, /\| `c` \| scalar \| 1 \| zeros \|/);
  // 500 rows, @split 0.8: floor(0.8 · 500) = 400 train.
  assert.match(md, /500 rows × 3 columns; split: 400 train, 100 test \\\(shuffled with split seed 1\\\)/);
  assert.match(md, /\[Preview dataset\]\(command:preview\)/);
  assert.match(md, /batch 10 · 50 epochs/);
  assert.match(md, /row\[1\] = `x1`, row\[2\] = `x2`, row\[3\] = `label`/);
  const g = modelGradientText(model.model);
  assert.equal(g.note, 'all 5 components');
  // ℓ = log(1 + exp(−y (w·[x1, x2, x1², x2²] + c))) at a point and a row, by hand.
  const p = { w_1: 0.3, w_2: -0.7, w_3: 0.11, w_4: -0.05, c: 0.4, row_1: 1.3, row_2: -0.6, row_3: -1 };
  const loss = (q: Record<string, number>) =>
    Math.log1p(
      Math.exp(-q.row_3 * (q.w_1 * q.row_1 + q.w_2 * q.row_2 + q.w_3 * q.row_1 ** 2 + q.w_4 * q.row_2 ** 2 + q.c)),
    );
  const printed = evaluatePrinted(g.text, p);
  assert.deepEqual([...printed.keys()], ['w_1', 'w_2', 'w_3', 'w_4', 'c']);
  for (const [name, value] of printed) {
    const want = centralDifference(loss, p, name);
    assert.ok(Math.abs(value - want) <= 1e-7 * Math.max(1, Math.abs(want)), `∂ℓ/∂${name}: ${value} vs ${want}`);
  }
});

test('iris-softmax: all 15 components of ∇ℓ printed, each equal to differences of logsumexp(Wx + b) − y·(Wx + b)', () => {
  const { model } = example('iris-softmax.cost');
  const g = modelGradientText(model.model);
  assert.equal(g.note, 'all 15 components');
  const p: Record<string, number> = {};
  [0.2, -0.1, 0.4, 0.3, 0.1, 0.5, -0.3, 0.2, -0.4, 0.1, 0.6, 0.3].forEach(
    (v, k) => (p[`W_${(k >> 2) + 1}_${(k & 3) + 1}`] = v),
  );
  Object.assign(p, { b_1: 0.1, b_2: -0.2, b_3: 0.05 });
  [5.1, 3.5, 1.4, 0.2, 0, 1, 0].forEach((v, j) => (p[`row_${j + 1}`] = v));
  const loss = (q: Record<string, number>) => {
    const z = [1, 2, 3].map((i) => [1, 2, 3, 4].reduce((s, j) => s + q[`W_${i}_${j}`] * q[`row_${j}`], q[`b_${i}`]));
    return Math.log(z.reduce((s, v) => s + Math.exp(v), 0)) - z.reduce((s, v, i) => s + q[`row_${i + 5}`] * v, 0);
  };
  const printed = evaluatePrinted(g.text, p);
  assert.equal(printed.size, 15);
  for (const [name, value] of printed) {
    const want = centralDifference(loss, p, name);
    assert.ok(Math.abs(value - want) <= 1e-7, `∂ℓ/∂${name}: ${value} vs ${want}`);
  }
});

test('larger models: the first entry of each parameter (sprunger-dense, P = 44), then a summary (a 60 → 30 → 1 tanh network, P = 1,830)', () => {
  const dense = modelGradientText(example('sprunger-dense.cost').model.model);
  assert.equal(dense.note, 'the first entry of each parameter; 44 components in all');
  assert.deepEqual(
    dense.text
      .split('\n')
      .filter((l) => l.startsWith('∂ℓ/∂'))
      .map((l) => l.split(' = ')[0]),
    ['∂ℓ/∂W[1,1]', '∂ℓ/∂b[1]'],
  );
  const wide = [
    '@data "w.csv"',
    'x = row[1:60]',
    'y = row[61]',
    '@param W 30x60 zeros',
    '@param v 30 zeros',
    'net(W, v) = (dot(v, tanh(W*x)) - y)^2',
  ].join('\n');
  const columns = Array.from({ length: 61 }, (_, j) => `c${j}`);
  const data: Dataset = { name: 'w.csv', columns, rows: 1, values: new Float64Array(61) };
  const info = analyzeCostText(wide, 'w.cost', () => ({ ok: true, dataset: data }));
  const summary = modelGradientText(info.models[0].model);
  assert.equal(summary.note, 'too long to print');
  assert.match(summary.text, /^∇ℓ: 1,830 components, [\d,]+ IR nodes per row/);
});

test('@data hover on iris: 150 rows × 7 columns, Fisher’s ranges, the species one-hot, the split of @split 120', () => {
  const sections = scanDataSections('@data iris\n@split 120 seed 1', 'i.cost');
  const [section] = sections;
  const md = dataHoverMarkdown(section, describe(section.dataset!, section.split), 'command:p');
  assert.match(md, /^\*\*iris \(built-in\)\*\*: 150 rows × 7 columns; split: 120 train, 30 test/);
  // Fisher's ranges in cm: sepal length 4.3–7.9, sepal width 2.0–4.4, petal length 1.0–6.9, petal width 0.1–2.5.
  assert.match(md, /\| 1 \| `sepal_length` \| real \| 4\.3 … 7\.9 \|/);
  assert.match(md, /\| 2 \| `sepal_width` \| real \| 2 … 4\.4 \|/);
  assert.match(md, /\| 3 \| `petal_length` \| real \| 1 … 6\.9 \|/);
  assert.match(md, /\| 4 \| `petal_width` \| real \| 0\.1 … 2\.5 \|/);
  for (const [j, name] of ['setosa', 'versicolor', 'virginica'].entries())
    assert.match(
      md,
      new RegExp(`\\| ${j + 5} \\| \`${name}\` \\| one-hot \\(columns 5–7\\) \\| 0 … 1 \\| 0\\.3333 \\|`),
    );
});

test('column hovers: a slice names its columns; a name from a file cannot inject Markdown or a command link', () => {
  const iris = builtinDataset('iris');
  assert.ok(iris.ok);
  assert.equal(
    columnsHoverMarkdown('row[1:4]', [0, 1, 2, 3], iris.dataset),
    '`row[1:4]` reads columns 1–4 of iris: `sepal_length`, `sepal_width`, `petal_length`, `petal_width`',
  );
  assert.equal(
    columnsHoverMarkdown('y = row[7]', [6], iris.dataset),
    '`y = row[7]` reads column 7 of iris: `virginica`',
  );
  const evil: Dataset = {
    name: '[a](command:x)',
    columns: ['`x`](command:y)', 'b|c'],
    rows: 1,
    values: new Float64Array(2),
  };
  const md = columnsHoverMarkdown('row[1:2]', [0, 1], evil);
  assert.equal(md, "`row[1:2]` reads columns 1–2 of \\[a\\]\\(command:x\\): `'x'](command:y)`, `b\\|c`");
  assert.equal(escapeMarkdown('a*b_c'), 'a\\*b\\_c');
});
