import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getOptimizer } from '../../src/engine/optim/registry';
import { referenceTrace } from '../../src/engine/run/reference';
import { run } from '../../src/engine/run/runner';
import { makeStarts, prng } from '../../src/engine/run/starts';
import { recordSchedule } from '../../src/engine/program/recordSchedule';
import { quantileSorted } from '../../src/engine/run/statistics';
import { buildStepProgram, withGradient } from '../../src/engine/program/stepProgram';
import { bealeIR, irFunction, quadratic1D, rosenbrockIR } from './helpers';

test('first hit of each target is the first k with f(θk) − f* ≤ τ, θ0 included (against the interpreter)', () => {
  const fn = rosenbrockIR();
  const starts = [
    [-1.5, 2],
    [0.5, 0.5],
    [1, 1],
  ];
  const targets = [1, 1e-2, 1e-4];
  const result = run({
    fn,
    optimizers: [{ id: 'adam', params: { eta: 0.02 } }],
    starts: { kind: 'list', points: starts },
    steps: 3000,
    targets,
  });
  const program = buildStepProgram(withGradient(fn), getOptimizer('adam'));
  starts.forEach((s, lane) => {
    const iterates = referenceTrace(program, s, { eta: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 3000);
    targets.forEach((tau) => {
      const k = iterates.findIndex((it) => it.f - 0 <= tau);
      assert.equal(
        result.runs[0].stepsToTarget[String(tau)].perLane[lane],
        k >= 0 ? k : null,
        `lane ${lane}, τ = ${tau}`,
      );
    });
  });
  // the start at the minimum reaches every target at k = 0
  assert.deepEqual(
    targets.map((t) => result.runs[0].stepsToTarget[String(t)].perLane[2]),
    [0, 0, 0],
  );
});

test('a lane diverges when f or a coordinate becomes non-finite or |θi| > 1e10, and stops there', () => {
  const fn = quadratic1D(2);
  // GD on x² with η = 1.5 multiplies x by −2 every step: |x| = 2^k passes 1e10 at k = 34.
  const result = run({
    fn,
    optimizers: [{ id: 'gd', params: { eta: 1.5 } }],
    starts: { kind: 'list', points: [[1]] },
    steps: 100,
    targets: [1e-4],
    traces: 1,
  });
  const lane = result.runs[0].final[0];
  assert.equal(lane.divergedAt, 34);
  assert.equal(lane.steps, 34);
  assert.equal(result.runs[0].diverged, 1);
  assert.equal(result.runs[0].converged, 0);
  assert.equal(Math.abs(lane.theta[0]), 2 ** 34);
  // log(x) at x < 0 is NaN: divergence at the first such iterate
  const logFn = irFunction('log', ['x'], (g, [x]) => g.unary('log', x));
  const r2 = run({
    fn: logFn,
    optimizers: [{ id: 'gd', params: { eta: 1 } }],
    starts: { kind: 'list', points: [[0.5]] },
    steps: 10,
    targets: [],
  });
  assert.equal(r2.runs[0].final[0].divergedAt, 1); // x1 = 0.5 − 1/0.5 = −1.5: f = NaN
});

test('stopAtTargets stops each lane at its last target; curves hold a stopped lane at its final value', () => {
  const fn = quadratic1D(1);
  const result = run({
    fn,
    optimizers: [{ id: 'gd', params: { eta: 0.5 } }],
    starts: { kind: 'list', points: [[1], [4]] },
    steps: 200,
    targets: [1e-6],
    stopAtTargets: true,
  });
  const r = result.runs[0];
  // x_k = 0.5^k x0, f = x²/2 ≤ 1e−6 ⇔ first k with 0.25^k x0²/2 ≤ 1e−6
  const expected = (x0: number) => {
    let k = 0;
    while ((0.25 ** k * x0 * x0) / 2 > 1e-6) k++;
    return k;
  };
  assert.deepEqual(r.stepsToTarget['0.000001'].perLane, [expected(1), expected(4)]);
  assert.deepEqual(
    r.final.map((l) => l.steps),
    [expected(1), expected(4)],
  );
  const last = r.curves.median.at(-1)!;
  const f1 = r.final[0].f,
    f2 = r.final[1].f;
  assert.equal(last, (f1 + f2) / 2);
  assert.equal(r.curves.fractionConverged.at(-1), 1);
  assert.equal(r.curves.fractionConverged[0], 0);
});

test('curves: median, quartiles and mean of f − f* over lanes match a direct computation', () => {
  const fn = bealeIR();
  const result = run({
    fn,
    optimizers: [{ id: 'gd', params: { eta: 1e-3 } }],
    starts: {
      kind: 'random',
      n: 9,
      seed: 3,
      domain: [
        [-1, 1],
        [-1, 1],
      ],
    },
    steps: 50,
    targets: [1e-4],
    traces: 9,
  });
  const r = result.runs[0];
  for (const k of [0, 10, 50]) {
    const values = r.traces.map((t) => t.points.find((p) => p.step === k)!.f).sort((a, b) => a - b);
    const i = r.curves.steps.indexOf(k);
    assert.equal(r.curves.median[i], values[4]);
    assert.equal(r.curves.q1[i], values[2]);
    assert.equal(r.curves.q3[i], values[6]);
    assert.ok(Math.abs(r.curves.mean[i] - values.reduce((s, v) => s + v, 0) / 9) <= 1e-12 * values[8]);
  }
});

test('a 10⁶-step run stays small: ≤ 2000 recorded steps, trajectories keep the first and last iterate', () => {
  const sched = recordSchedule(1_000_000, 2000);
  assert.ok(sched.length <= 2000);
  assert.equal(sched[0], 0);
  assert.equal(sched.at(-1), 1_000_000);
  for (let i = 1; i < sched.length; i++) assert.ok(sched[i] > sched[i - 1]);
  assert.deepEqual(Array.from(recordSchedule(5, 2000)), [0, 1, 2, 3, 4, 5]);
  for (const max of [2, 3, 4, 5, 17]) {
    const s = Array.from(recordSchedule(10_000, max));
    assert.ok(
      s.length <= max && s[0] === 0 && s.at(-1) === 10_000 && s.every((k, i) => i === 0 || k > s[i - 1]),
      `max ${max}: ${s}`,
    );
  }
  const fn = quadratic1D(1);
  const result = run({
    fn,
    optimizers: [{ id: 'gd', params: { eta: 1e-6 } }],
    starts: { kind: 'list', points: [[1], [2]] },
    steps: 1_000_000,
    targets: [1e-30],
    traces: 2,
  });
  const r = result.runs[0];
  assert.ok(r.curves.steps.length <= 2000);
  for (const t of r.traces) {
    assert.ok(t.points.length <= 2000);
    assert.equal(t.points[0].step, 0);
    assert.equal(t.points.at(-1)!.step, 1_000_000);
    assert.equal(t.points.at(-1)!.theta[0], r.final[t.lane].theta[0]);
  }
  assert.equal(r.traces[1].points[0].theta[0], 2);
});

test('each lane has its own start; seeded random starts are reproducible and inside the domain; grids', () => {
  const domain = [
    [-4.5, 4.5],
    [-1, 2],
  ] as const;
  const a = makeStarts({ kind: 'random', n: 1000, seed: 42, domain }, 2);
  const b = makeStarts({ kind: 'random', n: 1000, seed: 42, domain }, 2);
  const c = makeStarts({ kind: 'random', n: 1000, seed: 43, domain }, 2);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  for (const [x, y] of a) assert.ok(x >= -4.5 && x < 4.5 && y >= -1 && y < 2);
  // uniform: the mean of 1000 draws of U(−4.5, 4.5) is within 4 standard errors of 0
  const mx = a.reduce((s, p) => s + p[0], 0) / 1000;
  assert.ok(Math.abs(mx) < (4 * (9 / Math.sqrt(12))) / Math.sqrt(1000));
  const next = prng(1);
  for (let i = 0; i < 1000; i++) {
    const u = next();
    assert.ok(u >= 0 && u < 1);
  }
  assert.deepEqual(
    makeStarts(
      {
        kind: 'grid',
        perAxis: 3,
        domain: [
          [0, 2],
          [-1, 1],
        ],
      },
      2,
    ),
    [
      [0, -1],
      [0, 0],
      [0, 1],
      [1, -1],
      [1, 0],
      [1, 1],
      [2, -1],
      [2, 0],
      [2, 1],
    ],
  );
  assert.throws(() => makeStarts({ kind: 'list', points: [[1, 2, 3]] }, 2), /3 coordinates/);
  assert.throws(
    () =>
      makeStarts(
        {
          kind: 'random',
          n: 3,
          seed: 1,
          domain: [
            [1, 0],
            [0, 1],
          ],
        },
        2,
      ),
    /bad domain/,
  );
});

test('quantiles interpolate linearly between order statistics and survive infinities', () => {
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantileSorted([1, 2, 3, 4], 0.25), 1.75);
  assert.equal(quantileSorted([1, Infinity, Infinity], 0.5), Infinity);
  assert.equal(quantileSorted([1, 2, Infinity, Infinity], 0.75), Infinity);
});

test("h-GD on κθ²/2 ends on Baiesi's 2-state orbit ±θ̃, θ̃ = η²κ/4, reported with its midpoint", () => {
  for (const [kappa, eta] of [
    [2, 0.1],
    [8, 0.05],
    [1, 0.3],
  ]) {
    const fn = quadratic1D(kappa);
    const result = run({
      fn,
      optimizers: [{ id: 'h-gd', params: { eta, H: 0.5 } }],
      starts: { kind: 'list', points: [[1.3]] },
      steps: 2000,
      targets: [1e-12],
    });
    const lane = result.runs[0].final[0];
    const thetaTilde = (eta * eta * kappa) / 4;
    assert.ok(
      Math.abs(Math.abs(lane.theta[0]) - thetaTilde) <= 1e-9 * thetaTilde,
      `|θ| = ${lane.theta[0]}, θ̃ = ${thetaTilde}`,
    );
    assert.ok(lane.orbit, `κ = ${kappa}, η = ${eta}: orbit not detected`);
    assert.ok(Math.abs(lane.orbit.midpoint[0]) <= 1e-9 * thetaTilde);
    assert.ok(lane.orbit.f <= 1e-15);
    assert.equal(result.runs[0].orbits, 1);
  }
  // plain GD converging on the same bowl is not an orbit
  const gdRun = run({
    fn: quadratic1D(2),
    optimizers: [{ id: 'gd', params: { eta: 0.1 } }],
    starts: { kind: 'list', points: [[1.3]] },
    steps: 50,
    targets: [1e-300],
  });
  assert.equal(gdRun.runs[0].final[0].orbit, null);
});

test('run checks its request: steps, targets, start counts', () => {
  const fn = rosenbrockIR();
  const base = {
    fn,
    optimizers: [{ id: 'gd', params: {} }],
    starts: { kind: 'list' as const, points: [[0, 0]] },
    targets: [1e-4],
  };
  assert.throws(() => run({ ...base, steps: -1 }), RangeError);
  assert.throws(() => run({ ...base, steps: 1.5 }), RangeError);
  assert.throws(() => run({ ...base, steps: 10, targets: [NaN] }), RangeError);
  assert.throws(() => run({ ...base, steps: 10, starts: { kind: 'list', points: [] } }), RangeError);
  assert.throws(
    () => run({ ...base, steps: 10, optimizers: [{ id: 'gd', params: { nope: 1 } }] }),
    /no hyperparameter 'nope'/,
  );
  assert.throws(
    () => run({ ...base, steps: 10, optimizers: [{ id: 'ngd', params: { norm: 'l3' } }] }),
    /l2\|linf\|std\|rms/,
  );
});
