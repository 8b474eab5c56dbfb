/**
 * Gradient noise on an analytic function (`@noise sigma`): the engine's iterates against the plain
 * implementation, which draws z from mulberry32(mix(seed, r) XOR 0xBB67AE85) as DATA-CONVENTIONS writes and adds
 * σ·z to the hand-derived gradient before the rule (the power transform included).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCostFile } from '../../src/engine/expr/costParser';
import type { OptimizerConfig } from '../../src/engine/optim/types';
import { functionProblem } from '../../src/engine/run/dataProblem';
import { agreement, engineLanes } from './datafitEngine';
import { plainOptimizers, plainTrain, type PlainModel, type PlainOptimizer } from './datafitPlain';

/**
 * Rosenbrock: f = (1 − x)² + 100(y − x²)², ∇f = (−2(1 − x) − 400x(y − x²), 200(y − x²)); and a tilted bowl,
 * f = x² + 3y² + xy, ∇f = (2x + y, 6y + x), where NaSGD's steps do not amplify rounding (on Rosenbrock they do:
 * CONVENTIONS.md, Sprunger Table 2).
 */
const rosenbrock: PlainModel = {
  loss: ([x, y]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  grad: ([x, y]) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
};
const bowl: PlainModel = {
  loss: ([x, y]) => x * x + 3 * y * y + x * y,
  grad: ([x, y]) => [2 * x + y, 6 * y + x],
};
const ROSENBROCK = 'f(x, y) = (1 - x)^2 + 100*(y - x^2)^2';
const BOWL = 'f(x, y) = x^2 + 3*y^2 + x*y';

/** h-GD: θ ← θ − η sign(g)|g|^H, g the noisy gradient. */
const hgd = (eta: number, H: number): PlainOptimizer => ({
  point: (t) => [...t],
  step: (t, g) => t.map((x, i) => x - eta * Math.sign(g[i]) * Math.abs(g[i]) ** H),
});

const cases: { text: string; model: PlainModel; optimizer: OptimizerConfig; plain: () => PlainOptimizer }[] = [
  {
    text: ROSENBROCK,
    model: rosenbrock,
    optimizer: { id: 'gd', params: { eta: 1e-3 } },
    plain: () => plainOptimizers.gd(1e-3),
  },
  {
    text: ROSENBROCK,
    model: rosenbrock,
    optimizer: { id: 'h-gd', params: { eta: 1e-3, H: 0.5 } },
    plain: () => hgd(1e-3, 0.5),
  },
  {
    text: ROSENBROCK,
    model: rosenbrock,
    optimizer: { id: 'nag', params: { eta: 1e-4, gamma: 0.9 } },
    plain: () => plainOptimizers.nag(1e-4, 0.9),
  },
  {
    text: BOWL,
    model: bowl,
    optimizer: { id: 'nasgd', params: { alpha: 0.5 } },
    plain: () => plainOptimizers.nasgd(0.5),
  },
  {
    text: BOWL,
    model: bowl,
    optimizer: { id: 'adam', params: { eta: 0.01 } },
    plain: () => plainOptimizers.adam(0.01),
  },
];

const starts = [
  [-1.5, 2],
  [0.5, 0.5],
  [1.2, 1],
];

for (const c of cases) {
  test(`@noise 2 on ${c.text}, ${c.optimizer.id}: every iterate agrees with σ·z added before the rule`, () => {
    const parsed = parseCostFile(`${c.text}\n@noise 2\n`, 'noise.cost');
    assert.deepEqual(parsed.errors, []);
    const fn = parsed.functions[0];
    const problem = functionProblem(fn, fn.noise!);
    const seed = 11;
    const lanes = engineLanes(problem, c.optimizer, { starts: { kind: 'list', points: starts }, seed, steps: 300 });
    const worst = Math.max(
      ...lanes.map((lane, r) =>
        agreement(
          lane,
          plainTrain({
            model: c.model,
            rows: [[]],
            train: [0],
            test: [],
            shuffle: 'none',
            seed,
            start: r,
            theta0: starts[r],
            steps: 300,
            optimizer: c.plain(),
            noise: 2,
          }),
        ),
      ),
    );
    console.log(`noise, ${c.optimizer.id}: worst relative difference ${worst.toExponential(2)}`);
    assert.ok(worst <= 1e-12, `worst relative difference ${worst}`);
    // The noise did something: without it the first step differs.
    const quiet = engineLanes(functionProblem(fn, 0), c.optimizer, {
      starts: { kind: 'list', points: starts },
      seed,
      steps: 1,
    });
    assert.notDeepEqual(quiet[0].theta[1], lanes[0].theta[1]);
  });
}
