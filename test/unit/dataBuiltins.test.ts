// The built-in datasets against independent facts: the data-fit peers' teacher.csv (shared/perf-peers/datafit,
// written by their own generator, copied to test/fixtures), the published statistics of Fisher's iris, the
// geometry each Playground-style set is defined by, and determinism under a seed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BUILTIN_DATASETS, builtinDataset } from '../../src/engine/data/builtins';
import type { Dataset } from '../../src/engine/data/dataset';

function load(ref: string): Dataset {
  const r = builtinDataset(ref);
  if (!r.ok) assert.fail(`${ref}: ${r.message}`);
  return r.dataset;
}

/** Rows as arrays of numbers. */
const rowsOf = (d: Dataset) =>
  Array.from({ length: d.rows }, (_, i) => [...d.values.subarray(i * d.columns.length, (i + 1) * d.columns.length)]);

test('sprunger_teacher is the peers’ teacher.csv bit for bit (200 rows, x1…x10, y1…y4)', () => {
  const [head, ...lines] = readFileSync('test/fixtures/teacher.csv', 'utf8').trim().split('\n');
  const d = load('sprunger_teacher');
  assert.deepEqual(d.columns, head.split(','));
  assert.deepEqual(
    rowsOf(d),
    lines.map((l) => l.split(',').map(Number)),
  );
  // W* is drawn before the inputs, so fewer rows are a prefix; another seed is another teacher.
  assert.deepEqual(rowsOf(load('sprunger_teacher(n=50)')), rowsOf(d).slice(0, 50));
  assert.notDeepEqual(rowsOf(load('sprunger_teacher(seed=1)'))[0], rowsOf(d)[0]);
  for (const row of rowsOf(d)) {
    assert.ok(row.slice(0, 10).every((x) => x >= 0 && x < 1));
    assert.ok(row.slice(10).every((y) => Math.abs(y) < 1));
  }
});

test('every built-in is deterministic: the same reference gives the same bytes; another seed other data', () => {
  for (const [name, builtin] of BUILTIN_DATASETS) {
    const a = load(name);
    assert.deepEqual(a.values, load(name).values, name);
    assert.equal(a.values.length, a.rows * a.columns.length);
    assert.ok(a.values.every(Number.isFinite), `${name}: finite`);
    if (builtin.params.some((p) => p.name === 'seed'))
      assert.notDeepEqual(load(`${name}(seed=12345)`).values, a.values, `${name}: seed`);
    assert.ok(builtin.source && builtin.licence, `${name}: source and licence`);
  }
});

const labels = (d: Dataset) => rowsOf(d).map((r) => r[2]);
const count = (xs: number[], v: number) => xs.filter((x) => x === v).length;

test('circle: a disc of radius 2.5 labelled +1, a ring 3.5…5 labelled −1; noise moves labels, not points', () => {
  const clean = load('circle(n=501, seed=3)');
  assert.deepEqual(clean.columns, ['x1', 'x2', 'label']);
  rowsOf(clean).forEach(([x, y, label], i) => {
    const r = Math.hypot(x, y);
    if (i < 251) assert.ok(r <= 2.5 && label === 1, `inner point ${i}`);
    else assert.ok(r >= 3.5 - 1e-12 && r <= 5 + 1e-12 && label === -1, `outer point ${i}`);
  });
  assert.deepEqual([count(labels(clean), 1), count(labels(clean), -1)], [251, 250]);
  const noisy = load('circle(n=501, seed=3, noise=0.5)');
  const xy = (d: Dataset) => rowsOf(d).map((r) => r.slice(0, 2));
  assert.deepEqual(xy(noisy), xy(clean));
  const flipped = labels(noisy).filter((l, i) => l !== labels(clean)[i]).length;
  assert.ok(flipped > 0 && flipped < 501 / 2, `${flipped} labels flipped`);
});

test('xor: points at least 0.3 from the axes, +1 where x1·x2 > 0; noise moves labels, not points', () => {
  const clean = load('xor(n=400, seed=5)');
  for (const [x, y, label] of rowsOf(clean)) {
    assert.ok(Math.abs(x) >= 0.3 && Math.abs(x) <= 5.3 && Math.abs(y) >= 0.3 && Math.abs(y) <= 5.3);
    assert.equal(label, x * y > 0 ? 1 : -1);
  }
  const noisy = load('xor(n=400, seed=5, noise=0.4)');
  assert.deepEqual(
    rowsOf(noisy).map((r) => r.slice(0, 2)),
    rowsOf(clean).map((r) => r.slice(0, 2)),
  );
  assert.notDeepEqual(labels(noisy), labels(clean));
});

test('spiral: at noise 0 point i of an arm of m lies at radius 5i/m; the −1 arm is the +1 arm turned by π', () => {
  const d = rowsOf(load('spiral(n=300)'));
  const m = 150;
  for (let i = 0; i < m; i++) {
    const [x, y, label] = d[i];
    const [xn, yn, labelN] = d[m + i];
    assert.ok(Math.abs(Math.hypot(x, y) - (5 * i) / m) < 1e-12);
    assert.ok(Math.abs(xn + x) < 1e-12 && Math.abs(yn + y) < 1e-12);
    assert.deepEqual([label, labelN], [1, -1]);
  }
  const noisy = rowsOf(load('spiral(n=300, noise=0.3)'));
  const moved = noisy.map((r, i) => Math.max(Math.abs(r[0] - d[i][0]), Math.abs(r[1] - d[i][1])));
  assert.ok(Math.max(...moved) <= 0.3 && Math.max(...moved) > 0.25, 'noise·u(−1, 1) in each coordinate');
});

test('gauss: clouds at ±(2, 2) with variance 0.5 at noise 0 and 4 at noise 0.5 (sample statistics)', () => {
  for (const [noise, variance] of [
    [0, 0.5],
    [0.5, 4],
  ]) {
    const d = rowsOf(load(`gauss(n=20000, noise=${noise}, seed=9)`));
    for (const [half, centre] of [
      [d.slice(0, 10000), 2],
      [d.slice(10000), -2],
    ] as const) {
      assert.ok(half.every((r) => r[2] === Math.sign(centre)));
      for (const k of [0, 1]) {
        const xs = half.map((r) => r[k]);
        const mean = xs.reduce((a, b) => a + b) / xs.length;
        const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
        // 5 standard errors: of the mean √(v/n), of the variance v·√(2/n).
        assert.ok(Math.abs(mean - centre) < 5 * Math.sqrt(variance / 1e4), `mean ${mean}`);
        assert.ok(Math.abs(v - variance) < 5 * variance * Math.sqrt(2 / 1e4), `variance ${v}`);
      }
    }
  }
});

test('sine: y = sin x exactly at noise 0; the noise has the asked standard deviation; x does not move', () => {
  const clean = rowsOf(load('sine(n=20000, noise=0)'));
  assert.ok(clean.every(([x, y]) => x >= -Math.PI && x < Math.PI && y === Math.sin(x)));
  const noisy = rowsOf(load('sine(n=20000, noise=0.1)'));
  const residuals = noisy.map(([x, y], i) => (assert.equal(x, clean[i][0]), y - Math.sin(x)));
  const mean = residuals.reduce((a, b) => a + b) / residuals.length;
  const sd = Math.sqrt(residuals.reduce((a, b) => a + (b - mean) ** 2, 0) / (residuals.length - 1));
  assert.ok(Math.abs(mean) < 5 * (0.1 / Math.sqrt(20000)), `mean ${mean}`);
  assert.ok(Math.abs(sd - 0.1) < 5 * 0.1 * Math.sqrt(1 / (2 * 20000)), `sd ${sd}`);
});

test('iris: 150 rows, 50 per species one-hot, and the published sums and species means (Fisher 1936, R)', () => {
  const d = load('iris');
  assert.deepEqual(d.columns, [
    'sepal_length',
    'sepal_width',
    'petal_length',
    'petal_width',
    'setosa',
    'versicolor',
    'virginica',
  ]);
  const rows = rowsOf(d);
  assert.equal(rows.length, 150);
  rows.forEach((r, i) =>
    assert.deepEqual(
      r.slice(4),
      [0, 1, 2].map((k) => (k === Math.floor(i / 50) ? 1 : 0)),
    ),
  );
  const sum = (rs: number[][], j: number) => rs.reduce((a, r) => a + r[j], 0);
  // R: colSums(iris[1:4]).
  [876.5, 458.6, 563.7, 179.9].forEach((s, j) => assert.ok(Math.abs(sum(rows, j) - s) < 1e-9, `column ${j}`));
  // R: aggregate(. ~ Species, iris, mean), also Fisher's Table I.
  const means = [
    [5.006, 3.428, 1.462, 0.246],
    [5.936, 2.77, 4.26, 1.326],
    [6.588, 2.974, 5.552, 2.026],
  ];
  means.forEach((m, k) =>
    m.forEach((v, j) => assert.ok(Math.abs(sum(rows.slice(50 * k, 50 * k + 50), j) / 50 - v) < 1e-9)),
  );
  assert.deepEqual(rows[34].slice(0, 4), [4.9, 3.1, 1.5, 0.2], "UCI's correction of sample 35");
  assert.deepEqual(rows[37].slice(0, 4), [4.9, 3.6, 1.4, 0.1], "UCI's correction of sample 38");
});

test('iris with UCI’s two errata undone gives the Summary Statistics table of UCI’s iris.names', () => {
  const rows = rowsOf(load('iris')).map((r) => [...r.slice(0, 4), r.indexOf(1, 4) - 3]);
  rows[34] = [4.9, 3.1, 1.5, 0.1, 1];
  rows[37] = [4.9, 3.1, 1.5, 0.1, 1];
  // Min, Max, Mean, SD (over n), Class Correlation (Pearson, with classes 1, 2, 3).
  const table = [
    [4.3, 7.9, 5.84, 0.83, 0.7826],
    [2.0, 4.4, 3.05, 0.43, -0.4194],
    [1.0, 6.9, 3.76, 1.76, 0.949],
    [0.1, 2.5, 1.2, 0.76, 0.9565],
  ];
  const n = rows.length;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b) / n;
  const cls = rows.map((r) => r[4]);
  table.forEach(([min, max, m, sd, corr], j) => {
    const xs = rows.map((r) => r[j]);
    const mx = mean(xs);
    const mc = mean(cls);
    const sx = Math.sqrt(mean(xs.map((x) => (x - mx) ** 2)));
    const sc = Math.sqrt(mean(cls.map((c) => (c - mc) ** 2)));
    const r = mean(xs.map((x, i) => (x - mx) * (cls[i] - mc))) / (sx * sc);
    assert.deepEqual([Math.min(...xs), Math.max(...xs)], [min, max]);
    assert.equal(mx.toFixed(2), m.toFixed(2));
    assert.equal(sx.toFixed(2), sd.toFixed(2));
    assert.equal(r.toFixed(4), corr.toFixed(4));
  });
});

test('references: arguments by name, defaults, a canonical name; errors carry offsets into the reference', () => {
  assert.equal(load('spiral(noise=0.1, n=400)').name, 'spiral(n=400, noise=0.1)');
  assert.equal(load('spiral(noise=0.1, n=400)').rows, 400);
  assert.equal(load(' iris ').name, 'iris');
  assert.equal(load('iris()').rows, 150);
  assert.equal(load('circle').rows, 500);
  const error = (ref: string) => {
    const r = builtinDataset(ref);
    assert.ok(!r.ok, ref);
    return [r.message, ref.slice(r.start, r.end)];
  };
  assert.deepEqual(error('spirals'), [
    "no built-in dataset 'spirals'; there are sprunger_teacher, circle, xor, gauss, spiral, iris, sine",
    'spirals',
  ]);
  assert.deepEqual(error('toString'), [
    "no built-in dataset 'toString'; there are sprunger_teacher, circle, xor, gauss, spiral, iris, sine",
    'toString',
  ]);
  assert.deepEqual(error('spiral(noise=0.1, m=3)'), ["spiral has no argument 'm'; it takes n, noise, seed", 'm=3']);
  assert.deepEqual(error('iris(n=3)'), ["iris has no argument 'n'", 'n=3']);
  assert.deepEqual(error('spiral(noise=0.6)'), ['noise must be from 0 to 0.5, not 0.6', 'noise=0.6']);
  assert.deepEqual(error('spiral(n=1.5)'), ['n must be an integer, not 1.5', 'n=1.5']);
  assert.deepEqual(error('spiral(n=100001)'), ['n must be from 2 to 100000, not 100001', 'n=100001']);
  assert.deepEqual(error('xor(n=3, n=4)'), ["'n' is given twice", 'n=4']);
  assert.deepEqual(error('xor(n=, seed=1)'), ['expected name=number', 'n=']);
  assert.deepEqual(error('xor(n=3'), ['expected a built-in dataset, e.g. iris or spiral(noise=0.1, n=400)', 'xor(n=3']);
  assert.deepEqual(error('xor 3'), ['expected a built-in dataset, e.g. iris or spiral(noise=0.1, n=400)', 'xor 3']);
});

test('README "Datasets" names every built-in with its licence', () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Datasets'));
  assert.ok(readme.includes('## Datasets'));
  for (const [name, d] of BUILTIN_DATASETS) {
    assert.ok(section.includes(`\`${name}\``), name);
    for (const licence of ['CC BY 4.0', 'Apache-2.0'])
      if (d.licence.includes(licence)) assert.ok(section.includes(licence), `${name}: ${licence}`);
  }
});
