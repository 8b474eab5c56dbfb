/**
 * Baiesi 2019 (Sec. 2): h-GD on κθ²/2 can end on a 2-state orbit ±θ̃ (θ̃ = η²κ/4 for H = 1/2) instead of
 * converging. The two iterates then have opposite power gradients, h(θₖ) ≈ −h(θₖ₋₁); the orbit's midpoint is
 * the point the user cares about.
 */
import { gradient } from '../expr/autodiff';
import { evaluateAt, valueAt } from './pointEval';
import type { CostProgram } from '../program/stepProgram';

export interface Orbit {
  readonly midpoint: readonly number[];
  readonly f: number;
  /** max |h(θₖ) + h(θₖ₋₁)| / max(|h(θₖ)|, |h(θₖ₋₁)|) over components. */
  readonly gap: number;
}

/** Relative size of h(θₖ) + h(θₖ₋₁) under which two iterates count as an orbit. */
export const ORBIT_TOLERANCE = 1e-6;

const gradients = new WeakMap<CostProgram, number[]>();

export function detectOrbit(
  fn: CostProgram,
  theta: readonly number[],
  prev: readonly number[],
  H: number,
): Orbit | null {
  if (theta.every((v, i) => v === prev[i])) return null;
  let grad = gradients.get(fn);
  if (!grad) {
    grad = gradient(fn.graph, fn.output, fn.inputs);
    gradients.set(fn, grad);
  }
  const at = (p: readonly number[]) => evaluateAt(fn, p, grad!).map((g) => Math.sign(g) * Math.abs(g) ** H);
  const hk = at(theta);
  const hp = at(prev);
  let gap = 0;
  for (let i = 0; i < hk.length; i++) {
    const scale = Math.max(Math.abs(hk[i]), Math.abs(hp[i]));
    if (scale === 0) continue;
    gap = Math.max(gap, Math.abs(hk[i] + hp[i]) / scale);
  }
  if (!(gap <= ORBIT_TOLERANCE) || hk.every((v) => v === 0)) return null;
  const midpoint = theta.map((v, i) => (v + prev[i]) / 2);
  return { midpoint, f: valueAt(fn, midpoint), gap };
}
