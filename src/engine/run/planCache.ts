/**
 * What a run builds before it steps, kept for the next run of the same function object: its gradient, each step
 * program (by optimizer and choices) and each compiled wasm module. With the parsed functions kept by source
 * (`cachedSource` in request.ts), a Lab that re-runs on every edit or drag of a start pays for AD and code
 * generation once per function and optimizer, not once per run. Entries live as long as their function object.
 */
import type { NodeId } from '../expr/ir';
import { compileWasm, type CompiledModule } from '../kernel/wasm/wasmBackend';
import { SMALLEST_NORMAL, type Precision } from '../kernel/types';
import type { Optimizer } from '../optim/types';
import { buildStepProgram, withGradient, type CostProgram, type StepProgram } from '../program/stepProgram';

type Graded = CostProgram & { readonly grad: readonly NodeId[] };

const gradients = new WeakMap<CostProgram, Graded>();
const programs = new WeakMap<Graded, Map<string, StepProgram>>();
const modules = new WeakMap<StepProgram, Map<string, CompiledModule>>();

/** The function with ∇f, differentiated once per function object. */
export function cachedGradient(fn: CostProgram): Graded {
  let g = gradients.get(fn);
  if (!g) {
    g = withGradient(fn);
    gradients.set(fn, g);
  }
  return g;
}

/** The step program of `optimizer` with `choices` on `fn`, built once per combination. */
export function cachedProgram(
  fn: Graded,
  optimizer: Optimizer,
  choices: Readonly<Record<string, string>>,
  precision: Precision = 'f64',
): StepProgram {
  let byOptimizer = programs.get(fn);
  if (!byOptimizer) {
    byOptimizer = new Map();
    programs.set(fn, byOptimizer);
  }
  const key = JSON.stringify([optimizer.id, Object.entries(choices).sort(), precision]);
  let program = byOptimizer.get(key);
  if (!program) {
    program = buildStepProgram(fn, optimizer, choices, SMALLEST_NORMAL[precision]);
    byOptimizer.set(key, program);
  }
  return program;
}

/** The wasm-simd module of a program for `targetCount` targets, generated and compiled once. */
export function cachedModule(program: StepProgram, targetCount: number, precision: Precision = 'f64'): CompiledModule {
  let byTargets = modules.get(program);
  if (!byTargets) {
    byTargets = new Map();
    modules.set(program, byTargets);
  }
  const key = `${precision} ${targetCount}`;
  let compiled = byTargets.get(key);
  if (!compiled) {
    compiled = compileWasm(program, undefined, precision).moduleFor(targetCount);
    byTargets.set(key, compiled);
  }
  return compiled;
}
