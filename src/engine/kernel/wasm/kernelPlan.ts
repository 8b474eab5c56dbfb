/**
 * What a kernel computes per step and where its values live: the loop-invariant and per-step nodes, the
 * emission patterns, and the layout — locals, or the wide layout (wideLayout.ts) for big programs.
 */
import type { NodeId } from '../../expr/ir';
import type { StepProgram } from '../../program/stepProgram';
import { stepSchedule } from '../../program/stepSchedule';
import { findStepPatterns, type StepPatterns } from './stepPatterns';
import { localsPlan, widePlan, type Carried, type StepPlan } from './wideLayout';

export type Layout = 'locals' | 'wide';

/**
 * The locals layout's locals above which the wide layout is taken (wideLayout.ts). Measured with Adam and GD
 * on sums of squares: around 1,000 locals (Adam on 32 variables, GD on 64) the two layouts run at the same speed,
 * and past it the wide one runs faster and compiles much faster.
 */
export const LOCALS_BUDGET = 1024;
/** What the kernel computes per step, and where its values live. */
export interface KernelPlan {
  readonly layout: Layout;
  readonly pairs: number;
  readonly outputs: readonly NodeId[];
  readonly invariant: readonly NodeId[];
  readonly perStep: readonly NodeId[];
  readonly patterns: StepPatterns;
  readonly step: StepPlan;
  readonly carried: Carried;
}

/** The locals layout when its locals fit LOCALS_BUDGET, else the wide layout with one lane pair per group. */
export function planKernel(program: StepProgram, targetCount: number, pairs: number, layout?: Layout): KernelPlan {
  const { outputs, invariant, perStep } = stepSchedule(program);
  const patterns = findStepPatterns(program.graph, perStep, outputs);
  const carried: Carried = {
    inputs: [...program.theta, ...program.state.flatMap((s) => s.inputs)],
    next: outputs.slice(1),
    dim: program.dim,
  };
  // per pair: θ, state, hyperparameters, prevθ, snapshots of all but the hyperparameters, hits, 4 masks, invariants
  const perPair =
    2 * (carried.inputs.length + program.dim) + program.params.length + targetCount + 4 + invariant.length;
  const locals = layout === 'wide' || pairs * perPair > LOCALS_BUDGET ? undefined : localsPlan(patterns, outputs);
  const chosen = layout ?? (locals && pairs * (perPair + locals.peakLocals) <= LOCALS_BUDGET ? 'locals' : 'wide');
  if (chosen === 'locals') {
    const step = locals ?? localsPlan(patterns, outputs);
    return { layout: chosen, pairs, outputs, invariant, perStep, patterns, step, carried };
  }
  // Many independent values per step already keep the CPU busy: one pair per group halves nothing but code.
  const step = widePlan(program.graph, patterns, outputs, program.f, carried);
  return { layout: chosen, pairs: layout ? pairs : 1, outputs, invariant, perStep, patterns, step, carried };
}
