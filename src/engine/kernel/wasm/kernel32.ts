/**
 * Step program → WebAssembly module for `--precision f32`: four binary32 lanes per f32x4 and W quads of lanes per
 * loop, in the locals layout (codegen.ts's, for two binary64 lanes): θ, optimizer state, hyperparameters and loop
 * invariants in locals across steps, the W quads' instructions interleaved. The session's buffers are the f64
 * kernel's (wasmBackend.ts): θ, state and hyperparameters are rounded to float as a group is loaded and widened
 * (exactly) when it is written back; f is widened where it is recorded.
 *
 * The target test of the JS backend, f − f* ≤ τ in binary64 on the float f, is f ≤ t for the largest float t that
 * passes it (f − f* is monotone in f): the session passes those thresholds (`floatThresholds`) in place of the
 * targets, so that the step compares floats. The divergence bound 1e10 is a float.
 */
import type { NodeId } from '../../expr/ir';
import type { StepProgram } from '../../program/stepProgram';
import { stepSchedule } from '../../program/stepSchedule';
import { DIVERGENCE_BOUND } from '../types';
import { F64, I32, ModuleBuilder, V128, type FunctionBuilder } from './encoder';
import { RUN_PARAMS, type RunParam } from './kernelFrame';
import { LOCALS_BUDGET } from './kernelPlan';
import { LocalPool } from './nodeEmitter';
import { NodeEmitter32, type Exponents32, type QuadValues } from './nodeEmitter32';
import { SimdMath } from './simdMath';
import { SimdMath32 } from './simdMath32';
import { findStepPatterns } from './stepPatterns';
import { localsPlan } from './wideLayout';

/** Lanes 0–1 of the first operand, then lanes 0–1 of the second (two demoted halves joined). */
const LOW_HALVES = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
/** Lanes 2–3 moved down, for widening the high half. */
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
const LANES = [0, 1, 2, 3] as const;

interface Quad extends QuadValues {
  readonly prev: number[];
  readonly snapshot: Map<number, number>;
  /** First hit step of each target per lane, i32x4 (−1 before). */
  readonly hits: number[];
  /** Running lanes (i32x4 mask). */
  readonly active: number;
  /** Stop step (i32x4, −1 while running), f at the stop (f32x4), divergence step (i32x4). */
  readonly stopped: number;
  readonly finalF: number;
  readonly divAt: number;
  /** Byte offset of the quad in f64 lane arrays (i32 local); half of it in i32 arrays. */
  readonly laneOff: number;
  readonly slots: readonly number[];
  /** 1 when some lane of the quad is traced (i32). */
  readonly traced: number;
}

/**
 * Quads per loop iteration, the most first: measured on Beale with h-Adam (CPU time per lane-step, 2-core AMD EPYC, Node 20),
 * W = 2: 3.75 ns, 4: 2.89, 6: 2.80, 8: 2.78 — the step is bound by its divisions and square roots once 6 quads
 * overlap. A program whose locals do not fit LOCALS_BUDGET at W quads takes fewer.
 */
const QUADS = [6, 4, 2, 1];

/**
 * The f32 module: `run` with codegen.ts's parameters, `targets` pointing at float thresholds. `quads` (tests and
 * measurements) overrides the choice of W.
 */
export function generateModule32(program: StepProgram, targetCount: number, quads?: number) {
  const { outputs, invariant, perStep } = stepSchedule(program);
  const carried = [...program.theta, ...program.state.flatMap((s) => s.inputs)];
  const patterns = findStepPatterns(program.graph, perStep, outputs, new Set(carried));
  const step = localsPlan(patterns, outputs);
  const perQuad =
    2 * (carried.length + program.dim) + program.params.length + targetCount + 4 + invariant.length + step.peakLocals;
  const W = quads ?? QUADS.find((w) => w * perQuad <= LOCALS_BUDGET) ?? 1;
  if (W * perQuad > LOCALS_BUDGET)
    throw new RangeError(
      `precision f32 is not available on wasm-simd for a program this big (${program.dim} variables) yet; use --backend js`,
    );
  const module = new ModuleBuilder();
  const f = module.func(
    RUN_PARAMS.map((p) => (p === 'fStar' ? F64 : I32)),
    [],
  );
  module.exportFunc('run', f.index);
  const math = new SimdMath32(new SimdMath(module));
  const pool = new LocalPool(f);
  const nodes = new NodeEmitter32(f, program.graph, math, patterns, pool, perStep, step);
  new Writer32(f, program, targetCount, W, nodes, pool, { outputs, invariant, carried }).write();
  const heapBase = Math.ceil(module.dataEnd / 16) * 16;
  module.setMemory({ min: Math.ceil((heapBase + 1) / 65536) });
  module.exportMemory('memory');
  return { bytes: module.encode(), heapBase, laneGroup: 4 * W, blockPairs: 0 };
}

class Writer32 {
  private readonly quads: Quad[];
  private readonly param: Record<RunParam, number>;
  private readonly i: Record<'stride' | 'k' | 'r' | 'nextRecord' | 'group', number>;
  private readonly taus: number[];
  private readonly stopAtTargetsMask: number;

  constructor(
    private readonly f: FunctionBuilder,
    private readonly program: StepProgram,
    targetCount: number,
    W: number,
    private readonly nodes: NodeEmitter32,
    private readonly pool: LocalPool,
    private readonly plan: {
      readonly outputs: readonly NodeId[];
      readonly invariant: readonly NodeId[];
      readonly carried: readonly NodeId[];
    },
  ) {
    this.param = Object.fromEntries(RUN_PARAMS.map((p, i) => [p, i])) as Record<RunParam, number>;
    const i32 = () => f.local(I32);
    const v = () => f.local(V128);
    this.i = { stride: i32(), k: i32(), r: i32(), nextRecord: i32(), group: i32() };
    this.taus = Array.from({ length: targetCount }, v);
    this.stopAtTargetsMask = v();
    this.quads = Array.from({ length: W }, (): Quad => {
      const at = new Map<NodeId, number>();
      for (const id of [...plan.carried, ...program.params.map((p) => p.input)]) at.set(id, v());
      return {
        at,
        powFlags: new Map(),
        prev: program.theta.map(v),
        snapshot: new Map(),
        hits: Array.from({ length: targetCount }, v),
        active: v(),
        stopped: v(),
        finalF: v(),
        divAt: v(),
        laneOff: i32(),
        slots: LANES.map(i32),
        traced: i32(),
      };
    });
  }

  private p(name: RunParam): number {
    return this.param[name];
  }

  write(): void {
    const { f, program, quads, i, nodes } = this;
    const W = quads.length;
    const any = f.local(V128);
    f.get(this.p('n')).i32(3).op('i32.shl').set(i.stride);
    f.i32(0).get(this.p('stopAtTargets')).op('i32.sub').simd('i32x4.splat').set(this.stopAtTargetsMask);
    this.taus.forEach((tau, j) => {
      f.get(this.p('targets'))
        .mem('f32.load', 4 * j)
        .simd('f32x4.splat')
        .set(tau);
    });
    f.i32(0).set(i.group);

    f.block().loop(); // for each group of W quads
    f.get(i.group)
      .i32(4 * W)
      .op('i32.mul')
      .get(this.p('n'))
      .op('i32.ge_u')
      .brIf(1);
    f.block(); // skipped when every lane has stopped
    f.v128(new Uint8Array(16)).set(any);
    quads.forEach((quad, w) => {
      f.get(i.group).i32(W).op('i32.mul').i32(w).op('i32.add').i32(5).op('i32.shl').set(quad.laneOff);
      this.i32Addr(quad, 'stopStep', 0);
      f.v128Load().v128(new Uint8Array(16)).simd('i32x4.lt_s').tee(quad.active);
      f.get(any).simd('v128.or').set(any);
    });
    f.get(any).simd('v128.any_true').op('i32.eqz').brIf(0);

    const stateInputs = program.state.flatMap((s) => s.inputs);
    for (const quad of quads) {
      program.theta.forEach((id, c) => {
        this.loadFloats(quad, 'theta', c, quad.at.get(id)!);
        this.loadFloats(quad, 'prevTheta', c, quad.prev[c]);
      });
      stateInputs.forEach((id, c) => this.loadFloats(quad, 'state', c, quad.at.get(id)!));
      program.params.forEach(({ input }, c) => this.loadFloats(quad, 'params', c, quad.at.get(input)!));
      quad.hits.forEach((h, j) => {
        this.i32Addr(quad, 'hits', j);
        f.v128Load().set(h);
      });
      quad.slots.forEach((slot, lane) => {
        this.i32Addr(quad, 'traceSlot', 0);
        f.mem('i32.load', 4 * lane)
          .tee(slot)
          .i32(0)
          .op('i32.ge_s');
        if (lane > 0) f.op('i32.or');
      });
      f.set(quad.traced);
      for (const local of this.carriedLocals(quad)) {
        const snap = f.local(V128);
        f.get(local).set(snap);
        quad.snapshot.set(local, snap);
      }
      for (const id of this.plan.invariant) nodes.compute(quad, id, f.local(V128));
      nodes.computePowFlags(quad);
      f.v128(new Uint8Array(Int32Array.of(-1, -1, -1, -1).buffer)).set(quad.stopped);
      f.v128(new Uint8Array(Int32Array.of(-1, -1, -1, -1).buffer)).set(quad.divAt);
      f.f32x4(NaN).set(quad.finalF);
    }
    f.get(this.p('firstRecord')).set(i.r);
    this.loadNextRecord();
    f.get(this.p('fromStep')).set(i.k);

    f.block();
    f.get(i.k).get(this.p('toStep')).op('i32.ge_s').brIf(0);
    const flags = quads.flatMap((q) => [...q.powFlags.values()]);
    if (flags.length > 0) {
      flags.forEach((flag, n) => {
        f.get(flag);
        if (n > 0) f.op('i32.and');
      });
      f.if();
      this.stepLoop('half', any);
      f.else();
      this.stepLoop('general', any);
      f.end();
    } else this.stepLoop('general', any);
    f.end();

    for (const quad of quads) this.writeBack(quad, stateInputs);
    f.end(); // the skip block
    f.get(i.group).i32(1).op('i32.add').set(i.group);
    f.br(0);
    f.end().end();
  }

  private stepLoop(exponents: Exponents32, any: number): void {
    const { f, program, quads, nodes, pool, i } = this;
    f.block().loop();
    nodes.computeStep(quads, exponents);

    f.get(i.k).get(i.nextRecord).op('i32.eq').if();
    for (const quad of quads) this.record(quad);
    f.get(i.r).i32(1).op('i32.add').set(i.r);
    this.loadNextRecord();
    f.end();

    this.testTargetsAndStop(any);

    const carried = this.plan.carried;
    const carriedSet = new Set(carried);
    for (const quad of quads) {
      program.theta.forEach((id, c) => {
        f.get(quad.at.get(id)!).set(quad.prev[c]);
      });
      const temporaries = carried.map((id, c) => {
        const next = this.plan.outputs[1 + c];
        if (next === id || !carriedSet.has(next)) return undefined;
        const t = pool.take();
        f.get(quad.at.get(next)!).set(t);
        return t;
      });
      carried.forEach((id, c) => {
        const next = this.plan.outputs[1 + c];
        if (next === id) return;
        const t = temporaries[c];
        if (t === undefined) nodes.value(quad, next)();
        else {
          f.get(t);
          pool.give(t);
        }
        f.set(quad.at.get(id)!);
      });
    }
    nodes.releaseStep(quads);
    f.get(i.k).i32(1).op('i32.add').set(i.k);
    f.get(i.k).get(this.p('toStep')).op('i32.lt_s').brIf(0);
    f.end().end();
  }

  private carriedLocals(quad: Quad): number[] {
    return this.plan.carried.map((id) => quad.at.get(id)!).concat(quad.prev);
  }

  /** Pushes the lanes that have not diverged: f and every coordinate finite, |θᵢ| ≤ 1e10 (a float). */
  private notDiverged(quad: Quad): void {
    const { f, program, nodes } = this;
    nodes.value(quad, program.f)();
    f.simd('f32x4.abs').f32x4(Infinity).simd('f32x4.lt');
    for (const id of program.theta) {
      nodes.value(quad, id)();
      f.simd('f32x4.abs').f32x4(DIVERGENCE_BOUND).simd('f32x4.le').simd('v128.and');
    }
  }

  /** Pushes the lanes that reach some target for the first time. */
  private firstHits(quad: Quad): void {
    const { f } = this;
    if (quad.hits.length === 0) {
      f.v128(new Uint8Array(16));
      return;
    }
    quad.hits.forEach((h, j) => {
      f.get(h).v128(new Uint8Array(16)).simd('i32x4.lt_s');
      this.nodes.value(quad, this.program.f)();
      f.get(this.taus[j]).simd('f32x4.le').simd('v128.and');
      if (j > 0) f.simd('v128.or');
    });
  }

  /** As codegen.ts's: a test per step ORs the rare events, and the branch works out hits and stops. */
  private testTargetsAndStop(any: number): void {
    const { f, quads, pool, i } = this;
    quads.forEach((quad, w) => {
      f.get(quad.active);
      this.notDiverged(quad);
      this.firstHits(quad);
      f.simd('v128.andnot').simd('v128.andnot');
      if (w > 0) f.simd('v128.or');
    });
    f.simd('v128.any_true').get(i.k).get(this.p('steps')).op('i32.eq').op('i32.or').if();
    const [kv, last, stop] = [pool.take(), pool.take(), pool.take()];
    f.get(i.k).simd('i32x4.splat').set(kv);
    f.i32(0).get(i.k).get(this.p('steps')).op('i32.eq').op('i32.sub').simd('i32x4.splat').set(last);
    f.v128(new Uint8Array(16)).set(any);
    for (const quad of quads) {
      const fv = this.nodes.value(quad, this.program.f);
      quad.hits.forEach((h, j) => {
        f.get(kv).get(h);
        f.get(quad.active).get(h).v128(new Uint8Array(16)).simd('i32x4.lt_s').simd('v128.and');
        fv();
        f.get(this.taus[j]).simd('f32x4.le').simd('v128.and');
        f.simd('v128.bitselect').set(h);
      });
      f.get(quad.active);
      this.notDiverged(quad);
      f.get(this.stopAtTargetsMask);
      for (const h of quad.hits) f.get(h).v128(new Uint8Array(16)).simd('i32x4.ge_s').simd('v128.and');
      f.simd('v128.andnot').simd('v128.andnot');
      f.get(quad.active).get(last).simd('v128.and').simd('v128.or').set(stop);
      f.get(kv).get(quad.divAt).get(quad.active);
      this.notDiverged(quad);
      f.simd('v128.andnot').simd('v128.bitselect').set(quad.divAt);
      f.get(kv).get(quad.stopped).get(stop).simd('v128.bitselect').set(quad.stopped);
      fv();
      f.get(quad.finalF).get(stop).simd('v128.bitselect').set(quad.finalF);
      for (const local of this.carriedLocals(quad)) {
        const snap = quad.snapshot.get(local)!;
        f.get(local).get(snap).get(stop).simd('v128.bitselect').set(snap);
      }
      f.get(quad.active).get(stop).simd('v128.andnot').tee(quad.active);
      f.get(any).simd('v128.or').set(any);
    }
    [kv, last, stop].forEach((local) => pool.give(local));
    f.get(any).simd('v128.any_true').op('i32.eqz').brIf(2);
    f.end();
  }

  /**
   * f (and θ of traced lanes) of the quad's running lanes, widened to f64: a quad whose lanes all run (nearly every
   * one) stores its four values with two vector stores, and only a quad with a traced lane tests its lanes' slots.
   */
  private record(quad: Quad): void {
    const { f, program, i } = this;
    const fv = this.nodes.value(quad, program.f);
    const row = () =>
      f.get(this.p('fRecord')).get(i.r).get(i.stride).op('i32.mul').op('i32.add').get(quad.laneOff).op('i32.add');
    f.get(quad.active).simd('i32x4.all_true').if();
    row();
    fv();
    f.simd('f64x2.promote_low_f32x4').v128Store();
    row();
    fv();
    fv();
    f.i8x16Shuffle(HIGH_HALF).simd('f64x2.promote_low_f32x4').v128Store(16);
    f.else();
    for (const lane of LANES) {
      f.get(quad.active).i32x4ExtractLane(lane).if();
      row();
      fv();
      f.f32x4ExtractLane(lane)
        .op('f64.promote_f32')
        .mem('f64.store', 8 * lane);
      f.end();
    }
    f.end();
    f.get(quad.traced).if();
    for (const lane of LANES) {
      const slot = quad.slots[lane];
      f.get(quad.active).i32x4ExtractLane(lane).get(slot).i32(0).op('i32.ge_s').op('i32.and').if();
      const values = [...program.theta.map((id) => this.nodes.value(quad, id)), fv];
      values.forEach((value, c) => {
        f.get(this.p('trace'))
          .get(slot)
          .get(this.p('R'))
          .op('i32.mul')
          .get(i.r)
          .op('i32.add')
          .i32(program.dim + 1)
          .op('i32.mul')
          .i32(3)
          .op('i32.shl')
          .op('i32.add');
        value();
        f.f32x4ExtractLane(lane)
          .op('f64.promote_f32')
          .mem('f64.store', 8 * c);
      });
      f.end();
    }
    f.end();
  }

  private writeBack(quad: Quad, stateInputs: readonly NodeId[]): void {
    const { f, program } = this;
    for (const local of this.carriedLocals(quad))
      f.get(local).get(quad.snapshot.get(local)!).get(quad.active).simd('v128.bitselect').set(local);
    program.theta.forEach((id, c) => {
      this.storeFloats(quad, 'theta', c, quad.at.get(id)!);
      this.storeFloats(quad, 'prevTheta', c, quad.prev[c]);
    });
    stateInputs.forEach((id, c) => this.storeFloats(quad, 'state', c, quad.at.get(id)!));
    quad.hits.forEach((h, j) => {
      this.i32Addr(quad, 'hits', j);
      f.get(h).v128Store();
    });
    for (const lane of LANES) {
      f.get(quad.stopped).i32x4ExtractLane(lane).i32(0).op('i32.ge_s').if();
      this.i32Addr(quad, 'stopStep', 0);
      f.get(quad.stopped)
        .i32x4ExtractLane(lane)
        .mem('i32.store', 4 * lane);
      f.get(this.p('finalF')).get(quad.laneOff).op('i32.add');
      f.get(quad.finalF)
        .f32x4ExtractLane(lane)
        .op('f64.promote_f32')
        .mem('f64.store', 8 * lane);
      this.i32Addr(quad, 'divergedAt', 0);
      f.get(quad.divAt)
        .i32x4ExtractLane(lane)
        .mem('i32.store', 4 * lane);
      f.end();
    }
  }

  /** nextRecord ← recordSteps[r], or −1 past the last. */
  private loadNextRecord(): void {
    const { f, i } = this;
    f.get(i.r).get(this.p('R')).op('i32.lt_s').if(I32);
    f.get(this.p('recordSteps')).get(i.r).i32(2).op('i32.shl').op('i32.add').mem('i32.load');
    f.else().i32(-1).end();
    f.set(i.nextRecord);
  }

  /** Pushes the address of a quad's four f64 values of a component: base + component·stride + laneOff. */
  private f64Addr(quad: Quad, base: RunParam, component: number): void {
    const { f } = this;
    f.get(this.p(base)).get(quad.laneOff).op('i32.add');
    if (component > 0) f.get(this.i.stride).i32(component).op('i32.mul').op('i32.add');
  }

  /** Pushes the address of a quad's four i32 values of a component (i32 arrays are half as wide). */
  private i32Addr(quad: Quad, base: RunParam, component: number): void {
    const { f } = this;
    f.get(this.p(base)).get(quad.laneOff).i32(1).op('i32.shr_u').op('i32.add');
    if (component > 0) f.get(this.i.stride).i32(1).op('i32.shr_u').i32(component).op('i32.mul').op('i32.add');
  }

  /** Four f64 values rounded to float (f32x4.demote rounds as Math.fround) into a local. */
  private loadFloats(quad: Quad, base: RunParam, component: number, local: number): void {
    const { f } = this;
    this.f64Addr(quad, base, component);
    f.v128Load().simd('f32x4.demote_f64x2_zero');
    this.f64Addr(quad, base, component);
    f.v128Load(16).simd('f32x4.demote_f64x2_zero').i8x16Shuffle(LOW_HALVES).set(local);
  }

  /** A local's four floats widened (exactly) to f64 values. */
  private storeFloats(quad: Quad, base: RunParam, component: number, local: number): void {
    const { f } = this;
    this.f64Addr(quad, base, component);
    f.get(local).simd('f64x2.promote_low_f32x4').v128Store();
    this.f64Addr(quad, base, component);
    f.get(local).get(local).i8x16Shuffle(HIGH_HALF).simd('f64x2.promote_low_f32x4').v128Store(16);
  }
}

/**
 * Per target τ, the largest float t with t − f* ≤ τ in binary64 (NaN when there is none): for a float f,
 * f − f* ≤ τ exactly when f ≤ t, since f − f* rounds monotonically in f.
 */
export function floatThresholds(targets: ArrayLike<number>, fStar: number, out: Float32Array): void {
  const bits = new Int32Array(out.buffer, out.byteOffset, out.length);
  for (let j = 0; j < targets.length; j++) {
    const tau = targets[j];
    const passes = (x: number) => x - fStar <= tau;
    let t = Math.fround(tau + fStar);
    if (Number.isNaN(t)) t = Infinity;
    // down to a float that passes, then up to the last one that does (a few steps from fround(τ + f*))
    for (let n = 0; !passes(t) && n < 1 << 16; n++) t = nextFloat(t, -1);
    if (!passes(t)) {
      bits[j] = 0x7fc00000;
      continue;
    }
    for (let up = nextFloat(t, 1); t !== Infinity && passes(up); up = nextFloat(up, 1)) t = up;
    out[j] = t;
  }
}

/** The next float above (dir 1) or below (dir −1) a float. */
function nextFloat(x: number, dir: 1 | -1): number {
  if (x === 0) return dir * 2 ** -149;
  if (x === dir * Infinity) return x;
  const b = new Float32Array([x]);
  const i = new Int32Array(b.buffer);
  i[0] += x > 0 === dir > 0 ? 1 : -1;
  return b[0];
}
