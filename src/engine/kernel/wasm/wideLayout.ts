/**
 * Where a step's values live. In the locals layout (every built-in function) θ, optimizer state, hyperparameters
 * and every step value are v128 locals. That stops scaling with the number of variables: V8 allows 50,000
 * locals per function, and its optimizing compiler takes time quadratic in the values live across the step
 * loop (1,000 variables with Adam: 12 s). The wide layout keeps a lane pair's θ, state and previous θ in
 * scratch memory at static addresses — copied in and out by loops once per call, updated by a loop after each
 * step under the lane mask (a stopped lane keeps its values) — and moves every step value that would stay live
 * across more than WINDOW nodes to memory too, so locals are few and every live range is short: compile time
 * grows linearly with the program.
 *
 * A pair's scratch: [cur: θ then state][prev: previous θ][next: the values after this step][spilled values].
 */
import { isTruthValued, type Graph, type NodeId } from '../../expr/ir';
import { I32, type FunctionBuilder } from './encoder';
import type { StepPatterns } from './stepPatterns';

/** Longest live range (in emitted nodes) of a step value held in a local in the wide layout. */
export const WINDOW = 64;

const V = 16;

export interface StepPlan {
  /** Position in the emitted nodes of each value's last use (Infinity for the step's outputs). */
  readonly lastUse: ReadonlyMap<NodeId, number>;
  /** Step values kept in memory, at these offsets of the pair's scratch; every other value is a local. */
  readonly memory: ReadonlyMap<NodeId, number>;
  /** Most step values in locals at once (per pair). */
  readonly peakLocals: number;
  /** Scratch bytes per pair (0 in the locals layout). */
  readonly scratchBytes: number;
}

/** The carried values of a program: θ and state inputs in slot order, and each slot's next value. */
export interface Carried {
  readonly inputs: readonly NodeId[];
  readonly next: readonly NodeId[];
  readonly dim: number;
}

/** Every value in a local: the locals layout. */
export function localsPlan(patterns: StepPatterns, outputs: readonly NodeId[]): StepPlan {
  return simulate(patterns, outputs, () => undefined, 0);
}

/**
 * The wide layout's plan: a carried slot's next value, computed in the step, goes straight to its `next` place;
 * f and short-lived values stay in locals; any other value live across more than WINDOW nodes is spilled.
 */
export function widePlan(
  g: Graph,
  patterns: StepPatterns,
  outputs: readonly NodeId[],
  f: NodeId,
  carried: Carried,
): StepPlan {
  const regions = wideRegions(carried);
  const homes = new Map<NodeId, number>();
  const computed = new Set(patterns.emitted);
  carried.next.forEach((next, c) => {
    // a truth value is held as a lane mask: it is written to `next` as 1 or 0 after the step instead
    if (next !== carried.inputs[c] && computed.has(next) && !homes.has(next) && !isTruthValued(g.node(next)))
      homes.set(next, regions.next + V * c);
  });
  return simulate(
    patterns,
    outputs,
    (id, range) => homes.get(id) ?? (id !== f && range > WINDOW ? null : undefined),
    regions.spill,
  );
}

/**
 * Replays computeStep's order (nodeEmitter.ts) to find each value's last use and place. `place` returns a fixed
 * offset, null for a spill slot (reused once the value is dead), or undefined for a local.
 */
function simulate(
  patterns: StepPatterns,
  outputs: readonly NodeId[],
  place: (id: NodeId, range: number) => number | null | undefined,
  spillBase: number,
): StepPlan {
  const { emitted, operands, partners } = patterns;
  const lastUse = new Map<NodeId, number>();
  emitted.forEach((id, i) => operands(id).forEach((o) => lastUse.set(o, i)));
  for (const o of outputs) lastUse.set(o, Infinity);
  const computedHere = new Set(emitted);
  const memory = new Map<NodeId, number>();
  const spillSlots: number[] = [];
  let spillTop = spillBase;
  const locals = new Set<NodeId>();
  let peakLocals = 0;
  const defined = new Set<NodeId>();
  emitted.forEach((id, i) => {
    if (!defined.has(id)) {
      const partner = partners.get(id);
      for (const value of partner ? [partner[1], partner[2]] : [id]) {
        defined.add(value);
        const at = place(value, (lastUse.get(value) ?? i) - i);
        if (at === undefined) locals.add(value);
        else if (at !== null) memory.set(value, at);
        else {
          const slot = spillSlots.pop() ?? (spillTop += V) - V;
          memory.set(value, slot);
        }
      }
      // the value is computed in a local before it is stored
      peakLocals = Math.max(peakLocals, locals.size + 1);
    }
    for (const o of new Set(operands(id))) {
      if (lastUse.get(o) !== i || !computedHere.has(o)) continue;
      locals.delete(o);
      const slot = memory.get(o);
      if (slot !== undefined && slot >= spillBase) spillSlots.push(slot);
    }
  });
  return { lastUse, memory, peakLocals, scratchBytes: spillBase === 0 ? 0 : spillTop };
}

/** Offsets of a pair's scratch regions. */
export function wideRegions(carried: Carried) {
  const slots = carried.inputs.length;
  return { cur: 0, prev: V * slots, next: V * (slots + carried.dim), spill: V * (2 * slots + carried.dim) };
}

/** What the wide layout's loops need of a lane pair (codegen.ts's Pair). */
export interface ScratchPair {
  /** Start of the pair's scratch. */
  readonly scratch: number;
  /** Byte offset of the pair in f64 lane arrays (i32 local). */
  readonly laneOff: number;
  /** The pair's running lanes (v128 local). */
  readonly active: number;
}

/** The i32 locals holding the run function's lane-array addresses (codegen.ts's RUN_PARAMS). */
export interface LaneArrays {
  readonly theta: number;
  readonly state: number;
  readonly prevTheta: number;
}

/**
 * The wide layout's code over a pair's scratch: loops, so that its size does not grow with the variables. A
 * lane array holds component c of a pair at base + c·stride + laneOff (laneMemory.ts).
 */
export class WideScratch {
  private readonly p: number;
  private readonly src: number;
  private readonly regions: ReturnType<typeof wideRegions>;

  constructor(
    private readonly f: FunctionBuilder,
    private readonly stride: number,
    private readonly carried: Carried,
    private readonly step: StepPlan,
    private readonly arrays: LaneArrays,
  ) {
    this.p = f.local(I32);
    this.src = f.local(I32);
    this.regions = wideRegions(carried);
  }

  /** Address of θ in a pair's scratch. */
  theta(pair: ScratchPair): number {
    return pair.scratch + this.regions.cur;
  }

  /** θ, state and prevθ between a pair's lane arrays and its scratch; copied in, `next` starts as `cur`. */
  copy(direction: 'in' | 'out', pair: ScratchPair): void {
    const { dim, inputs } = this.carried;
    const cur = pair.scratch + this.regions.cur;
    this.copyArray(direction, cur, dim, this.arrays.theta, pair.laneOff);
    this.copyArray(direction, cur + V * dim, inputs.length - dim, this.arrays.state, pair.laneOff);
    this.copyArray(direction, pair.scratch + this.regions.prev, dim, this.arrays.prevTheta, pair.laneOff);
    if (direction === 'in')
      this.loop(inputs.length, () =>
        this.f
          .get(this.p)
          .get(this.p)
          .v128Load(cur)
          .v128Store(pair.scratch + this.regions.next),
      );
  }

  /**
   * After a step: the next values not already in `next` (inputs, invariants, truth values, a value two slots
   * share) are written there as numbers, then prevθ ← θ and cur ← next in the running lanes.
   */
  update(pair: ScratchPair, value: (id: NodeId) => () => void): void {
    const { f } = this;
    const { inputs, next, dim } = this.carried;
    const at = (region: number) => pair.scratch + region;
    next.forEach((id, c) => {
      const offset = this.regions.next + V * c;
      if (id === inputs[c] || this.step.memory.get(id) === offset) return;
      f.i32(0);
      value(id)();
      f.v128Store(pair.scratch + offset);
    });
    this.select(at(this.regions.prev), at(this.regions.cur), dim, pair.active);
    this.select(at(this.regions.cur), at(this.regions.next), inputs.length, pair.active);
  }

  /** acc ← acc ∧ (|θc| ≤ bound) for every component of θ: the divergence test. */
  thetaWithin(pair: ScratchPair, bound: number, acc: number): void {
    const { f, p } = this;
    const theta = this.theta(pair);
    this.loop(this.carried.dim, () => {
      f.get(acc).get(p).v128Load(theta).simd('f64x2.abs').f64x2(bound).simd('f64x2.le').simd('v128.and').set(acc);
    });
  }

  /** One lane of θ to consecutive f64s from the address `to()` pushes: a trace row. */
  thetaLane(pair: ScratchPair, lane: 0 | 1, to: () => void): void {
    const { f, p, src } = this;
    const theta = this.theta(pair);
    to();
    f.set(src);
    this.loop(this.carried.dim, () => {
      f.get(src).get(p).v128Load(theta).f64x2ExtractLane(lane).mem('f64.store');
      f.get(src).i32(8).op('i32.add').set(src);
    });
  }

  private copyArray(direction: 'in' | 'out', address: number, count: number, base: number, laneOff: number): void {
    const { f, p, src } = this;
    f.get(base).get(laneOff).op('i32.add').set(src);
    this.loop(count, () => {
      if (direction === 'in') f.get(p).get(src).v128Load().v128Store(address);
      else f.get(src).get(p).v128Load(address).v128Store();
      f.get(src).get(this.stride).op('i32.add').set(src);
    });
  }

  /** to[c] ← mask ? from[c] : to[c]. */
  private select(to: number, from: number, count: number, mask: number): void {
    const { f, p } = this;
    this.loop(count, () => {
      f.get(p).get(p).v128Load(from).get(p).v128Load(to).get(mask).simd('v128.bitselect').v128Store(to);
    });
  }

  /** body() for p = 0, 16, …, 16·(count − 1); nothing for count 0. */
  private loop(count: number, body: () => void): void {
    const { f, p } = this;
    if (count === 0) return;
    f.i32(0).set(p);
    f.block().loop();
    body();
    f.get(p)
      .i32(V)
      .op('i32.add')
      .tee(p)
      .i32(V * count)
      .op('i32.lt_u')
      .brIf(0);
    f.end().end();
  }
}
