/**
 * A row program's loss at a given θ over given rows, by the JS data kernel's own generated `lossSum` (the code the
 * reference kernel trains with, jsDataSource.ts), never a second evaluator: the decision boundary and the loss
 * landscape along a path (decisionBoundary.ts, pathProjection.ts) read the model through it. Compiled once per
 * row program; the optimizer graph it comes with is plain GD's, which `lossSum` does not read.
 */
import type { DataPhases } from '../kernel/jsDataSource';
import { compileDataPhases } from '../kernel/jsDataSource';
import { getOptimizer } from '../optim/registry';
import { buildDataStepProgram, type RowProgram } from '../program/dataProgram';

const compiled = new WeakMap<RowProgram, DataPhases>();

export interface RowLoss {
  /** Σ ℓ(θ; row) over rows[from … to − 1] of X (rows × width, row-major). */
  sum(theta: Float64Array, X: Float64Array, width: number, rows: Int32Array, from: number, to: number): number;
}

export function rowLoss(row: RowProgram): RowLoss {
  let phases = compiled.get(row);
  if (!phases) {
    phases = compileDataPhases(buildDataStepProgram(row, getOptimizer('gd'))).phases;
    compiled.set(row, phases);
  }
  const p = phases;
  return { sum: (theta, X, width, rows, from, to) => p.lossSum(theta, X, width, rows, from, to) };
}
