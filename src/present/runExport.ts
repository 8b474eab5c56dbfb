/**
 * A finished run as JSON (the `run --json` contract, which Export Results writes too) and as CSV tables (one row
 * per lane, or one per optimizer).
 */
import type { RunResult } from '../engine/run/runner';
import { csv } from './csv';

export interface RunJsonOptions {
  /** Convergence curves and recorded trajectories too (the CLI's `run --json`); without, aggregates and per-lane outcomes. */
  readonly detail?: 'full' | 'compact';
}

/**
 * The run JSON: the function (f* null when it has no @minimum), whether the run was stopped and where, the starts
 * and their seed, and per optimizer its counts, steps-to-target statistics and each lane's outcome; in full, also
 * the convergence curves and (when recorded) the trajectories. JSON has no NaN or ∞: they are written null.
 */
export function runJson(result: RunResult, { detail = 'full' }: RunJsonOptions = {}) {
  const full = detail === 'full';
  return {
    fn: result.fn.name,
    variables: result.fn.variables,
    fStar: result.fn.fStarKnown ? result.fn.fStar : null,
    steps: result.steps,
    status: result.stoppedAt === null ? 'done' : 'stopped',
    stoppedAt: result.stoppedAt,
    targets: result.targets,
    starts: result.starts,
    seed: result.startSpec.kind === 'random' ? result.startSpec.seed : null,
    runs: result.runs.map((r) => ({
      optimizer: r.optimizer,
      label: r.label,
      params: r.params,
      n: r.n,
      converged: r.converged,
      diverged: r.diverged,
      orbits: r.orbits,
      backend: r.backend,
      precision: r.precision,
      nsPerLaneStep: r.timing.nsPerLaneStep,
      stepsToTarget: r.stepsToTarget,
      stoppedAt: r.stoppedAt,
      final: r.final.map((l) => ({ theta: l.theta, f: l.f, steps: l.steps, divergedAt: l.divergedAt, orbit: l.orbit })),
      ...(full ? { curves: r.curves } : {}),
      ...(full && r.traces.length ? { traces: r.traces } : {}),
    })),
  };
}

const targetKeys = (result: RunResult) => result.targets.map(String);

/** One row per optimizer and lane: the start, the step that first reached each target, the final point. */
export function lanesCsv(result: RunResult): string {
  const vars = result.fn.variables;
  const header = [
    'optimizer',
    'label',
    'lane',
    ...vars.map((v) => `start_${v}`),
    ...targetKeys(result).map((t) => `first_hit_${t}`),
    ...vars.map((v) => `final_${v}`),
    'final_f',
    'steps',
    'diverged_at',
  ];
  const rows = result.runs.flatMap((r) =>
    r.final.map((lane, i) => [
      r.optimizer,
      r.label,
      i,
      ...result.starts[i],
      ...targetKeys(result).map((t) => r.stepsToTarget[t]?.perLane[i] ?? null),
      ...lane.theta,
      lane.f,
      lane.steps,
      lane.divergedAt,
    ]),
  );
  return csv([header, ...rows]);
}

/** One row per optimizer: counts, steps-to-target statistics per target, time per lane-step. */
export function aggregatesCsv(result: RunResult): string {
  const stats = ['reached', 'median', 'mean', 'min', 'max'] as const;
  const header = [
    'optimizer',
    'label',
    'params',
    'n',
    'converged',
    'diverged',
    'orbits',
    ...targetKeys(result).flatMap((t) => stats.map((s) => `${s}_steps_${t}`)),
    'ns_per_lane_step',
    'backend',
  ];
  const rows = result.runs.map((r) => [
    r.optimizer,
    r.label,
    Object.entries(r.params)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
    r.n,
    r.converged,
    r.diverged,
    r.orbits,
    ...targetKeys(result).flatMap((t) => stats.map((s) => r.stepsToTarget[t]?.[s] ?? null)),
    r.timing.nsPerLaneStep,
    r.backend,
  ]);
  return csv([header, ...rows]);
}
