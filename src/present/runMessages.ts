/**
 * Engine runs → the protocol's run messages: convergence curves, trajectories and result rows for the Lab panel,
 * the sidebar and the run report. Non-finite numbers become null, as the protocol asks.
 */
import type { OptimizerRun, RunResult } from '../engine/run/runner';
import type { CurveSeries, OptimizerResult, Point, Trace } from '../shared/runShapes';
import type { HostMessage } from '../shared/webviewProtocol';

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Series ids must be unique within a run; a sweep has one optimizer several times. */
function seriesIds(runs: readonly OptimizerRun[]): string[] {
  return runs.map((r, i) =>
    runs.filter((q) => q.optimizer === r.optimizer).length > 1 ? `${r.optimizer}#${i + 1}` : r.optimizer,
  );
}

export function curveSeries(r: OptimizerRun, colour: number, label = r.label, id = r.optimizer): CurveSeries {
  return {
    id,
    label,
    colour: colour % 256,
    steps: r.curves.steps,
    median: r.curves.median.map(finiteOrNull),
    q1: r.curves.q1.map(finiteOrNull),
    q3: r.curves.q3.map(finiteOrNull),
  };
}

const is2d = (result: RunResult) => result.fn.variables.length === 2;

/** A trajectory's finite points (a diverging one ends where it left the finite numbers). */
function trace(t: OptimizerRun['traces'][number]): Trace {
  const points = t.points.filter((p) => Number.isFinite(p.theta[0]) && Number.isFinite(p.theta[1]));
  return { lane: t.lane, xs: points.map((p) => p.theta[0]), ys: points.map((p) => p.theta[1]) };
}

function optimizerResult(
  result: RunResult,
  r: OptimizerRun,
  colour: number,
  id: string,
  label?: string,
): OptimizerResult {
  const tightest = String(Math.min(...result.targets));
  return {
    curves: curveSeries(r, colour, label, id),
    params: r.params,
    traces: is2d(result) ? r.traces.map(trace) : [],
    row: {
      n: r.n,
      converged: r.converged,
      diverged: r.diverged,
      medianSteps: r.stepsToTarget[tightest]?.median ?? null,
      nsPerStep: r.timing.nsPerLaneStep,
    },
  };
}

/** A run's result for the panel, the sidebar and the report; `labels` overrides the optimizer labels (sweep cells). */
export function runResultMessage(
  runId: number,
  result: RunResult,
  labels?: readonly string[],
): HostMessage<'runResult'> {
  return {
    type: 'runResult',
    runId,
    fn: result.fn.name,
    steps: result.steps,
    target: Math.min(...result.targets),
    starts: is2d(result) ? result.starts.map((p): Point => [p[0], p[1]]) : [],
    optimizers: result.runs.map((r, i, runs) => optimizerResult(result, r, i, seriesIds(runs)[i], labels?.[i])),
  };
}

/** `fraction` of the run is done; the curves are those of the optimizers that have finished. */
export function progressMessage(
  runId: number,
  steps: number,
  fraction: number,
  runs: readonly OptimizerRun[],
): HostMessage<'progress'> {
  const step = Math.min(steps, Math.max(0, Math.round(steps * fraction)));
  return {
    type: 'progress',
    runId,
    step,
    steps,
    curves: runs.map((r, i) => curveSeries(r, i, r.label, seriesIds(runs)[i])),
  };
}
