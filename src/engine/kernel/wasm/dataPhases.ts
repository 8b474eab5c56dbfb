/**
 * One phase of a data step (program/dataProgram.ts) as SIMD code for the lane pairs of a group: a row body (ℓ and
 * ∇ℓ, ℓ alone, the metrics) or an optimizer phase (point, update, Rosetta quantities). Each node is emitted by
 * NodeEmitter, the pairs interleaved node by node; this adds what a data step needs around it:
 *   - a row's columns are loaded where first used — one v128.load64_splat when both lanes read the same row
 *     (training loss, metrics: then every pair shares the load), a splat and a load64_lane when each lane reads
 *     its own (minibatches);
 *   - an output goes to its sinks as soon as it is computed (accumulated, stored), so it need not stay live;
 *   - in a big program, a value live across more than WINDOW nodes, or kept for a later phase, waits in a spill
 *     slot: locals stay few and live ranges short, so V8 compiles in time linear in the program (wideLayout.ts);
 *   - in a small one, the activations' exp/log family is emitted in line (INLINE).
 */
import type { Graph, NodeId } from '../../expr/ir';
import type { FunctionBuilder } from './encoder';
import type { LocalPool, NodeEmitter, PairValues } from './nodeEmitter';
import type { E, Vec } from './simdDsl';
import { exp, expm1, log, log1p, tanh } from './simdExpLog';
import type { SimdMath } from './simdMath';
import type { StepPatterns } from './stepPatterns';

export interface PhasePair extends PairValues {
  /** Static address of the pair's spill slot 0; slot s is at spill + s·SpillSlots.stride. */
  readonly spill: number;
  /** i32 locals holding each lane's row address (one local twice when the lanes share the row). */
  row?: readonly [number, number];
}

/** Called when an output is ready for a pair: `push` leaves its value (a number) on the stack. */
export type Sink = (pair: PhasePair, push: () => void) => void;

/** The spill slots of a group's pairs: slot s of pair w at spillStart + (s·W + w)·16, so used slots stay close. */
export class SpillSlots {
  /** Slots held by kept values: temporaries go above. */
  reserved = 0;
  /** Most slots in use at once: the spill area's size. */
  used = 0;
  constructor(readonly stride: number) {}
}

/**
 * Vector functions a small program's phases emit in line rather than call: the activations' exp/log family.
 * V8 passes v128 values in registers it does not preserve across a call, so every value live across one is
 * spilled and reloaded, and none of the caller's work overlaps the call: in line, the Sprunger step runs ~30%
 * faster (README). The code is the DSL body SimdMath compiles into its function, so the values are the same bits.
 */
const INLINE: Readonly<Record<string, (v: Vec, m: SimdMath, x: E) => E>> = { tanh, exp, expm1, log, log1p };

export interface PhaseOptions {
  readonly f: FunctionBuilder;
  readonly graph: Graph;
  readonly nodes: NodeEmitter;
  readonly pool: LocalPool;
  readonly patterns: StepPatterns;
  readonly spill: SpillSlots;
  /** Longest live range (in nodes) of a value in a local: WINDOW in a big program, unbounded in a small one. */
  readonly window: number;
  /** The DSL over `f` where INLINE's functions are emitted in line (small programs); absent: they are called. */
  readonly inline?: { readonly v: Vec; readonly math: SimdMath };
  /** Column inputs of a row graph: node → the dataset column it reads. */
  readonly columns?: ReadonlyMap<NodeId, number>;
}

export class PhaseWriter {
  private readonly columns: ReadonlyMap<NodeId, number>;

  constructor(private readonly o: PhaseOptions) {
    this.columns = o.columns ?? new Map();
  }

  /**
   * Emits `list` (nodes of patterns.emitted, in order) for every pair, then hands each output in `sinks` that
   * `list` does not compute (an input, a constant, a value of an earlier phase) to its sinks. Values computed here
   * are released after their last use in `list`, except those in `keep`: they stay, in spill slots, for a later
   * phase, until `release`.
   */
  emit(
    pairs: readonly PhasePair[],
    list: readonly NodeId[],
    sinks: ReadonlyMap<NodeId, readonly Sink[]>,
    keep: ReadonlySet<NodeId> = new Set(),
  ): void {
    const { f, nodes, pool, spill } = this.o;
    const { partners } = this.o.patterns;
    // each node's distinct operands, once (a node may read one twice, x·x)
    const operandsOf = list.map((id) => this.o.patterns.operands(id).filter((o, k, all) => all.indexOf(o) === k));
    const lastUse = new Map<NodeId, number>();
    operandsOf.forEach((operands, i) => operands.forEach((o) => lastUse.set(o, i)));
    for (const id of keep) lastUse.set(id, Infinity);
    const shared = pairs[0].row !== undefined && pairs.every((p) => p.row![0] === p.row![1]);
    const here = new Set<NodeId>();
    const free: number[] = [];
    let top = spill.reserved;
    const slotOf = new Map<NodeId, number>();
    const settle = (id: NodeId, i: number, one: boolean) => {
      if (!lastUse.has(id)) lastUse.set(id, i);
      if (lastUse.get(id)! - i <= this.o.window) return;
      const s = keep.has(id) ? top++ : (free.pop() ?? top++);
      slotOf.set(id, s);
      pairs.forEach((pair, w) => {
        const address = (one ? pairs[0] : pair).spill + s * spill.stride;
        if (!one || w === 0) {
          const local = pair.at.get(id)!;
          f.i32(0).get(local).v128Store(address);
          pool.give(local);
        }
        pair.at.delete(id);
        pair.mem.set(id, address);
      });
    };
    list.forEach((id, i) => {
      const operands = operandsOf[i];
      for (const o of operands) {
        if (!this.columns.has(o) || pairs[0].at.has(o) || pairs[0].mem.has(o)) continue;
        this.loadColumn(pairs, o, shared);
        here.add(o);
        settle(o, i, shared);
      }
      for (const pair of pairs) if (!pair.at.has(id) && !pair.mem.has(id)) this.compute(pair, id);
      const partner = partners.get(id);
      const values = partner ? [partner[1], partner[2]] : [id];
      for (const value of values) {
        if (here.has(value)) continue;
        here.add(value);
        for (const sink of sinks.get(value) ?? []) for (const pair of pairs) sink(pair, nodes.value(pair, value));
        settle(value, i, false);
      }
      const release = (o: NodeId) => {
        if (!here.has(o) || lastUse.get(o) !== i) return;
        this.drop(pairs, o, shared && this.columns.has(o));
        const s = slotOf.get(o);
        if (s !== undefined) free.push(s);
      };
      operands.forEach(release);
      for (const value of values) if (!operands.includes(value)) release(value);
    });
    for (const [id, idSinks] of sinks) {
      if (here.has(id)) continue;
      for (const sink of idSinks) for (const pair of pairs) sink(pair, nodes.value(pair, id));
    }
    spill.used = Math.max(spill.used, top);
    if (keep.size > 0) spill.reserved = top;
  }

  /** Releases values kept by `emit`, and their slots (every slot reserved since `reservedBefore`). */
  release(pairs: readonly PhasePair[], ids: Iterable<NodeId>, reservedBefore: number): void {
    for (const id of ids) this.drop(pairs, id, false);
    this.o.spill.reserved = reservedBefore;
  }

  private compute(pair: PhasePair, id: NodeId): void {
    const { f, nodes, pool, inline } = this.o;
    const node = this.o.graph.node(id);
    const local = pool.take();
    if (inline && node.kind === 'unary' && Object.hasOwn(INLINE, node.op)) {
      INLINE[node.op](inline.v, inline.math, nodes.value(pair, node.a))();
      f.set(local);
      pair.at.set(id, local);
    } else nodes.compute(pair, id, local);
  }

  private drop(pairs: readonly PhasePair[], id: NodeId, shared: boolean): void {
    pairs.forEach((pair, w) => {
      const local = pair.at.get(id);
      if (local !== undefined && (!shared || w === 0)) this.o.pool.give(local);
      pair.at.delete(id);
      pair.mem.delete(id);
    });
  }

  /** A column of each pair's row into a local: one load for a row that both lanes (and every pair) read. */
  private loadColumn(pairs: readonly PhasePair[], id: NodeId, shared: boolean): void {
    const { f, pool } = this.o;
    const offset = 8 * this.columns.get(id)!;
    if (shared) {
      const local = pool.take();
      f.get(pairs[0].row![0]).v128Load64Splat(offset).set(local);
      for (const pair of pairs) pair.at.set(id, local);
      return;
    }
    for (const pair of pairs) {
      const local = pool.take();
      const [a, b] = pair.row!;
      f.get(a).v128Load64Splat(offset).set(local);
      f.get(b).get(local).v128Load64Lane(1, offset).set(local);
      pair.at.set(id, local);
    }
  }
}
