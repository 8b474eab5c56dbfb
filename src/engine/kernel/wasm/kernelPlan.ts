/**
 * What a kernel computes per step and where its values live: the loop-invariant and per-step nodes, the
 * emission patterns, and the layout — locals or blocked (blockedLayout.ts) as the loop shape asks, or the wide
 * layout (wideLayout.ts) for big programs.
 */
import type { NodeId } from '../../expr/ir';
import type { StepProgram } from '../../program/stepProgram';
import { laneUniform, stepSchedule, type LaneUniform } from '../../program/stepSchedule';
import { findStepPatterns, type StepPatterns } from './stepPatterns';
import { localsPlan, widePlan, type Carried, type StepPlan } from './wideLayout';

/**
 * locals: a group of W lane pairs at a time, all its steps, θ and state in locals (a pair's steps are one
 * dependent chain; the W pairs interleaved in the code overlap). blocked: a block of pairs at a time, the step
 * loop outside and the loop over the block's pairs (W per iteration) inside, θ and state in the lane arrays,
 * in L1 (the out-of-order core overlaps independent pairs). wide: one pair per group, for big programs.
 */
export type Layout = 'locals' | 'blocked' | 'wide';

/** A loop shape: its layout and W, the lane pairs per loop iteration. */
export interface KernelShape {
  readonly layout: Layout;
  readonly pairs: number;
}

/** Bytes of a block's lane data (θ, state, prevθ, masks, hits) aimed at: well inside any L1 (32 kB+). */
const BLOCK_BYTES = 24 * 1024;
/** Largest block, in lane pairs: the hand-written kernel's 256 lanes. */
const MAX_BLOCK_PAIRS = 128;

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
  /** Lane pairs per block in the blocked layout (a multiple of `pairs`), 0 in the others. */
  readonly blockPairs: number;
  /** What is the same for lanes that share their hyperparameters (computed once per block and step). */
  readonly uniform: LaneUniform;
  readonly outputs: readonly NodeId[];
  readonly invariant: readonly NodeId[];
  readonly perStep: readonly NodeId[];
  readonly patterns: StepPatterns;
  readonly step: StepPlan;
  readonly carried: Carried;
}

/**
 * The shape's layout when its locals fit LOCALS_BUDGET, else the wide layout with one lane pair per group; a
 * shape asking for the wide layout gets it with its W.
 */
export function planKernel(program: StepProgram, targetCount: number, shape: KernelShape): KernelPlan {
  const { pairs, layout } = shape;
  const schedule = stepSchedule(program);
  const { outputs, invariant, perStep } = schedule;
  const uniform = laneUniform(program, schedule);
  const inputs = [...program.theta, ...program.state.flatMap((s) => s.inputs)];
  const patterns = findStepPatterns(program.graph, perStep, outputs, new Set(inputs));
  const carried: Carried = {
    inputs,
    next: outputs.slice(1),
    dim: program.dim,
  };
  // per pair: θ, state, hyperparameters, prevθ, snapshots of all but the hyperparameters, hits, 4 masks, invariants
  const perPair =
    2 * (carried.inputs.length + program.dim) + program.params.length + targetCount + 4 + invariant.length;
  const locals = layout === 'wide' || pairs * perPair > LOCALS_BUDGET ? undefined : localsPlan(patterns, outputs);
  const fits = layout !== 'wide' && locals !== undefined && pairs * (perPair + locals.peakLocals) <= LOCALS_BUDGET;
  const common = { outputs, invariant, perStep, patterns, carried, uniform };
  if (fits && layout === 'locals') return { ...common, layout, pairs, blockPairs: 0, step: locals };
  if (fits && layout === 'blocked') {
    // per pair: θ, state and prevθ, the lane mask and the hits, 16 bytes each
    const perBlockPair = 16 * (carried.inputs.length - uniform.states.length + program.dim + 1 + targetCount);
    const fitting = Math.floor(Math.min(MAX_BLOCK_PAIRS, BLOCK_BYTES / perBlockPair) / pairs) * pairs;
    return { ...common, layout, pairs, blockPairs: Math.max(pairs, fitting), step: locals };
  }
  // Many independent values per step already keep the CPU busy: one pair per group halves nothing but code.
  const step = widePlan(program.graph, patterns, outputs, program.f, carried);
  return { ...common, layout: 'wide', pairs: layout === 'wide' ? pairs : 1, blockPairs: 0, step };
}
