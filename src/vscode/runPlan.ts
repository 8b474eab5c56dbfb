/**
 * From the user's choices to run requests for the worker pool, and from results to what the panel shows.
 * A run is split into one request per optimizer so that the pool runs them on separate workers and the
 * sidebar can show each optimizer as soon as it finishes.
 */
import type { CostFunction } from '../engine/expr/costParser';
import type { BackendChoice, Precision } from '../engine/kernel/types';
import { parseOptimizerList } from '../engine/optim/registry';
import type { OptimizerConfig } from '../engine/optim/types';
import type { FunctionSource, RunRequest } from '../engine/run/request';
import type { RunResult } from '../engine/run/runner';
import { domainOf, type StartSpec } from '../engine/run/starts';

export interface RunSettings {
  /** Optimizer specs in the CLI syntax, e.g. `adam` or `h-adam:H=0.5`. */
  readonly optimizers: readonly string[];
  readonly steps: number;
  readonly starts: number;
  readonly seed: number;
  readonly target: number;
  readonly backend: BackendChoice;
  /** f64 when absent. */
  readonly precision?: Precision;
}

/** A function chosen for a run: how the worker gets it, and the parsed function for its domain and name. */
export interface FunctionChoice {
  readonly source: FunctionSource;
  readonly fn: CostFunction;
}

/** Trajectories kept per optimizer for the landscape. */
export const TRACES = 16;

export function parseOptimizerSettings(specs: readonly string[]): OptimizerConfig[] {
  if (specs.length === 0) throw new RangeError('no optimizers chosen');
  return specs.flatMap((s) => parseOptimizerList(s));
}

/** Everything of a run but its function and optimizers. */
export interface RunShape {
  readonly starts: StartSpec;
  readonly steps: number;
  readonly target: number;
  readonly backend: BackendChoice;
  /** f64 when absent. */
  readonly precision?: Precision;
}

export function shapeFromSettings(fn: CostFunction, s: RunSettings): RunShape {
  return {
    starts: { kind: 'random', n: s.starts, seed: s.seed, domain: domainOf(fn) },
    steps: s.steps,
    target: s.target,
    backend: s.backend,
    precision: s.precision ?? 'f64',
  };
}

export function runRequests(
  choice: FunctionChoice,
  configs: readonly OptimizerConfig[],
  shape: RunShape,
): RunRequest[] {
  return configs.map((config) => ({
    fn: choice.source,
    optimizers: [config],
    starts: shape.starts,
    steps: shape.steps,
    targets: [shape.target],
    traces: TRACES,
    backend: shape.backend,
    precision: shape.precision ?? 'f64',
  }));
}

/** Results of requests that differ only in their optimizers (same function, starts and targets) as one result. */
export function mergeResults(parts: readonly RunResult[]): RunResult {
  if (parts.length === 0) throw new Error('nothing to merge');
  return { ...parts[0], runs: parts.flatMap((p) => p.runs) };
}
