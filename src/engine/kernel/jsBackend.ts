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
 * Lanes in blocks of BLOCK, and for each block the step loop outside and the loop over its lanes inside, θ and
 * state in the lane arrays (a block's stay in L1): one lane's step is a long dependent chain (∇f → transform →
 * moments → division → √ → update) and its next step waits for it, so a loop over one lane's steps runs at the
 * chain's latency, where a loop over independent lanes lets the out-of-order core overlap them — the JS closure's
 * shape, 2–3× faster. Each lane computes exactly what it computed alone, in the same order: the same bits.
 * In binary32 θ, state and hyperparameters are rounded to float as they are loaded, and every operation as
 * `expression` says; the bookkeeping (f − f*, the targets, the divergence test) compares the float values exactly,
 * in binary64, so a target below the smallest float (1e−300) still means "never".
 */
const BLOCK = 256;

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
  const loadParams = () =>
    program.params.forEach(({ input }, p) => emit(`const v${input} = ${load(`params[${p} * n + lane]`)};`));
  emit('const lanes = batch.n, n = batch.stride, theta = batch.theta, state = batch.state, params = batch.params;');
  emit('const { finalF, stopStep, divergedAt, hits, fRecord, trace, prevTheta } = progress;');
  emit('const R = recordSteps.length, F = M.fround;');
  T.forEach((j) => emit(`const tau${j} = targets[${j}];`));
  // What depends on hyperparameters alone, once per lane and call.
  emit(`const inv = new Float64Array(${invariant.length} * n);`);
  emit('for (let lane = 0; lane < lanes; lane++) {');
  loadParams();
  invariant.forEach((id, i) => {
    emit(`const v${id} = ${expression(graph.node(id), ref, precision)};`);
    emit(`inv[${i} * n + lane] = v${id};`);
  });
  emit('}');
  emit(`for (let b0 = 0; b0 < lanes; b0 += ${BLOCK}) {`);
  emit(`const b1 = M.min(b0 + ${BLOCK}, lanes);`);
  emit('let running = 0;');
  emit('for (let lane = b0; lane < b1; lane++) if (stopStep[lane] < 0) running++;');
  emit('let r = firstRecord, nextRecord = r < R ? recordSteps[r] : -1;');
  emit('for (let k = fromStep; k < toStep && running > 0; k++) {');
  emit('const recordNow = k === nextRecord;');
  emit('for (let lane = b0; lane < b1; lane++) {');
  emit('if (stopStep[lane] >= 0) continue;');
  program.theta.forEach((id, c) => emit(`const v${id} = ${load(`theta[${c} * n + lane]`)};`));
  stateInputs.forEach((id, c) => emit(`const v${id} = ${load(`state[${c} * n + lane]`)};`));
  loadParams();
  invariant.forEach((id, i) => emit(`const v${id} = inv[${i} * n + lane];`));
  for (const id of perStep) emit(`const v${id} = ${expression(graph.node(id), ref, precision)};`);
  emit(`const f = ${ref(program.f)};`);
  emit('if (recordNow) {');
  emit('  fRecord[r * n + lane] = f;');
  emit('  const slot = traceSlot[lane];');
  emit(
    `  if (slot >= 0) { const o = (slot * R + r) * ${dim + 1}; ${program.theta.map((id, c) => `trace[o + ${c}] = v${id};`).join(' ')} trace[o + ${dim}] = f; }`,
  );
  emit('}');
  emit('const gap = f - fStar;');
  emit('let pending = 0;');
  T.forEach((j) =>
    emit(`if (hits[${j} * n + lane] < 0) { if (gap <= tau${j}) hits[${j} * n + lane] = k; else pending++; }`),
  );
  // In binary32 a lane that stops keeps θ, the previous θ and state as floats, as it read them (a start is rounded
  // when first loaded), like a lane that stepped.
  const keep =
    precision === 'f32'
      ? [
          ...program.theta.map(
            (id, c) => `theta[${c} * n + lane] = v${id}; prevTheta[${c} * n + lane] = F(prevTheta[${c} * n + lane]);`,
          ),
          ...stateInputs.map((id, c) => `state[${c} * n + lane] = v${id};`),
        ].join(' ') + ' '
      : '';
  const bounded = program.theta.map((id) => `M.abs(v${id}) <= ${DIVERGENCE_BOUND}`).join(' && ');
  emit(
    `if (!(M.abs(f) < Infinity && ${bounded})) { ${keep}divergedAt[lane] = k; stopStep[lane] = k; finalF[lane] = f; running--; continue; }`,
  );
  emit(
    `if ((stopAtTargets && pending === 0) || k === steps) { ${keep}stopStep[lane] = k; finalF[lane] = f; running--; continue; }`,
  );
  program.theta.forEach((id, c) => emit(`prevTheta[${c} * n + lane] = v${id};`));
  // Every value of the step is read before any lane array is written: next values need no temporaries.
  program.theta.forEach((_, c) => emit(`theta[${c} * n + lane] = ${ref(outputs[1 + c])};`));
  stateInputs.forEach((id, c) => {
    const next = outputs[1 + dim + c];
    if (next !== id) emit(`state[${c} * n + lane] = ${ref(next)};`);
  });
  emit('}');
  emit('if (recordNow) { r++; nextRecord = r < R ? recordSteps[r] : -1; }');
  emit('}');
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
