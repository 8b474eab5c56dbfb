/**
 * One step of the data kernel for a group of lane pairs (program/dataProgram.ts, steps 1–6, in the JS data
 * kernel's order): F over the training rows when it is needed, the records and epoch metrics, targets and
 * stops, then the update — the gradient point, ℓ and ∇ℓ summed over the minibatch rows (each lane reads its own
 * rows, from its start's order), fB and gB, the noise, and the optimizer's next values. dataCodegen.ts owns the
 * loops around it and the pair's places.
 */
import type { NodeId } from '../../expr/ir';
import { addSink, type DataKernelWriter, type DataPair, type DataRunParam } from './dataCodegen';
import type { PhaseWriter, Sink } from './dataPhases';
import type { RowPhase } from './dataPlan';
import { DataUpdateWriter } from './dataUpdate';

const ZERO = new Uint8Array(16);

export class DataStepWriter {
  private readonly updates: DataUpdateWriter;

  constructor(private readonly kw: DataKernelWriter) {
    this.updates = new DataUpdateWriter(kw);
  }

  write(any: number): void {
    const { kw } = this;
    const { f, i, pairs } = kw;
    const T = kw.targetCount;
    const M = kw.program.row.metrics.length;
    f.get(i.k).get(i.nextRecord).op('i32.eq').set(i.recorded);
    f.get(i.b).i32(0).op('i32.eq').get(i.e).get(kw.p('epochCount')).op('i32.lt_s').op('i32.and').set(i.epochEnd);
    // F is needed with targets, at recorded steps, epoch ends, the last step, and where θ has diverged
    if (T > 0) f.i32(1).set(i.needF);
    else
      f.get(i.recorded).get(i.epochEnd).op('i32.or').get(i.k).get(kw.p('steps')).op('i32.eq').op('i32.or').set(i.needF);
    f.get(i.needF);
    if (T === 0) {
      pairs.forEach((pair, w) => {
        f.get(pair.active).get(pair.bounded).simd('v128.andnot');
        if (w > 0) f.simd('v128.or');
      });
      f.simd('v128.any_true').op('i32.or');
    }
    f.if();
    this.trainingLoss();
    f.end();

    f.get(i.recorded).if();
    for (const pair of pairs) {
      this.kw.maskedStore(
        pair,
        'fRecord',
        () => f.get(i.r),
        () => f.get(pair.F),
      );
      this.trace(pair);
    }
    f.end();

    f.get(i.epochEnd).if();
    for (const pair of pairs)
      this.kw.maskedStore(
        pair,
        'epochLoss',
        () => f.get(i.e),
        () => f.get(pair.F),
      );
    if (M > 0) this.metrics();
    f.end();

    this.targetsAndStops(any);
    this.update();

    f.get(i.recorded).if();
    f.get(i.r).i32(1).op('i32.add').set(i.r);
    kw.loadNextRecord();
    f.end();
  }

  /** F = (Σ ℓ(θₖ; row) over the training rows, in split order) / n_train, for every pair. */
  private trainingLoss(): void {
    const { f, pairs, plan } = this.kw;
    const sums = pairs.map(() => this.kw.pool.take());
    sums.forEach((s) => f.v128(ZERO).set(s));
    this.placeRowTheta(plan.regions.cur);
    const sinks = new Map<NodeId, Sink[]>([[this.kw.program.row.loss, [this.sumInto(sums)]]]);
    this.sharedRowLoop(plan.loss, this.kw.emitters.loss, 'train', 'nTrain', sinks);
    pairs.forEach((pair, w) => {
      f.get(sums[w]).get(this.kw.p('nTrain')).op('f64.convert_i32_s').simd('f64x2.splat').simd('f64x2.div');
      f.set(pair.F);
      this.kw.pool.give(sums[w]);
    });
  }

  /** Each metric's (Σ over the metric rows) / their count, stored for the running lanes at epoch e. */
  private metrics(): void {
    const { kw } = this;
    const { f, pairs, plan, program, i } = kw;
    const M = program.row.metrics.length;
    const sums = pairs.map(() => program.row.metrics.map(() => kw.pool.take()));
    sums.flat().forEach((s) => f.v128(ZERO).set(s));
    this.placeRowTheta(plan.regions.cur);
    const sinks = new Map<NodeId, Sink[]>();
    program.row.metrics.forEach((m, k) => {
      const sink = this.sumInto(sums.map((s) => s[k]));
      sinks.set(m.output, [...(sinks.get(m.output) ?? []), sink]);
    });
    this.sharedRowLoop(plan.metrics, kw.emitters.metrics, 'metricRows', 'nMetric', sinks);
    pairs.forEach((pair, w) =>
      sums[w].forEach((sum, m) => {
        const row = () => f.get(i.e).i32(M).op('i32.mul').i32(m).op('i32.add');
        this.kw.maskedStore(pair, 'epochMetrics', row, () =>
          f.get(sum).get(kw.p('nMetric')).op('f64.convert_i32_s').simd('f64x2.splat').simd('f64x2.div'),
        );
        kw.pool.give(sum);
      }),
    );
  }

  /** A sink adding an output to one local per pair. */
  private sumInto(locals: readonly number[]): Sink {
    const { f, pairs } = this.kw;
    return (pair, push) => {
      const local = locals[pairs.findIndex((p) => p.row === pair || p.opt === pair)];
      f.get(local);
      push();
      f.simd('f64x2.add').set(local);
    };
  }

  /** A loop over `rows` (dataset row indices, every pair reading the same row), with θ-only nodes hoisted. */
  private sharedRowLoop(
    phase: RowPhase,
    writer: PhaseWriter,
    rows: DataRunParam,
    count: DataRunParam,
    sinks: ReadonlyMap<NodeId, readonly Sink[]>,
  ): void {
    const { f, i, pairs } = this.kw;
    const rowPairs = pairs.map((p) => p.row);
    this.powFlags(phase);
    const reserved = this.kw.spill.reserved;
    writer.emit(rowPairs, phase.fixed, new Map(), phase.keep);
    const address = pairs[0].rowAddr[0];
    for (const p of rowPairs) p.row = [address, address];
    f.get(this.kw.p(count)).if();
    f.i32(0).set(i.j);
    f.loop();
    f.get(this.kw.p('values'));
    f.get(this.kw.p(rows)).get(i.j).i32(2).op('i32.shl').op('i32.add').mem('i32.load');
    f.get(this.kw.p('width')).op('i32.mul').i32(3).op('i32.shl').op('i32.add').set(address);
    writer.emit(rowPairs, phase.varying, sinks);
    f.get(i.j).i32(1).op('i32.add').tee(i.j).get(this.kw.p(count)).op('i32.lt_s').brIf(0);
    f.end();
    f.end();
    writer.release(rowPairs, phase.keep, reserved);
  }

  /** Pow flags of a row phase's exponents (θ-dependent, so per step), where the emitter branches on them. */
  private powFlags(phase: RowPhase): void {
    if (this.kw.plan.layout !== 'locals' || phase.patterns.flaggedExponents.size === 0) return;
    const nodes =
      this.kw.emitters.rowNodes[[this.kw.plan.lossGrad, this.kw.plan.loss, this.kw.plan.metrics].indexOf(phase)];
    for (const pair of this.kw.pairs) nodes.computePowFlags(pair.row);
  }

  /** The row graph's θ inputs read from a region of each pair's scratch (cur, or pt for a look-ahead point). */
  private placeRowTheta(region: number): void {
    const { pairs, program } = this.kw;
    for (const pair of pairs) program.row.theta.forEach((id, c) => pair.row.mem.set(id, pair.core + region + 16 * c));
  }

  /** θₖ and F of a traced running lane: trace[(slot·R + r)·(P + 1) + c]. */
  private trace(pair: DataPair): void {
    const { f, i, plan, program } = this.kw;
    const P = program.dim;
    ([0, 1] as const).forEach((lane) => {
      const slot = pair.slots[lane];
      f.get(pair.active).i64x2ExtractLane(lane).op('i64.eqz').op('i32.eqz');
      f.get(slot).i32(0).op('i32.ge_s').op('i32.and').if();
      f.get(this.kw.p('trace')).get(slot).get(this.kw.p('R')).op('i32.mul').get(i.r).op('i32.add');
      f.i32(P + 1)
        .op('i32.mul')
        .i32(3)
        .op('i32.shl')
        .op('i32.add')
        .set(i.q0);
      f.i32(0).set(i.p);
      f.block().loop();
      f.get(i.q0)
        .get(i.p)
        .v128Load(pair.core + plan.regions.cur)
        .f64x2ExtractLane(lane)
        .mem('f64.store');
      f.get(i.q0).i32(8).op('i32.add').set(i.q0);
      f.get(i.p)
        .i32(16)
        .op('i32.add')
        .tee(i.p)
        .i32(16 * P)
        .op('i32.lt_u')
        .brIf(0);
      f.end().end();
      f.get(i.q0).get(pair.F).f64x2ExtractLane(lane).mem('f64.store');
      f.end();
    });
  }

  /**
   * First hits of the targets, divergence and stops (codegen.ts's testTargetsAndStop): each step ORs the running
   * lanes where something happens into one test; the rare branch records hits, freezes the lanes that stop
   * (their θ and state into snap) and leaves the step loop once no lane of the group runs.
   */
  private targetsAndStops(any: number): void {
    const { kw } = this;
    const { f, i, pairs, pool } = kw;
    const T = kw.targetCount;
    const needMask = pool.take();
    kw.splatI32(() => f.i32(0).get(i.needF).op('i32.sub')).set(needMask);
    // diverged: θ out of bounds, or F non-finite where it is tested
    const diverged = (pair: DataPair) => {
      f.get(pair.bounded).get(pair.F).simd('f64x2.abs').f64x2(Infinity).simd('f64x2.lt');
      f.get(needMask).simd('v128.not').simd('v128.or').simd('v128.and').simd('v128.not');
    };
    const gap = (pair: DataPair) => f.get(pair.F).get(kw.fStarV).simd('f64x2.sub');
    const firstHit = (pair: DataPair, j: number) => {
      f.get(pair.hits[j]).f64x2(0).simd('f64x2.lt');
      gap(pair);
      f.get(kw.taus[j]).simd('f64x2.le').simd('v128.and');
    };
    pairs.forEach((pair, w) => {
      f.get(pair.active);
      diverged(pair);
      for (let j = 0; j < T; j++) {
        firstHit(pair, j);
        f.simd('v128.or');
      }
      f.simd('v128.and');
      if (w > 0) f.simd('v128.or');
    });
    f.simd('v128.any_true').get(i.k).get(kw.p('steps')).op('i32.eq').op('i32.or').if();
    const [kf, last, stop] = [pool.take(), pool.take(), pool.take()];
    f.get(i.k).op('f64.convert_i32_s').simd('f64x2.splat').set(kf);
    kw.splatI32(() => f.i32(0).get(i.k).get(kw.p('steps')).op('i32.eq').op('i32.sub')).set(last);
    f.v128(ZERO).set(any);
    for (const pair of pairs) {
      pair.hits.forEach((h, j) => {
        f.get(kf).get(h).get(pair.active);
        firstHit(pair, j);
        f.simd('v128.and').simd('v128.bitselect').set(h);
      });
      // stop: diverged, or every target reached (when asked), or the budget spent
      diverged(pair);
      if (T > 0) {
        f.get(kw.stopAtTargetsMask);
        for (const h of pair.hits) f.get(h).f64x2(0).simd('f64x2.ge').simd('v128.and');
        f.simd('v128.or');
      }
      f.get(last).simd('v128.or').get(pair.active).simd('v128.and').set(stop);
      f.get(kf).get(pair.divAt).get(pair.active);
      diverged(pair);
      f.simd('v128.and').simd('v128.bitselect').set(pair.divAt);
      f.get(kf).get(pair.stopped).get(stop).simd('v128.bitselect').set(pair.stopped);
      f.get(pair.F).get(pair.finalF).get(stop).simd('v128.bitselect').set(pair.finalF);
      const { cur, snap } = kw.plan.regions;
      kw.slotLoop(kw.plan.slots, (at) => {
        at();
        at();
        f.v128Load(pair.core + cur);
        at();
        f.v128Load(pair.core + snap)
          .get(stop)
          .simd('v128.bitselect')
          .v128Store(pair.core + snap);
      });
      f.get(pair.active).get(stop).simd('v128.andnot').tee(pair.active);
      f.get(any).simd('v128.or').set(any);
    }
    [kf, last, stop, needMask].forEach((local) => pool.give(local));
    f.get(any).simd('v128.any_true').op('i32.eqz').brIf(2); // out of the step loop
    f.end();
  }

  /** The update of every running lane: gradient point, minibatch ℓ and ∇ℓ, fB and gB, noise, next values. */
  private update(): void {
    const { kw } = this;
    const { f, i, pairs, plan, program } = kw;
    const { acc, pt, cur } = plan.regions;
    const P = program.dim;
    f.get(i.b).get(kw.p('batch')).op('i32.mul').tee(i.first).get(kw.p('batch')).op('i32.add');
    f.get(kw.p('orderLength')).get(i.first).get(kw.p('batch')).op('i32.add').get(kw.p('orderLength')).op('i32.lt_s');
    f.op('select').get(i.first).op('i32.sub').set(i.count);
    if (plan.lookAhead) {
      const sinks = new Map<NodeId, Sink[]>();
      program.point.forEach((id, c) => addSink(sinks, id, (pair, push) => this.kw.store(pair, pt + 16 * c, push)));
      kw.emitters.point.emit(
        pairs.map((p) => p.opt),
        plan.optimizer.point,
        sinks,
      );
    }
    this.minibatch(plan.lookAhead ? pt : cur);
    // gB = Σ∂ℓ / count and fB = Σℓ / count: dividing by 1 changes no bit, so B = 1 skips it
    f.get(i.count).i32(1).op('i32.ne').if();
    const count = kw.pool.take();
    f.get(i.count).op('f64.convert_i32_s').simd('f64x2.splat').set(count);
    for (const pair of pairs) {
      kw.slotLoop(P + 1, (at) => {
        at();
        at();
        f.v128Load(pair.core + acc)
          .get(count)
          .simd('f64x2.div')
          .v128Store(pair.core + acc);
      });
    }
    kw.pool.give(count);
    f.end();
    f.get(kw.p('noisy')).if();
    for (const pair of pairs) this.noise(pair);
    f.end();
    this.updates.write();
  }

  /** ℓ and ∇ℓ at the point over the batch's rows, into acc: the first row starts the sums from 0. */
  private minibatch(region: number): void {
    const { kw } = this;
    const { f, i, pairs, plan, program } = kw;
    const { acc } = plan.regions;
    const P = program.dim;
    const phase = plan.lossGrad;
    const writer = kw.emitters.lossGrad;
    const rowPairs = pairs.map((p) => p.row);
    this.placeRowTheta(region);
    this.powFlags(phase);
    const reserved = kw.spill.reserved;
    writer.emit(rowPairs, phase.fixed, new Map(), phase.keep);
    pairs.forEach((p) => (p.row.row = p.rowAddr));
    const sinks = (first: boolean) => {
      const map = new Map<NodeId, Sink[]>();
      [program.row.loss, ...program.row.gradient].forEach((id, c) =>
        addSink(map, id, (pair, push) => {
          const address = this.kw.pairOf(pair).core + plan.regions.acc + 16 * c;
          f.i32(0);
          if (first) f.v128(ZERO);
          else f.i32(0).v128Load(address);
          push();
          f.simd('f64x2.add').v128Store(address);
        }),
      );
      return map;
    };
    const rowAddresses = () =>
      pairs.forEach((pair) =>
        ([0, 1] as const).forEach((lane) => {
          f.get(kw.p('values'));
          f.get(pair.orderBase[lane]).get(i.first).get(i.j).op('i32.add').i32(2).op('i32.shl').op('i32.add');
          f.mem('i32.load').get(kw.p('width')).op('i32.mul').i32(3).op('i32.shl').op('i32.add');
          f.set(pair.rowAddr[lane]);
        }),
      );
    // A small program peels the first row (Σ from 0 without a store of zeros and a load per sum: B = 1 runs only
    // it); a big one has one row body after zeroing the sums, so that its code is not twice as long.
    const peel = plan.layout === 'locals';
    if (!peel) {
      for (const pair of pairs)
        kw.slotLoop(P + 1, (at) => {
          at();
          f.v128(ZERO).v128Store(pair.core + acc);
        });
    }
    f.i32(0).set(i.j);
    if (peel) {
      rowAddresses();
      writer.emit(rowPairs, phase.varying, sinks(true));
      f.i32(1).set(i.j);
    }
    f.block().loop();
    f.get(i.j).get(i.count).op('i32.ge_s').brIf(1);
    rowAddresses();
    writer.emit(rowPairs, phase.varying, sinks(false));
    f.get(i.j).i32(1).op('i32.add').set(i.j);
    f.br(0);
    f.end().end();
    writer.release(rowPairs, phase.keep, reserved);
  }

  /** gB,ᵢ += σ·zₖ,ᵢ of each lane's start (noise[(s·noiseSteps + k − fromStep)·P + i]). */
  private noise(pair: DataPair): void {
    const { f, i, program, plan } = this.kw;
    const P = program.dim;
    ([0, 1] as const).forEach((lane) => {
      f.get(pair.noiseBase[lane]).get(i.k).get(this.kw.p('fromStep')).op('i32.sub').i32(P).op('i32.mul');
      f.i32(3)
        .op('i32.shl')
        .op('i32.add')
        .set(lane === 0 ? i.q0 : i.q1);
    });
    f.i32(0).set(i.p);
    f.block().loop();
    const z = this.kw.pool.take();
    f.get(i.q0).v128Load64Splat().set(z);
    f.get(i.p)
      .get(i.p)
      .v128Load(pair.core + plan.regions.acc + 16);
    f.get(i.q1).get(z).v128Load64Lane(1).simd('f64x2.add');
    f.v128Store(pair.core + plan.regions.acc + 16);
    this.kw.pool.give(z);
    f.get(i.q0).i32(8).op('i32.add').set(i.q0);
    f.get(i.q1).i32(8).op('i32.add').set(i.q1);
    f.get(i.p)
      .i32(16)
      .op('i32.add')
      .tee(i.p)
      .i32(16 * P)
      .op('i32.lt_u')
      .brIf(0);
    f.end().end();
  }
}
