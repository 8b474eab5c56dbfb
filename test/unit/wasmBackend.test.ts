/**
 * The wasm-simd backend against the JS backend (the reference, itself checked against golden.json): every
 * golden configuration, every optimizer with slices, odd lane counts, targets, stops and divergence.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExpression } from '../../src/engine/expr/costParser';
import { Graph } from '../../src/engine/expr/ir';
import { compileJs } from '../../src/engine/kernel/jsBackend';
import { compileWasm, simdSupported } from '../../src/engine/kernel/wasm/wasmBackend';
import { getOptimizer, listOptimizers } from '../../src/engine/optim/registry';
import { resolveParams } from '../../src/engine/run/params';
import { buildStepProgram, withGradient, type StepProgram } from '../../src/engine/program/stepProgram';
import { configFor, golden } from './goldenConfig';
import { bealeIR, rosenbrockIR } from './helpers';
import { laneView, runKernel, type HarnessOptions, type LaneParams } from './kernelHarness';

const START = { rosenbrock: [-1.5, 2], beale: [1, 1] } as const;
const PROBLEMS = { rosenbrock: withGradient(rosenbrockIR()), beale: withGradient(bealeIR()) } as const;

function numbers(params: Record<string, number | string>): Record<string, number> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

function both(program: StepProgram, starts: readonly (readonly number[])[], params: LaneParams, o: HarnessOptions) {
  const stateSize = program.state.reduce((s, x) => s + x.inputs.length, 0);
  const R = o.recordSteps?.length ?? o.steps + 1;
  const view = (k: ReturnType<typeof compileJs>) =>
    laneView(runKernel(k, program, starts, params, o), program.dim, stateSize, o.targets?.length ?? 0, R);
  return { js: view(compileJs(program)), wasm: view(compileWasm(program)) };
}

/** Relative difference, 0 for identical values (NaN included). */
function rel(a: number, b: number): number {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

test('this Node has WebAssembly SIMD (else the wasm tests below would be vacuous)', () => {
  assert.ok(simdSupported());
});

test('every golden configuration: wasm-simd equals the JS backend over 10 steps (rel ≤ 1e−12; ≤ 1e−9 where pow enters)', () => {
  let checked = 0;
  for (const o of golden.optimizers) {
    const c = configFor(o);
    const optimizer = getOptimizer(c.id);
    const params = numbers(resolveParams(optimizer, { ...c.numbers, ...c.choices }));
    for (const key of ['rosenbrock', 'beale'] as const) {
      const program = buildStepProgram(PROBLEMS[key], optimizer, c.choices);
      const { js, wasm } = both(program, [START[key]], params, { steps: 10 });
      const usesPow = program.graph.nodes.some((n) => n.kind === 'binary' && n.op === 'pow');
      const tol = usesPow ? 1e-9 : 1e-12;
      js.trace.forEach((v, i) =>
        assert.ok(rel(v, wasm.trace[i]) <= tol, `${o.name} on ${key}: trace[${i}] ${wasm.trace[i]} vs ${v}`),
      );
      assert.deepEqual(wasm.stopStep, js.stopStep);
      checked++;
    }
  }
  assert.equal(checked, 56);
});

const fns = {
  beale: withGradient(bealeIR()),
  // bounded gradients, so that 10 steps stay where the 1e−9 comparison means something
  transcendental: withGradient(
    parseExpression(
      'f(x, y) = log((3x + y)^2 + 1) + cosh(sin(pi/2*(3x + y))/2 + x/5 - y/4) - 1 + atan(x*y)/5 + exp(-x^2)*tanh(y) + 1',
    ),
  ),
};

test('every optimizer (and choice): odd lane counts, slices, targets and stops give the same lanes on both backends', () => {
  const starts = Array.from({ length: 37 }, (_, i) => [-4 + 8 * ((i * 0.618) % 1), -4 + 8 * ((i * 0.377) % 1)]);
  // Polynomial: 120 steps, bit for bit. Transcendental: 1-ulp differences of the math functions grow along
  // chaotic trajectories, so values are compared after 10 steps, within 1e−9 (the tolerance).
  const horizon = {
    beale: {
      steps: 120,
      targets: [1e-1, 1e-3],
      stopAtTargets: true,
      cuts: [0, 1, 5, 40, 41, 90, 121],
      recordSteps: [0, 1, 2, 10, 50, 119, 120],
      traces: 5,
    },
    transcendental: { steps: 10, targets: [1e-1, 1e-3], stopAtTargets: true, cuts: [0, 1, 4, 11], traces: 5 },
  } satisfies Record<keyof typeof fns, HarnessOptions>;
  let programs = 0;
  for (const optimizer of listOptimizers()) {
    const choiceSets = optimizer.params.reduce<Record<string, string>[]>(
      (acc, p) => (p.kind === 'choice' ? acc.flatMap((c) => p.choices.map((v) => ({ ...c, [p.name]: v }))) : acc),
      [{}],
    );
    for (const choices of choiceSets) {
      for (const name of ['beale', 'transcendental'] as const) {
        const eta = name === 'beale' ? 0.02 : 1e-3;
        const params = numbers(
          resolveParams(optimizer, { ...choices, ...(optimizer.params.some((p) => p.name === 'eta') ? { eta } : {}) }),
        );
        const program = buildStepProgram(fns[name], optimizer, choices);
        const laneStarts = name === 'beale' ? starts : starts.map(([x, y]) => [x / 4, y / 4]);
        const { js, wasm } = both(program, laneStarts, params, horizon[name]);
        const what = `${optimizer.id} ${JSON.stringify(choices)} on ${name}`;
        // discrete outcomes are identical; values too, to the last bit, except through transcendentals
        assert.deepEqual(wasm.stopStep, js.stopStep, `${what}: stop steps`);
        assert.deepEqual(wasm.divergedAt, js.divergedAt, `${what}: divergence`);
        assert.deepEqual(wasm.hits, js.hits, `${what}: first hits`);
        const usesPow = program.graph.nodes.some((n) => n.kind === 'binary' && n.op === 'pow');
        const tol = name === 'transcendental' ? 1e-9 : usesPow ? 1e-6 : 0;
        for (const key of ['theta', 'state', 'prevTheta', 'fRecord'] as const) {
          js[key].forEach((row, c) =>
            row.forEach((v, lane) => {
              assert.ok(
                rel(v, wasm[key][c][lane]) <= tol,
                `${what}: ${key}[${c}][${lane}] ${wasm[key][c][lane]} vs ${v}`,
              );
            }),
          );
        }
        programs++;
      }
    }
  }
  assert.ok(programs >= 2 * 35, `${programs} programs`);
});

test('stopped lanes keep their values while their SIMD partners run on', () => {
  // lane 0 starts at the minimum (stops at k = 0), lane 1 runs; lane 2 diverges at once; lane 3 runs.
  const program = buildStepProgram(PROBLEMS.rosenbrock, getOptimizer('gd'));
  const starts = [
    [1, 1],
    [-1.5, 2],
    [1e11, 0],
    [0, 0],
    [0.5, 0.5],
  ];
  const o: HarnessOptions = { steps: 200, targets: [1e-20], stopAtTargets: true, cuts: [0, 3, 200, 201] };
  const { js, wasm } = both(program, starts, { eta: 1e-3 }, o);
  assert.deepEqual(wasm, js);
  assert.equal(wasm.stopStep[0], 0);
  assert.equal(wasm.divergedAt[2], 0);
  assert.deepEqual([wasm.theta[0][0], wasm.theta[1][0]], [1, 1]);
  assert.equal(wasm.stopStep[1], 200);
});

test("per-lane H: groups where every H is ½ (the kernel's branch-free step loop) and groups mixing ½, 1 and other H agree with the JS backend", () => {
  // The kernel runs 2W lanes per group (W = 4: 8 lanes): lanes 0–7 all H = ½, lanes 8–15 mix ½ with 1, 16–23
  // all 1, 24–31 mix ½ with 0.7, the rest (an odd tail) all ½.
  const H = (lane: number) =>
    lane < 8 ? 0.5 : lane < 16 ? [0.5, 1][lane % 2] : lane < 24 ? 1 : lane < 32 ? [0.5, 0.7][lane % 2] : 0.5;
  const starts = Array.from({ length: 37 }, (_, i) => [-4 + 8 * ((i * 0.618) % 1), -4 + 8 * ((i * 0.377) % 1)]);
  for (const id of ['h-adam', 'h-gd', 'h-nag', 'h-amsgrad']) {
    const optimizer = getOptimizer(id);
    const base = numbers(resolveParams(optimizer, {}));
    const program = buildStepProgram(PROBLEMS.beale, optimizer);
    const o: HarnessOptions = {
      steps: 60,
      targets: [1e-1, 1e-3],
      stopAtTargets: true,
      cuts: [0, 7, 30, 61],
      traces: 37,
    };
    const { js, wasm } = both(program, starts, (lane) => ({ ...base, eta: 0.01, H: H(lane) }), o);
    assert.deepEqual(wasm.stopStep, js.stopStep, `${id}: stop steps`);
    assert.deepEqual(wasm.divergedAt, js.divergedAt, `${id}: divergence`);
    assert.deepEqual(wasm.hits, js.hits, `${id}: first hits`);
    for (const key of ['theta', 'state', 'prevTheta', 'fRecord', 'trace'] as const) {
      const [a, b] = [js[key].flat(), wasm[key].flat()];
      a.forEach((v, i) => {
        // H = ½ and H = 1 lanes: bit for bit (√ and the identity are exact); other H through the vector pow (≤ 1 ulp a step)
        assert.ok(rel(v, b[i]) <= 1e-6, `${id}: ${key}[${i}] ${b[i]} vs ${v}`);
      });
    }
    const exactLanes = starts.map((_, lane) => lane).filter((lane) => H(lane) !== 0.7);
    for (const lane of exactLanes) {
      js.theta.forEach((row, c) =>
        assert.ok(
          Object.is(row[lane], wasm.theta[c][lane]) || (Number.isNaN(row[lane]) && Number.isNaN(wasm.theta[c][lane])),
          `${id}: θ[${c}][${lane}] ${wasm.theta[c][lane]} vs ${row[lane]}`,
        ),
      );
    }
  }
});

test('a truth-valued f or next θ (a comparison, which the kernel holds as a lane mask) is read as 1 or 0', () => {
  const g = new Graph();
  const [x, y] = [g.input('x'), g.input('y')];
  const cost = withGradient({ graph: g, inputs: [x, y], output: g.binary('le', x, y) });
  const gd = buildStepProgram(cost, getOptimizer('gd'));
  const starts = [
    [0, 1],
    [1, 0],
    [2, 2],
  ];
  const { js, wasm } = both(gd, starts, { eta: 0.1 }, { steps: 3, targets: [0.5] });
  assert.deepEqual(wasm, js);
  assert.deepEqual(js.fRecord[0], [1, 0, 1]);
  // θ ← (θ₀ ≠ 0 or θ₁ ≠ 0, θ₀ ≠ 0 and θ₁ ≠ 0): next values that are themselves truth values
  const [t0, t1] = gd.theta;
  const program = { ...gd, next: [gd.graph.binary('or', t0, t1), gd.graph.binary('and', t0, t1)] };
  const logic = both(program, starts, { eta: 0.1 }, { steps: 2 });
  assert.deepEqual(logic.wasm, logic.js);
  assert.deepEqual(logic.js.theta, [
    [1, 1, 1],
    [0, 0, 1],
  ]);
});
