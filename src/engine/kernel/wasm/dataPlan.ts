/**
 * What the WebAssembly data kernel (dataCodegen.ts) emits per phase of a data step, and where a lane pair's
 * values live. Nothing here depends on the number of rows or the batch size; everything is linear in the program.
 *
 * A lane pair's scratch (static addresses, 16 bytes per v128 slot), in L1 for all the steps of a call:
 *   cur   θ then the optimizer state (P + S): the iterate θₖ and its state
 *   next  the values the update computes (P + S), copied to cur after the step
 *   snap  cur as it was when each lane stopped (P + S): a stopped lane runs on unseen, write-back takes snap
 *   pt    the gradient point (P; only for an optimizer that looks ahead, NAG)
 *   acc   Σℓ then Σ∂ᵢℓ over the minibatch (1 + P), divided in place into fB, gB
 * and spill slots after every pair's scratch (dataPhases.ts).
 */
import type { NodeId } from '../../expr/ir';
import { pointIsTheta, type DataStepProgram } from '../../program/dataProgram';
import { dataSchedule, type DataSchedule } from '../../program/dataSchedule';
import type { NodeSplit } from '../../program/graphSchedule';
import { findStepPatterns, type StepPatterns } from './stepPatterns';

const V = 16;

/**
 * Nodes across all phases above which constants come from immutable globals (3 bytes of code, not 18) and
 * pow(|g|, H) takes the general pow rather than a branch on H per node: a big program's code stays small.
 */
const SMALL_PROGRAM = 4_000;

/** A loop over rows: nodes that depend on θ alone (before the loop) and on the row (in it). */
export interface RowPhase {
  readonly patterns: StepPatterns;
  readonly fixed: readonly NodeId[];
  readonly varying: readonly NodeId[];
  /** Fixed values the loop reads: they wait in spill slots while it runs. */
  readonly keep: ReadonlySet<NodeId>;
  readonly outputs: readonly NodeId[];
}

export interface OptimizerPhases {
  /** Gradient point nodes (empty without look-ahead). */
  readonly point: readonly NodeId[];
  readonly pointPatterns: StepPatterns;
  /** θₖ₊₁ and the state's next values… */
  readonly update: readonly NodeId[];
  /** …then, at recorded steps, ‖gB‖² and the descent: update and info share one pattern set. */
  readonly info: readonly NodeId[];
  readonly updatePatterns: StepPatterns;
  /** Per θ and state slot: whether the update may write its next value over the current one (inPlaceSlots). */
  readonly inPlace: readonly boolean[];
}

export interface DataPlan {
  readonly schedule: DataSchedule;
  readonly dim: number;
  readonly stateSize: number;
  /** P + S: θ and state slots. */
  readonly slots: number;
  readonly lookAhead: boolean;
  readonly lossGrad: RowPhase;
  readonly loss: RowPhase;
  readonly metrics: RowPhase;
  readonly optimizer: OptimizerPhases;
  readonly layout: 'locals' | 'wide';
  /** Byte offsets of the regions in a pair's scratch, and its size. */
  readonly regions: { cur: number; next: number; snap: number; pt: number; acc: number; bytes: number };
  /** More spill slots than any phase can use. */
  readonly spillBound: number;
}

/**
 * `list` (in an order where operands come first) reordered depth-first from `outputs`, the operand that needs
 * more registers first (Sethi–Ullman): each value is computed close to its uses, so fewer stay live — in node
 * order Momentum computes all P new velocities before the first θ, and V8 spills most of them. Each node still
 * computes the same operation of the same operands: the values are the same bits.
 */
export function localOrder(list: readonly NodeId[], outputs: readonly NodeId[], patterns: StepPatterns): NodeId[] {
  const need = new Map<NodeId, number>(list.map((id) => [id, 0]));
  // each node's distinct operands within the list, neediest last (popped first from the stack below)
  const inner = new Map<NodeId, NodeId[]>();
  for (const id of list) {
    const operands: NodeId[] = [];
    for (const o of patterns.operands(id)) if (need.has(o) && !operands.includes(o)) operands.push(o);
    operands.sort((a, b) => need.get(a)! - need.get(b)!);
    inner.set(id, operands);
    need.set(
      id,
      operands.reduce((m, o, i) => Math.max(m, need.get(o)! + operands.length - 1 - i), 1),
    );
  }
  const order: NodeId[] = [];
  const seen = new Set<NodeId>();
  const stack: NodeId[] = [];
  for (const root of [...outputs, ...list]) {
    if (!need.has(root)) continue;
    stack.push(root);
    while (stack.length > 0) {
      const id = stack.pop()!;
      // a node is pushed again, as ~id, to be emitted once its operands are
      if (id < 0) {
        order.push(~id);
        continue;
      }
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(~id);
      for (const o of inner.get(id)!) if (!seen.has(o)) stack.push(o);
    }
  }
  return order;
}

function rowPhase(program: DataStepProgram, split: NodeSplit, outputs: readonly NodeId[]): RowPhase {
  const { graph } = program.row;
  const patterns = findStepPatterns(graph, [...split.fixed, ...split.varying], outputs);
  const fixedSet = new Set(split.fixed);
  const varying = localOrder(
    patterns.emitted.filter((id) => !fixedSet.has(id)),
    outputs,
    patterns,
  );
  const keep = new Set(
    [...varying.flatMap((id) => patterns.operands(id)), ...outputs].filter((id) => fixedSet.has(id)),
  );
  const fixed = localOrder(
    patterns.emitted.filter((id) => fixedSet.has(id)),
    [...keep],
    patterns,
  );
  return { patterns, fixed, varying, keep, outputs };
}

/**
 * Slots whose next value can go straight over the current one when nothing else reads the current one later:
 * the node computing it is the last in the update to read the slot's input, and no slot's next value is that
 * input itself (a state keeping the previous θ reads it after the update). The other slots go through `next`.
 */
function inPlaceSlots(
  update: readonly NodeId[],
  patterns: StepPatterns,
  inputs: readonly NodeId[],
  nexts: readonly NodeId[],
): boolean[] {
  const computedAt = new Map<NodeId, number>();
  const lastRead = new Map<NodeId, number>();
  update.forEach((id, i) => {
    const partner = patterns.partners.get(id);
    for (const value of partner ? [partner[1], partner[2]] : [id]) if (!computedAt.has(value)) computedAt.set(value, i);
    for (const o of patterns.operands(id)) lastRead.set(o, i);
  });
  const readAfter = new Set(nexts.filter((id) => !computedAt.has(id)));
  return inputs.map((input, c) => {
    const at = computedAt.get(nexts[c]);
    return at !== undefined && !readAfter.has(input) && (lastRead.get(input) ?? -1) <= at;
  });
}

export function planData(program: DataStepProgram): DataPlan {
  const schedule = dataSchedule(program);
  const { row, graph } = program;
  const dim = program.dim;
  const stateSize = program.state.reduce((s, x) => s + x.inputs.length, 0);
  const slots = dim + stateSize;
  const lookAhead = !pointIsTheta(program);
  const lossGrad = rowPhase(program, schedule.lossGrad, [row.loss, ...row.gradient]);
  const loss = rowPhase(program, schedule.loss, [row.loss]);
  const metrics = rowPhase(
    program,
    schedule.metrics,
    row.metrics.map((m) => m.output),
  );
  const nextValues = [...program.next, ...program.state.flatMap((s) => s.next)];
  const updatePatterns = findStepPatterns(
    graph,
    [...schedule.update, ...schedule.info],
    [...nextValues, program.gradNorm2, program.descent],
  );
  const infoSet = new Set(schedule.info);
  const pointPatterns = findStepPatterns(graph, schedule.point, program.point);
  const update = localOrder(
    updatePatterns.emitted.filter((id) => !infoSet.has(id)),
    nextValues,
    updatePatterns,
  );
  const carried = [...program.theta, ...program.state.flatMap((s) => s.inputs)];
  const optimizer: OptimizerPhases = {
    point: lookAhead ? localOrder(pointPatterns.emitted, program.point, pointPatterns) : [],
    pointPatterns,
    update,
    info: localOrder(
      updatePatterns.emitted.filter((id) => infoSet.has(id)),
      [program.gradNorm2, program.descent],
      updatePatterns,
    ),
    updatePatterns,
    inPlace: inPlaceSlots(update, updatePatterns, carried, nextValues),
  };
  const size = (p: RowPhase) => p.fixed.length + p.varying.length + row.columns.length;
  const phases = [size(lossGrad), size(loss), size(metrics), optimizer.point.length, updatePatterns.emitted.length];
  const total = phases.reduce((s, x) => s + x, 0);
  const cur = 0;
  const next = cur + V * slots;
  const snap = next + V * slots;
  const pt = snap + V * slots;
  const acc = pt + (lookAhead ? V * dim : 0);
  return {
    schedule,
    dim,
    stateSize,
    slots,
    lookAhead,
    lossGrad,
    loss,
    metrics,
    optimizer,
    layout: total <= SMALL_PROGRAM ? 'locals' : 'wide',
    regions: { cur, next, snap, pt, acc, bytes: acc + V * (1 + dim) },
    spillBound: total + 1,
  };
}
