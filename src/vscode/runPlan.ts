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
import type { ConfigFunction } from '../present/runConfig';
import { tracePlan } from '../present/traces';

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

export function parseOptimizerSettings(specs: readonly string[]): OptimizerConfig[] {
  if (specs.length === 0) throw new RangeError('no optimizers chosen');
  return specs.flatMap((s) => parseOptimizerList(s));
}

/** What a run's configuration says of the function it ran on (present/runConfig.ts). */
export function configFunction(key: string, fn: CostFunction): ConfigFunction {
  return { key, variables: fn.variables, expression: fn.source, fStar: fn.fStar };
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

/** The number of starts a shape gives a function of `dim` variables. */
export function startCount(starts: StartSpec, dim: number): number {
  return starts.kind === 'list' ? starts.points.length : starts.kind === 'random' ? starts.n : starts.perAxis ** dim;
}

/** Requests for a run, with as many trajectories as its size allows (present/traces.ts): one per optimizer. */
export function runRequests(
  choice: FunctionChoice,
  configs: readonly OptimizerConfig[],
  shape: RunShape,
): { readonly requests: RunRequest[]; readonly maxPoints: number } {
  const plan = tracePlan(startCount(shape.starts, choice.fn.variables.length), configs.length);
  const requests = configs.map((config) => ({
    fn: choice.source,
    optimizers: [config],
    starts: shape.starts,
    steps: shape.steps,
    targets: [shape.target],
    traces: plan.lanes,
    backend: shape.backend,
    precision: shape.precision ?? 'f64',
  }));
  return { requests, maxPoints: plan.maxPoints };
}

/** Starts × steps × optimizers: what decides whether a run is live (the `descentLab.liveLimit` setting). */
export function laneSteps(requests: readonly RunRequest[], dim: number): number {
  return requests.reduce((s, r) => s + startCount(r.starts, dim) * r.steps * r.optimizers.length, 0);
}

/**
 * Results of requests that differ only in their optimizers (same function, starts and targets) as one result;
 * stopped early when any part was, at the furthest step a stopped part reached.
 */
export function mergeResults(parts: readonly RunResult[]): RunResult {
  if (parts.length === 0) throw new Error('nothing to merge');
  const stopped = parts.flatMap((p) => (p.stoppedAt === null ? [] : [p.stoppedAt]));
  return { ...parts[0], runs: parts.flatMap((p) => p.runs), stoppedAt: stopped.length ? Math.max(...stopped) : null };
}
