/**
 * The wasm kernel's wide layout (wideLayout.ts: θ and state in scratch memory, long-lived values spilled), which
 * programs with many variables take: against the locals layout bit for bit (the same arithmetic, so the same
 * bits) and against the JS backend; and on 4,096 variables, a module that validates with few locals, whose
 * size grows linearly with the variables, and whose lanes equal the JS backend's.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExpression } from '../../src/engine/expr/costParser';
import { Graph } from '../../src/engine/expr/ir';
import { compileJs } from '../../src/engine/kernel/jsBackend';
import { generateModule } from '../../src/engine/kernel/wasm/codegen';
import { LOCALS_BUDGET } from '../../src/engine/kernel/wasm/kernelPlan';
import { compileWasm } from '../../src/engine/kernel/wasm/wasmBackend';
import { getOptimizer, listOptimizers } from '../../src/engine/optim/registry';
import { resolveParams } from '../../src/engine/run/params';
import { buildStepProgram, withGradient, type StepProgram } from '../../src/engine/program/stepProgram';
import { bealeIR } from './helpers';
import { laneView, runKernel, type HarnessOptions, type LaneParams } from './kernelHarness';

type Kernel = ReturnType<typeof compileJs>;

function view(kernel: Kernel, program: StepProgram, starts: number[][], params: LaneParams, o: HarnessOptions) {
  const stateSize = program.state.reduce((s, x) => s + x.inputs.length, 0);
  const R = o.recordSteps?.length ?? o.steps + 1;
  return laneView(runKernel(kernel, program, starts, params, o), program.dim, stateSize, o.targets?.length ?? 0, R);
}

function numbers(params: Record<string, number | string>): Record<string, number> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

const LOCALS_4 = { layout: 'locals', pairs: 4 } as const;
const STARTS = Array.from({ length: 37 }, (_, i) => [-4 + 8 * ((i * 0.618) % 1), -4 + 8 * ((i * 0.377) % 1)]);
const SLICED: HarnessOptions = {
  steps: 120,
  targets: [1e-1, 1e-3],
  stopAtTargets: true,
  cuts: [0, 1, 5, 40, 41, 90, 121],
  recordSteps: [0, 1, 2, 10, 50, 119, 120],
  traces: 5,
};

test('every optimizer (and choice) on Beale: the wide layout gives the locals layout’s lanes bit for bit', () => {
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
      const locals = view(compileWasm(program, { layout: 'locals', pairs: 4 }), program, STARTS, params, SLICED);
      for (const pairs of [1, 2]) {
        const wide = view(compileWasm(program, { layout: 'wide', pairs }), program, STARTS, params, SLICED);
        assert.deepEqual(wide, locals, `${optimizer.id} ${JSON.stringify(choices)}, ${pairs} pairs`);
      }
      // without pow, both are the JS backend's lanes to the last bit
      if (!program.graph.nodes.some((n) => n.kind === 'binary' && n.op === 'pow'))
        assert.deepEqual(locals, view(compileJs(program), program, STARTS, params, SLICED), optimizer.id);
      programs++;
    }
  }
  assert.ok(programs >= 35, `${programs} programs`);
});

test('the wide layout with per-lane H (½, 1 and others in one group) and with truth-valued next values', () => {
  const H = (lane: number) => (lane < 8 ? 0.5 : lane < 24 ? [0.5, 1][lane % 2] : [0.5, 0.7][lane % 2]);
  const beale = withGradient(bealeIR());
  for (const id of ['h-adam', 'h-gd', 'h-quickprop']) {
    const optimizer = getOptimizer(id);
    const base = numbers(resolveParams(optimizer, {}));
    const program = buildStepProgram(beale, optimizer);
    const params = (lane: number) => ({ ...base, eta: 0.01, H: H(lane) });
    const locals = view(compileWasm(program, { layout: 'locals', pairs: 4 }), program, STARTS, params, SLICED);
    assert.deepEqual(
      view(compileWasm(program, { layout: 'wide', pairs: 1 }), program, STARTS, params, SLICED),
      locals,
      id,
    );
  }
  const g = new Graph();
  const [x, y] = [g.input('x'), g.input('y')];
  const gd = buildStepProgram(
    withGradient({ graph: g, inputs: [x, y], output: g.binary('le', x, y) }),
    getOptimizer('gd'),
  );
  const [t0, t1] = gd.theta;
  const logic = { ...gd, next: [gd.graph.binary('or', t0, t1), gd.graph.binary('and', t0, t1)] };
  const starts = [
    [0, 1],
    [1, 0],
    [2, 2],
  ];
  const o = { steps: 2, targets: [0.5] };
  assert.deepEqual(
    view(compileWasm(logic, { layout: 'wide', pairs: 1 }), logic, starts, { eta: 0.1 }, o),
    view(compileJs(logic), logic, starts, { eta: 0.1 }, o),
  );
});

/** Σ (vᵢ − cᵢ)² over n variables, and its step program for an optimizer. */
function sumOfSquares(n: number, optimizer: string): StepProgram {
  const vars = Array.from({ length: n }, (_, i) => `v${i}`);
  const fn = parseExpression(`f(${vars.join(', ')}) = ${vars.map((v, i) => `(${v} - ${(i % 7) / 4})^2`).join(' + ')}`);
  return buildStepProgram(withGradient(fn), getOptimizer(optimizer));
}

/** The run function's locals, read from the module's code section (the kernel is function 0). */
function runLocals(bytes: Uint8Array): number {
  let at = 8;
  const u32 = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = u32();
    if (id !== 10) {
      at += size;
      continue;
    }
    u32(); // function count
    u32(); // size of the first body
    let locals = 0;
    for (let groups = u32(); groups > 0; groups--) {
      locals += u32();
      at++; // type
    }
    return locals;
  }
  throw new Error('no code section');
}

test('4,096 variables: the wide layout, few locals, code linear in the variables, lanes equal to the JS backend’s', () => {
  for (const id of ['adam', 'h-adam']) {
    const small = generateModule(sumOfSquares(512, id), 1, LOCALS_4);
    const program = sumOfSquares(4096, id);
    const big = generateModule(program, 1, LOCALS_4);
    assert.ok(WebAssembly.validate(big.bytes), `${id}: the module validates`);
    assert.equal(big.laneGroup, 2, 'one lane pair per group');
    const [localsSmall, localsBig] = [runLocals(small.bytes), runLocals(big.bytes)];
    assert.ok(
      localsBig <= LOCALS_BUDGET && localsBig <= localsSmall + 16,
      `${id}: ${localsSmall} → ${localsBig} locals`,
    );
    const ratio = big.bytes.length / small.bytes.length;
    assert.ok(ratio <= 8.5, `${id}: 8× the variables, ${ratio.toFixed(2)}× the code`);

    const starts = [0, 1, 2].map((l) => Array.from({ length: 4096 }, (_, i) => Math.sin(l + i)));
    const params = { ...numbers(resolveParams(getOptimizer(id), {})), H: 0.5 };
    const o = { steps: 3, targets: [1e-3] };
    assert.deepEqual(
      view(compileWasm(program), program, starts, params, o),
      view(compileJs(program), program, starts, params, o),
      id,
    );
  }
});

test('a program whose locals would pass the budget takes the wide layout; a small one keeps the shape asked for', () => {
  for (const layout of ['locals', 'blocked'] as const) {
    assert.equal(generateModule(sumOfSquares(8, 'adam'), 1, { layout, pairs: 4 }).laneGroup, 8, layout);
    assert.equal(generateModule(sumOfSquares(300, 'gd'), 1, { layout, pairs: 4 }).laneGroup, 2, layout);
  }
  assert.equal(generateModule(sumOfSquares(8, 'adam'), 1, { layout: 'blocked', pairs: 2 }).blockPairs > 0, true);
});
