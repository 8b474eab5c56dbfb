/**
 * What the kernel tests of a lane pair at each step (codegen.ts's testTargetsAndStop): first hits of the
 * targets, divergence, and which lanes stop — each pushed as a lane mask, or kept in the pair's hit locals.
 */
import type { StepProgram } from '../../program/stepProgram';
import { DIVERGENCE_BOUND } from '../types';
import type { FunctionBuilder } from './encoder';
import type { LocalPool, NodeEmitter, PairValues } from './nodeEmitter';
import type { ScratchPair, WideScratch } from './wideLayout';

export interface TestedPair extends PairValues, ScratchPair {
  /** First hit step of each target per lane, as f64 (−1 before). */
  readonly hits: readonly number[];
}

export class LaneTests {
  constructor(
    private readonly f: FunctionBuilder,
    private readonly nodes: NodeEmitter,
    private readonly pool: LocalPool,
    private readonly program: StepProgram,
    /** τⱼ splatted. */
    private readonly taus: readonly number[],
    private readonly scratch: WideScratch | undefined,
  ) {}

  /** Pushes the lanes of a pair that reach some target for the first time (f − f* ≤ τⱼ while hⱼ is −1). */
  firstHits(pair: TestedPair, fStarV: number): void {
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
  updateHits(pair: TestedPair, kf: number, fStarV: number): void {
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
  stopMask(pair: TestedPair, stopAtTargetsMask: number): void {
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
  notDiverged(pair: TestedPair): void {
    const { f, program } = this;
    this.nodes.value(pair, program.f)();
    f.simd('f64x2.abs').f64x2(Infinity).simd('f64x2.lt');
    if (this.scratch) {
      // a loop over the scratch copy of θ: the unrolled test would be a third of the wide layout's code
      const ok = this.pool.take();
      f.set(ok);
      this.scratch.thetaWithin(pair, DIVERGENCE_BOUND, ok);
      f.get(ok);
      this.pool.give(ok);
      return;
    }
    for (const id of program.theta) {
      this.nodes.value(pair, id)();
      f.simd('f64x2.abs').f64x2(DIVERGENCE_BOUND).simd('f64x2.le').simd('v128.and');
    }
  }
}
