/**
 * What every layout's kernel writer shares (codegen.ts for the locals and wide layouts, blockedLayout.ts for the
 * blocked one): the exported function's parameters, its shared locals, lane masks, the record schedule, and the
 * code that records f and traced θ of a lane pair.
 */
import type { StepProgram } from '../../program/stepProgram';
import { FunctionBuilder, I32, V128 } from './encoder';
import { LaneMemory } from './laneMemory';
import { LaneTests } from './laneTests';
import { LocalPool, NodeEmitter, type PairValues } from './nodeEmitter';
import type { SimdMath } from './simdMath';
import type { KernelPlan } from './kernelPlan';
import type { WideScratch } from './wideLayout';

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
  'blocks',
  'blockCount',
] as const;
export type RunParam = (typeof RUN_PARAMS)[number];

/** A lane pair as the shared code sees it: its values, its running lanes (v128 local) and its place in lane arrays. */
export interface FramePair extends PairValues {
  readonly active: number;
  /** Byte offset of the pair in f64 lane arrays (i32 local). */
  readonly laneOff: number;
  /** First hit step of each target per lane, as f64 (−1 before): v128 locals. */
  readonly hits: readonly number[];
}

export class KernelFrame {
  readonly pool: LocalPool;
  readonly mem: LaneMemory;
  /** Shared i32 locals. */
  readonly i: Record<'stride' | 'k' | 'r' | 'nextRecord' | 's0' | 's1', number>;
  /** The step's nodes as code. */
  readonly nodes: NodeEmitter;
  /** Target, divergence and stop tests. */
  readonly tests: LaneTests;
  /** f*, and the lane mask that enables the "every target reached" stop (v128). */
  readonly fStarV: number;
  readonly stopAtTargetsMask: number;
  private readonly param: Record<RunParam, number>;
  /** τⱼ splatted, loaded once per call. */
  private readonly taus: number[];

  constructor(
    readonly f: FunctionBuilder,
    readonly program: StepProgram,
    targetCount: number,
    readonly plan: KernelPlan,
    math: SimdMath,
    /** The wide layout's scratch loops, made from the frame's stride and parameters. */
    scratch?: (frame: KernelFrame) => WideScratch,
  ) {
    this.param = Object.fromEntries(RUN_PARAMS.map((p, i) => [p, i])) as Record<RunParam, number>;
    this.pool = new LocalPool(f);
    const i32 = () => f.local(I32);
    this.i = { stride: i32(), k: i32(), r: i32(), nextRecord: i32(), s0: i32(), s1: i32() };
    this.mem = new LaneMemory(f, this.i.stride);
    this.nodes = new NodeEmitter(
      f,
      program.graph,
      math,
      plan.patterns,
      this.pool,
      plan.perStep,
      plan.step,
      plan.layout,
    );
    this.taus = Array.from({ length: targetCount }, () => f.local(V128));
    this.fStarV = f.local(V128);
    this.stopAtTargetsMask = f.local(V128);
    this.tests = new LaneTests(f, this.nodes, this.pool, program, this.taus, scratch?.(this));
  }

  p(name: RunParam): number {
    return this.param[name];
  }

  /** The call's set-up: stride, f*, the stop-at-targets mask, τⱼ. */
  prologue(): void {
    const { f } = this;
    f.get(this.p('fStar')).simd('f64x2.splat').set(this.fStarV);
    // −stopAtTargets is all ones when it is 1: a lane mask that enables the "every target reached" stop.
    this.splatI32(() => f.i32(0).get(this.p('stopAtTargets')).op('i32.sub')).set(this.stopAtTargetsMask);
    f.get(this.p('n')).i32(3).op('i32.shl').set(this.i.stride);
    this.taus.forEach((tau, j) =>
      f
        .get(this.p('targets'))
        .mem('f64.load', j * 8)
        .simd('f64x2.splat')
        .set(tau),
    );
  }

  /** v128 of lane masks from two i32 truth values (1 → all ones). */
  laneMask(lane0: () => void, lane1: () => void): FunctionBuilder {
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
  splatI32(value: () => void): FunctionBuilder {
    value();
    return this.f.op('i64.extend_i32_s').simd('i64x2.splat');
  }

  /** 1 if the given lane of a mask is set. */
  laneActive(mask: number, lane: number): FunctionBuilder {
    return this.f
      .get(mask)
      .i64x2ExtractLane(lane as 0 | 1)
      .op('i64.eqz')
      .op('i32.eqz');
  }

  /** The running lanes of a pair from its stop steps (−1 while running). */
  activeFromStopSteps(laneOff: number): FunctionBuilder {
    const { f, i } = this;
    this.mem.loadI32Lanes(laneOff, this.p('stopStep'), 0, i.s0, i.s1);
    return this.laneMask(
      () => f.get(i.s0).i32(0).op('i32.lt_s'),
      () => f.get(i.s1).i32(0).op('i32.lt_s'),
    );
  }

  /** Pushes a pair's hits of target j as f64x2 (from the i32 lane array). */
  loadHits(laneOff: number, j: number): FunctionBuilder {
    const { f, i } = this;
    this.mem.loadI32Lanes(laneOff, this.p('hits'), j, i.s0, i.s1);
    return f
      .get(i.s0)
      .op('f64.convert_i32_s')
      .simd('f64x2.splat')
      .get(i.s1)
      .op('f64.convert_i32_s')
      .f64x2ReplaceLane(1);
  }

  /** Writes a pair's hits of target j (a v128 of f64 steps) back to the i32 lane array. */
  storeHits(laneOff: number, j: number, hits: number): void {
    const { f } = this;
    [0, 1].forEach((lane) => {
      this.mem.i32Addr(laneOff, this.p('hits'), j, lane);
      f.get(hits)
        .f64x2ExtractLane(lane as 0 | 1)
        .op('i32.trunc_f64_s')
        .mem('i32.store');
    });
  }

  /** nextRecord ← recordSteps[r], or −1 past the last. */
  loadNextRecord(): void {
    const { f } = this;
    f.get(this.i.r).get(this.p('R')).op('i32.lt_s').if(I32);
    f.get(this.p('recordSteps')).get(this.i.r).i32(2).op('i32.shl').op('i32.add').mem('i32.load');
    f.else().i32(-1).end();
    f.set(this.i.nextRecord);
  }

  /**
   * Records f (and θ of traced lanes) for the lanes of a pair still running. `slots` holds each lane's trace slot
   * (−1: not traced); `theta` pushes θ's trace row from an address (the wide layout's loop), else θ comes from
   * the pair's values.
   */
  record(pair: FramePair, slots: readonly [number, number], theta?: (lane: 0 | 1, row: () => void) => void): void {
    const { f, program } = this;
    const fv = this.nodes.value(pair, program.f);
    ([0, 1] as const).forEach((lane) => {
      this.laneActive(pair.active, lane).if();
      f.get(this.p('fRecord'))
        .get(this.i.r)
        .get(this.i.stride)
        .op('i32.mul')
        .op('i32.add')
        .get(pair.laneOff)
        .op('i32.add');
      fv();
      f.f64x2ExtractLane(lane).mem('f64.store', lane * 8);
      const slot = slots[lane];
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
      const values = theta ? [] : program.theta.map((id) => this.nodes.value(pair, id));
      if (theta) theta(lane, row);
      [...values, fv].forEach((value, k) => {
        row();
        value();
        f.f64x2ExtractLane(lane).mem('f64.store', (theta ? program.dim : k) * 8);
      });
      f.end();
      f.end();
    });
  }
}
