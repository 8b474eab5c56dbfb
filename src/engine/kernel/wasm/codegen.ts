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
import type { Graph, NodeId } from '../../expr/ir';
import type { StepProgram } from '../../program/stepProgram';
import { F64, FunctionBuilder, I32, ModuleBuilder, V128 } from './encoder';
import { LaneMemory } from './laneMemory';
import { LocalPool, NodeEmitter, type Exponents, type PairValues } from './nodeEmitter';
import { SimdMath } from './simdMath';
import type { StepPatterns } from './stepPatterns';
import { planKernel, type KernelPlan, type Layout } from './kernelPlan';
import { LaneTests } from './laneTests';
import { WideScratch, wideRegions } from './wideLayout';

/** Parameters of the exported `run`, in order (all i32 except fStar). */
export const RUN_PARAMS = [
  'n',
  'steps',
  'fromStep',
  'toStep',
  'firstRecord',
  'R',
  'fStar',
  'stopAtTargets',
  'theta',
  'state',
  'params',
  'targets',
  'recordSteps',
  'traceSlot',
  'finalF',
  'stopStep',
  'divergedAt',
  'hits',
  'fRecord',
  'trace',
  'prevTheta',
] as const;
type RunParam = (typeof RUN_PARAMS)[number];

export interface GeneratedModule {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** First byte free for buffers (16-aligned). */
  readonly heapBase: number;
  /** Lanes per loop iteration (2W): the batch's stride must be a multiple of it. */
  readonly laneGroup: number;
}

/** Lane pairs interleaved per loop iteration (measured with `descent-lab bench`; see README). */
export const DEFAULT_PAIRS = 4;

/**
 * V8's limits on a function: its locals, and its code (kV8MaxWasmFunctionSize). Within the parser's limits
 * (definition.ts) the kernels on 4,096 variables have fewer than 100 locals and at most 4 MB of code (h-Quickprop).
 */
const V8_MAX_LOCALS = 50_000;
const V8_MAX_FUNCTION_BYTES = 7_654_321;

export function generateModule(
  program: StepProgram,
  targetCount: number,
  pairs = DEFAULT_PAIRS,
  layout?: Layout,
): GeneratedModule {
  const plan = planKernel(program, targetCount, pairs, layout);
  // The wide layout's scratch memory comes first, at static addresses; the math tables follow it.
  const module = new ModuleBuilder(plan.pairs * plan.step.scratchBytes);
  const f = module.func(
    RUN_PARAMS.map((p) => (p === 'fStar' ? F64 : I32)),
    [],
  );
  module.exportFunc('run', f.index);
  new KernelWriter(program, targetCount, plan, f, new SimdMath(module)).write();
  if (f.localCount > V8_MAX_LOCALS || f.bytes.length > V8_MAX_FUNCTION_BYTES) {
    throw new Error(
      `internal error: the kernel has ${f.localCount} locals and ${f.bytes.length} bytes of code, ` +
        `beyond V8's ${V8_MAX_LOCALS} and ${V8_MAX_FUNCTION_BYTES}`,
    );
  }
  const heapBase = Math.ceil(module.dataEnd / 16) * 16;
  module.setMemory({ min: Math.ceil((heapBase + 1) / 65536) });
  module.exportMemory('memory');
  return { bytes: module.encode(), heapBase, laneGroup: 2 * plan.pairs };
}

/** One lane pair's locals. */
interface Pair extends PairValues {
  /** prevθ (the locals layout; the wide layout keeps it in scratch memory). */
  readonly prev: number[];
  /**
   * θ, state and prevθ as they were when each lane stopped (the locals layout). Updates run unmasked (a stopped
   * lane's values drift on, unseen); the rare stop branch snapshots them, and write-back takes the snapshot for
   * stopped lanes. The wide layout updates its scratch under the lane mask instead.
   */
  readonly snapshot: Map<number, number>;
  readonly hits: number[];
  readonly active: number;
  readonly stopped: number;
  readonly finalF: number;
  readonly divAt: number;
  /** Byte offset of the pair in f64 lane arrays (i32). */
  readonly laneOff: number;
  readonly slots: readonly [number, number];
}

class KernelWriter {
  private readonly g: Graph;
  private readonly param: Record<RunParam, number>;
  private readonly pool: LocalPool;
  private readonly mem: LaneMemory;
  private readonly pairs: Pair[];
  /** Shared i32 locals. */
  private readonly i: Record<'group' | 'stride' | 'k' | 'r' | 'nextRecord' | 's0' | 's1', number>;
  private readonly stateInputs: readonly NodeId[];
  private readonly outputs: readonly NodeId[];
  private readonly invariant: readonly NodeId[];
  /** τⱼ splatted, loaded once per call. */
  private readonly taus: number[];
  private readonly patterns: StepPatterns;
  /** The step's nodes as code. */
  private readonly nodes: NodeEmitter;
  /** The wide layout's loops over scratch memory (undefined in the locals layout). */
  private readonly scratch: WideScratch | undefined;
  /** Target, divergence and stop tests. */
  private readonly tests: LaneTests;

  constructor(
    private readonly program: StepProgram,
    targetCount: number,
    private readonly plan: KernelPlan,
    private readonly f: FunctionBuilder,
    math: SimdMath,
  ) {
    this.g = program.graph;
    this.param = Object.fromEntries(RUN_PARAMS.map((p, i) => [p, i])) as Record<RunParam, number>;
    this.pool = new LocalPool(f);
    const i32 = () => f.local(I32);
    const v = () => f.local(V128);
    this.i = { group: i32(), stride: i32(), k: i32(), r: i32(), nextRecord: i32(), s0: i32(), s1: i32() };
    this.mem = new LaneMemory(f, this.i.stride);
    this.stateInputs = program.state.flatMap((s) => s.inputs);
    ({ outputs: this.outputs, invariant: this.invariant, patterns: this.patterns } = plan);
    this.nodes = new NodeEmitter(f, this.g, math, this.patterns, this.pool, plan.perStep, plan.step, plan.layout);
    this.taus = Array.from({ length: targetCount }, () => v());
    const wide = plan.layout === 'wide';
    this.scratch = wide
      ? new WideScratch(f, this.i.stride, plan.carried, plan.step, {
          theta: this.p('theta'),
          state: this.p('state'),
          prevTheta: this.p('prevTheta'),
        })
      : undefined;
    this.tests = new LaneTests(f, this.nodes, this.pool, program, this.taus, this.scratch);
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
    const { f, program, pairs } = this;
    const [fStarV, stopAtTargetsMask, any] = [0, 0, 0].map(() => f.local(V128));
    const W = pairs.length;

    f.get(this.p('fStar')).simd('f64x2.splat').set(fStarV);
    // −stopAtTargets is all ones when it is 1: a lane mask that enables the "every target reached" stop.
    this.splatI32(() => f.i32(0).get(this.p('stopAtTargets')).op('i32.sub')).set(stopAtTargetsMask);
    f.get(this.p('n')).i32(3).op('i32.shl').set(this.i.stride);
    this.taus.forEach((tau, j) =>
      f
        .get(this.p('targets'))
        .mem('f64.load', j * 8)
        .simd('f64x2.splat')
        .set(tau),
    );
    f.i32(0).set(this.i.group);

    f.block().loop(); // for each group of W lane pairs
    f.get(this.i.group)
      .i32(2 * W)
      .op('i32.mul')
      .get(this.p('n'))
      .op('i32.ge_u')
      .brIf(1);
    f.block(); // skipped when every lane has stopped
    f.v128(new Uint8Array(16)).set(any);
    pairs.forEach((pair, w) => {
      f.get(this.i.group).i32(W).op('i32.mul').i32(w).op('i32.add').i32(4).op('i32.shl').set(pair.laneOff);
      this.mem.loadI32Lanes(pair.laneOff, this.p('stopStep'), 0, this.i.s0, this.i.s1);
      this.laneMask(
        () => f.get(this.i.s0).i32(0).op('i32.lt_s'),
        () => f.get(this.i.s1).i32(0).op('i32.lt_s'),
      ).set(pair.active);
      f.get(any).get(pair.active).simd('v128.or').set(any);
    });
    f.get(any).simd('v128.any_true').op('i32.eqz').brIf(0);

    for (const pair of pairs) {
      if (this.scratch) this.scratch.copy('in', pair);
      else {
        program.theta.forEach((id, c) => {
          this.mem.loadV(pair.laneOff, this.p('theta'), c, pair.at.get(id)!);
          this.mem.loadV(pair.laneOff, this.p('prevTheta'), c, pair.prev[c]);
        });
        this.stateInputs.forEach((id, c) => this.mem.loadV(pair.laneOff, this.p('state'), c, pair.at.get(id)!));
      }
      program.params.forEach(({ input }, c) => this.mem.loadV(pair.laneOff, this.p('params'), c, pair.at.get(input)!));
      pair.hits.forEach((h, j) => {
        this.mem.loadI32Lanes(pair.laneOff, this.p('hits'), j, this.i.s0, this.i.s1);
        f.get(this.i.s0)
          .op('f64.convert_i32_s')
          .simd('f64x2.splat')
          .get(this.i.s1)
          .op('f64.convert_i32_s')
          .f64x2ReplaceLane(1)
          .set(h);
      });
      pair.slots.forEach((slot, lane) => {
        f.get(this.p('traceSlot'))
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
      for (const id of this.invariant) this.nodes.compute(pair, id, f.local(V128));
      this.nodes.computePowFlags(pair);
      f.f64x2(-1).set(pair.stopped);
      f.f64x2(-1).set(pair.divAt);
      f.f64x2(NaN).set(pair.finalF);
    }
    f.get(this.p('firstRecord')).set(this.i.r);
    this.loadNextRecord();
    f.get(this.p('fromStep')).set(this.i.k);

    // The loop tests k < toStep at its end, not at its start: TurboFan hoists loop-invariant pure values (pow
    // flags, 1 − β, splats, constants) out of a loop only from blocks that dominate every exit, and otherwise
    // recomputes them at every use, every step.
    f.block();
    f.get(this.i.k).get(this.p('toStep')).op('i32.ge_s').brIf(0);
    if (this.patterns.flaggedExponents.size > 0) {
      // Two versions of the step loop: one for groups where every pow(|g|, H) has H = ½ in both lanes of every
      // pair (the papers' h-variants), with no branch and no call in the step, and the general one.
      [...this.patterns.flaggedExponents].forEach((exponent, e) =>
        pairs.forEach((pair, w) => {
          f.get(pair.powFlags.get(exponent)!.half);
          if (e > 0 || w > 0) f.op('i32.and');
        }),
      );
      f.if();
      this.stepLoop('half', fStarV, stopAtTargetsMask, any);
      f.else();
      this.stepLoop('general', fStarV, stopAtTargetsMask, any);
      f.end();
    } else {
      this.stepLoop('general', fStarV, stopAtTargetsMask, any);
    }
    f.end();

    for (const pair of pairs) this.writeBack(pair);
    f.end(); // end of the skip block
    f.get(this.i.group).i32(1).op('i32.add').set(this.i.group);
    f.br(0);
    f.end().end();
  }

  /**
   * One version of the step loop, in its own block (the stop branch leaves it with br 2). `exponents` is 'half'
   * where the caller has checked that every flagged H is ½ in every lane of the group.
   */
  private stepLoop(exponents: Exponents, fStarV: number, stopAtTargetsMask: number, any: number): void {
    const { f, program, pairs } = this;
    f.block().loop(); // for each step
    this.nodes.computeStep(pairs, exponents);

    f.get(this.i.k).get(this.i.nextRecord).op('i32.eq').if();
    for (const pair of pairs) this.record(pair);
    f.get(this.i.r).i32(1).op('i32.add').set(this.i.r);
    this.loadNextRecord();
    f.end();

    this.testTargetsAndStop(fStarV, stopAtTargetsMask, any);

    // Next values are computed from the old ones, except where a next value is itself another slot's input
    // (a state that keeps the previous θ): those go through a temporary before any slot is overwritten.
    const carried = this.plan.carried.inputs;
    const carriedSet = new Set(carried);
    for (const pair of pairs) {
      if (this.scratch) {
        this.scratch.update(pair, (id) => this.nodes.value(pair, id));
        continue;
      }
      program.theta.forEach((id, c) => {
        f.get(pair.at.get(id)!).set(pair.prev[c]);
      });
      const nextLocal = carried.map((id, c) => {
        const next = this.outputs[1 + c];
        if (next === id || !carriedSet.has(next)) return undefined;
        const t = this.pool.take();
        f.get(pair.at.get(next)!).set(t);
        return t;
      });
      carried.forEach((id, c) => {
        const next = this.outputs[1 + c];
        if (next === id) return;
        const t = nextLocal[c];
        if (t === undefined) this.nodes.value(pair, next)();
        else {
          f.get(t);
          this.pool.give(t);
        }
        f.set(pair.at.get(id)!);
      });
    }
    this.nodes.releaseStep(pairs);
    f.get(this.i.k).i32(1).op('i32.add').set(this.i.k);
    f.get(this.i.k).get(this.p('toStep')).op('i32.lt_s').brIf(0);
    f.end().end();
  }

  /** Records f (and θ of traced lanes) for the lanes of a pair still running. */
  private record(pair: Pair): void {
    const { f, program } = this;
    const fv = this.nodes.value(pair, program.f);
    [0, 1].forEach((lane) => {
      this.laneActive(pair.active, lane).if();
      f.get(this.p('fRecord'))
        .get(this.i.r)
        .get(this.i.stride)
        .op('i32.mul')
        .op('i32.add')
        .get(pair.laneOff)
        .op('i32.add');
      fv();
      f.f64x2ExtractLane(lane as 0 | 1).mem('f64.store', lane * 8);
      const slot = pair.slots[lane];
      f.get(slot).i32(0).op('i32.ge_s').if();
      // trace[((slot·R + r)·(dim + 1) + c)·8]
      const row = () =>
        f
          .get(this.p('trace'))
          .get(slot)
          .get(this.p('R'))
          .op('i32.mul')
          .get(this.i.r)
          .op('i32.add')
          .i32(program.dim + 1)
          .op('i32.mul')
          .i32(3)
          .op('i32.shl')
          .op('i32.add');
      const values = this.scratch ? [] : program.theta.map((id) => this.nodes.value(pair, id));
      if (this.scratch) this.scratch.thetaLane(pair, lane as 0 | 1, row);
      [...values, fv].forEach((value, k) => {
        row();
        value();
        f.f64x2ExtractLane(lane as 0 | 1).mem('f64.store', (this.scratch ? program.dim : k) * 8);
      });
      f.end();
      f.end();
    });
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
  private testTargetsAndStop(fStarV: number, stopAtTargetsMask: number, any: number): void {
    const { f, pairs } = this;
    pairs.forEach((pair, w) => {
      f.get(pair.active);
      this.tests.notDiverged(pair);
      this.tests.firstHits(pair, fStarV);
      f.simd('v128.andnot').simd('v128.andnot');
      if (w > 0) f.simd('v128.or');
    });
    f.simd('v128.any_true').get(this.i.k).get(this.p('steps')).op('i32.eq').op('i32.or').if();
    const [kf, last, stop] = [this.pool.take(), this.pool.take(), this.pool.take()];
    f.get(this.i.k).op('f64.convert_i32_s').simd('f64x2.splat').set(kf);
    this.splatI32(() => f.i32(0).get(this.i.k).get(this.p('steps')).op('i32.eq').op('i32.sub')).set(last);
    f.v128(new Uint8Array(16)).set(any);
    for (const pair of pairs) {
      const fv = this.nodes.value(pair, this.program.f);
      this.tests.updateHits(pair, kf, fStarV);
      this.tests.stopMask(pair, stopAtTargetsMask);
      f.get(pair.active).get(last).simd('v128.and').simd('v128.or').set(stop);
      f.get(kf).get(pair.divAt).get(pair.active);
      this.tests.notDiverged(pair);
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
    [kf, last, stop].forEach((local) => this.pool.give(local));
    f.get(any).simd('v128.any_true').op('i32.eqz').brIf(2); // out of the step loop
    f.end();
  }

  /** θ, prevTheta, state, hits; stop step, final f and divergence for lanes that stopped. */
  private writeBack(pair: Pair): void {
    const { f, program } = this;
    // A lane still running keeps its current values; a stopped one, those it had when it stopped.
    for (const local of this.carried(pair)) {
      f.get(local).get(pair.snapshot.get(local)!).get(pair.active).simd('v128.bitselect').set(local);
    }
    if (this.scratch) this.scratch.copy('out', pair);
    else {
      program.theta.forEach((id, c) => {
        this.mem.storeV(pair.laneOff, this.p('theta'), c, pair.at.get(id)!);
        this.mem.storeV(pair.laneOff, this.p('prevTheta'), c, pair.prev[c]);
      });
      this.stateInputs.forEach((id, c) => this.mem.storeV(pair.laneOff, this.p('state'), c, pair.at.get(id)!));
    }
    pair.hits.forEach((h, j) =>
      [0, 1].forEach((lane) => {
        this.mem.i32Addr(pair.laneOff, this.p('hits'), j, lane);
        f.get(h)
          .f64x2ExtractLane(lane as 0 | 1)
          .op('i32.trunc_f64_s')
          .mem('i32.store');
      }),
    );
    [0, 1].forEach((lane) => {
      f.get(pair.stopped)
        .f64x2ExtractLane(lane as 0 | 1)
        .f64(0)
        .op('f64.ge')
        .if();
      this.mem.i32Addr(pair.laneOff, this.p('stopStep'), 0, lane);
      f.get(pair.stopped)
        .f64x2ExtractLane(lane as 0 | 1)
        .op('i32.trunc_f64_s')
        .mem('i32.store');
      f.get(this.p('finalF')).get(pair.laneOff).op('i32.add');
      f.get(pair.finalF)
        .f64x2ExtractLane(lane as 0 | 1)
        .mem('f64.store', lane * 8);
      this.mem.i32Addr(pair.laneOff, this.p('divergedAt'), 0, lane);
      f.get(pair.divAt)
        .f64x2ExtractLane(lane as 0 | 1)
        .op('i32.trunc_f64_s')
        .mem('i32.store');
      f.end();
    });
  }

  private p(name: RunParam): number {
    return this.param[name];
  }

  /** v128 of lane masks from two i32 truth values (1 → all ones). */
  private laneMask(lane0: () => void, lane1: () => void): FunctionBuilder {
    const { f } = this;
    this.splatI32(() => {
      f.i32(0);
      lane0();
      f.op('i32.sub');
    });
    f.i32(0);
    lane1();
    f.op('i32.sub').op('i64.extend_i32_s').i64x2ReplaceLane(1);
    return f;
  }

  /** i64x2.splat of a sign-extended i32 (0 or −1 gives a lane mask). */
  private splatI32(value: () => void): FunctionBuilder {
    value();
    return this.f.op('i64.extend_i32_s').simd('i64x2.splat');
  }

  /** 1 if the given lane of a mask is set. */
  private laneActive(mask: number, lane: number): FunctionBuilder {
    return this.f
      .get(mask)
      .i64x2ExtractLane(lane as 0 | 1)
      .op('i64.eqz')
      .op('i32.eqz');
  }

  private loadNextRecord(): void {
    const { f } = this;
    f.get(this.i.r).get(this.p('R')).op('i32.lt_s').if(I32);
    f.get(this.p('recordSteps')).get(this.i.r).i32(2).op('i32.shl').op('i32.add').mem('i32.load');
    f.else().i32(-1).end();
    f.set(this.i.nextRecord);
  }
}
