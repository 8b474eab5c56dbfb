/**
 * Pure builders for the band charts (no DOM, no chart.js, so they run under node:test): a series' line and quartile
 * band as chart points against the step or the epoch, and the y range of a chart. They reshape numbers the engine
 * computed (src/present/dataViews.ts made them); nothing is evaluated here.
 */
import { decadeRange, type BandChartData, type BandSeries } from '../../src/shared/dataViewShapes';
import { LOG_FLOOR, type XY } from '../chartData';

export type BandAxis = 'step' | 'epoch';
export type BandLine = BandChartData['line'];

/**
 * The line (mean or median) and the q1 and q3 edges of a series. On a log scale a value ≤ 0 sits on LOG_FLOOR
 * (a lane at the minimum); a missing value leaves a gap. x is the step, or the epoch (step / epochSteps).
 */
export function bandPoints(
  series: BandSeries,
  line: BandLine,
  axis: BandAxis,
  scale: BandChartData['scale'],
  epochSteps: number | null,
): { line: XY[]; q1: XY[]; q3: XY[] } {
  const perEpoch = axis === 'epoch' && epochSteps !== null;
  const x = (k: number) => (perEpoch ? k / epochSteps : k);
  const y = (v: number | null) => (v === null ? NaN : scale === 'log' ? Math.max(LOG_FLOOR, v) : v);
  const pts = (ys: readonly (number | null)[]) => series.steps.map((k, i) => ({ x: x(k), y: y(ys[i]) }));
  return { line: pts(series[line]), q1: pts(series.q1), q3: pts(series.q3) };
}

/**
 * The y range: the chart's shared one when it has it, else on a log scale whole decades around the series shown
 * (null: nothing to show, or a linear scale, which chart.js fits).
 */
export function bandRange(data: BandChartData, shown: (s: BandSeries) => boolean = () => true) {
  if (data.yRange) return data.yRange;
  return data.scale === 'log' ? decadeRange(data.series.filter(shown)) : null;
}

/** Whether the segment from point i to i + 1 is faded: when either end is (Sprunger 2020, Fig. 6c). */
export const fadedSegment = (series: BandSeries, i: number) =>
  series.faded !== null && (series.faded[i] === true || series.faded[i + 1] === true);
