/**
 * The wasm-simd kernel in binary32 (four lanes per f32x4, kernel32.ts) against the JS backend in binary32 (the
 * reference, itself checked against a Float32Array interpreter and Sprunger's Table 2): every optimizer and choice
 * with odd lane counts, slices, targets, records, traces, stops and divergence; per-lane H; truth values; random
 * expressions over every operation of the IR; the float thresholds that stand for f − f* ≤ τ.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExpression } from '../../src/engine/expr/costParser';
import { BINARY_OPS, Graph, UNARY_OPS } from '../../src/engine/expr/ir';
import { printExpr } from '../../src/engine/expr/prettyPrint';
import { compileJs } from '../../src/engine/kernel/jsBackend';
import { resetProgress, SMALLEST_NORMAL } from '../../src/engine/kernel/types';
import { floatThresholds } from '../../src/engine/kernel/wasm/kernel32';
import { compileWasm } from '../../src/engine/kernel/wasm/wasmBackend';
import { getOptimizer, listOptimizers } from '../../src/engine/optim/registry';
import { resolveParams } from '../../src/engine/run/params';
import { prng } from '../../src/engine/run/starts';
import { buildStepProgram, initialState, withGradient, type StepProgram } from '../../src/engine/program/stepProgram';
import { bealeIR } from './helpers';
import { laneView, runKernel, type HarnessOptions, type LaneParams } from './kernelHarness';
import { randomNode } from './randomExpression';

function numbers(params: Record<string, number | string>): Record<string, number> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

function both(
  program: StepProgram,
  starts: readonly (readonly number[])[],
  params: LaneParams,
  o: HarnessOptions,
  quads?: number,
) {
  const stateSize = program.state.reduce((s, x) => s + x.inputs.length, 0);
  const R = o.recordSteps?.length ?? o.steps + 1;
  const view = (k: ReturnType<typeof compileJs>) =>
    laneView(runKernel(k, program, starts, params, o), program.dim, stateSize, o.targets?.length ?? 0, R);
  const shape = quads === undefined ? undefined : { layout: 'locals' as const, pairs: quads };
  return { js: view(compileJs(program, 'f32')), wasm: view(compileWasm(program, shape, 'f32')) };
}

/** A step program as a binary32 run builds it (decaying products held at 0 below 2⁻¹²⁶). */
const build32 = (cost: Parameters<typeof buildStepProgram>[0], id: string, choices: Record<string, string> = {}) =>
  buildStepProgram(cost, getOptimizer(id), choices, SMALLEST_NORMAL.f32);

const fns = {
  beale: withGradient(bealeIR()),
  transcendental: withGradient(
    parseExpression(
      'f(x, y) = log((3x + y)^2 + 1) + cosh(sin(pi/2*(3x + y))/2 + x/5 - y/4) - 1 + atan(x*y)/5 + exp(-x^2)*tanh(y) + 1',
    ),
  ),
};

const STARTS = Array.from({ length: 37 }, (_, i) => [-4 + 8 * ((i * 0.618) % 1), -4 + 8 * ((i * 0.377) % 1)]);

test('f32: every optimizer (and choice), 37 lanes, slices, targets, records, traces and stops: wasm ≡ js bit for bit', () => {
  const horizon = {
    beale: {
      steps: 120,
      targets: [1e-1, 1e-3],
      stopAtTargets: true,
      cuts: [0, 1, 5, 40, 41, 90, 121],
      recordSteps: [0, 1, 2, 10, 50, 119, 120],
      traces: 5,
    },
    transcendental: { steps: 40, targets: [1e-1, 1e-3], stopAtTargets: true, cuts: [0, 1, 4, 11, 41], traces: 5 },
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
        const program = build32(fns[name], optimizer.id, choices);
        const starts = name === 'beale' ? STARTS : STARTS.map(([x, y]) => [x / 4, y / 4]);
        const { js, wasm } = both(program, starts, params, horizon[name]);
        assert.deepEqual(wasm, js, `${optimizer.id} ${JSON.stringify(choices)} on ${name}`);
        programs++;
      }
    }
  }
  assert.ok(programs >= 2 * 35, `${programs} programs`);
});

test('f32: per-lane H — quads all ½ (the square-root step loop) and quads mixing ½, 1 and 0.7 agree bit for bit', () => {
  // 4 lanes per quad, 2 quads per group: lanes 0–7 all ½, 8–15 mix ½ and 1, 16–23 all 1, 24–31 mix ½ and 0.7
  const H = (lane: number) =>
    lane < 8 ? 0.5 : lane < 16 ? [0.5, 1][lane % 2] : lane < 24 ? 1 : lane < 32 ? [0.5, 0.7][lane % 2] : 0.5;
  for (const id of ['h-adam', 'h-gd', 'h-nag', 'h-amsgrad', 'ht-adam']) {
    const optimizer = getOptimizer(id);
    const base = numbers(resolveParams(optimizer, {}));
    const program = buildStepProgram(fns.beale, optimizer);
    const o: HarnessOptions = {
      steps: 60,
      targets: [1e-1, 1e-3],
      stopAtTargets: true,
      cuts: [0, 7, 30, 61],
      traces: 37,
    };
    const { js, wasm } = both(program, STARTS, (lane) => ({ ...base, eta: 0.01, H: H(lane) }), o);
    assert.deepEqual(wasm, js, id);
  }
});

test('f32: every W (quads per loop) gives the JS backend’s lanes', () => {
  const o: HarnessOptions = { steps: 80, targets: [1e-2], stopAtTargets: true, cuts: [0, 3, 50, 81], traces: 9 };
  for (const [id, cost] of [
    ['h-adam', fns.beale],
    ['adam', fns.transcendental],
    ['nag', fns.beale],
  ] as const) {
    const program = build32(cost, id);
    const params = numbers(resolveParams(getOptimizer(id), { eta: 0.01 }));
    for (const quads of [1, 2, 3, 4, 6, 8]) {
      const { js, wasm } = both(program, STARTS, params, o, quads);
      assert.deepEqual(wasm, js, `${id}, W = ${quads}`);
    }
  }
});

test('f32: β₁ᵗ held at 0 below 2⁻¹²⁶ changes nothing but β₁ᵗ itself (1 − b rounds to 1 for b < 2⁻²⁵)', () => {
  // β₁ = 0.9: β₁ᵗ falls below 2⁻¹²⁶ at t ≈ 830 and, left alone, sticks at a subnormal b = fl(b·β₁) (4·2⁻¹⁴⁹),
  // and every later step multiplies it: a slow path on x86
  const params = { eta: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, H: 0.5 };
  const o: HarnessOptions = { steps: 1500, recordSteps: [0, 800, 1500] };
  const held = both(build32(fns.beale, 'h-adam'), STARTS, params, o);
  const plain = both(buildStepProgram(fns.beale, getOptimizer('h-adam')), STARTS, params, o);
  assert.deepEqual(held.wasm, held.js);
  assert.deepEqual(plain.wasm, plain.js);
  const { state: heldState, ...heldRest } = held.js;
  const { state: plainState, ...plainRest } = plain.js;
  assert.deepEqual(heldRest, plainRest);
  const b1t = build32(fns.beale, 'h-adam').state.findIndex((s) => s.spec.name === 'b1t');
  const at = build32(fns.beale, 'h-adam')
    .state.slice(0, b1t)
    .reduce((n, s) => n + s.inputs.length, 0);
  const ran = STARTS.map((_, lane) => lane).filter((lane) => held.js.stopStep[lane] === 1500);
  assert.ok(ran.length > 20, `${ran.length} lanes ran 1,500 steps`);
  heldState.forEach((row, c) => {
    if (c === at) {
      for (const lane of ran) {
        assert.equal(row[lane], 0);
        const b = plainState[c][lane];
        assert.ok(b > 0 && b < 2 ** -126 && Math.fround(b * Math.fround(0.9)) === b, `lane ${lane}: β₁ᵗ = ${b}`);
      }
    } else assert.deepEqual(row, plainState[c]);
  });
});

test('f32: stopped lanes keep their values while the other lanes of their quad run on; divergence at 1e10', () => {
  const program = build32(fns.beale, 'gd');
  const starts = [
    [3, 0.5],
    [1, 1],
    [1e11, 0],
    [0, 0],
    [0.5, 0.5],
    [4, 4],
  ];
  const o: HarnessOptions = { steps: 200, targets: [1e-20], stopAtTargets: true, cuts: [0, 3, 200, 201] };
  const { js, wasm } = both(program, starts, { eta: 1e-3 }, o);
  assert.deepEqual(wasm, js);
  assert.equal(wasm.stopStep[0], 0);
  assert.equal(wasm.divergedAt[2], 0);
  assert.equal(wasm.stopStep[1], 200);
  for (const row of wasm.theta) for (const v of row) assert.ok(Number.isNaN(v) || v === Math.fround(v));
});

test('f32: a truth-valued f or next θ is read as 1 or 0', () => {
  const g = new Graph();
  const [x, y] = [g.input('x'), g.input('y')];
  const gd = buildStepProgram(
    withGradient({ graph: g, inputs: [x, y], output: g.binary('le', x, y) }),
    getOptimizer('gd'),
  );
  const starts = [
    [0, 1],
    [1, 0],
    [2, 2],
  ];
  const { js, wasm } = both(gd, starts, { eta: 0.1 }, { steps: 3, targets: [0.5] });
  assert.deepEqual(wasm, js);
  const [t0, t1] = gd.theta;
  const program = { ...gd, next: [gd.graph.binary('or', t0, t1), gd.graph.binary('and', t0, t1)] };
  const logic = both(program, starts, { eta: 0.1 }, { steps: 2 });
  assert.deepEqual(logic.wasm, logic.js);
  assert.deepEqual(logic.js.theta, [
    [1, 1, 1],
    [0, 0, 1],
  ]);
});

test('f32: the float threshold t of f − f* ≤ τ is the largest float that passes it', () => {
  const rnd = prng(5);
  const out = new Float32Array(1);
  const next = (t: number) => {
    const b = new Float32Array([t]);
    const i = new Int32Array(b.buffer);
    if (t === 0) return 2 ** -149;
    i[0] += t > 0 ? 1 : -1;
    return b[0];
  };
  const cases: [number, number][] = [
    [1e-300, 0],
    [0, 0],
    [1e-4, 0],
    [0.01, 0],
    [1e-6, -3.14],
    [1e-4, 1e30],
    [5e37, 3e38],
  ];
  for (let i = 0; i < 2000; i++) cases.push([10 ** (rnd() * 40 - 30), (rnd() - 0.5) * 10 ** (rnd() * 20 - 10)]);
  for (const [tau, fStar] of cases) {
    floatThresholds([tau], fStar, out);
    const t = out[0];
    assert.ok(t - fStar <= tau, `τ = ${tau}, f* = ${fStar}: ${t} fails`);
    assert.ok(!(next(t) - fStar <= tau), `τ = ${tau}, f* = ${fStar}: ${next(t)} passes too`);
  }
  floatThresholds([1e-4], NaN, out);
  assert.ok(Number.isNaN(out[0]));
});

test('f32: with f* ≠ 0 the kernels stop at the same steps (the thresholds stand for the binary64 test)', () => {
  const program = build32(fns.beale, 'adam');
  const stateSize = program.state.reduce((s, x) => s + x.inputs.length, 0);
  const results = [compileJs(program, 'f32'), compileWasm(program, undefined, 'f32')].map((kernel) => {
    const s = kernel.prepare({ n: 9, targetCount: 3, recordCount: 1, traceSlots: 0 });
    STARTS.slice(0, 9).forEach((p, lane) =>
      p.forEach((v, c) => {
        s.batch.theta[c * s.batch.stride + lane] = v;
      }),
    );
    for (let lane = 0; lane < 9; lane++) {
      initialState(program, { beta1: 0.9, beta2: 0.999, eps: 1e-8 })
        .flat()
        .forEach((v, c) => {
          s.batch.state[c * s.batch.stride + lane] = v;
        });
      program.params.forEach((pp, i) => {
        s.batch.params[i * s.batch.stride + lane] = { eta: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 }[pp.spec.name]!;
      });
    }
    s.targets.set([2, 1e-2, 1e-3]);
    s.traceSlot.fill(-1);
    resetProgress(s.progress, s.batch.theta);
    s.run({ steps: 3000, fromStep: 0, toStep: 3001, fStar: -1.7, stopAtTargets: true });
    return laneView(s, 2, stateSize, 3, 1);
  });
  assert.deepEqual(results[1], results[0]);
});

const COUNT = Number(process.env.FUZZ_COUNT ?? (process.env.CI === 'true' ? 3_000 : 400));

test(`f32: ${COUNT} random expressions over every operation: wasm ≡ js bit for bit after 10 steps of GD or h-Adam`, () => {
  const rnd = prng(20261130);
  const used = new Set<string>();
  const disagreements: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const graph = new Graph();
    const inputs = [graph.input('x'), graph.input('y')];
    const output = randomNode(graph, rnd, 1 + Math.floor(rnd() * 4), used);
    const program = build32(withGradient({ graph, inputs, output }), i % 7 ? 'gd' : 'h-adam');
    const params: Record<string, number> =
      i % 7 ? { eta: 1e-3 } : { eta: 1e-3, beta1: 0.9, beta2: 0.99, eps: 1e-8, H: [0.5, 1, 0.7][i % 3] };
    const starts = [0, 1, 2, 3, 4].map(() => [rnd() * 4 - 2, rnd() * 4 - 2]);
    const { js, wasm } = both(program, starts, params, { steps: 10, targets: [1e-3] });
    try {
      assert.deepEqual(wasm, js);
    } catch {
      disagreements.push(printExpr(graph, output));
    }
  }
  console.log(`f32 fuzz: ${COUNT} expressions, ${disagreements.length} with a difference`);
  assert.deepEqual(disagreements.slice(0, 10), []);
  assert.deepEqual(
    [...UNARY_OPS, ...BINARY_OPS].filter((op) => !used.has(op)),
    [],
    'operations no expression used',
  );
});
