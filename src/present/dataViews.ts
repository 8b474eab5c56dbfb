/**
 * Engine results of training runs → the data views' plain data (dataViewShapes.ts): one place that picks a
 * quantity out of a run or a sweep cell, for the report and the Lab alike. Nothing is computed here that the engine
 * did not compute, except which points to fade (a comparison) and the y range that panels share.
 */
import type { DataOptimizerRun, SeriesStats } from '../engine/run/dataSummary';
import type { DataSweepResult } from '../engine/run/dataSweep';
import { decadeRange, type BandChartData, type BandSeries, type MetricHeatmapData } from '../shared/dataViewShapes';
import { paramSpec, paramSymbol } from './params';

/**
 * What to draw of a run, each over starts:
 *   loss       the training loss F − f* at the recorded steps
 *   epochLoss  F at each epoch's end
 *   metric     a `@metric` at each epoch's end (on the test rows)
 *   minibatch  fB of the update from θₖ at the recorded steps
 *   etaEq      the equivalent learning rate of that update (Sprunger 2020 §3.2)
 *   alphaEq    its equivalent α
 */
export type DataQuantity =
  | { readonly kind: 'loss' | 'epochLoss' | 'minibatch' | 'etaEq' | 'alphaEq' }
  | { readonly kind: 'metric'; readonly name: string };

/** The steps and statistics over starts of a quantity. */
export function quantityStats(
  run: DataOptimizerRun,
  q: DataQuantity,
): { readonly steps: readonly number[]; readonly stats: SeriesStats } {
  switch (q.kind) {
    case 'loss':
      return { steps: run.curves.steps, stats: run.curves };
    case 'minibatch':
      return { steps: run.curves.steps, stats: run.minibatch };
    case 'etaEq':
    case 'alphaEq':
      return { steps: run.curves.steps, stats: run.rosetta[q.kind] };
    case 'epochLoss':
      return { steps: run.epochs.step, stats: run.epochs.loss };
    case 'metric': {
      const stats = run.epochs.metrics[q.name];
      if (!stats) throw new RangeError(`the run has no metric '${q.name}'`);
      return { steps: run.epochs.step, stats };
    }
  }
}

const finite = (values: readonly number[]) => values.map((v) => (Number.isFinite(v) ? v : null));

/**
 * A run's quantity as one series; `fade` marks points whose step's mean α_eq over starts exceeds `alphaLimit`
 * (Sprunger 2020, Fig. 6c), taking the α_eq of the last recorded update at or before the point's step.
 */
export function bandSeries(
  run: DataOptimizerRun,
  q: DataQuantity,
  id: string,
  label: string,
  colour: number,
  fade?: { readonly alphaLimit: number },
): BandSeries {
  const { steps, stats } = quantityStats(run, q);
  let faded: boolean[] | null = null;
  if (fade) {
    const recorded = run.curves.steps;
    const alpha = run.rosetta.alphaEq.mean;
    faded = steps.map((k) => {
      let r = -1;
      for (let i = 0; i < recorded.length && recorded[i] <= k; i++) if (!Number.isNaN(alpha[i])) r = i;
      return r >= 0 && alpha[r] > fade.alphaLimit;
    });
  }
  return {
    id,
    label,
    colour,
    steps: [...steps],
    mean: finite(stats.mean),
    median: finite(stats.median),
    q1: finite(stats.q1),
    q3: finite(stats.q3),
    faded,
  };
}

/** The series' points up to `lastStep` (the first epochs of a run). */
export function upToStep(series: BandSeries, lastStep: number): BandSeries {
  const n = series.steps.filter((k) => k <= lastStep).length;
  const cut = <T>(a: readonly T[]) => a.slice(0, n);
  return {
    ...series,
    steps: cut(series.steps),
    mean: cut(series.mean),
    median: cut(series.median),
    q1: cut(series.q1),
    q3: cut(series.q3),
    faded: series.faded && cut(series.faded),
  };
}

/** The charts with one y range, so that they compare. */
export function withSharedRange(charts: readonly BandChartData[]): BandChartData[] {
  const yRange = decadeRange(charts.flatMap((c) => c.series));
  return charts.map((c) => ({ ...c, yRange }));
}

/**
 * One optimizer's cells of a sweep over two hyperparameters as a heat map of `value(cell)`; axes ascending, with
 * the registry's symbols unless `symbols` gives the paper's (γ for the Powerball exponent H).
 */
export function sweepHeatmap(
  sweep: DataSweepResult,
  optimizer: string,
  axes: { readonly x: string; readonly y: string; readonly symbols?: Readonly<Record<string, string>> },
  value: (cell: DataOptimizerRun) => number | null,
  view: Pick<MetricHeatmapData, 'title' | 'metric' | 'range'> & { readonly markY?: number },
): MetricHeatmapData {
  const cells = sweep.cells.filter((c) => c.optimizer === optimizer);
  const axis = (name: string) => {
    const grid = sweep.grid.find((a) => a.name === name);
    if (!grid) throw new RangeError(`the sweep has no axis '${name}'`);
    const spec = paramSpec(name, [optimizer]);
    return {
      name,
      symbol: axes.symbols?.[name] ?? paramSymbol(name, [optimizer]),
      scale: spec?.kind === 'number' ? spec.scale : ('linear' as const),
      values: [...grid.values].sort((a, b) => a - b),
    };
  };
  const xAxis = axis(axes.x);
  const yAxis = axis(axes.y);
  const values = yAxis.values.flatMap((yv) =>
    xAxis.values.map((xv) => {
      const cell = cells.find((c) => c.params[axes.x] === xv && c.params[axes.y] === yv);
      const v = cell ? value(cell) : null;
      return v !== null && Number.isFinite(v) ? v : null;
    }),
  );
  let best: number | null = null;
  values.forEach((v, i) => {
    if (v !== null && (best === null || v > values[best]!)) best = i;
  });
  const markRow = view.markY === undefined ? -1 : yAxis.values.indexOf(view.markY);
  return {
    title: view.title,
    metric: view.metric,
    xAxis,
    yAxis,
    values,
    range: view.range,
    best,
    markRow: markRow >= 0 ? markRow : null,
  };
}
