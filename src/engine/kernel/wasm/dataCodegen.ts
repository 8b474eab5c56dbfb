/**
 * Data step program → WebAssembly module: the data kernel of kernel/dataTypes.ts, two lanes (training runs) per
 * f64x2, each lane exactly as the JS data kernel (jsDataBackend.ts) runs it.
 *
 * Loop order: for each group of W lane pairs, for each step of the call, the step's phases (dataStep.ts). A
 * pair's θ, state, gradient point and accumulators live in its scratch memory (dataPlan.ts) at static
 * addresses, a few KB that stay in L1 for the whole call, copied from and back to the session's lane arrays
 * once per call; the dataset lives once in the instance's memory and every lane reads it. The per-step control
 * (records, epoch ends, row indices) is scalar code shared by the group, a few dozen instructions beside the
 * thousands of the step's SIMD code.
 *
 * A lane that stops (diverged, every target reached, budget spent) is frozen as codegen.ts does it: its θ and
 * state are copied to `snap` in the (rare) stop branch, its records are masked, and write-back takes `snap`.
 *
 * Exported: `run(…RUN_DATA_PARAMS)`, n a multiple of 2W, resumable across calls like the JS data kernel.
 */
import type { Graph, NodeId } from '../../expr/ir';
import type { DataStepProgram } from '../../program/dataProgram';
import { DIVERGENCE_BOUND } from '../types';
import { F64, I32, ModuleBuilder, V128, type FunctionBuilder } from './encoder';
import { LocalPool, NodeEmitter } from './nodeEmitter';
import { planData, type DataPlan } from './dataPlan';
import { PhaseWriter, SpillSlots, type PhasePair, type Sink } from './dataPhases';
import { DataStepWriter } from './dataStep';
import { SimdMath } from './simdMath';
import { WINDOW } from './wideLayout';
import { Vec } from './simdDsl';
import type { StepPatterns } from './stepPatterns';

/** Parameters of the exported `run`, in order (all i32 except fStar). */
export const RUN_DATA_PARAMS = [
  'n',
  'steps',
  'fromStep',
  'toStep',
  'firstRecord',
  'R',
  'fStar',
  'stopAtTargets',
  'batch',
  'epochSteps',
  'epochCount',
  'orderLength',
  'noiseSteps',
  'noisy',
  'width',
  'nTrain',
  'nMetric',
  'theta',
  'state',
  'params',
  'targets',
  'recordSteps',
  'traceSlot',
  'laneStart',
  'finalF',
  'stopStep',
  'divergedAt',
  'hits',
  'fRecord',
  'minibatch',
  'gradNorm2',
  'descent',
  'epochLoss',
  'epochMetrics',
  'trace',
  'order',
  'noise',
  'values',
  'train',
  'metricRows',
] as const;
export type DataRunParam = (typeof RUN_DATA_PARAMS)[number];

export interface GeneratedDataModule {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** First byte free for buffers (16-aligned). */
  readonly heapBase: number;
  /** Lanes per group (2W): the session's stride is a multiple of it. */
  readonly laneGroup: number;
}

/** Lane pairs per group (interleaved node by node): measured with `descent-lab bench --fn` (README). */
export const DEFAULT_DATA_PAIRS = 1;

/** One lane pair's locals and places. */
export interface DataPair {
  /** Static address of the pair's scratch (dataPlan.ts regions). */
  readonly core: number;
  /** Optimizer-graph values (θ, state, gB, fB in memory; hyperparameters and invariants in locals). */
  readonly opt: PhasePair;
  /** Row-graph values (θ or the gradient point in memory; columns as loaded). */
  readonly row: PhasePair;
  /** Byte offset of the pair in f64 lane arrays (i32). */
  readonly laneOff: number;
  readonly active: number;
  /** Lanes whose θ is finite and within the divergence bound. */
  readonly bounded: number;
  readonly stopped: number;
  readonly finalF: number;
  readonly divAt: number;
  /** F(θₖ) when it was last computed. */
  readonly F: number;
  readonly hits: readonly number[];
  /** Trace slot of each lane (i32). */
  readonly slots: readonly [number, number];
  /** Each lane's row order for this epoch: order + start·L·4 (i32). */
  readonly orderBase: readonly [number, number];
  /** Each lane's σ·z: noise + start·noiseSteps·P·8 (i32). */
  readonly noiseBase: readonly [number, number];
  /** Each lane's minibatch row address (i32). */
  readonly rowAddr: readonly [number, number];
}

/** The emitters of a module: one NodeEmitter and PhaseWriter per phase pattern set. */
export interface DataEmitters {
  readonly lossGrad: PhaseWriter;
  readonly loss: PhaseWriter;
  readonly metrics: PhaseWriter;
  readonly point: PhaseWriter;
  readonly update: PhaseWriter;
  /** The NodeEmitter of the update phases (invariants, pow flags). */
  readonly updateNodes: NodeEmitter;
  readonly rowNodes: readonly NodeEmitter[];
  readonly pointNodes: NodeEmitter;
}

export function generateDataModule(
  program: DataStepProgram,
  targetCount: number,
  pairs = DEFAULT_DATA_PAIRS,
): GeneratedDataModule {
  const plan = planData(program);
  const scratchEnd = pairs * plan.regions.bytes;
  const spill = new SpillSlots(16 * pairs);
  // Pair scratch first, then the spill slots, then the math tables, then the session's buffers.
  const module = new ModuleBuilder(scratchEnd + plan.spillBound * spill.stride);
  const f = module.func(
    RUN_DATA_PARAMS.map((p) => (p === 'fStar' ? F64 : I32)),
    [],
  );
  module.exportFunc('run', f.index);
  new DataKernelWriter(program, plan, targetCount, pairs, f, new SimdMath(module), scratchEnd, spill).write();
  if (spill.used > plan.spillBound) throw new Error('internal error: the data kernel spilled past its bound');
  const heapBase = Math.ceil(module.dataEnd / 16) * 16;
  module.setMemory({ min: Math.ceil((heapBase + 1) / 65536) });
  module.exportMemory('memory');
  return { bytes: module.encode(), heapBase, laneGroup: 2 * pairs };
}

export function addSink(map: Map<NodeId, Sink[]>, id: NodeId, sink: Sink): void {
  map.set(id, [...(map.get(id) ?? []), sink]);
}

/** Shared i32 locals of the run function. */
export type DataI32 = Record<
  | 'group'
  | 'stride'
  | 'k'
  | 'r'
  | 'nextRecord'
  | 'b'
  | 'e'
  | 'recorded'
  | 'epochEnd'
  | 'needF'
  | 'first'
  | 'count'
  | 'j'
  | 'p'
  | 'q0'
  | 'q1',
  number
>;

export class DataKernelWriter {
  readonly pool: LocalPool;
  readonly param: Record<DataRunParam, number>;
  readonly i: DataI32;
  readonly pairs: DataPair[];
  readonly taus: number[];
  readonly emitters: DataEmitters;
  /** f64x2 locals: fStar splatted; the stop-at-targets lane mask. */
  readonly fStarV: number;
  readonly stopAtTargetsMask: number;
  private readonly step: DataStepWriter;

  constructor(
    readonly program: DataStepProgram,
    readonly plan: DataPlan,
    readonly targetCount: number,
    pairCount: number,
    readonly f: FunctionBuilder,
    math: SimdMath,
    scratchEnd: number,
    readonly spill: SpillSlots,
  ) {
    this.param = Object.fromEntries(RUN_DATA_PARAMS.map((p, i) => [p, i])) as Record<DataRunParam, number>;
    this.pool = new LocalPool(f);
    const i32 = () => f.local(I32);
    const v = () => f.local(V128);
    const names = ['group', 'stride', 'k', 'r', 'nextRecord', 'b', 'e', 'recorded', 'epochEnd', 'needF', 'first'];
    names.push('count', 'j', 'p', 'q0', 'q1');
    this.i = Object.fromEntries(names.map((name) => [name, i32()])) as DataI32;
    this.fStarV = v();
    this.stopAtTargetsMask = v();
    this.taus = Array.from({ length: targetCount }, v);
    this.emitters = this.makeEmitters(math);
    this.pairs = Array.from({ length: pairCount }, (_, w): DataPair => {
      const core = w * plan.regions.bytes;
      const spillAt = scratchEnd + 16 * w;
      const opt: PhasePair = { at: new Map(), mem: new Map(), scratch: core, powFlags: new Map(), spill: spillAt };
      const row: PhasePair = { at: new Map(), mem: new Map(), scratch: core, powFlags: new Map(), spill: spillAt };
      const lanes = () => [i32(), i32()] as const;
      return {
        core,
        opt,
        row,
        laneOff: i32(),
        active: v(),
        bounded: v(),
        stopped: v(),
        finalF: v(),
        divAt: v(),
        F: v(),
        hits: Array.from({ length: targetCount }, v),
        slots: lanes(),
        orderBase: lanes(),
        noiseBase: lanes(),
        rowAddr: lanes(),
      };
    });
    this.placeOptimizerInputs();
    this.step = new DataStepWriter(this);
  }

  private makeEmitters(math: SimdMath): DataEmitters {
    const { f, plan, program, pool, spill } = this;
    const small = plan.layout === 'locals';
    const emptyPlan = { lastUse: new Map(), memory: new Map(), peakLocals: 0, scratchBytes: 0 };
    const common = {
      f,
      pool,
      spill,
      window: small ? Infinity : WINDOW,
      inline: small ? { v: new Vec(f, (bytes) => math.constant(bytes)), math } : undefined,
    };
    const writer = (graph: Graph, patterns: StepPatterns, columns?: Map<NodeId, number>) => {
      const nodes = new NodeEmitter(f, graph, math, patterns, pool, [], emptyPlan, plan.layout);
      return { nodes, writer: new PhaseWriter({ ...common, graph, nodes, patterns, columns }) };
    };
    const columns = new Map(program.row.columns.map((c) => [c.input, c.index]));
    const [lossGrad, loss, metrics] = [plan.lossGrad, plan.loss, plan.metrics].map((phase) =>
      writer(program.row.graph, phase.patterns, columns),
    );
    const point = writer(program.graph, plan.optimizer.pointPatterns);
    const update = writer(program.graph, plan.optimizer.updatePatterns);
    return {
      lossGrad: lossGrad.writer,
      loss: loss.writer,
      metrics: metrics.writer,
      point: point.writer,
      update: update.writer,
      updateNodes: update.nodes,
      rowNodes: [lossGrad.nodes, loss.nodes, metrics.nodes],
      pointNodes: point.nodes,
    };
  }

  /** θ and state (cur), gB and fB (acc) in each pair's scratch; hyperparameters in locals. */
  private placeOptimizerInputs(): void {
    const { program, plan } = this;
    const { cur, acc } = plan.regions;
    let slot = 0;
    const carried = [...program.theta, ...program.state.flatMap((s) => s.inputs)];
    for (const pair of this.pairs) {
      slot = 0;
      for (const id of carried) pair.opt.mem.set(id, pair.core + cur + 16 * slot++);
      program.grad.forEach((id, i) => pair.opt.mem.set(id, pair.core + acc + 16 * (1 + i)));
      pair.opt.mem.set(program.loss, pair.core + acc);
      for (const { input } of program.params) pair.opt.at.set(input, this.f.local(V128));
    }
  }

  p(name: DataRunParam): number {
    return this.param[name];
  }

  write(): void {
    const { f, pairs } = this;
    const W = pairs.length;
    const any = this.pool.take();
    f.get(this.p('fStar')).simd('f64x2.splat').set(this.fStarV);
    this.splatI32(() => f.i32(0).get(this.p('stopAtTargets')).op('i32.sub')).set(this.stopAtTargetsMask);
    f.get(this.p('n')).i32(3).op('i32.shl').set(this.i.stride);
    this.taus.forEach((tau, j) =>
      f
        .get(this.p('targets'))
        .mem('f64.load', 8 * j)
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
    f.block(); // skipped when every lane of the group has stopped
    f.v128(new Uint8Array(16)).set(any);
    pairs.forEach((pair, w) => {
      f.get(this.i.group).i32(W).op('i32.mul').i32(w).op('i32.add').i32(4).op('i32.shl').set(pair.laneOff);
      this.laneMask((lane) => this.loadI32Lane(pair, 'stopStep', 0, lane).i32(0).op('i32.lt_s')).set(pair.active);
      f.get(any).get(pair.active).simd('v128.or').set(any);
    });
    f.get(any).simd('v128.any_true').op('i32.eqz').brIf(0);
    for (const pair of pairs) this.startPair(pair);
    f.get(this.p('firstRecord')).set(this.i.r);
    this.loadNextRecord();
    f.get(this.p('fromStep')).set(this.i.k);
    f.get(this.i.k).get(this.p('epochSteps')).op('i32.rem_u').set(this.i.b);
    f.get(this.i.k).get(this.p('epochSteps')).op('i32.div_u').set(this.i.e);

    f.block(); // the step loop, left by br 1 from inside its body when every lane has stopped
    f.get(this.i.k).get(this.p('toStep')).op('i32.ge_s').brIf(0);
    f.loop();
    this.step.write(any);
    f.get(this.i.k).i32(1).op('i32.add').set(this.i.k);
    f.get(this.i.b).i32(1).op('i32.add').tee(this.i.b).get(this.p('epochSteps')).op('i32.eq').if();
    f.i32(0).set(this.i.b);
    f.get(this.i.e).i32(1).op('i32.add').set(this.i.e);
    f.end();
    f.get(this.i.k).get(this.p('toStep')).op('i32.lt_s').brIf(0);
    f.end().end();

    for (const pair of pairs) this.writeBack(pair);
    f.end(); // skip block
    f.get(this.i.group).i32(1).op('i32.add').set(this.i.group);
    f.br(0);
    f.end().end();
    this.pool.give(any);
  }

  /** A pair's state into its scratch (cur, next and snap), its hyperparameters, invariants, hits and streams. */
  private startPair(pair: DataPair): void {
    const { f, program, plan } = this;
    const { cur, next, snap } = plan.regions;
    f.v128(new Uint8Array(Float64Array.of(0, 0).buffer))
      .simd('v128.not')
      .set(pair.bounded);
    const copyIn = (base: 'theta' | 'state', from: number, count: number) => {
      if (count === 0) return;
      f.get(this.p(base)).get(pair.laneOff).op('i32.add').set(this.i.j);
      this.slotLoop(count, (at) => {
        const value = this.pool.take();
        f.get(this.i.j).v128Load().set(value);
        for (const region of [cur, next, snap]) {
          at();
          f.get(value).v128Store(pair.core + region + 16 * from);
        }
        if (base === 'theta') this.boundTest(pair, value);
        this.pool.give(value);
        f.get(this.i.j).get(this.i.stride).op('i32.add').set(this.i.j);
      });
    };
    copyIn('theta', 0, plan.dim);
    copyIn('state', plan.dim, plan.stateSize);
    program.params.forEach(({ input }, c) => {
      this.laneArrayAddress(pair, 'params', c);
      f.v128Load().set(pair.opt.at.get(input)!);
    });
    pair.hits.forEach((h, j) => {
      this.loadI32Lane(pair, 'hits', j, 0).op('f64.convert_i32_s').simd('f64x2.splat');
      this.loadI32Lane(pair, 'hits', j, 1).op('f64.convert_i32_s').f64x2ReplaceLane(1).set(h);
    });
    const perLane = (lane: 0 | 1) => {
      f.get(this.p('traceSlot')).get(pair.laneOff).i32(1).op('i32.shr_u').op('i32.add');
      f.mem('i32.load', 4 * lane).set(pair.slots[lane]);
      const start = pair.rowAddr[lane]; // the start slot, for a moment
      f.get(this.p('laneStart')).get(pair.laneOff).i32(1).op('i32.shr_u').op('i32.add');
      f.mem('i32.load', 4 * lane).set(start);
      f.get(this.p('order')).get(start).get(this.p('orderLength')).op('i32.mul').i32(2).op('i32.shl');
      f.op('i32.add').set(pair.orderBase[lane]);
      f.get(this.p('noise')).get(start).get(this.p('noiseSteps')).op('i32.mul').i32(program.dim).op('i32.mul');
      f.i32(3).op('i32.shl').op('i32.add').set(pair.noiseBase[lane]);
    };
    perLane(0);
    perLane(1);
    for (const id of this.plan.schedule.invariant) this.emitters.updateNodes.compute(pair.opt, id, f.local(V128));
    if (plan.layout === 'locals') {
      this.emitters.updateNodes.computePowFlags(pair.opt);
      this.emitters.pointNodes.computePowFlags(pair.opt);
    }
    f.f64x2(-1).set(pair.stopped);
    f.f64x2(-1).set(pair.divAt);
    f.f64x2(NaN).set(pair.finalF);
    f.f64x2(NaN).set(pair.F);
  }

  /** θ and state back to the lane arrays (snap for stopped lanes), hits; stop step, final F and divergence. */
  private writeBack(pair: DataPair): void {
    const { f, plan } = this;
    const { cur, snap } = plan.regions;
    const copyOut = (base: 'theta' | 'state', from: number, count: number) => {
      if (count === 0) return;
      f.get(this.p(base)).get(pair.laneOff).op('i32.add').set(this.i.j);
      this.slotLoop(count, (at) => {
        f.get(this.i.j);
        at();
        f.v128Load(pair.core + cur + 16 * from);
        at();
        f.v128Load(pair.core + snap + 16 * from);
        f.get(pair.active).simd('v128.bitselect').v128Store();
        f.get(this.i.j).get(this.i.stride).op('i32.add').set(this.i.j);
      });
    };
    copyOut('theta', 0, plan.dim);
    copyOut('state', plan.dim, plan.stateSize);
    pair.hits.forEach((h, j) =>
      ([0, 1] as const).forEach((lane) => {
        this.i32LaneAddress(pair, 'hits', j, lane);
        f.get(h).f64x2ExtractLane(lane).op('i32.trunc_f64_s').mem('i32.store');
      }),
    );
    ([0, 1] as const).forEach((lane) => {
      f.get(pair.stopped).f64x2ExtractLane(lane).f64(0).op('f64.ge').if();
      this.i32LaneAddress(pair, 'stopStep', 0, lane);
      f.get(pair.stopped).f64x2ExtractLane(lane).op('i32.trunc_f64_s').mem('i32.store');
      f.get(this.p('finalF')).get(pair.laneOff).op('i32.add');
      f.get(pair.finalF)
        .f64x2ExtractLane(lane)
        .mem('f64.store', 8 * lane);
      this.i32LaneAddress(pair, 'divergedAt', 0, lane);
      f.get(pair.divAt).f64x2ExtractLane(lane).op('i32.trunc_f64_s').mem('i32.store');
      f.end();
    });
  }

  /** bounded ← bounded ∧ |value| ≤ 1e10 (false for NaN), as the JS kernel tests θ. */
  boundTest(pair: DataPair, value: number): void {
    const { f } = this;
    f.get(pair.bounded).get(value).simd('f64x2.abs').f64x2(DIVERGENCE_BOUND).simd('f64x2.le');
    f.simd('v128.and').set(pair.bounded);
  }

  /**
   * body(at) for the v128 slots c = 0 … count − 1 of a scratch region, `at()` pushing the i32 16·c that the body's
   * loads and stores add to the region's static address: unrolled for a small program (a constant, which V8
   * folds into the address), a loop for a big one (so that code stays small).
   */
  slotLoop(count: number, body: (at: () => void) => void): void {
    const { f } = this;
    if (count === 0) return;
    if (this.plan.layout === 'locals') {
      for (let c = 0; c < count; c++) body(() => f.i32(16 * c));
      return;
    }
    f.i32(0).set(this.i.p);
    f.block().loop();
    body(() => f.get(this.i.p));
    f.get(this.i.p)
      .i32(16)
      .op('i32.add')
      .tee(this.i.p)
      .i32(16 * count)
      .op('i32.lt_u')
      .brIf(0);
    f.end().end();
  }

  /** Pushes base + component·stride + laneOff: a pair's v128 in an f64 lane array. */
  laneArrayAddress(pair: DataPair, base: DataRunParam, component: number | (() => void)): FunctionBuilder {
    const { f } = this;
    f.get(this.p(base)).get(pair.laneOff).op('i32.add');
    if (typeof component === 'function') {
      component();
      f.get(this.i.stride).op('i32.mul').op('i32.add');
    } else if (component > 0) f.get(this.i.stride).i32(component).op('i32.mul').op('i32.add');
    return f;
  }

  /** Pushes the address of a lane's element in an i32 lane array. */
  i32LaneAddress(pair: DataPair, base: DataRunParam, component: number, lane: 0 | 1): FunctionBuilder {
    const { f } = this;
    f.get(this.p(base)).get(pair.laneOff).i32(1).op('i32.shr_u').op('i32.add');
    if (component > 0) f.get(this.i.stride).i32(1).op('i32.shr_u').i32(component).op('i32.mul').op('i32.add');
    if (lane > 0) f.i32(4).op('i32.add');
    return f;
  }

  private loadI32Lane(pair: DataPair, base: DataRunParam, component: number, lane: 0 | 1): FunctionBuilder {
    return this.i32LaneAddress(pair, base, component, lane).mem('i32.load');
  }

  /** v128 lane mask from an i32 truth value per lane (1 → all ones). */
  laneMask(truth: (lane: 0 | 1) => void): FunctionBuilder {
    const { f } = this;
    this.splatI32(() => {
      f.i32(0);
      truth(0);
      f.op('i32.sub');
    });
    f.i32(0);
    truth(1);
    return f.op('i32.sub').op('i64.extend_i32_s').i64x2ReplaceLane(1);
  }

  /** i64x2.splat of a sign-extended i32 (0 or −1 gives a lane mask). */
  splatI32(value: () => void): FunctionBuilder {
    value();
    return this.f.op('i64.extend_i32_s').simd('i64x2.splat');
  }

  /** At base[component·stride + lane], the running lanes of a pair take a value; the others keep theirs. */
  maskedStore(pair: DataPair, base: DataRunParam, component: () => void, value: () => void): void {
    const { f } = this;
    this.laneArrayAddress(pair, base, component);
    value();
    this.laneArrayAddress(pair, base, component).v128Load();
    f.get(pair.active).simd('v128.bitselect').v128Store();
  }

  /** Stores a value at an offset of a pair's scratch. */
  store(pair: PhasePair, offset: number, push: () => void): void {
    this.f.i32(0);
    push();
    this.f.v128Store(this.pairOf(pair).core + offset);
  }

  /** The pair whose optimizer or row values these are. */
  pairOf(values: PhasePair): DataPair {
    return this.pairs.find((p) => p.opt === values || p.row === values)!;
  }

  loadNextRecord(): void {
    const { f } = this;
    f.get(this.i.r).get(this.p('R')).op('i32.lt_s').if(I32);
    f.get(this.p('recordSteps')).get(this.i.r).i32(2).op('i32.shl').op('i32.add').mem('i32.load');
    f.else().i32(-1).end();
    f.set(this.i.nextRecord);
  }
}
