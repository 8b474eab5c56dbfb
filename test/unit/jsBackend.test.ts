import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileJs, kernelSource } from '../../src/engine/kernel/jsBackend';
import { resetProgress } from '../../src/engine/kernel/types';
import { getOptimizer, listOptimizers } from '../../src/engine/optim/registry';
import { resolveParams } from '../../src/engine/run/params';
import { referenceTrace } from '../../src/engine/run/reference';
import { evalBinary, evalUnary } from '../../src/engine/expr/ir';
import {
  buildStepProgram,
  initialState,
  programOutputs,
  withGradient,
  type StepProgram,
} from '../../src/engine/program/stepProgram';
import { bealeIR, irFunction, rosenbrockIR } from './helpers';

const functions = [
  rosenbrockIR(),
  bealeIR(),
  // transcendental, with min/max/abs branches and three variables
  irFunction('mixed', ['x', 'y', 'z'], (g, [x, y, z]) =>
    g.add(
      g.add(g.unary('log1p', g.mul(x, x)), g.mul(g.unary('sin', y), g.unary('exp', g.mul(g.const(0.1), z)))),
      g.add(g.binary('hypot', x, z), g.max(g.abs(y), g.const(0.3))),
    ),
  ),
];

function numeric(params: Record<string, number | string>): Record<string, number> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

test('the generated JS kernel reproduces the IR interpreter bit for bit, every optimizer, 30 steps', () => {
  let checked = 0;
  for (const fn of functions) {
    const start = fn.variables.map((_, i) => [0.7, -1.2, 0.4][i]);
    for (const opt of listOptimizers()) {
      const params = resolveParams(opt, opt.params.some((p) => p.name === 'eta') ? { eta: 1e-3 } : {});
      const program = buildStepProgram(
        withGradient(fn),
        opt,
        Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string')),
      );
      const ref = referenceTrace(program, start, numeric(params), 30);
      const session = compileJs(program).prepare({ n: 1, targetCount: 0, recordCount: 31, traceSlots: 1 });
      session.batch.theta.set(start);
      session.batch.state.set(initialState(program, numeric(params)).flat());
      session.batch.params.set(program.params.map((p) => numeric(params)[p.spec.name]));
      session.recordSteps.set(Int32Array.from({ length: 31 }, (_, k) => k));
      session.traceSlot[0] = 0;
      resetProgress(session.progress, session.batch.theta);
      session.run({ steps: 30, fromStep: 0, toStep: 31, fStar: 0, stopAtTargets: false });
      const res = session.progress;
      const stopped = res.stopStep[0];
      for (let k = 0; k <= stopped; k++) {
        const o = k * (fn.variables.length + 1);
        ref[k].theta.forEach((v, c) =>
          assert.ok(
            Object.is(res.trace[o + c], v),
            `${opt.id} on ${fn.name}: θ${c} at k=${k}: ${res.trace[o + c]} ≠ ${v}`,
          ),
        );
        assert.ok(Object.is(res.fRecord[k], ref[k].f), `${opt.id} on ${fn.name}: f at k=${k}`);
      }
      if (stopped < 30)
        assert.ok(res.divergedAt[0] === stopped, `${opt.id} on ${fn.name} stopped early without diverging`);
      checked++;
    }
  }
  assert.ok(checked >= 3 * 20);
});

/**
 * An independent binary32 emulation: the IR interpreted with every value stored in a Float32Array (a store rounds
 * as Math.fround does), θ, state and hyperparameters too. θ₀ … θ_steps and f at each, as float values.
 */
function float32Trace(program: StepProgram, start: readonly number[], params: Record<string, number>, steps: number) {
  const { graph } = program;
  const outputs = programOutputs(program);
  const values = new Float32Array(graph.size);
  const carried = Float32Array.from([...start, ...initialState(program, params).flat()]);
  const slots = [...program.theta, ...program.state.flatMap((st) => st.inputs)];
  const trace: { theta: number[]; f: number }[] = [];
  for (let k = 0; k <= steps; k++) {
    graph.nodes.forEach((n, i) => {
      if (n.kind === 'const') values[i] = n.value;
      else if (n.kind === 'unary') values[i] = evalUnary(n.op, values[n.a]);
      else if (n.kind === 'binary') values[i] = evalBinary(n.op, values[n.a], values[n.b]);
      else if (n.kind === 'select') values[i] = values[n.c] !== 0 ? values[n.a] : values[n.b];
      else {
        const slot = slots.indexOf(i);
        const param = program.params.find((q) => q.input === i);
        values[i] = slot >= 0 ? carried[slot] : params[param!.spec.name];
      }
    });
    trace.push({ theta: Array.from(carried.subarray(0, program.dim)), f: values[program.f] });
    outputs.slice(1).forEach((id, c) => {
      carried[c] = values[id];
    });
  }
  return trace;
}

test('binary32: the JS kernel equals a Float32Array interpreter of the IR bit for bit, every optimizer, 30 steps', () => {
  let checked = 0;
  for (const fn of functions) {
    const start = fn.variables.map((_, i) => [0.7, -1.2, 0.4][i]);
    for (const opt of listOptimizers()) {
      const params = resolveParams(opt, opt.params.some((p) => p.name === 'eta') ? { eta: 1e-3 } : {});
      const choices = Object.fromEntries(
        Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
      const program = buildStepProgram(withGradient(fn), opt, choices);
      const ref = float32Trace(program, start, numeric(params), 30);
      const session = compileJs(program, 'f32').prepare({ n: 1, targetCount: 0, recordCount: 31, traceSlots: 1 });
      session.batch.theta.set(start);
      session.batch.state.set(initialState(program, numeric(params)).flat());
      session.batch.params.set(program.params.map((p) => numeric(params)[p.spec.name]));
      session.recordSteps.set(Int32Array.from({ length: 31 }, (_, k) => k));
      session.traceSlot[0] = 0;
      resetProgress(session.progress, session.batch.theta);
      session.run({ steps: 30, fromStep: 0, toStep: 31, fStar: 0, stopAtTargets: false });
      const res = session.progress;
      for (let k = 0; k <= res.stopStep[0]; k++) {
        const o = k * (fn.variables.length + 1);
        ref[k].theta.forEach((v, c) =>
          assert.ok(
            Object.is(res.trace[o + c], v),
            `${opt.id} on ${fn.name}: θ${c} at k=${k}: ${res.trace[o + c]} ≠ ${v}`,
          ),
        );
        assert.ok(Object.is(res.fRecord[k], ref[k].f), `${opt.id} on ${fn.name}: f at k=${k}`);
      }
      // the float run is not the double one: at least f differs somewhere
      const double = referenceTrace(program, start, numeric(params), 30);
      if (res.stopStep[0] === 30)
        assert.ok(
          double.some((it, k) => it.f !== res.fRecord[k]),
          `${opt.id} on ${fn.name}`,
        );
      checked++;
    }
  }
  assert.ok(checked >= 3 * 20);
});

test('the JS kernel source holds no user text: identifiers are generated from node ids', () => {
  const fn = irFunction('secret_name', ['alpha_var'], (g, [a]) => g.mul(g.unary('exp', a), a));
  const program = buildStepProgram(withGradient(fn), getOptimizer('adam'));
  const source = kernelSource(program, 2) + kernelSource(program, 2, 'f32');
  assert.ok(!/alpha_var|secret_name|param:|state:/.test(source));
  const identifiers = new Set(source.match(/[A-Za-z_$][\w$]*/g));
  for (const id of identifiers) {
    assert.ok(/^(v|p|tau|hit|old)\d+$/.test(id) || ALLOWED.has(id), `unexpected identifier '${id}' in generated code`);
  }
});

const ALLOWED = new Set([
  'const',
  'let',
  'for',
  'if',
  'break',
  'continue',
  'n',
  'lanes',
  'stride',
  'batch',
  'theta',
  'state',
  'params',
  'R',
  'recordSteps',
  'progress',
  'fromStep',
  'toStep',
  'firstRecord',
  'length',
  'targets',
  'lane',
  'inv',
  'new',
  'else',
  'Float64Array',
  'b0',
  'b1',
  'min',
  'running',
  'recordNow',
  'pending',
  'r',
  'nextRecord',
  'diverged',
  'f',
  'NaN',
  'k',
  'slot',
  'traceSlot',
  'fRecord',
  'o',
  'trace',
  'gap',
  'fStar',
  'M',
  'abs',
  'Infinity',
  'e10',
  'stopAtTargets',
  'steps',
  'prevTheta',
  'finalF',
  'stopStep',
  'divergedAt',
  'hits',
  'exp',
  'sqrt',
  'pow',
  'sign',
  'max',
  'min',
  'e',
  'e8',
  'F',
  'fround',
]);

test('a run cut into slices of any length gives exactly the numbers of one uninterrupted call', () => {
  const fn = bealeIR();
  const program = buildStepProgram(withGradient(fn), getOptimizer('h-adam'));
  const kernel = compileJs(program);
  const n = 6,
    steps = 300;
  const starts = [
    [1, 1],
    [-2, 3],
    [3, 0.4],
    [0.5, -1],
    [-4, -4],
    [2.9, 0.5],
  ];
  const params = { eta: 0.05, beta1: 0.9, beta2: 0.99, eps: 1e-8, H: 0.5 };
  const recordSteps = Int32Array.from([0, 1, 2, 7, 50, 51, 299, 300]);
  const fresh = () => {
    const session = kernel.prepare({ n, targetCount: 2, recordCount: recordSteps.length, traceSlots: 3 });
    starts.forEach((p, lane) =>
      p.forEach((v, c) => {
        session.batch.theta[c * n + lane] = v;
      }),
    );
    starts.forEach((_, lane) =>
      initialState(program, params)
        .flat()
        .forEach((v, c) => {
          session.batch.state[c * n + lane] = v;
        }),
    );
    program.params.forEach((p, i) =>
      session.batch.params.fill(params[p.spec.name as keyof typeof params], i * n, (i + 1) * n),
    );
    session.recordSteps.set(recordSteps);
    session.targets.set([1e-2, 1e-6]);
    session.traceSlot.set([0, -1, 1, -1, 2, -1]);
    resetProgress(session.progress, session.batch.theta);
    return session;
  };
  const slice = { steps, fStar: 0, stopAtTargets: true };
  const whole = fresh();
  whole.run({ ...slice, fromStep: 0, toStep: steps + 1 });
  const sliced = fresh();
  const cuts = [0, 1, 2, 3, 10, 51, 52, 137, 299, 300, 301];
  for (let i = 0; i + 1 < cuts.length; i++) sliced.run({ ...slice, fromStep: cuts[i], toStep: cuts[i + 1] });
  assert.deepEqual(sliced.batch.theta, whole.batch.theta);
  assert.deepEqual(sliced.batch.state, whole.batch.state);
  for (const key of ['finalF', 'stopStep', 'divergedAt', 'hits', 'fRecord', 'trace', 'prevTheta'] as const) {
    assert.deepEqual(sliced.progress[key], whole.progress[key], key);
  }
  assert.ok(whole.progress.stopStep.every((k) => k >= 0));
});
