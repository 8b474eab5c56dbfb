/**
 * The reference backend: a JavaScript function generated from the step program's IR — never from user text:
 * identifiers are generated (v<node id>) and constants are printed as shortest round-trip literals. It is
 * what the WebAssembly kernel is checked against, and the fallback where SIMD is unavailable.
 */
import type { BinaryOp, IrNode, NodeId, UnaryOp } from '../expr/ir';
import type { StepProgram } from '../program/stepProgram';
import { stepSchedule } from '../program/stepSchedule';
import {
  allocateSessionBuffers,
  DIVERGENCE_BOUND,
  firstRecordAtOrAfter,
  type BatchShape,
  type Kernel,
  type KernelSession,
  type Precision,
  type SliceRequest,
} from './types';

/** Each operation as a JavaScript expression of its operands' text (`M` is Math), matching ir.ts's evaluation. */
const mathCall =
  (name: keyof Math & string) =>
  (...args: string[]): string =>
    `M.${name}(${args.join(', ')})`;
const infix = (symbol: string) => (a: string, b: string) => `${a} ${symbol} ${b}`;
const compare = (symbol: string) => (a: string, b: string) => `(${a} ${symbol} ${b} ? 1 : 0)`;

const UNARY_JS: { readonly [P in UnaryOp]: (a: string) => string } = {
  neg: (a) => `-${a}`,
  abs: mathCall('abs'),
  sign: mathCall('sign'),
  sqrt: mathCall('sqrt'),
  cbrt: mathCall('cbrt'),
  exp: mathCall('exp'),
  expm1: mathCall('expm1'),
  log: mathCall('log'),
  log1p: mathCall('log1p'),
  log2: mathCall('log2'),
  log10: mathCall('log10'),
  sin: mathCall('sin'),
  cos: mathCall('cos'),
  tan: mathCall('tan'),
  asin: mathCall('asin'),
  acos: mathCall('acos'),
  atan: mathCall('atan'),
  sinh: mathCall('sinh'),
  cosh: mathCall('cosh'),
  tanh: mathCall('tanh'),
  not: (a) => `(${a} !== 0 ? 0 : 1)`,
};

const BINARY_JS: { readonly [P in BinaryOp]: (a: string, b: string) => string } = {
  add: infix('+'),
  sub: infix('-'),
  mul: infix('*'),
  div: infix('/'),
  pow: mathCall('pow'),
  atan2: mathCall('atan2'),
  hypot: mathCall('hypot'),
  min: mathCall('min'),
  max: mathCall('max'),
  lt: compare('<'),
  le: compare('<='),
  gt: compare('>'),
  ge: compare('>='),
  eq: compare('==='),
  and: (a, b) => `(${a} !== 0 && ${b} !== 0 ? 1 : 0)`,
  or: (a, b) => `(${a} !== 0 || ${b} !== 0 ? 1 : 0)`,
};

export function literal(v: number): string {
  if (Object.is(v, -0)) return '-0';
  return Number.isNaN(v) ? 'NaN' : String(v);
}

/**
 * A node as a JavaScript expression of its operands (`M` is Math), matching ir.ts's evaluation. In binary32 every
 * constant is rounded to float once, here, and every operation's result by Math.fround (`F`): operands are floats,
 * so +, −, ×, ÷ and √ rounded once from binary64 are the IEEE float operations, and the functions are
 * Math.fround(Math.f(x)), the float library's reference (simdMath32.ts). A select or a truth value is a float already.
 */
export function expression(n: IrNode, ref: (id: NodeId) => string, precision: Precision = 'f64'): string {
  if (precision === 'f32') {
    if (n.kind === 'const') return literal(Math.fround(n.value));
    if (n.kind === 'unary' || n.kind === 'binary') return `F(${expression(n, ref)})`;
  }
  switch (n.kind) {
    case 'const':
      return literal(n.value);
    case 'input':
      throw new Error('inputs are loaded, not computed');
    case 'select':
      return `(${ref(n.c)} !== 0 ? ${ref(n.a)} : ${ref(n.b)})`;
    case 'unary':
      return UNARY_JS[n.op](ref(n.a));
    case 'binary':
      return BINARY_JS[n.op](ref(n.a), ref(n.b));
  }
}

/**
 * The kernel's body. In binary32 θ, state and hyperparameters are rounded to float as they are loaded, and every
 * operation as `expression` says; the bookkeeping (f − f*, the targets, the divergence test) compares the float
 * values exactly, in binary64, so a target below the smallest float (1e−300) still means "never".
 */
export function kernelSource(program: StepProgram, targetCount: number, precision: Precision = 'f64'): string {
  const { graph, dim } = program;
  const stateInputs = program.state.flatMap((s) => s.inputs);
  const { outputs, invariant, perStep } = stepSchedule(program);
  const constant = (v: number) => literal(precision === 'f32' ? Math.fround(v) : v);
  const ref = (id: NodeId): string => {
    const n = graph.node(id);
    return n.kind === 'const' ? `(${constant(n.value)})` : `v${id}`;
  };
  const load = (array: string) => (precision === 'f32' ? `F(${array})` : array);
  const lines: string[] = [];
  const emit = (s: string) => lines.push(s);
  const T = [...Array(targetCount).keys()];
  emit('const lanes = batch.n, n = batch.stride, theta = batch.theta, state = batch.state, params = batch.params;');
  emit('const { finalF, stopStep, divergedAt, hits, fRecord, trace, prevTheta } = progress;');
  emit('const R = recordSteps.length, F = M.fround;');
  T.forEach((j) => emit(`const tau${j} = targets[${j}];`));
  emit('for (let lane = 0; lane < lanes; lane++) {');
  emit('if (stopStep[lane] >= 0) continue;');
  program.theta.forEach((id, c) =>
    emit(`let v${id} = ${load(`theta[${c} * n + lane]`)}, p${c} = ${load(`prevTheta[${c} * n + lane]`)};`),
  );
  stateInputs.forEach((id, c) => emit(`let v${id} = ${load(`state[${c} * n + lane]`)};`));
  program.params.forEach(({ input }, p) => emit(`const v${input} = ${load(`params[${p} * n + lane]`)};`));
  for (const id of invariant) emit(`const v${id} = ${expression(graph.node(id), ref, precision)};`);
  T.forEach((j) => emit(`let hit${j} = hits[${j} * n + lane];`));
  emit(`let pending = ${T.map((j) => `(hit${j} < 0 ? 1 : 0)`).join(' + ') || '0'};`);
  emit('let r = firstRecord, nextRecord = r < R ? recordSteps[r] : -1, stopped = -1, f = NaN;');
  emit('const slot = traceSlot[lane];');
  emit('for (let k = fromStep; k < toStep; k++) {');
  for (const id of perStep) emit(`const v${id} = ${expression(graph.node(id), ref, precision)};`);
  emit(`f = ${ref(program.f)};`);
  emit('if (k === nextRecord) {');
  emit('  fRecord[r * n + lane] = f;');
  emit(
    `  if (slot >= 0) { const o = (slot * R + r) * ${dim + 1}; ${program.theta.map((id, c) => `trace[o + ${c}] = v${id};`).join(' ')} trace[o + ${dim}] = f; }`,
  );
  emit('  r++; nextRecord = r < R ? recordSteps[r] : -1;');
  emit('}');
  emit('const gap = f - fStar;');
  T.forEach((j) => emit(`if (hit${j} < 0 && gap <= tau${j}) { hit${j} = k; pending--; }`));
  const bounded = program.theta.map((id) => `M.abs(v${id}) <= ${DIVERGENCE_BOUND}`).join(' && ');
  emit(`if (!(M.abs(f) < Infinity && ${bounded})) { divergedAt[lane] = k; stopped = k; break; }`);
  emit('if ((stopAtTargets && pending === 0) || k === steps) { stopped = k; break; }');
  program.theta.forEach((id, c) => emit(`p${c} = v${id};`));
  // Next values are computed from the old ones, except where a next value is itself another slot's input
  // (a state that keeps the previous θ): those are read into temporaries before any slot is overwritten.
  const carried = [...program.theta, ...stateInputs];
  const carriedSet = new Set(carried);
  const nextRef = carried.map((id, c) => {
    const next = outputs[1 + c];
    if (next === id || !carriedSet.has(next)) return ref(next);
    emit(`const old${c} = v${next};`);
    return `old${c}`;
  });
  carried.forEach((id, c) => {
    if (outputs[1 + c] !== id) emit(`v${id} = ${nextRef[c]};`);
  });
  emit('}');
  program.theta.forEach((id, c) => emit(`theta[${c} * n + lane] = v${id}; prevTheta[${c} * n + lane] = p${c};`));
  stateInputs.forEach((id, c) => emit(`state[${c} * n + lane] = v${id};`));
  T.forEach((j) => emit(`hits[${j} * n + lane] = hit${j};`));
  emit('if (stopped >= 0) { stopStep[lane] = stopped; finalF[lane] = f; }');
  emit('}');
  return lines.join('\n');
}

const ARGS = [
  'M',
  'batch',
  'steps',
  'fromStep',
  'toStep',
  'firstRecord',
  'fStar',
  'targets',
  'stopAtTargets',
  'recordSteps',
  'traceSlot',
  'progress',
] as const;

export function compileJs(program: StepProgram, precision: Precision = 'f64'): Kernel {
  const stateSize = program.state.reduce((s, x) => s + x.inputs.length, 0);
  const cache = new Map<number, (...args: unknown[]) => void>();
  const fnFor = (targetCount: number) => {
    let fn = cache.get(targetCount);
    if (!fn) {
      // The source is generated from the IR alone (see the module comment), so constructing it is safe.
      // eslint-disable-next-line no-restricted-syntax
      fn = new Function(...ARGS, kernelSource(program, targetCount, precision)) as (...args: unknown[]) => void;
      cache.set(targetCount, fn);
    }
    return fn;
  };
  return {
    backend: 'js',
    precision,
    dim: program.dim,
    stateSize,
    paramCount: program.params.length,
    prepare(shape: BatchShape): KernelSession {
      const buffers = allocateSessionBuffers(shape, program.dim, stateSize, program.params.length);
      const fn = fnFor(shape.targetCount);
      return {
        ...buffers,
        run(slice: SliceRequest): void {
          fn(
            Math,
            buffers.batch,
            slice.steps,
            slice.fromStep,
            Math.min(slice.toStep, slice.steps + 1),
            firstRecordAtOrAfter(buffers.recordSteps, slice.fromStep),
            slice.fStar,
            buffers.targets,
            slice.stopAtTargets,
            buffers.recordSteps,
            buffers.traceSlot,
            buffers.progress,
          );
        },
      };
    },
  };
}
