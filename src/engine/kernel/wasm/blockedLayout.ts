/**
 * The blocked layout, the hand-written kernels' loop shape: lanes go in blocks of at most `blockPairs` pairs
 * whose θ and state are copied to scratch memory that stays in L1, and for each block the step loop is outside
 * and the loop over its pairs, W per iteration, inside. One pair's step is a long dependent chain (∇f → power
 * transform → moments → division → √ → update) and its next step depends on it: in the locals layout only the W
 * pairs interleaved in the code overlap, here the out-of-order core overlaps as many iterations — independent
 * pairs — as it holds.
 *
 * What the lanes of a block share (laneUniform: hyperparameters, what depends on them alone, Adam's β₁ᵗ and β₂ᵗ
 * and the bias corrections made of them) is computed once per block and step. The session plans the blocks
 * (blockPlan.ts): runs of groups whose running lanes agree with a reference lane, whose values are splatted; a
 * group whose lanes differ is a block of its own with each pair's own values, the same code either way.
 *
 * The loop over pairs has no branch: θ and state rotate through three banks of scratch (step k reads bank
 * k mod 3 and writes bank k + 1 mod 3, so bank k + 2 mod 3 still holds θₖ₋₁, the previous θ), every pair's f is
 * kept, and the lanes where something happens — a first hit, a divergence — are ORed into one mask. Records,
 * hits and stops are passes over the block after the loop, on the steps that need them; a lane that stops keeps
 * computing, unseen, and only running lanes are copied back at the end of the block.
 */
import type { NodeId } from '../../expr/ir';
import { I32, V128, type FunctionBuilder } from './encoder';
import type { KernelFrame, FramePair } from './kernelFrame';
import type { KernelPlan } from './kernelPlan';
import type { Exponents, PairValues } from './nodeEmitter';

const V = 16;
/** i32s per entry of the session's block table: first group, groups, reference lane (−1: each pair's own values). */
export const BLOCK_ENTRY = 3;
const BANKS = 3;

/** Scratch regions of a block, in units of blockPairs v128s: lane masks, hits, f, then the banks. */
function regions(plan: KernelPlan, targetCount: number) {
  const copied = plan.carried.inputs.length - plan.uniform.states.length;
  return { active: 0, hits: 1, f: 1 + targetCount, banks: 2 + targetCount, bank: copied };
}

/** Static scratch bytes of the blocked layout. */
export function blockScratchBytes(plan: KernelPlan, targetCount: number): number {
  const r = regions(plan, targetCount);
  return (r.banks + BANKS * r.bank) * plan.blockPairs * V;
}

/** A pair of one iteration: its place in the block's scratch (i32 local) and trace slots, besides FramePair's. */
interface View extends FramePair {
  readonly walk: number;
  readonly slots: readonly [number, number];
}

export class BlockedWriter {
  private readonly f: FunctionBuilder;
  private readonly plan: KernelPlan;
  private readonly W: number;
  /** Bytes per scratch region (blockPairs v128s). */
  private readonly region: number;
  private readonly at: ReturnType<typeof regions>;
  /** θ then the state that is not uniform: each input's lane-array address (i32 local) and place in a bank. */
  private readonly copied: readonly { readonly id: NodeId; readonly base: number; readonly offset: number }[];
  private readonly prevBases: readonly number[];
  /** Hyperparameters and uniform states: per block, splatted from the reference lane or each pair's own. */
  private readonly shared: ReadonlyMap<NodeId, number>;
  private readonly uniformStates: readonly NodeId[];
  /** The block's shared values, one set per position in the group of W pairs. */
  private readonly positions: PairValues[];
  private readonly views: View[];
  private readonly blockStep: ReadonlySet<NodeId>;
  private readonly pairStep: ReadonlySet<NodeId>;
  private readonly next: ReadonlyMap<NodeId, NodeId>;
  private readonly l: Record<
    'entry' | 'g0' | 'ref' | 'q' | 'qEnd' | 'running' | 'blockOff' | 'recordNow' | 'last' | 'traced',
    number
  >;
  /** Scratch offsets of the banks holding step k, k + 1 and k − 1 (i32 locals), and q plus the first two. */
  private readonly bank: Record<'cur' | 'nxt' | 'prv' | 'qc' | 'qn', number>;

  constructor(
    private readonly frame: KernelFrame,
    targetCount: number,
  ) {
    const { f, plan, program } = frame;
    this.f = f;
    this.plan = plan;
    this.W = plan.pairs;
    this.region = plan.blockPairs * V;
    this.at = regions(plan, targetCount);
    const i32 = () => f.local(I32);
    const v = () => f.local(V128);
    this.l = {
      entry: i32(),
      g0: i32(),
      ref: i32(),
      q: i32(),
      qEnd: i32(),
      running: i32(),
      blockOff: i32(),
      recordNow: i32(),
      last: i32(),
      traced: i32(),
    };
    this.bank = { cur: i32(), nxt: i32(), prv: i32(), qc: i32(), qn: i32() };
    this.uniformStates = plan.uniform.states;
    const uniform = new Set(this.uniformStates);
    this.copied = plan.carried.inputs
      .filter((id) => !uniform.has(id))
      .map((id, c) => ({ id, base: i32(), offset: c * this.region }));
    this.prevBases = program.theta.map(() => i32());
    this.shared = new Map([...program.params.map((p) => p.input), ...this.uniformStates].map((id) => [id, i32()]));
    this.positions = Array.from({ length: this.W }, () => ({
      at: new Map([...this.shared.keys()].map((id) => [id, v()])),
      mem: new Map(),
      scratch: 0,
      powFlags: new Map(),
    }));
    this.views = this.positions.map((pos) => ({
      at: new Map(),
      mem: new Map(),
      scratch: 0,
      powFlags: pos.powFlags,
      active: v(),
      laneOff: i32(),
      hits: Array.from({ length: targetCount }, () => v()),
      walk: i32(),
      slots: [i32(), i32()] as const,
    }));
    const blockStep = new Set(plan.uniform.perStep);
    this.blockStep = blockStep;
    this.pairStep = new Set(plan.patterns.emitted.filter((id) => !blockStep.has(id)));
    this.next = new Map(plan.carried.inputs.map((id, c) => [id, plan.outputs[1 + c]]));
  }

  write(): void {
    const { f, frame, l } = this;
    const { i, program } = frame;
    frame.prologue();
    const setBase = (base: number, array: 'theta' | 'state' | 'params' | 'prevTheta', c: number) =>
      f.get(frame.p(array)).get(i.stride).i32(c).op('i32.mul').op('i32.add').set(base);
    const stateIndex = new Map(program.state.flatMap((s) => s.inputs).map((id, c) => [id, c]));
    const paramIndex = new Map(program.params.map((p, c) => [p.input, c]));
    this.copied.forEach(({ id, base }, c) =>
      c < program.dim ? setBase(base, 'theta', c) : setBase(base, 'state', stateIndex.get(id)!),
    );
    this.prevBases.forEach((base, c) => setBase(base, 'prevTheta', c));
    for (const [id, base] of this.shared) {
      if (paramIndex.has(id)) setBase(base, 'params', paramIndex.get(id)!);
      else setBase(base, 'state', stateIndex.get(id)!);
    }

    f.i32(0).set(l.entry);
    f.block().loop(); // for each block of the session's table
    f.get(l.entry).get(frame.p('blockCount')).op('i32.ge_u').brIf(1);
    const field = (k: number) =>
      f
        .get(frame.p('blocks'))
        .get(l.entry)
        .i32(4 * BLOCK_ENTRY)
        .op('i32.mul')
        .op('i32.add')
        .mem('i32.load', 4 * k);
    field(0).set(l.g0);
    field(1)
      .i32(this.W * V)
      .op('i32.mul')
      .set(l.qEnd);
    field(2).set(l.ref);
    f.get(l.g0)
      .i32(this.W * V)
      .op('i32.mul')
      .set(l.blockOff);
    f.get(frame.p('fromStep')).set(i.k);
    this.setBanks();
    this.enter();

    f.get(frame.p('firstRecord')).set(i.r);
    frame.loadNextRecord();
    f.block();
    f.get(i.k).get(frame.p('toStep')).op('i32.ge_s').brIf(0);
    const exponents = this.plan.patterns.flaggedExponents;
    if (exponents.size > 0) {
      // As in the locals layout: a step loop with no branch for blocks whose every H is ½, and the general one.
      [...exponents].forEach((exponent, e) =>
        this.positions.forEach((pos, w) => {
          f.get(pos.powFlags.get(exponent)!.half);
          if (e > 0 || w > 0) f.op('i32.and');
        }),
      );
      f.if();
      this.stepLoop('half');
      f.else();
      this.stepLoop('general');
      f.end();
    } else {
      this.stepLoop('general');
    }
    f.end();

    this.leave();
    f.get(l.entry).i32(1).op('i32.add').set(l.entry);
    f.br(0);
    f.end().end();
  }

  /** The banks of step k: cur = bank k mod 3, nxt and prv the next and the previous. */
  private setBanks(): void {
    const { f, bank } = this;
    const size = this.at.bank * this.region;
    const first = this.at.banks * this.region;
    const of = (shift: number, local: number) =>
      f
        .get(this.frame.i.k)
        .i32(shift)
        .op('i32.add')
        .i32(BANKS)
        .op('i32.rem_u')
        .i32(size)
        .op('i32.mul')
        .i32(first)
        .op('i32.add')
        .set(local);
    of(0, bank.cur);
    of(1, bank.nxt);
    of(2, bank.prv);
  }

  /**
   * The block's shared values and invariants; for each pair its running lanes, hits, θ and state (in bank cur)
   * and prevθ (in bank prv); the count of running lanes; whether a lane of the block is traced.
   */
  private enter(): void {
    const { f, frame, l, bank } = this;
    this.positions.forEach((pos, w) => {
      for (const [id, base] of this.shared) {
        f.get(l.ref).i32(0).op('i32.ge_s').if(V128);
        f.get(base).get(l.ref).i32(3).op('i32.shl').op('i32.add').mem('f64.load').simd('f64x2.splat');
        f.else();
        f.get(base)
          .get(l.blockOff)
          .op('i32.add')
          .v128Load(w * V);
        f.end().set(pos.at.get(id)!);
      }
      for (const id of this.plan.invariant) frame.nodes.compute(pos, id, f.local(V128));
      frame.nodes.computePowFlags(pos);
    });
    f.i32(0).set(l.running);
    f.i32(0).set(l.traced);
    this.forEachPair((view) => {
      frame.activeFromStopSteps(view.laneOff).set(view.active);
      this.scratch(view, this.at.active, () => f.get(view.active));
      this.count(view.active, 'i32.add');
      view.hits.forEach((_, j) => this.scratch(view, this.at.hits + j, () => frame.loadHits(view.laneOff, j)));
      this.loadSlots(view);
      f.get(l.traced)
        .get(view.slots[0])
        .get(view.slots[1])
        .op('i32.and')
        .i32(-1)
        .op('i32.ne')
        .op('i32.or')
        .set(l.traced);
      for (const c of this.copied) this.toBank(view, bank.cur, c.offset, c.base);
      this.prevBases.forEach((base, c) => this.toBank(view, bank.prv, this.copied[c].offset, base));
    });
  }

  /** Copies back θ, state and prevθ of running lanes, the uniform states they reached, and every pair's hits. */
  private leave(): void {
    const { f, frame, bank } = this;
    this.forEachPair((view, w) => {
      f.get(view.walk).v128Load(0).set(view.active);
      const fromBank = (which: number, offset: number) => () =>
        f.get(view.walk).get(which).op('i32.add').v128Load(offset);
      for (const c of this.copied) this.storeLanes(view, c.base, fromBank(bank.cur, c.offset), view.active);
      this.prevBases.forEach((base, c) =>
        this.storeLanes(view, base, fromBank(bank.prv, this.copied[c].offset), view.active),
      );
      this.storeUniformStates(view, w, view.active);
      view.hits.forEach((h, j) => {
        f.get(view.walk)
          .v128Load((this.at.hits + j) * this.region)
          .set(h);
        frame.storeHits(view.laneOff, j, h);
      });
    });
  }

  /** scratch[region][pair] ← value. */
  private scratch(view: View, region: number, value: () => void): void {
    this.f.get(view.walk);
    value();
    this.f.v128Store(region * this.region);
  }

  /** A lane array component of a pair into a bank. */
  private toBank(view: View, which: number, offset: number, base: number): void {
    const { f } = this;
    f.get(view.walk).get(which).op('i32.add').get(base).get(view.laneOff).op('i32.add').v128Load().v128Store(offset);
  }

  /** base[laneOff] ← value in the lanes set in `mask`; the others keep theirs. */
  private storeLanes(view: View, base: number, value: () => void, mask: number): void {
    const { f } = this;
    f.get(base).get(view.laneOff).op('i32.add');
    value();
    f.get(base).get(view.laneOff).op('i32.add').v128Load();
    f.get(mask).simd('v128.bitselect').v128Store();
  }

  /** The uniform states of position w into the lanes of a pair set in `mask`. */
  private storeUniformStates(view: View, w: number, mask: number): void {
    for (const id of this.uniformStates) {
      this.storeLanes(view, this.shared.get(id)!, () => this.f.get(this.positions[w].at.get(id)!), mask);
    }
  }

  /** running ± the lanes set in a mask. */
  private count(mask: number, op: 'i32.add' | 'i32.sub'): void {
    const { f, l } = this;
    const bits = this.frame.i.s0;
    f.get(mask).simd('i64x2.bitmask').set(bits);
    f.get(l.running).get(bits).i32(1).op('i32.and').op(op).get(bits).i32(1).op('i32.shr_u').op(op).set(l.running);
  }

  private loadSlots(view: View): void {
    const { f, frame } = this;
    view.slots.forEach((slot, lane) =>
      f
        .get(frame.p('traceSlot'))
        .get(view.laneOff)
        .i32(1)
        .op('i32.shr_u')
        .op('i32.add')
        .mem('i32.load', 4 * lane)
        .set(slot),
    );
  }

  /** body(view, w) for every pair of the block, with its lane offset and scratch offset (walk) set. */
  private forEachPair(body: (view: View, w: number) => void): void {
    const { f, l } = this;
    f.i32(0).set(l.q);
    f.block().loop();
    this.views.forEach((view, w) => {
      f.get(l.q)
        .i32(w * V)
        .op('i32.add')
        .tee(view.walk)
        .get(l.blockOff)
        .op('i32.add')
        .set(view.laneOff);
      body(view, w);
    });
    this.nextGroup();
    f.end().end();
  }

  /** q advances by a group; the loop goes on while q < qEnd. */
  private nextGroup(): void {
    const { f, l } = this;
    f.get(l.q)
      .i32(this.W * V)
      .op('i32.add')
      .tee(l.q)
      .get(l.qEnd)
      .op('i32.lt_u')
      .brIf(0);
  }

  /** One version of the step loop over the block (see stepLoop in codegen.ts for `exponents`). */
  private stepLoop(exponents: Exponents): void {
    const { f, frame, l, positions, views, bank } = this;
    const { i, nodes, pool, program } = frame;
    const events = f.local(V128);
    f.block().loop(); // for each step
    nodes.computeNodes(positions, exponents, this.blockStep, false);
    f.v128(new Uint8Array(16)).set(events);

    f.i32(0).set(l.q);
    f.loop(); // for each group of W pairs in the block: no branch
    f.get(l.q).get(bank.cur).op('i32.add').set(bank.qc);
    f.get(l.q).get(bank.nxt).op('i32.add').set(bank.qn);
    views.forEach((view, w) => {
      view.at.clear();
      for (const [id, local] of positions[w].at) view.at.set(id, local);
      for (const c of this.copied) {
        const local = pool.take();
        f.get(bank.qc)
          .v128Load(c.offset + w * V)
          .set(local);
        view.at.set(c.id, local);
      }
      f.get(l.q)
        .v128Load(w * V)
        .set(view.active);
    });
    nodes.computeNodes(views, exponents, this.pairStep, true);
    views.forEach((view, w) => {
      f.get(l.q);
      nodes.value(view, program.f)();
      f.v128Store(this.at.f * this.region + w * V);
      f.get(events).get(view.active);
      frame.tests.notDiverged(view);
      view.hits.forEach((h, j) =>
        f
          .get(l.q)
          .v128Load((this.at.hits + j) * this.region + w * V)
          .set(h),
      );
      frame.tests.firstHits(view, frame.fStarV);
      f.simd('v128.andnot').simd('v128.andnot').simd('v128.or').set(events);
      for (const c of this.copied) {
        f.get(bank.qn);
        nodes.value(view, this.next.get(c.id)!)();
        f.v128Store(c.offset + w * V);
      }
    });
    views.forEach((view, w) => {
      for (const id of [...view.at.keys()]) if (!positions[w].at.has(id)) nodes.release(view, id);
    });
    this.nextGroup();
    f.end();

    f.get(i.k).get(i.nextRecord).op('i32.eq').set(l.recordNow);
    f.get(i.k).get(frame.p('steps')).op('i32.eq').set(l.last);
    f.get(l.recordNow).if();
    this.forEachPair((view, w) => this.record(view, w));
    f.get(i.r).i32(1).op('i32.add').set(i.r);
    frame.loadNextRecord();
    f.end();
    f.get(events).simd('v128.any_true').get(l.last).op('i32.or').if();
    this.forEachPair((view, w) => this.stop(view, w));
    f.end();

    this.advanceUniformStates();
    for (const id of this.blockStep) for (const pos of positions) nodes.release(pos, id);
    // rotate: the banks of step k + 1
    f.get(bank.cur).get(bank.prv).get(bank.nxt).set(bank.cur).set(bank.nxt).set(bank.prv);
    f.get(i.k).i32(1).op('i32.add').set(i.k);
    f.get(l.running).op('i32.eqz').brIf(1);
    f.get(i.k).get(frame.p('toStep')).op('i32.lt_s').brIf(0);
    f.end().end();
  }

  /** A pair's θₖ and state (bank cur) and f (scratch) as its values, for the passes after the loop over pairs. */
  private viewValues(view: View, w: number): void {
    const { f, frame, bank } = this;
    view.at.clear();
    for (const [id, local] of this.positions[w].at) view.at.set(id, local);
    for (const c of [...this.copied, { id: frame.program.f, offset: -1 }]) {
      const local = frame.pool.take();
      if (c.offset < 0) f.get(view.walk).v128Load(this.at.f * this.region);
      else f.get(view.walk).get(bank.cur).op('i32.add').v128Load(c.offset);
      f.set(local);
      view.at.set(c.id, local);
    }
    f.get(view.walk).v128Load(0).set(view.active);
  }

  private releaseView(view: View, w: number): void {
    for (const id of [...view.at.keys()]) if (!this.positions[w].at.has(id)) this.frame.nodes.release(view, id);
  }

  /** f of the pair's running lanes into this step's record row (the rest stays NaN), and θ of traced lanes. */
  private record(view: View, w: number): void {
    const { f, frame, l } = this;
    f.get(frame.p('fRecord'))
      .get(frame.i.r)
      .get(frame.i.stride)
      .op('i32.mul')
      .op('i32.add')
      .get(view.laneOff)
      .op('i32.add');
    f.get(view.walk)
      .v128Load(this.at.f * this.region)
      .f64x2(NaN)
      .get(view.walk)
      .v128Load(0)
      .simd('v128.bitselect');
    f.v128Store();
    f.get(l.traced).if();
    this.viewValues(view, w);
    this.loadSlots(view);
    frame.record(view, view.slots);
    this.releaseView(view, w);
    f.end();
  }

  /**
   * Hits, and the lanes that stop — diverged, every target reached (when asked), or the budget spent: their stop
   * step, f and divergence, and θ, state, prevθ and uniform states as they are now, go to the lane arrays.
   */
  private stop(view: View, w: number): void {
    const { f, frame, l, bank } = this;
    const { i, tests, pool } = frame;
    const [kf, stop, diverged] = [pool.take(), pool.take(), pool.take()];
    this.viewValues(view, w);
    view.hits.forEach((h, j) =>
      f
        .get(view.walk)
        .v128Load((this.at.hits + j) * this.region)
        .set(h),
    );
    f.get(i.k).op('f64.convert_i32_s').simd('f64x2.splat').set(kf);
    tests.updateHits(view, kf, frame.fStarV);
    view.hits.forEach((h, j) => this.scratch(view, this.at.hits + j, () => f.get(h)));
    tests.stopMask(view, frame.stopAtTargetsMask);
    frame.splatI32(() => f.i32(0).get(l.last).op('i32.sub'));
    f.get(view.active).simd('v128.and').simd('v128.or').set(stop);
    f.get(view.active);
    tests.notDiverged(view);
    f.simd('v128.andnot').set(diverged);
    this.storeStops(view, stop, diverged);
    for (const c of this.copied) this.storeLanes(view, c.base, () => f.get(view.at.get(c.id)!), stop);
    this.prevBases.forEach((base, c) =>
      this.storeLanes(
        view,
        base,
        () => f.get(view.walk).get(bank.prv).op('i32.add').v128Load(this.copied[c].offset),
        stop,
      ),
    );
    this.storeUniformStates(view, w, stop);
    f.get(view.active).get(stop).simd('v128.andnot').set(view.active);
    this.scratch(view, this.at.active, () => f.get(view.active));
    this.count(stop, 'i32.sub');
    [kf, stop, diverged].forEach((local) => pool.give(local));
    this.releaseView(view, w);
  }

  /** Stop step k and f (and the divergence step where `diverged`) of each lane set in `stop`. */
  private storeStops(view: View, stop: number, diverged: number): void {
    const { f, frame } = this;
    const fv = frame.nodes.value(view, frame.program.f);
    ([0, 1] as const).forEach((lane) => {
      frame.laneActive(stop, lane).if();
      frame.mem.i32Addr(view.laneOff, frame.p('stopStep'), 0, lane);
      f.get(frame.i.k).mem('i32.store');
      f.get(frame.p('finalF')).get(view.laneOff).op('i32.add');
      fv();
      f.f64x2ExtractLane(lane).mem('f64.store', lane * 8);
      frame.laneActive(diverged, lane).if();
      frame.mem.i32Addr(view.laneOff, frame.p('divergedAt'), 0, lane);
      f.get(frame.i.k).mem('i32.store');
      f.end();
      f.end();
    });
  }

  /** The uniform states ← their next values (through temporaries: one may be another's next). */
  private advanceUniformStates(): void {
    const { f, frame } = this;
    for (const pos of this.positions) {
      const staged = this.uniformStates.map((id) => {
        const t = frame.pool.take();
        frame.nodes.value(pos, this.next.get(id)!)();
        f.set(t);
        return t;
      });
      this.uniformStates.forEach((id, c) => {
        f.get(staged[c]).set(pos.at.get(id)!);
        frame.pool.give(staged[c]);
      });
    }
  }
}
