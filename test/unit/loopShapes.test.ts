/**
 * Every loop shape of the wasm kernel (kernelPlan.ts: the locals layout and the blocked one, each with several
 * W) gives the same lanes, bit for bit: against the JS backend where no pow enters, and against each other
 * everywhere — whatever shape a machine's calibration picks (loopShape.ts), results are the same. Lanes carry
 * their own hyperparameters, stop at different steps and are cut into slices, so that blocks (blockPlan.ts) of
 * every kind are exercised: shared values splatted from a reference lane, groups with each pair's own, groups
 * with stopped lanes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileJs } from '../../src/engine/kernel/jsBackend';
import { planBlocks } from '../../src/engine/kernel/wasm/blockPlan';
import type { KernelShape } from '../../src/engine/kernel/wasm/kernelPlan';
import { calibrate, programKind, SHAPES } from '../../src/engine/kernel/wasm/loopShape';
import { parseExpression } from '../../src/engine/expr/costParser';
import { compileWasm } from '../../src/engine/kernel/wasm/wasmBackend';
import { getOptimizer, listOptimizers } from '../../src/engine/optim/registry';
import { resolveParams } from '../../src/engine/run/params';
import { buildStepProgram, withGradient, type StepProgram } from '../../src/engine/program/stepProgram';
import { bealeIR } from './helpers';
import { laneView, runKernel, type HarnessOptions, type LaneParams } from './kernelHarness';

const SHAPES_TESTED: readonly KernelShape[] = [...SHAPES, { layout: 'locals', pairs: 1 }];

type Kernel = ReturnType<typeof compileJs>;

function view(kernel: Kernel, program: StepProgram, starts: number[][], params: LaneParams, o: HarnessOptions) {
  const stateSize = program.state.reduce((s, x) => s + x.inputs.length, 0);
  const R = o.recordSteps?.length ?? o.steps + 1;
  return laneView(runKernel(kernel, program, starts, params, o), program.dim, stateSize, o.targets?.length ?? 0, R);
}

function numbers(params: Record<string, number | string>): Record<string, number> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

const STARTS = Array.from({ length: 37 }, (_, i) => [-4 + 8 * ((i * 0.618) % 1), -4 + 8 * ((i * 0.377) % 1)]);
const SLICED: HarnessOptions = {
  steps: 120,
  targets: [1e-1, 1e-3],
  stopAtTargets: true,
  cuts: [0, 1, 5, 40, 41, 90, 121],
  recordSteps: [0, 1, 2, 10, 50, 119, 120],
  traces: 5,
};
const shapeName = (s: KernelShape) => `${s.layout} W=${s.pairs}`;

test('every optimizer (and choice) on Beale: every loop shape gives the same lanes, the JS backend’s where no pow enters', () => {
  const beale = withGradient(bealeIR());
  let programs = 0;
  for (const optimizer of listOptimizers()) {
    const choiceSets = optimizer.params.reduce<Record<string, string>[]>(
      (acc, p) => (p.kind === 'choice' ? acc.flatMap((c) => p.choices.map((v) => ({ ...c, [p.name]: v }))) : acc),
      [{}],
    );
    for (const choices of choiceSets) {
      const eta: Record<string, number> = optimizer.params.some((p) => p.name === 'eta') ? { eta: 0.02 } : {};
      const params = numbers(resolveParams(optimizer, { ...choices, ...eta }));
      const program = buildStepProgram(beale, optimizer, choices);
      const what = `${optimizer.id} ${JSON.stringify(choices)}`;
      const [first, ...rest] = SHAPES_TESTED.map((s) => view(compileWasm(program, s), program, STARTS, params, SLICED));
      rest.forEach((lanes, i) => assert.deepEqual(lanes, first, `${what}: ${shapeName(SHAPES_TESTED[i + 1])}`));
      if (!program.graph.nodes.some((n) => n.kind === 'binary' && n.op === 'pow'))
        assert.deepEqual(first, view(compileJs(program), program, STARTS, params, SLICED), `${what}: JS backend`);
      programs++;
    }
  }
  assert.ok(programs >= 35, `${programs} programs`);
});

test('lanes with their own hyperparameters (a sweep’s cells, and every lane its own): the same lanes in every shape', () => {
  const beale = withGradient(bealeIR());
  const starts = Array.from({ length: 150 }, (_, i) => STARTS[i % STARTS.length]);
  const cases: [string, (lane: number) => Record<string, number>][] = [
    // cells of 25 lanes: blocks end inside groups
    ['adam', (lane) => ({ eta: [0.01, 0.03, 0.1][Math.floor(lane / 25) % 3] })],
    ['adam', (lane) => ({ beta1: [0.9, 0.5][Math.floor(lane / 25) % 2] })],
    // every lane its own: β₁ᵗ differs between the lanes of a pair
    ['adam', (lane) => ({ beta1: 0.5 + lane / 400, eta: 0.02 })],
    ['h-adam', (lane) => ({ eta: 0.01, H: [0.5, 1, 0.7][lane % 3] })],
    ['ht-adam', (lane) => ({ eta: 0.01, H0: [0.5, 0.6][Math.floor(lane / 50) % 2] })],
    ['ngd', (lane) => ({ eta: 0.01 * (1 + (lane % 4)) })],
  ];
  for (const [id, own] of cases) {
    const optimizer = getOptimizer(id);
    const base = numbers(resolveParams(optimizer, {}));
    const program = buildStepProgram(beale, optimizer);
    const params = (lane: number) => ({ ...base, ...own(lane) });
    const [first, ...rest] = SHAPES_TESTED.map((s) => view(compileWasm(program, s), program, starts, params, SLICED));
    rest.forEach((lanes, i) => assert.deepEqual(lanes, first, `${id}: ${shapeName(SHAPES_TESTED[i + 1])}`));
    if (!program.graph.nodes.some((n) => n.kind === 'binary' && n.op === 'pow'))
      assert.deepEqual(first, view(compileJs(program), program, starts, params, SLICED), `${id}: JS backend`);
  }
});

test('lanes that stop at different steps (diverged, at their targets, at the budget), cut into slices of one step', () => {
  const beale = withGradient(bealeIR());
  const program = buildStepProgram(beale, getOptimizer('adam'));
  const starts = [[1e11, 0], [3, 0.5], ...STARTS.slice(0, 20), [Number.NaN, 1], [3, 0.5]];
  const o: HarnessOptions = {
    steps: 30,
    targets: [1e-2, 1e-6],
    stopAtTargets: true,
    cuts: Array.from({ length: 32 }, (_, k) => k),
    recordSteps: [0, 3, 29, 30],
    traces: 24,
  };
  const params = (lane: number) => ({
    ...numbers(resolveParams(getOptimizer('adam'), {})),
    eta: lane % 2 ? 0.5 : 0.05,
  });
  const js = view(compileJs(program), program, starts, params, o);
  for (const s of SHAPES_TESTED)
    assert.deepEqual(view(compileWasm(program, s), program, starts, params, o), js, shapeName(s));
});

test('block planning: runs of groups agreeing with a reference lane, stopped lanes ignored, a group that disagrees alone', () => {
  const words = (values: number[]) => new Int32Array(Float64Array.from(values).buffer);
  // 8 lanes, groups of 2 lanes, at most 2 groups per block
  const stopStep = Int32Array.from([-1, -1, -1, 4, 3, 3, -1, -1]);
  const eta = words([1, 1, 1, 9, 5, 5, 1, 2]);
  const table = new Int32Array(12);
  const n = planBlocks({ groupLanes: 2, blockGroups: 2, stopStep, shared: [eta] }, table);
  // groups 0 and 1 agree with lane 0 (lane 3 has stopped); group 2 has no running lane; group 3 disagrees
  assert.deepEqual([...table.subarray(0, 3 * n)], [0, 2, 0, 3, 1, -1]);
  // −0 and 0 differ in their bits: different blocks
  const signs = planBlocks(
    { groupLanes: 2, blockGroups: 4, stopStep: new Int32Array(4).fill(-1), shared: [words([0, 0, -0, -0])] },
    table,
  );
  assert.deepEqual([...table.subarray(0, 3 * signs)], [0, 1, 0, 1, 1, 2]);
});

test('the calibration picks one of the shapes and measures each, per kind of program', () => {
  for (const kind of ['arithmetic', 'math'] as const) {
    const c = calibrate(kind);
    assert.ok(SHAPES.includes(c.shape));
    assert.equal(c.nsPerLaneStep.length, SHAPES.length);
    assert.ok(c.nsPerLaneStep.every((ns) => ns > 0 && Number.isFinite(ns)));
    assert.equal(calibrate(kind), c, 'kept for the process');
  }
});

test('programs that call the math library are calibrated apart; the power transform’s pow does not count', () => {
  const kindOf = (text: string, optimizer: string) =>
    programKind(buildStepProgram(withGradient(parseExpression(text)), getOptimizer(optimizer)));
  assert.equal(kindOf('f(x, y) = (1 - x)^2 + 100*(y - x^2)^2', 'h-adam'), 'arithmetic');
  assert.equal(kindOf('f(x, y) = (1 - x)^2 + 100*(y - x^2)^2', 'ht-adam'), 'arithmetic');
  assert.equal(kindOf('f(x, y) = sqrt(x^2 + y^2 + 1)', 'gd'), 'arithmetic');
  assert.equal(kindOf('f(x, y) = log(x^2 + y^2 + 1)', 'gd'), 'math');
  assert.equal(kindOf('f(x, y) = atan2(y, x + 3)', 'adam'), 'math');
});
