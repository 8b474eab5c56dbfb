/**
 * The engine behind the Lab's model views: the decision boundary read off a model's loss (decisionBoundary.ts)
 * against w·x + b and the regression prediction written plainly here; the PCA plane of a path (pathProjection.ts)
 * against a hand-rolled power iteration on MᵀM; the projection of a straight-line path; the loss on the plane
 * against the training loss written plainly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../src/engine/data/random';
import type { ModelProgram } from '../../src/engine/model';
import { modelProblem } from '../../src/engine/run/dataProblem';
import { runData } from '../../src/engine/run/dataRunner';
import { boundaryPlane, decisionBoundary, planeExtent, planePoints } from '../../src/engine/run/decisionBoundary';
import { pathPlane, planeLoss, projectOnto, projectPath } from '../../src/engine/run/pathProjection';
import { memoryData, parseWith } from './modelHarness';

function model(text: string, files = {}): ModelProgram {
  const parsed = parseWith(text, files);
  assert.deepEqual(parsed.errors, []);
  return parsed.models[0];
}

const LOGISTIC = `
@data circle(noise=0.1)
@split 0.8 seed 1
x = [row.x1, row.x2]
y = row.label
@param w 2 uniform(-1, 1)
@param c 1 zeros
logistic(w, c) = softplus(-y * (dot(w, x) + c))
@batch 10
`;

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} against ${b}`);

test('decision boundary of a logistic regression on labels ±1: the output is w·x + c at every grid point', () => {
  const m = model(LOGISTIC);
  const plane = boundaryPlane(m);
  assert.deepEqual([plane.x.name, plane.y.name, plane.target.name], ['x1', 'x2', 'label']);
  assert.equal(plane.kind, 'binary');
  assert.deepEqual(plane.levels, [-1, 1]);
  const theta = [0.7, -1.3, 0.4];
  const g = decisionBoundary(m, plane, theta, { nx: 21, ny: 17 });
  assert.equal(g.values.length, 21 * 17);
  for (let j = 0; j < 17; j++)
    for (let i = 0; i < 21; i++)
      close(g.values[j * 21 + i], theta[0] * g.xs[i] + theta[1] * g.ys[j] + theta[2], 1e-12, `(${i}, ${j})`);
  const extent = planeExtent(m, plane);
  assert.ok(extent.x[0] < -5 && extent.x[1] > 5, 'the circle set lies in [-5, 5] plus noise, padded');
  const points = planePoints(m, plane);
  assert.equal(points.train.x.length, 400);
  assert.equal(points.test.x.length, 100);
  assert.ok(points.train.target.every((t) => t === 1 || t === -1));
});

test('decision boundary with labels 0/1 and the cross-entropy written out: still the log-odds w·x + c', () => {
  const rng = mulberry32(7);
  const rows = Array.from({ length: 30 }, () => [rng() * 4 - 2, rng() * 4 - 2, rng() < 0.5 ? 0 : 1]);
  const m = model(
    `@data "d.csv"
@param w 2 zeros
@param c 1 zeros
bce(w, c) = -(row.y * log(sigmoid(dot(w, [row.a, row.b]) + c)) + (1 - row.y) * log(1 - sigmoid(dot(w, [row.a, row.b]) + c)))
`,
    { 'd.csv': memoryData(['a', 'b', 'y'], rows) },
  );
  const plane = boundaryPlane(m);
  assert.deepEqual(plane.levels, [0, 1]);
  const theta = [1.5, 0.5, -0.25];
  const g = decisionBoundary(m, plane, theta, { nx: 9, ny: 9 });
  for (let j = 0; j < 9; j++)
    for (let i = 0; i < 9; i++)
      close(g.values[j * 9 + i], theta[0] * g.xs[i] + theta[1] * g.ys[j] + theta[2], 1e-9, `(${i}, ${j})`);
});

test('a regression target: the prediction minimising the squared error, tanh(a x1 + b x2 + c)', () => {
  const rng = mulberry32(3);
  const rows = Array.from({ length: 40 }, () => {
    const [u, v] = [rng() * 2 - 1, rng() * 2 - 1];
    return [u, v, Math.tanh(u - 2 * v) + 0.1 * rng()];
  });
  const m = model(
    `@data "r.csv"
@param p 2 zeros
@param c 1 zeros
fit(p, c) = (tanh(dot(p, [row.u, row.v]) + c) - row.t)^2
`,
    { 'r.csv': memoryData(['u', 'v', 't'], rows) },
  );
  const plane = boundaryPlane(m);
  assert.equal(plane.kind, 'regression');
  const theta = [0.8, -1.7, 0.2];
  const g = decisionBoundary(m, plane, theta, { nx: 7, ny: 5 });
  for (let j = 0; j < 5; j++)
    for (let i = 0; i < 7; i++)
      close(g.values[j * 7 + i], Math.tanh(theta[0] * g.xs[i] + theta[1] * g.ys[j] + theta[2]), 1e-9, `(${i}, ${j})`);
});

test('a model without a plane says why', () => {
  const iris = model(`@data iris
x = row[1:4]
y = row[5:7]
@param W 3x4 zeros
@param b 3 zeros
softmax_regression(W, b) = logsumexp(W*x + b) - dot(y, W*x + b)
`);
  assert.throws(() => boundaryPlane(iris), /reads 7 columns .*two input columns and a target/);
  const m = model(LOGISTIC);
  assert.throws(() => decisionBoundary(m, boundaryPlane(m), [1, 2], { nx: 3, ny: 3 }), /θ has 2 numbers/);
  assert.throws(() => decisionBoundary(m, boundaryPlane(m), [1, 2, 3], { nx: 1, ny: 3 }), /grid side/);
});

/** The top two eigenvectors of MᵀM by power iteration with deflation, written plainly. */
function powerIteration(M: number[][]): { vectors: number[][]; values: number[] } {
  const P = M[0].length;
  const C = Array.from({ length: P }, (_, a) =>
    Array.from({ length: P }, (_, b) => M.reduce((s, r) => s + r[a] * r[b], 0)),
  );
  const vectors: number[][] = [];
  const values: number[] = [];
  for (let k = 0; k < 2; k++) {
    let v = Array.from({ length: P }, (_, i) => 1 + i * 0.37);
    let lambda = 0;
    for (let it = 0; it < 5000; it++) {
      let w = C.map((row) => row.reduce((s, x, j) => s + x * v[j], 0));
      for (const u of vectors) {
        const d = w.reduce((s, x, i) => s + x * u[i], 0);
        w = w.map((x, i) => x - d * u[i]);
      }
      const norm = Math.sqrt(w.reduce((s, x) => s + x * x, 0));
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    vectors.push(v);
    values.push(lambda);
  }
  return { vectors, values };
}

test('PCA of a run’s iterates: the directions of a power iteration on MᵀM, the path projected on them', () => {
  const m = model(LOGISTIC.replace('x = [row.x1, row.x2]', 'x = [row.x1, row.x2, row.x1^2]').replace('w 2', 'w 3'));
  const problem = modelProblem(m);
  const result = runData({
    problem,
    optimizers: [
      { id: 'gd', params: { eta: 0.01 } },
      { id: 'adam', params: { eta: 0.05 } },
    ],
    starts: { kind: 'draw', n: 2 },
    seed: 5,
    steps: 400,
    targets: [],
    traces: 1,
  });
  const iterates = (o: number) => {
    const pts = result.runs[o].traces[0].points;
    return { steps: pts.map((p) => p.step), thetas: pts.map((p) => p.theta) };
  };
  const path = iterates(0);
  assert.ok(path.thetas.length > 10);
  const plane = pathPlane(path);
  const last = path.thetas.at(-1)!;
  const M = path.thetas.map((t) => t.map((x, i) => x - last[i]));
  const ref = powerIteration(M);
  const total = M.reduce((s, r) => s + r.reduce((q, x) => q + x * x, 0), 0);
  for (let k = 0; k < 2; k++) {
    const d = plane.directions[k];
    const cos = d.reduce((s, x, i) => s + x * ref.vectors[k][i], 0);
    close(Math.abs(cos), 1, 1e-8, `direction ${k + 1}`);
    close(plane.explained[k], ref.values[k] / total, 1e-8, `explained ${k + 1}`);
  }
  close(
    plane.directions[0].reduce((s, x, i) => s + x * plane.directions[1][i], 0),
    0,
    1e-12,
    'orthogonal',
  );
  const projected = projectPath(problem, path, [iterates(1)], { side: 5 });
  projected.path.a.forEach((a, i) => {
    close(
      a,
      M[i].reduce((s, x, c) => s + x * plane.directions[0][c], 0),
      1e-12,
      `a[${i}]`,
    );
    close(
      projected.path.b[i],
      M[i].reduce((s, x, c) => s + x * plane.directions[1][c], 0),
      1e-12,
      `b[${i}]`,
    );
  });
  assert.equal(projected.path.a.at(-1), 0, 'the final iterate is the origin');
  assert.ok(projected.path.a[0] < 0, 'the path runs rightwards to the origin');
  assert.equal(projected.others[0].a.length, iterates(1).thetas.length);
  // The loss on the plane against the training loss written plainly: softplus(−y (w·[x1, x2, x1²] + c)).
  const { dataset } = m.data;
  const train = problem.rows.train;
  const F = (t: number[]) =>
    Array.from(train).reduce((s, r) => {
      const [x1, x2, y] = [0, 1, 2].map((j) => dataset.values[r * 3 + j]);
      const f = t[0] * x1 + t[1] * x2 + t[2] * x1 * x1 + t[3];
      return s + Math.log1p(Math.exp(-y * f));
    }, 0) / train.length;
  const { as, bs, loss } = projected.grid;
  for (let j = 0; j < bs.length; j++)
    for (let i = 0; i < as.length; i++) {
      const t = last.map((x, c) => x + as[i] * plane.directions[0][c] + bs[j] * plane.directions[1][c]);
      close(loss[j * as.length + i], F(t), 1e-10, `F at (${i}, ${j})`);
    }
  assert.ok(as[0] <= Math.min(...projected.path.a) && as.at(-1)! >= 0, 'the grid covers the path');
});

test('the PCA projection of a straight-line path is a line', () => {
  const origin = [0.3, -0.2, 1.1, 0.5, -0.7];
  const v = [1, 2, -1, 0.5, 0.25];
  const ts = Array.from({ length: 30 }, (_, i) => (1 - i / 29) ** 2);
  const path = { steps: ts.map((_, i) => i), thetas: ts.map((t) => origin.map((x, c) => x + t * v[c])) };
  const plane = pathPlane(path);
  const p = projectOnto(plane, path);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  close(plane.explained[0], 1, 1e-12, 'all along d₁');
  close(plane.explained[1], 0, 1e-12, 'nothing along d₂');
  p.b.forEach((b, i) => close(b, 0, 1e-12, `b[${i}]`));
  p.off.forEach((o, i) => close(o, 0, 1e-7, `off[${i}]`));
  p.a.forEach((a, i) => close(a, -ts[i] * norm, 1e-12, `a[${i}]`));
  const m = model(LOGISTIC);
  assert.throws(() => planeLoss(modelProblem(m), plane, [0], [0]), RangeError);
});
