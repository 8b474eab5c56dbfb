/**
 * The optimizer's update in the data kernel (dataStep.ts calls it once gB and fB are in acc): θₖ₊₁ and the
 * state's next values, and at recorded steps the Rosetta quantities. At a recorded step every next value goes to
 * `next` first, because the descent −⟨θₖ₊₁ − θₖ, gB⟩ reads θₖ after the update, and then to cur. At the other
 * steps a next value goes straight over its current one where nothing reads the current one later
 * (dataPlan.ts's inPlace), which spares most of the copy.
 *
 * After either, the divergence test of θₖ₊₁: the running lanes with Σθᵢ² ≤ 1e20 have every |θᵢ| ≤ 1e10 (each
 * rounded square is at most the rounded sum, and |θᵢ| > 1e10 gives θᵢ² > 1e20 + 3·10⁴, beyond half an ulp of
 * 1e20), so only the rare lanes past that sum take the exact per-coordinate test — 2 operations per coordinate
 * instead of 4.
 */
import type { NodeId } from '../../expr/ir';
import { isTruthValued } from '../../expr/ir';
import { DIVERGENCE_BOUND } from '../types';
import { addSink, type DataKernelWriter, type DataPair, type DataRunParam } from './dataCodegen';
import type { Sink } from './dataPhases';

const ZERO = new Uint8Array(16);

export class DataUpdateWriter {
  private readonly inputs: readonly NodeId[];
  private readonly nexts: readonly NodeId[];

  constructor(private readonly kw: DataKernelWriter) {
    const { program } = kw;
    this.inputs = [...program.theta, ...program.state.flatMap((s) => s.inputs)];
    this.nexts = [...program.next, ...program.state.flatMap((s) => s.next)];
  }

  /**
   * A small program has both forms of the update, through `next` at recorded steps and in place at the others; a
   * big one (the wide layout) only the first, its records behind a branch, so that its code and its compile time
   * are not twice the update's — one copy of P + S slots per step is little beside a big step.
   */
  write(): void {
    const { f, i } = this.kw;
    if (this.kw.plan.layout === 'wide') return this.throughNext(true);
    f.get(i.recorded).if();
    this.throughNext(false);
    f.else();
    this.inPlace();
    f.end();
  }

  /**
   * Every next value into `next`; ‖gB‖², the descent and fB recorded (at recorded steps only, when `everyStep`);
   * then next → cur with the exact test.
   */
  private throughNext(everyStep: boolean): void {
    const { kw, inputs, nexts } = this;
    const { f, i, pairs, plan, program } = kw;
    const { next, cur, acc } = plan.regions;
    const optPairs = pairs.map((p) => p.opt);
    const sinks = new Map<NodeId, Sink[]>();
    // θₖ₊₁ read by the descent comes from `next`, where its sink put it (truth values are stored as numbers)
    const home = new Map<NodeId, number>();
    nexts.forEach((id, c) => {
      if (id === inputs[c]) return;
      addSink(sinks, id, (pair, push) => kw.store(pair, next + 16 * c, push));
      if (!home.has(id) && !isTruthValued(program.graph.node(id))) home.set(id, next + 16 * c);
    });
    const { update, info, updatePatterns } = plan.optimizer;
    const inUpdate = new Set(update);
    const homed = [...home.keys()].filter((id) => inUpdate.has(id));
    const infoReads = [...info.flatMap((id) => updatePatterns.operands(id)), program.gradNorm2, program.descent];
    const keep = new Set(infoReads.filter((id) => inUpdate.has(id) && !home.has(id)));
    const reserved = kw.spill.reserved;
    kw.emitters.update.emit(optPairs, update, sinks, keep);
    for (const pair of pairs) for (const id of homed) pair.opt.mem.set(id, pair.core + home.get(id)!);
    const record =
      (base: DataRunParam): Sink =>
      (pair, push) =>
        kw.maskedStore(kw.pairOf(pair), base, () => f.get(i.r), push);
    const infoSinks = new Map([
      [program.gradNorm2, [record('gradNorm2')]],
      [program.descent, [record('descent')]],
    ]);
    if (everyStep) f.get(i.recorded).if();
    kw.emitters.update.emit(optPairs, info, infoSinks);
    for (const pair of pairs)
      kw.maskedStore(
        pair,
        'minibatch',
        () => f.get(i.r),
        () => f.i32(0).v128Load(pair.core + acc),
      );
    if (everyStep) f.end();
    kw.emitters.update.release(optPairs, [...keep, ...homed], reserved);
    for (const pair of pairs) {
      f.v128(ZERO).simd('v128.not').set(pair.bounded);
      const value = kw.pool.take();
      kw.slotLoop(program.dim, (at) => {
        at();
        at();
        f.v128Load(pair.core + next)
          .tee(value)
          .v128Store(pair.core + cur);
        kw.boundTest(pair, value);
      });
      kw.pool.give(value);
      const state = 16 * program.dim;
      kw.slotLoop(plan.stateSize, (at) => {
        at();
        at();
        f.v128Load(pair.core + next + state).v128Store(pair.core + cur + state);
      });
    }
  }

  /** Next values over the current ones where the plan allows, through `next` elsewhere; Σθᵢ² on the way. */
  private inPlace(): void {
    const { kw, inputs, nexts } = this;
    const { f, pairs, plan, program, pool } = kw;
    const { next, cur } = plan.regions;
    const P = program.dim;
    const { inPlace } = plan.optimizer;
    const squares = pairs.map(() => pool.take());
    squares.forEach((s) => f.v128(ZERO).set(s));
    const addSquare = (pair: DataPair, push: () => void) => {
      const s = squares[pairs.indexOf(pair)];
      push();
      push();
      f.simd('f64x2.mul').get(s).simd('f64x2.add').set(s);
    };
    const sinks = new Map<NodeId, Sink[]>();
    nexts.forEach((id, c) => {
      if (id === inputs[c]) return;
      addSink(sinks, id, (values, push) => {
        kw.store(values, (inPlace[c] ? cur : next) + 16 * c, push);
        if (inPlace[c] && c < P) addSquare(kw.pairOf(values), push);
      });
    });
    kw.emitters.update.emit(
      pairs.map((p) => p.opt),
      plan.optimizer.update,
      sinks,
    );
    for (const pair of pairs) {
      const value = pool.take();
      nexts.forEach((id, c) => {
        const changed = id !== inputs[c];
        if (inPlace[c] || (!changed && c >= P)) return;
        if (changed)
          f.i32(0)
            .i32(0)
            .v128Load(pair.core + next + 16 * c)
            .tee(value)
            .v128Store(pair.core + cur + 16 * c);
        else
          f.i32(0)
            .v128Load(pair.core + cur + 16 * c)
            .set(value);
        if (c < P) addSquare(pair, () => f.get(value));
      });
      pool.give(value);
      f.get(squares[pairs.indexOf(pair)])
        .f64x2(DIVERGENCE_BOUND ** 2)
        .simd('f64x2.le')
        .set(pair.bounded);
      f.get(pair.active).get(pair.bounded).simd('v128.andnot').simd('v128.any_true').if();
      f.v128(ZERO).simd('v128.not').set(pair.bounded);
      const exact = pool.take();
      kw.slotLoop(P, (at) => {
        at();
        f.v128Load(pair.core + cur).set(exact);
        kw.boundTest(pair, exact);
      });
      pool.give(exact);
      f.end();
    }
    squares.forEach((s) => pool.give(s));
  }
}
