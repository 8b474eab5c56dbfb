/**
 * Engine runs → the protocol's run messages: convergence curves, trajectories and result rows for the Lab panel,
 * the sidebar and the run report, with the configuration that ran. Non-finite numbers become null, as the
 * protocol asks; trajectories travel as typed arrays (traces.ts).
 */
import type { OptimizerRun, RunResult } from '../engine/run/runner';
import type { CurveSeries, OptimizerResult } from '../shared/resultShapes';
import type { RunConfig } from '../shared/runShapes';
import type { HostMessage } from '../shared/webviewProtocol';
import { optimizerColour } from './colours';
import { resultConfig, tightest } from './runConfig';
import { traceSet } from './traces';

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Series ids must be unique within a run; a sweep has one optimizer several times. */
function seriesIds(runs: readonly OptimizerRun[]): string[] {
  return runs.map((r, i) =>
    runs.filter((q) => q.optimizer === r.optimizer).length > 1 ? `${r.optimizer}#${i + 1}` : r.optimizer,
  );
}

/** f − f* per recorded step (f itself when f* is unknown), in the optimizer's colour. */
export function curveSeries(r: OptimizerRun, label = r.label, id = r.optimizer): CurveSeries {
  return {
    id,
    label,
    colour: optimizerColour(r.optimizer),
    steps: r.curves.steps,
    median: r.curves.median.map(finiteOrNull),
    q1: r.curves.q1.map(finiteOrNull),
    q3: r.curves.q3.map(finiteOrNull),
  };
}

function optimizerResult(result: RunResult, r: OptimizerRun, id: string, label?: string): OptimizerResult {
  return {
    curves: curveSeries(r, label, id),
    params: r.params,
    traces: traceSet(r, result.starts.length),
    row: {
      n: r.n,
      converged: r.converged,
      diverged: r.diverged,
      medianSteps: r.stepsToTarget[String(tightest(result.targets))]?.median ?? null,
      nsPerStep: r.timing.nsPerLaneStep,
      stoppedAt: r.stoppedAt,
    },
  };
}

export interface ResultOptions {
  /** What ran, as the host asked for it (its function key and text); from the result itself otherwise. */
  readonly config?: RunConfig;
  /** Labels for the optimizers (sweep cells name their grid point); the registry's otherwise. */
  readonly labels?: readonly string[];
}

/** A run's result for the panel, the sidebar and the report. */
export function runResultMessage(runId: number, result: RunResult, o: ResultOptions = {}): HostMessage<'runResult'> {
  const ids = seriesIds(result.runs);
  return {
    type: 'runResult',
    runId,
    config: o.config ?? resultConfig(result),
    status: result.stoppedAt === null ? 'done' : 'stopped',
    stoppedAt: result.stoppedAt,
    starts: Float64Array.from(result.starts.flat()),
    optimizers: result.runs.map((r, i) => optimizerResult(result, r, ids[i], o.labels?.[i])),
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
  const ids = seriesIds(runs);
  return { type: 'progress', runId, step, steps, curves: runs.map((r, i) => curveSeries(r, r.label, ids[i])) };
}

/**
 * Start `index` of run `runId` moved to `point`: the trajectory from there for each optimizer, as one-lane trace
 * sets that take the start's place among the run's `n` lanes. `results` ran that one start, in the run's order.
 */
export function previewMessage(
  runId: number,
  fn: string,
  index: number,
  n: number,
  results: readonly RunResult[],
): HostMessage<'preview'> {
  const first = results[0];
  return {
    type: 'preview',
    runId,
    fn,
    index,
    point: first.starts[0],
    n,
    steps: first.steps,
    optimizers: results.flatMap((res) =>
      res.runs.map((r) => {
        const t = traceSet(r, n);
        return { id: r.optimizer, traces: { ...t, lanes: Int32Array.of(index) } };
      }),
    ),
  };
}

/** The result for a view that draws no trajectories (the sidebar): the same message with empty trace sets. */
export function withoutTraces(m: HostMessage<'runResult'>): HostMessage<'runResult'> {
  const none = (total: number) => ({
    total,
    lanes: new Int32Array(0),
    steps: new Int32Array(0),
    lengths: new Int32Array(0),
    ends: new Int32Array(0),
    theta: new Float64Array(0),
    f: new Float64Array(0),
  });
  return { ...m, optimizers: m.optimizers.map((o) => ({ ...o, traces: none(o.traces.total) })) };
}
