/**
 * Which training rows each minibatch holds, DATA-CONVENTIONS.md "Data order". Start r has its own stream
 * mulberry32(mix(seed, r) XOR 0x6A09E667) (random.ts). Rows are positions 0…n−1 in the training split, in split
 * order; the runner maps them to dataset rows through `Split.train`.
 *
 *   'epoch'    (no `@shuffle`) perm = [0, …, n−1] shuffled by Fisher–Yates at the start of every epoch: for
 *              i = n−1 down to 1, j = floor(u·(i + 1)), swap perm[i] and perm[j] (n − 1 draws per epoch)
 *   'once'     the same shuffle before the first epoch only; every epoch repeats it
 *   'none'     split order, no draws
 *   'replace'  each batch draws its B rows with replacement, floor(u·n) each
 *
 * An epoch is ceil(n / B) batches; batch b is order[b·B … min((b+1)·B, length) − 1]. For the shuffles the
 * order has n entries, so the last batch may be smaller; with replacement every batch has B rows (the
 * convention draws "each batch's B rows"), so an epoch's order has ceil(n / B)·B entries.
 *
 * The draws an epoch takes do not depend on what they drew, so epoch e starts at a known offset of the stream
 * and `epochOrder` is a pure function of (seed, start, epoch, plan): a runner can ask for any epoch of any start.
 */
import { dataOrderSeed, streamAt } from './random';

export const SHUFFLE_MODES = ['epoch', 'once', 'none', 'replace'] as const;
export type ShuffleMode = (typeof SHUFFLE_MODES)[number];

export interface BatchPlan {
  /** Training rows, n ≥ 1. */
  readonly rows: number;
  /** Minibatch size B ≥ 1 (B ≥ n: one batch of the whole split per epoch). */
  readonly batch: number;
  readonly shuffle: ShuffleMode;
}

export function batchesPerEpoch(plan: BatchPlan): number {
  return Math.ceil(plan.rows / plan.batch);
}

/** Training-row positions in the order epoch `epoch` (0-based) visits them, for start `start`. */
export function epochOrder(seed: number, start: number, epoch: number, plan: BatchPlan): Int32Array {
  checkPlan(plan);
  const n = plan.rows;
  const stream = (skip: number) => streamAt(dataOrderSeed(seed, start), skip);
  switch (plan.shuffle) {
    case 'none':
      return identity(n);
    case 'once':
      return fisherYates(identity(n), stream(0));
    case 'epoch':
      return fisherYates(identity(n), stream(epoch * (n - 1)));
    case 'replace': {
      const length = batchesPerEpoch(plan) * plan.batch;
      const next = stream(epoch * length);
      const order = new Int32Array(length);
      for (let i = 0; i < length; i++) order[i] = Math.floor(next() * n);
      return order;
    }
  }
}

/** Batch b of an epoch's order (a view, not a copy). */
export function batchRows(order: Int32Array, b: number, batch: number): Int32Array {
  return order.subarray(b * batch, Math.min((b + 1) * batch, order.length));
}

/** Fisher–Yates as DATA-CONVENTIONS writes it, in place; also the split's shuffle. */
export function fisherYates(perm: Int32Array, next: () => number): Int32Array {
  for (let i = perm.length - 1; i >= 1; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}

export function identity(n: number): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  return perm;
}

function checkPlan(plan: BatchPlan): void {
  if (!(Number.isSafeInteger(plan.rows) && plan.rows >= 1)) throw new RangeError(`bad training row count ${plan.rows}`);
  if (!(Number.isSafeInteger(plan.batch) && plan.batch >= 1)) throw new RangeError(`bad batch size ${plan.batch}`);
}
