/** The band charts' pure builders (webview/data/bandData.ts): points against step or epoch, the log floor, gaps, fading. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BandChartData, BandSeries } from '../../src/shared/dataViewShapes';
import { LOG_FLOOR } from '../../webview/chartData';
import { bandPoints, bandRange, fadedSegment } from '../../webview/data/bandData';

const series: BandSeries = {
  id: 's',
  label: 'GD',
  colour: 0,
  steps: [0, 100, 200, 300],
  mean: [1, 0.1, null, 0],
  median: [0.9, 0.08, 0.01, 0.001],
  q1: [0.5, 0.05, 0.005, 0],
  q3: [2, 0.2, 0.02, 0.002],
  faded: [false, false, true, false],
};
const chart: BandChartData = {
  title: 't',
  quantity: 'q',
  scale: 'log',
  line: 'mean',
  epochSteps: 100,
  axis: 'step',
  series: [series],
  references: [],
  yRange: null,
};

test('points: x in steps or epochs; on a log scale 0 sits on the floor and a missing value is a gap', () => {
  const byStep = bandPoints(series, 'mean', 'step', 'log', 100);
  assert.deepEqual(
    byStep.line.map((p) => p.x),
    [0, 100, 200, 300],
  );
  assert.deepEqual(
    byStep.line.map((p) => p.y),
    [1, 0.1, NaN, LOG_FLOOR],
  );
  const byEpoch = bandPoints(series, 'median', 'epoch', 'linear', 100);
  assert.deepEqual(
    byEpoch.line.map((p) => [p.x, p.y]),
    [
      [0, 0.9],
      [1, 0.08],
      [2, 0.01],
      [3, 0.001],
    ],
  );
  assert.equal(bandPoints(series, 'mean', 'epoch', 'log', null).line[1].x, 100, 'no epochs known: steps');
  assert.deepEqual(
    byEpoch.q1.map((p) => p.y),
    [0.5, 0.05, 0.005, 0],
  );
});

test('range: whole decades around the positive values of the shown series, or the shared range; none for linear', () => {
  assert.deepEqual(bandRange(chart), { min: 0.001, max: 10 });
  assert.equal(
    bandRange(chart, () => false),
    null,
  );
  assert.deepEqual(bandRange({ ...chart, yRange: { min: 1e-9, max: 1 } }), { min: 1e-9, max: 1 });
  assert.equal(bandRange({ ...chart, scale: 'linear' }), null);
});

test('a segment is faded when either of its ends is', () => {
  assert.deepEqual(
    [0, 1, 2].map((i) => fadedSegment(series, i)),
    [false, true, true],
  );
  assert.equal(fadedSegment({ ...series, faded: null }, 1), false);
});
