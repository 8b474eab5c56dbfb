/**
 * Step program → WebAssembly module. Two lanes per f64x2, and W lane pairs per loop: one fused loop per group
 * keeps θ, optimizer state, hyperparameters and loop invariants in locals across steps; memory is touched only
 * to record f and trajectories. The W pairs' instructions are interleaved, because one pair's step is a long
 * dependent chain (∇f → power transform → moments → division → √ → update) that would leave the CPU idle.
 * A lane that stops (diverged, every target reached, budget spent) is frozen by a mask while the others go on,
 * so results are exactly those of one lane at a time (the JS backend's semantics).
 *
 * What one step computes is nodeEmitter.ts's; this file writes the loops, memory traffic, targets and stops.
 *
 * Exported: `run(n, steps, fromStep, toStep, firstRecord, R, fStar, stopAtTargets, …buffer addresses)`, n a
 * multiple of 2W, resumable across calls like every kernel session (types.ts).
 */
import type { Graph, NodeId } from '../../expr/ir';
import { schedule } from '../jsBackend';
import type { StepProgram } from '../../run/stepProgram';
import { DIVERGENCE_BOUND } from '../types';
import { F64, FunctionBuilder, I32, ModuleBuilder, V128 } from './encoder';
import { LaneMemory } from './laneMemory';
import { LocalPool, NodeEmitter, type Exponents, type PairValues } from './nodeEmitter';
import { SimdMath } from './simdMath';
import { findStepPatterns, type StepPatterns } from './stepPatterns';

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

export function generateModule(program: StepProgram, targetCount: number, pairs = DEFAULT_PAIRS): GeneratedModule {
  const module = new ModuleBuilder(0);
  const f = module.func(
    RUN_PARAMS.map((p) => (p === 'fStar' ? F64 : I32)),
    [],
  );
  module.exportFunc('run', f.index);
  new KernelWriter(program, targetCount, pairs, f, new SimdMath(module)).write();
  const heapBase = Math.ceil(module.dataEnd / 16) * 16;
  module.setMemory({ min: Math.ceil((heapBase + 1) / 65536) });
  module.exportMemory('memory');
  return { bytes: module.encode(), heapBase, laneGroup: 2 * pairs };
}

/** One lane pair's locals. */
interface Pair extends PairValues {
  readonly prev: number[];
  /**
   * θ, state and prevθ as they were when each lane stopped. Updates run unmasked (a stopped lane's values
   * drift on, unseen); the rare stop branch snapshots them, and write-back takes the snapshot for stopped lanes.
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
  private readonly perStep: readonly NodeId[];
  /** τⱼ splatted, loaded once per call. */
  private readonly taus: number[];
  private readonly patterns: StepPatterns;
  /** The step's nodes as code. */
  private readonly nodes: NodeEmitter;

  constructor(
    private readonly program: StepProgram,
    targetCount: number,
    pairCount: number,
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
    this.outputs = [program.f, ...program.next, ...program.state.flatMap((s) => s.next)];
    ({ invariant: this.invariant, perStep: this.perStep } = schedule(
      this.g,
      this.outputs,
      (name) => !name.startsWith('param:'),
    ));
    this.patterns = findStepPatterns(this.g, this.perStep, this.outputs);
    this.nodes = new NodeEmitter(f, this.g, math, this.patterns, this.pool, this.perStep, this.outputs);
    this.taus = Array.from({ length: targetCount }, () => v());
    this.pairs = Array.from({ length: pairCount }, (): Pair => {
      const at = new Map<NodeId, number>();
      for (const id of [...program.theta, ...this.stateInputs, ...program.params.map((p) => p.input)]) at.set(id, v());
      return {
        at,
        prev: program.theta.map(() => v()),
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
      program.theta.forEach((id, c) => {
        this.mem.loadV(pair.laneOff, this.p('theta'), c, pair.at.get(id)!);
        this.mem.loadV(pair.laneOff, this.p('prevTheta'), c, pair.prev[c]);
      });
      this.stateInputs.forEach((id, c) => this.mem.loadV(pair.laneOff, this.p('state'), c, pair.at.get(id)!));
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
    const carried = [...program.theta, ...this.stateInputs];
    for (const pair of pairs) {
      program.theta.forEach((id, c) => {
        f.get(pair.at.get(id)!).set(pair.prev[c]);
      });
      const nextLocal = carried.map((id, c) => {
        const next = this.outputs[1 + c];
        if (next === id || !carried.includes(next)) return undefined;
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
      [...program.theta.map((id) => this.nodes.value(pair, id)), fv].forEach((value, c) => {
        // trace[((slot·R + r)·(dim + 1) + c)·8]
        f.get(this.p('trace'))
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
        value();
        f.f64x2ExtractLane(lane as 0 | 1).mem('f64.store', c * 8);
      });
      f.end();
      f.end();
    });
  }

  /** θ, state and prevθ locals of a pair: what a stopped lane must keep. */
  private carried(pair: Pair): number[] {
    return [...this.program.theta, ...this.stateInputs].map((id) => pair.at.get(id)!).concat(pair.prev);
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
      this.notDiverged(pair);
      this.firstHits(pair, fStarV);
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
      this.updateHits(pair, kf, fStarV);
      this.stopMask(pair, stopAtTargetsMask);
      f.get(pair.active).get(last).simd('v128.and').simd('v128.or').set(stop);
      f.get(kf).get(pair.divAt).get(pair.active);
      this.notDiverged(pair);
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

  /** Pushes the lanes of a pair that reach some target for the first time (f − f* ≤ τⱼ while hⱼ is −1). */
  private firstHits(pair: Pair, fStarV: number): void {
    const { f } = this;
    if (pair.hits.length === 0) {
      f.v128(new Uint8Array(16));
      return;
    }
    const gap = this.pool.take();
    this.nodes.value(pair, this.program.f)();
    f.get(fStarV).simd('f64x2.sub').set(gap);
    pair.hits.forEach((h, j) => {
      f.get(h).f64x2(0).simd('f64x2.lt').get(gap).get(this.taus[j]).simd('f64x2.le').simd('v128.and');
      if (j > 0) f.simd('v128.or');
    });
    this.pool.give(gap);
  }

  /** hⱼ ← k for the running lanes of a pair that reach target j for the first time. */
  private updateHits(pair: Pair, kf: number, fStarV: number): void {
    const { f } = this;
    const gap = this.pool.take();
    this.nodes.value(pair, this.program.f)();
    f.get(fStarV).simd('f64x2.sub').set(gap);
    pair.hits.forEach((h, j) => {
      f.get(kf).get(h);
      f.get(pair.active)
        .get(h)
        .f64x2(0)
        .simd('f64x2.lt')
        .simd('v128.and')
        .get(gap)
        .get(this.taus[j])
        .simd('f64x2.le')
        .simd('v128.and');
      f.simd('v128.bitselect').set(h);
    });
    this.pool.give(gap);
  }

  /** Pushes the lanes of a pair that stop at this step, but for the budget: diverged, or every target reached (when asked). */
  private stopMask(pair: Pair, stopAtTargetsMask: number): void {
    const { f } = this;
    f.get(pair.active);
    this.notDiverged(pair);
    f.get(stopAtTargetsMask);
    pair.hits.forEach((h) => {
      f.get(h).f64x2(0).simd('f64x2.ge').simd('v128.and');
    });
    f.simd('v128.andnot').simd('v128.andnot');
  }

  /** Pushes the lanes of a pair that have not diverged: f and every coordinate finite, |θᵢ| ≤ 1e10 (CONVENTIONS.md). */
  private notDiverged(pair: Pair): void {
    const { f, program } = this;
    this.nodes.value(pair, program.f)();
    f.simd('f64x2.abs').f64x2(Infinity).simd('f64x2.lt');
    for (const id of program.theta) {
      this.nodes.value(pair, id)();
      f.simd('f64x2.abs').f64x2(DIVERGENCE_BOUND).simd('f64x2.le').simd('v128.and');
    }
  }

  /** θ, prevTheta, state, hits; stop step, final f and divergence for lanes that stopped. */
  private writeBack(pair: Pair): void {
    const { f, program } = this;
    // A lane still running keeps its current values; a stopped one, those it had when it stopped.
    for (const local of this.carried(pair)) {
      f.get(local).get(pair.snapshot.get(local)!).get(pair.active).simd('v128.bitselect').set(local);
    }
    program.theta.forEach((id, c) => {
      this.mem.storeV(pair.laneOff, this.p('theta'), c, pair.at.get(id)!);
      this.mem.storeV(pair.laneOff, this.p('prevTheta'), c, pair.prev[c]);
    });
    this.stateInputs.forEach((id, c) => this.mem.storeV(pair.laneOff, this.p('state'), c, pair.at.get(id)!));
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
