/**
 * Step program → WebAssembly module. Two lanes per f64x2, and W lane pairs per loop: one fused loop per group
 * keeps θ, optimizer state, hyperparameters and loop invariants in locals across steps; memory is touched only
 * to record f and trajectories. The W pairs' instructions are interleaved, because one pair's step is a long
 * dependent chain (∇f → power transform → moments → division → √ → update) that would leave the CPU idle.
 * A lane that stops (diverged, every target reached, budget spent) is frozen by a mask while the others go on,
 * so results are exactly those of one lane at a time (the JS backend's semantics).
 *
 * Big programs (many variables) take the wide layout instead (wideLayout.ts, chosen by kernelPlan.ts): one pair
 * per group, θ and state in scratch memory, so that locals and compile time stay linear in the program.
 *
 * What one step computes is nodeEmitter.ts's, the per-step tests laneTests.ts's; this file writes the loops,
 * memory traffic and stops.
 *
 * Exported: `run(n, steps, fromStep, toStep, firstRecord, R, fStar, stopAtTargets, …buffer addresses)`, n a
 * multiple of 2W, resumable across calls like every kernel session (types.ts).
 */
import type { NodeId } from '../../expr/ir';
import type { StepProgram } from '../../program/stepProgram';
import { F64, FunctionBuilder, I32, ModuleBuilder, V128 } from './encoder';
import { type Exponents } from './nodeEmitter';
import { SimdMath } from './simdMath';
import { planKernel, type KernelPlan, type KernelShape } from './kernelPlan';
import { KernelFrame, RUN_PARAMS, type FramePair } from './kernelFrame';
import { WideScratch, wideRegions } from './wideLayout';
import { BlockedWriter, blockScratchBytes } from './blockedLayout';

export interface GeneratedModule {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** First byte free for buffers (16-aligned). */
  readonly heapBase: number;
  /** Lanes per loop iteration (2W): the batch's stride must be a multiple of it. */
  readonly laneGroup: number;
  /** Lane pairs per block in the blocked layout, 0 in the others (the session plans its blocks: blockPlan.ts). */
  readonly blockPairs: number;
}

/**
 * V8's limits on a function: its locals, and its code (kV8MaxWasmFunctionSize). Within the parser's limits
 * (definition.ts) the kernels on 4,096 variables have fewer than 100 locals and at most 4 MB of code (h-Quickprop).
 */
const V8_MAX_LOCALS = 50_000;
const V8_MAX_FUNCTION_BYTES = 7_654_321;

export function generateModule(program: StepProgram, targetCount: number, shape: KernelShape): GeneratedModule {
  const plan = planKernel(program, targetCount, shape);
  // The wide and blocked layouts' scratch memory comes first, at static addresses; the math tables follow it.
  const scratchBytes =
    plan.layout === 'blocked' ? blockScratchBytes(plan, targetCount) : plan.pairs * plan.step.scratchBytes;
  const module = new ModuleBuilder(scratchBytes);
  const f = module.func(
    RUN_PARAMS.map((p) => (p === 'fStar' ? F64 : I32)),
    [],
  );
  module.exportFunc('run', f.index);
  const math = new SimdMath(module);
  if (plan.layout === 'blocked')
    new BlockedWriter(new KernelFrame(f, program, targetCount, plan, math), targetCount).write();
  else new KernelWriter(program, targetCount, plan, f, math).write();
  if (f.localCount > V8_MAX_LOCALS || f.bytes.length > V8_MAX_FUNCTION_BYTES) {
    throw new Error(
      `internal error: the kernel has ${f.localCount} locals and ${f.bytes.length} bytes of code, ` +
        `beyond V8's ${V8_MAX_LOCALS} and ${V8_MAX_FUNCTION_BYTES}`,
    );
  }
  const heapBase = Math.ceil(module.dataEnd / 16) * 16;
  module.setMemory({ min: Math.ceil((heapBase + 1) / 65536) });
  module.exportMemory('memory');
  return { bytes: module.encode(), heapBase, laneGroup: 2 * plan.pairs, blockPairs: plan.blockPairs };
}

/** One lane pair's locals. */
interface Pair extends FramePair {
  /** prevθ (the locals layout; the wide layout keeps it in scratch memory). */
  readonly prev: number[];
  /**
   * θ, state and prevθ as they were when each lane stopped (the locals layout). Updates run unmasked (a stopped
   * lane's values drift on, unseen); the rare stop branch snapshots them, and write-back takes the snapshot for
   * stopped lanes. The wide layout updates its scratch under the lane mask instead.
   */
  readonly snapshot: Map<number, number>;
  readonly stopped: number;
  readonly finalF: number;
  readonly divAt: number;
  readonly slots: readonly [number, number];
}

/** The locals and wide layouts: a group of W pairs at a time, through all the call's steps. */
class KernelWriter {
  private readonly frame: KernelFrame;
  private readonly pairs: Pair[];
  private readonly group: number;
  private readonly stateInputs: readonly NodeId[];
  /** The wide layout's loops over scratch memory (undefined in the locals layout). */
  private readonly scratch: WideScratch | undefined;

  constructor(
    private readonly program: StepProgram,
    targetCount: number,
    private readonly plan: KernelPlan,
    private readonly f: FunctionBuilder,
    math: SimdMath,
  ) {
    const wide = plan.layout === 'wide';
    let scratch: WideScratch | undefined;
    this.frame = new KernelFrame(
      f,
      program,
      targetCount,
      plan,
      math,
      wide
        ? (frame) =>
            (scratch = new WideScratch(f, frame.i.stride, plan.carried, plan.step, {
              theta: frame.p('theta'),
              state: frame.p('state'),
              prevTheta: frame.p('prevTheta'),
            }))
        : undefined,
    );
    this.scratch = scratch;
    this.group = f.local(I32);
    const i32 = () => f.local(I32);
    const v = () => f.local(V128);
    this.stateInputs = program.state.flatMap((s) => s.inputs);
    const regions = wideRegions(plan.carried);
    this.pairs = Array.from({ length: plan.pairs }, (_, w): Pair => {
      const at = new Map<NodeId, number>();
      const mem = new Map<NodeId, number>();
      const scratch = w * plan.step.scratchBytes;
      const carried = wide ? [] : plan.carried.inputs;
      for (const id of [...carried, ...program.params.map((p) => p.input)]) at.set(id, v());
      if (wide) plan.carried.inputs.forEach((id, c) => mem.set(id, scratch + regions.cur + 16 * c));
      return {
        at,
        mem,
        scratch,
        prev: wide ? [] : program.theta.map(() => v()),
        snapshot: new Map(),
        hits: Array.from({ length: targetCount }, () => v()),
        active: v(),
        stopped: v(),
        finalF: v(),
        divAt: v(),
        laneOff: i32(),
        slots: [i32(), i32()],
        powFlags: new Map(),
      };
    });
  }

  write(): void {
    const { f, program, pairs, frame } = this;
    const { i, nodes } = frame;
    const any = f.local(V128);
    const W = pairs.length;

    frame.prologue();
    f.i32(0).set(this.group);

    f.block().loop(); // for each group of W lane pairs
    f.get(this.group)
      .i32(2 * W)
      .op('i32.mul')
      .get(frame.p('n'))
      .op('i32.ge_u')
      .brIf(1);
    f.block(); // skipped when every lane has stopped
    f.v128(new Uint8Array(16)).set(any);
    pairs.forEach((pair, w) => {
      f.get(this.group).i32(W).op('i32.mul').i32(w).op('i32.add').i32(4).op('i32.shl').set(pair.laneOff);
      frame.activeFromStopSteps(pair.laneOff).set(pair.active);
      f.get(any).get(pair.active).simd('v128.or').set(any);
    });
    f.get(any).simd('v128.any_true').op('i32.eqz').brIf(0);

    for (const pair of pairs) {
      if (this.scratch) this.scratch.copy('in', pair);
      else {
        program.theta.forEach((id, c) => {
          frame.mem.loadV(pair.laneOff, frame.p('theta'), c, pair.at.get(id)!);
          frame.mem.loadV(pair.laneOff, frame.p('prevTheta'), c, pair.prev[c]);
        });
        this.stateInputs.forEach((id, c) => frame.mem.loadV(pair.laneOff, frame.p('state'), c, pair.at.get(id)!));
      }
      program.params.forEach(({ input }, c) =>
        frame.mem.loadV(pair.laneOff, frame.p('params'), c, pair.at.get(input)!),
      );
      pair.hits.forEach((h, j) => frame.loadHits(pair.laneOff, j).set(h));
      pair.slots.forEach((slot, lane) => {
        f.get(frame.p('traceSlot'))
          .get(pair.laneOff)
          .i32(1)
          .op('i32.shr_u')
          .op('i32.add')
          .mem('i32.load', 4 * lane)
          .set(slot);
      });
      for (const local of this.carried(pair)) {
        const snap = f.local(V128);
        f.get(local).set(snap);
        pair.snapshot.set(local, snap);
      }
      for (const id of this.plan.invariant) nodes.compute(pair, id, f.local(V128));
      nodes.computePowFlags(pair);
      f.f64x2(-1).set(pair.stopped);
      f.f64x2(-1).set(pair.divAt);
      f.f64x2(NaN).set(pair.finalF);
    }
    f.get(frame.p('firstRecord')).set(i.r);
    frame.loadNextRecord();
    f.get(frame.p('fromStep')).set(i.k);

    // The loop tests k < toStep at its end, not at its start: TurboFan hoists loop-invariant pure values (pow
    // flags, 1 − β, splats, constants) out of a loop only from blocks that dominate every exit, and otherwise
    // recomputes them at every use, every step.
    f.block();
    f.get(i.k).get(frame.p('toStep')).op('i32.ge_s').brIf(0);
    const exponents = this.plan.patterns.flaggedExponents;
    if (exponents.size > 0) {
      // Two versions of the step loop: one for groups where every pow(|g|, H) has H = ½ in both lanes of every
      // pair (the papers' h-variants), with no branch and no call in the step, and the general one.
      [...exponents].forEach((exponent, e) =>
        pairs.forEach((pair, w) => {
          f.get(pair.powFlags.get(exponent)!.half);
          if (e > 0 || w > 0) f.op('i32.and');
        }),
      );
      f.if();
      this.stepLoop('half', any);
      f.else();
      this.stepLoop('general', any);
      f.end();
    } else {
      this.stepLoop('general', any);
    }
    f.end();

    for (const pair of pairs) this.writeBack(pair);
    f.end(); // end of the skip block
    f.get(this.group).i32(1).op('i32.add').set(this.group);
    f.br(0);
    f.end().end();
  }

  /**
   * One version of the step loop, in its own block (the stop branch leaves it with br 2). `exponents` is 'half'
   * where the caller has checked that every flagged H is ½ in every lane of the group.
   */
  private stepLoop(exponents: Exponents, any: number): void {
    const { f, program, pairs, frame } = this;
    const { i, nodes, pool } = frame;
    f.block().loop(); // for each step
    nodes.computeStep(pairs, exponents);

    f.get(i.k).get(i.nextRecord).op('i32.eq').if();
    for (const pair of pairs)
      frame.record(pair, pair.slots, this.scratch && ((lane, row) => this.scratch!.thetaLane(pair, lane, row)));
    f.get(i.r).i32(1).op('i32.add').set(i.r);
    frame.loadNextRecord();
    f.end();

    this.testTargetsAndStop(any);

    // Next values are computed from the old ones, except where a next value is itself another slot's input
    // (a state that keeps the previous θ): those go through a temporary before any slot is overwritten.
    const carried = this.plan.carried.inputs;
    const carriedSet = new Set(carried);
    for (const pair of pairs) {
      if (this.scratch) {
        this.scratch.update(pair, (id) => nodes.value(pair, id));
        continue;
      }
      program.theta.forEach((id, c) => {
        f.get(pair.at.get(id)!).set(pair.prev[c]);
      });
      const nextLocal = carried.map((id, c) => {
        const next = this.plan.outputs[1 + c];
        if (next === id || !carriedSet.has(next)) return undefined;
        const t = pool.take();
        f.get(pair.at.get(next)!).set(t);
        return t;
      });
      carried.forEach((id, c) => {
        const next = this.plan.outputs[1 + c];
        if (next === id) return;
        const t = nextLocal[c];
        if (t === undefined) nodes.value(pair, next)();
        else {
          f.get(t);
          pool.give(t);
        }
        f.set(pair.at.get(id)!);
      });
    }
    nodes.releaseStep(pairs);
    f.get(i.k).i32(1).op('i32.add').set(i.k);
    f.get(i.k).get(frame.p('toStep')).op('i32.lt_s').brIf(0);
    f.end().end();
  }

  /** θ, state and prevθ locals of a pair: what a stopped lane must keep (none in the wide layout's locals). */
  private carried(pair: Pair): number[] {
    if (this.scratch) return [];
    return this.plan.carried.inputs.map((id) => pair.at.get(id)!).concat(pair.prev);
  }

  /**
   * Targets (first k with f − f* ≤ τ), divergence and stops, for every pair. Each step only ORs the running lanes
   * where something happens — a first hit, a divergence — into one test: the branch, taken on those rare steps
   * (and at k = T, where every lane stops), records the hits, works out which lanes stop and why, and leaves the
   * step loop once none runs.
   */
  private testTargetsAndStop(any: number): void {
    const { f, pairs, frame } = this;
    const { i, tests, pool } = frame;
    pairs.forEach((pair, w) => {
      f.get(pair.active);
      tests.notDiverged(pair);
      tests.firstHits(pair, frame.fStarV);
      f.simd('v128.andnot').simd('v128.andnot');
      if (w > 0) f.simd('v128.or');
    });
    f.simd('v128.any_true').get(i.k).get(frame.p('steps')).op('i32.eq').op('i32.or').if();
    const [kf, last, stop] = [pool.take(), pool.take(), pool.take()];
    f.get(i.k).op('f64.convert_i32_s').simd('f64x2.splat').set(kf);
    frame.splatI32(() => f.i32(0).get(i.k).get(frame.p('steps')).op('i32.eq').op('i32.sub')).set(last);
    f.v128(new Uint8Array(16)).set(any);
    for (const pair of pairs) {
      const fv = frame.nodes.value(pair, this.program.f);
      tests.updateHits(pair, kf, frame.fStarV);
      tests.stopMask(pair, frame.stopAtTargetsMask);
      f.get(pair.active).get(last).simd('v128.and').simd('v128.or').set(stop);
      f.get(kf).get(pair.divAt).get(pair.active);
      tests.notDiverged(pair);
      f.simd('v128.andnot').simd('v128.bitselect').set(pair.divAt);
      f.get(kf).get(pair.stopped).get(stop).simd('v128.bitselect').set(pair.stopped);
      fv();
      f.get(pair.finalF).get(stop).simd('v128.bitselect').set(pair.finalF);
      for (const local of this.carried(pair)) {
        const snap = pair.snapshot.get(local)!;
        f.get(local).get(snap).get(stop).simd('v128.bitselect').set(snap);
      }
      f.get(pair.active).get(stop).simd('v128.andnot').tee(pair.active);
      f.get(any).simd('v128.or').set(any);
    }
    [kf, last, stop].forEach((local) => pool.give(local));
    f.get(any).simd('v128.any_true').op('i32.eqz').brIf(2); // out of the step loop
    f.end();
  }

  /** θ, prevTheta, state, hits; stop step, final f and divergence for lanes that stopped. */
  private writeBack(pair: Pair): void {
    const { f, program, frame } = this;
    // A lane still running keeps its current values; a stopped one, those it had when it stopped.
    for (const local of this.carried(pair)) {
      f.get(local).get(pair.snapshot.get(local)!).get(pair.active).simd('v128.bitselect').set(local);
    }
    if (this.scratch) this.scratch.copy('out', pair);
    else {
      program.theta.forEach((id, c) => {
        frame.mem.storeV(pair.laneOff, frame.p('theta'), c, pair.at.get(id)!);
        frame.mem.storeV(pair.laneOff, frame.p('prevTheta'), c, pair.prev[c]);
      });
      this.stateInputs.forEach((id, c) => frame.mem.storeV(pair.laneOff, frame.p('state'), c, pair.at.get(id)!));
    }
    pair.hits.forEach((h, j) => frame.storeHits(pair.laneOff, j, h));
    ([0, 1] as const).forEach((lane) => {
      f.get(pair.stopped).f64x2ExtractLane(lane).f64(0).op('f64.ge').if();
      frame.mem.i32Addr(pair.laneOff, frame.p('stopStep'), 0, lane);
      f.get(pair.stopped).f64x2ExtractLane(lane).op('i32.trunc_f64_s').mem('i32.store');
      f.get(frame.p('finalF')).get(pair.laneOff).op('i32.add');
      f.get(pair.finalF)
        .f64x2ExtractLane(lane)
        .mem('f64.store', lane * 8);
      frame.mem.i32Addr(pair.laneOff, frame.p('divergedAt'), 0, lane);
      f.get(pair.divAt).f64x2ExtractLane(lane).op('i32.trunc_f64_s').mem('i32.store');
      f.end();
    });
  }
}
