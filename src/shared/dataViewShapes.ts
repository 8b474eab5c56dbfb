/**
 * The data views of training runs as plain data, each with its checker: the report embeds them and checks them on
 * load (the file may have been edited), and the Lab for a model will send the same shapes. Built from engine
 * results by src/present/dataViews.ts; drawn by webview/data/*.
 *
 *   BandChartData     a statistic over starts against the step (or the epoch): per configuration a line (mean or
 *                     median) and the band between the quartiles — training and test curves, and the Rosetta
 *                     stone's equivalent hyperparameters (Sprunger 2020, Figs. 4–6)
 *   TrainingCurvesData one such chart per quantity of a model (training loss, each metric), shown one at a time
 *   RosettaData       Sprunger 2020, Fig. 6: η_eq of NaSGD, α_eq of GD, GD's curves faded where α_eq > 2
 *   MetricHeatmapData a final metric over a grid of two hyperparameters (the Powerball SGD paper, Figs. 4–5)
 * Non-finite numbers travel as null.
 */
import {
  arr,
  ascending,
  bool,
  count,
  invalid,
  literal,
  nullable,
  num,
  obj,
  optional,
  sameLength,
  str,
  type Check,
} from './check';
import { LIMITS } from './limits';
import { sweepAxis, type SweepAxis } from './sweepShapes';

export interface BandSeries {
  readonly id: string;
  readonly label: string;
  /** Index into the webview's categorical palette. */
  readonly colour: number;
  /** The steps the values are at (an epoch's end is step e·epochSteps). */
  readonly steps: readonly number[];
  readonly mean: readonly (number | null)[];
  readonly median: readonly (number | null)[];
  readonly q1: readonly (number | null)[];
  readonly q3: readonly (number | null)[];
  /** Per point: drawn faded (Sprunger 2020, Fig. 6c fades GD where its equivalent α exceeds 2). */
  readonly faded: readonly boolean[] | null;
}

export interface BandChartData {
  readonly title: string;
  /** What the y axis shows, e.g. "mean test distance" or "η_eq". */
  readonly quantity: string;
  readonly scale: 'log' | 'linear';
  /** What the line shows at first; the band is always the first to third quartile. */
  readonly line: 'mean' | 'median';
  /** Updates per epoch, so the x axis can count epochs; null: steps only. */
  readonly epochSteps: number | null;
  /** What the x axis counts at first (epochs only with epochSteps). */
  readonly axis: 'step' | 'epoch';
  readonly series: readonly BandSeries[];
  /** Horizontal lines, e.g. the paper's 10⁻³ bar. */
  readonly references: readonly { readonly value: number; readonly label: string }[];
  /** A y range shared by the panels drawn side by side, so that they compare; null: fit the data. */
  readonly yRange: { readonly min: number; readonly max: number } | null;
}

export interface TrainingCurvesData {
  readonly title: string;
  readonly charts: readonly BandChartData[];
}

export interface RosettaData {
  /** Equivalent learning rate η_eq = min(1, α fB/‖gB‖²) of NaSGD per step (Fig. 6a). */
  readonly etaEq: BandChartData;
  /** Equivalent α_eq = η ‖gB‖²/fB of GD per step (Fig. 6b), with a reference line at `alphaLimit`. */
  readonly alphaEq: BandChartData;
  /** GD's curves, faded where the mean α_eq over starts exceeds `alphaLimit` (Fig. 6c). */
  readonly progress: BandChartData;
  readonly alphaLimit: number;
}

export interface MetricHeatmapData {
  readonly title: string;
  /** The value in each cell, e.g. "median final test accuracy". */
  readonly metric: string;
  readonly xAxis: SweepAxis;
  readonly yAxis: SweepAxis;
  /** Row-major over yAxis.values × xAxis.values (both ascending); null: no value. */
  readonly values: readonly (number | null)[];
  /** The colour scale's ends. */
  readonly range: { readonly lo: number; readonly hi: number };
  /** A cell to frame (index into values), e.g. the best one; null: none. */
  readonly best: number | null;
  /** A row to mark, e.g. γ = 1 (plain SGD); null: none. */
  readonly markRow: number | null;
}

/**
 * Whole decades around every positive value of the series' lines and bands: a log axis's range (null: none). The
 * report's panels share one; a chart without one fits its own.
 */
export function decadeRange(series: readonly BandSeries[]): { min: number; max: number } | null {
  let lo = Infinity;
  let hi = 0;
  for (const s of series)
    for (const ys of [s.mean, s.median, s.q1, s.q3])
      for (const v of ys)
        if (v !== null && v > 0) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
  if (!(hi > 0)) return null;
  const min = 10 ** Math.floor(Math.log10(lo));
  const max = 10 ** Math.ceil(Math.log10(hi));
  return { min, max: max > min ? max : min * 10 };
}

const maybe = nullable(num());
const points = (n: number) => arr(maybe, n);

const bandSeries: Check<BandSeries> = (v, p) => {
  const s = obj<BandSeries>({
    id: str(200),
    label: str(200),
    colour: count(1000),
    steps: arr(num({ min: 0 }), LIMITS.curvePoints),
    mean: points(LIMITS.curvePoints),
    median: points(LIMITS.curvePoints),
    q1: points(LIMITS.curvePoints),
    q3: points(LIMITS.curvePoints),
    faded: nullable(arr(bool, LIMITS.curvePoints)),
  })(v, p);
  for (const k of ['mean', 'median', 'q1', 'q3'] as const) sameLength(`${p}.${k}`, s.steps, s[k], k);
  if (s.faded) sameLength(`${p}.faded`, s.steps, s.faded, 'faded');
  return s;
};

const range = <K extends string>(lo: K, hi: K): Check<Record<K, number>> =>
  ((v, p) => {
    const r = obj<Record<string, number>>({ [lo]: num(), [hi]: num() })(v, p);
    if (!(r[lo] < r[hi])) invalid(p, `${lo} must be below ${hi}`);
    return r;
  }) as Check<Record<K, number>>;

export const bandChartData: Check<BandChartData> = obj<BandChartData>({
  title: str(500),
  quantity: str(200),
  scale: literal('log', 'linear'),
  line: literal('mean', 'median'),
  epochSteps: nullable(num({ min: 1, int: true })),
  axis: literal('step', 'epoch'),
  series: arr(bandSeries, 256),
  references: arr(obj({ value: num(), label: str(200) }), 16),
  yRange: nullable(range('min', 'max')),
});

export const trainingCurvesData: Check<TrainingCurvesData> = obj<TrainingCurvesData>({
  title: str(500),
  charts: arr(bandChartData, 32, 1),
});

export const rosettaData: Check<RosettaData> = obj<RosettaData>({
  etaEq: bandChartData,
  alphaEq: bandChartData,
  progress: bandChartData,
  alphaLimit: num({ min: 0 }),
});

export const metricHeatmapData: Check<MetricHeatmapData> = (v, p) => {
  const d = obj<MetricHeatmapData>({
    title: str(500),
    metric: str(200),
    xAxis: sweepAxis,
    yAxis: sweepAxis,
    values: arr(maybe, LIMITS.sweepCells),
    range: range('lo', 'hi'),
    best: optional(nullable(count(LIMITS.sweepCells)), null),
    markRow: optional(nullable(count(LIMITS.gridAxis)), null),
  })(v, p);
  ascending(`${p}.xAxis.values`, d.xAxis.values);
  ascending(`${p}.yAxis.values`, d.yAxis.values);
  const cells = d.xAxis.values.length * d.yAxis.values.length;
  if (d.values.length !== cells) invalid(`${p}.values`, `${d.values.length} values, expected ${cells} (ys × xs)`);
  if (d.best !== null && d.best >= cells) invalid(`${p}.best`, `no cell ${d.best}`);
  if (d.markRow !== null && d.markRow >= d.yAxis.values.length) invalid(`${p}.markRow`, `no row ${d.markRow}`);
  return d;
};
