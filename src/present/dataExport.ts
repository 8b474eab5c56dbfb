/**
 * Data runs and sweeps (models over data, noisy cost functions) as JSON and as text tables: the `run --json`
 * contract extended with each optimizer's per-epoch training loss and metrics, minibatch losses and Rosetta-stone
 * series; the `sweep --json` cells of a data sweep. JSON has no NaN or ∞: they are written null.
 */
import type { DataRunResult } from '../engine/run/dataRunner';
import type { DataOptimizerRun, SeriesStats } from '../engine/run/dataSummary';
import type { DataSweepResult } from '../engine/run/dataSweep';
import { csv } from './csv';
import { formatNumber as num } from './format';
import { runJson } from './runExport';
import { table } from './textTable';

/** The median, quartiles and mean of a series, as JSON (its last point: `last`). */
const stats = (s: SeriesStats) => ({ median: s.median, q1: s.q1, q3: s.q3, mean: s.mean });
const last = (s: SeriesStats) => ({ median: s.median.at(-1), q1: s.q1.at(-1), q3: s.q3.at(-1), mean: s.mean.at(-1) });

function dataParts(r: DataOptimizerRun) {
  return {
    epochs: {
      epoch: r.epochs.epoch,
      step: r.epochs.step,
      loss: stats(r.epochs.loss),
      metrics: Object.fromEntries(Object.entries(r.epochs.metrics).map(([k, v]) => [k, stats(v)])),
    },
    minibatch: stats(r.minibatch),
    rosetta: { etaEq: stats(r.rosetta.etaEq), alphaEq: stats(r.rosetta.alphaEq) },
  };
}

/** `run --json` of a data run: runJson (f is the training loss F) plus the data outputs per optimizer. */
export function dataRunJson(result: DataRunResult) {
  const base = runJson(result);
  return {
    ...base,
    seed: result.seed,
    problem: result.problem,
    runs: base.runs.map((r, i) => ({ ...r, ...dataParts(result.runs[i]) })),
  };
}

/** `sweep --json` of a data sweep: per cell its counts, final training loss and metrics, and epoch series. */
export function dataSweepJson(result: DataSweepResult) {
  return {
    fn: result.name,
    grid: result.grid,
    steps: result.steps,
    targets: result.targets,
    seed: result.seed,
    starts: result.startCount,
    cells: result.cells.map((c) => ({
      optimizer: c.optimizer,
      params: c.params,
      n: c.n,
      converged: c.converged,
      diverged: c.diverged,
      stepsToTarget: c.stepsToTarget,
      final: { loss: last(c.epochs.loss), metrics: finalMetrics(c, last) },
      ...dataParts(c),
    })),
  };
}

function finalMetrics<T>(r: DataOptimizerRun, f: (s: SeriesStats) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(r.epochs.metrics).map(([k, v]) => [k, f(v)]));
}

/** `median [q1, q3]` of a series' last point. */
const spread = (s: Omit<SeriesStats, 'mean'>) =>
  s.median.length ? `${num(s.median.at(-1))} [${num(s.q1.at(-1))}, ${num(s.q3.at(-1))}]` : '–';

const paramsText = (r: DataOptimizerRun) =>
  Object.entries(r.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

/**
 * One row per optimizer (or sweep cell): F − f* at the last step and each metric at the last epoch end, as
 * median [quartiles] over the starts; divergences, each target's median steps, time per lane-step.
 */
export function dataRunTable(
  runs: readonly DataOptimizerRun[],
  metrics: readonly string[],
  targets: readonly number[],
) {
  return table(
    [
      'optimizer',
      'hyperparameters',
      'F − f* at T',
      ...metrics.map((m) => `${m}, last epoch`),
      'diverged',
      ...targets.map((t) => `median k to ${num(t)}`),
      'ns/lane-step',
    ],
    runs.map((r) => [
      r.label,
      paramsText(r),
      spread(r.curves),
      ...metrics.map((m) => spread(r.epochs.metrics[m])),
      `${r.diverged}/${r.n}`,
      ...targets.map((t) => num(r.stepsToTarget[String(t)].median)),
      num(r.timing.nsPerLaneStep),
    ]),
  );
}

/** One CSV row per cell of a data sweep: its hyperparameters, F − f* at T and each metric at the last epoch end. */
export function dataSweepCsv(result: DataSweepResult): string {
  const names = result.grid.map((a) => a.name);
  const quartiles = (s: Omit<SeriesStats, 'mean'>) => [
    s.median.at(-1) ?? null,
    s.q1.at(-1) ?? null,
    s.q3.at(-1) ?? null,
  ];
  const head = [
    'optimizer',
    ...names,
    'n',
    'diverged',
    'loss_median',
    'loss_q1',
    'loss_q3',
    ...result.metrics.flatMap((m) => [`${m}_median`, `${m}_q1`, `${m}_q3`]),
  ];
  const rows = result.cells.map((c) => [
    c.optimizer,
    ...names.map((n) => (Object.hasOwn(c.params, n) ? c.params[n] : null)),
    c.n,
    c.diverged,
    ...quartiles(c.curves),
    ...result.metrics.flatMap((m) => quartiles(c.epochs.metrics[m])),
  ]);
  return csv([head, ...rows]);
}
