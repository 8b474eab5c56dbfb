// The webview's pure chart-data builders, checked against values worked out by hand (not against their own
// earlier output): viridis stops, contour positions on a grid with a known solution, trajectory joining and
// cutting, the log axis, arrows and table cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  arrowSegments,
  contourLevels,
  contourLines,
  curveData,
  heatmapRGBA,
  LOG_FLOOR,
  logAxisRange,
  rowCells,
  trajectoryPoints,
  valueRange,
} from '../../webview/chartData';
import { luminance, viridis } from '../../webview/colormap';
import { formatNumber } from '../../src/present/format';
import type { CurveSeries } from '../../src/shared/resultShapes';

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} ≉ ${b}`);

test('viridis: the published end points and midpoint, and a monotone lightness ramp', () => {
  assert.deepEqual(viridis(0), [0x44, 0x01, 0x54]);
  assert.deepEqual(viridis(1), [0xfd, 0xe7, 0x25]);
  // matplotlib's viridis(0.5) is #21918c; the 10-stop interpolation stays within a few units of it.
  viridis(0.5).forEach((c, i) => close(c, [0x21, 0x91, 0x8c][i], 6, `channel ${i}`));
  assert.deepEqual(viridis(-3), viridis(0));
  assert.deepEqual(viridis(NaN), viridis(0));
  let last = -1;
  for (let k = 0; k <= 100; k++) {
    const l = luminance(viridis(k / 100));
    assert.ok(l > last, `luminance rises at t = ${k / 100}`);
    last = l;
  }
});

test('valueRange skips nulls and widens a flat grid; heatmapRGBA puts the largest y on the top row', () => {
  assert.deepEqual(valueRange([null, 3, -1, 2]), { lo: -1, hi: 3 });
  assert.deepEqual(valueRange([2, 2]), { lo: 1.5, hi: 2.5 });
  assert.equal(valueRange([null]), null);
  // 2 × 2 grid: row j = 0 is y = ys[0] (bottom). Values: (x0,y0)=0, (x1,y0)=null, (x0,y1)=1, (x1,y1)=0.
  const rgba = heatmapRGBA({ xs: [0, 1], ys: [0, 1], values: [0, null, 1, 0] }, { lo: 0, hi: 1 });
  assert.deepEqual([...rgba.slice(0, 4)], [0xfd, 0xe7, 0x25, 255], 'top-left pixel is (x0, y1) = 1 → yellow');
  assert.deepEqual([...rgba.slice(4, 8)], [0x44, 0x01, 0x54, 255], 'top-right pixel is (x1, y1) = 0 → purple');
  assert.equal(rgba[(2 + 1) * 4 + 3], 0, 'the missing value is transparent');
});

test('contour levels are evenly spaced strictly inside the range', () => {
  assert.deepEqual(contourLevels({ lo: 0, hi: 4 }, 3), [1, 2, 3]);
});

test('contourLines: the level set of a plane sits where the plane crosses it, in data coordinates', () => {
  // v(x, y) = x on xs = 10, 12, …, 20 and ys = -1 … 1: the level 15 line is x = 15 for every y, and no
  // stretch of it may run along the grid's border.
  const xs = [10, 12, 14, 16, 18, 20];
  const ys = [-1, -0.5, 0, 0.5, 1];
  const values = ys.flatMap(() => xs);
  const [c] = contourLines({ xs, ys, values }, [15]);
  assert.equal(c.level, 15);
  const points = c.lines.flat();
  assert.ok(points.length >= 2);
  for (const p of points) {
    close(p.x, 15, 1e-12, 'x on the level line');
    assert.ok(p.y > ys[0] - 1e-12 && p.y < ys[ys.length - 1] + 1e-12, `y inside the grid: ${p.y}`);
  }
});

test('contourLines: a circle of the paraboloid x² + y² has radius √level', () => {
  const axis = Array.from({ length: 41 }, (_, i) => -2 + i / 10);
  const values = axis.flatMap((y) => axis.map((x) => x * x + y * y));
  const [c] = contourLines({ xs: axis, ys: axis, values }, [1]);
  const points = c.lines.flat();
  assert.ok(points.length > 20);
  // Linear interpolation of a quadratic along grid edges: within h²/4 = 0.0025 of the true radius.
  for (const p of points) close(Math.hypot(p.x, p.y), 1, 0.01, 'radius');
});

test('trajectoryPoints joins traces with NaN breaks and marks starts and ends', () => {
  const { points, starts, ends } = trajectoryPoints([
    { lane: 0, xs: [0, 1, 2], ys: [0, 1, 2] },
    { lane: 1, xs: [], ys: [] },
    { lane: 2, xs: [5, 6], ys: [5, 6] },
  ]);
  assert.equal(points.length, 6);
  assert.ok(Number.isNaN(points[3].x) && Number.isNaN(points[3].y));
  assert.deepEqual([...starts], [0, 4]);
  assert.deepEqual([...ends], [2, 5]);
});

test('trajectoryPoints cuts a diverging trace where it leaves the grown box, with no end marker', () => {
  const home = { xMin: 0, xMax: 1, yMin: 0, yMax: 1 };
  // The box grown by 1 span per side is [-1, 2]²; the segment (1, 1) → (1, 1e15) crosses y = 2 at x = 1.
  const { points, ends } = trajectoryPoints([{ lane: 0, xs: [0.5, 1, 1, 1e16], ys: [0.5, 1, 1e15, 1e16] }], home, 1);
  assert.deepEqual(points, [
    { x: 0.5, y: 0.5 },
    { x: 1, y: 1 },
    { x: 1, y: 2 },
  ]);
  assert.equal(ends.size, 0);
  const outside = trajectoryPoints([{ lane: 0, xs: [1e9], ys: [0] }], home, 1);
  assert.equal(outside.points.length, 0);
});

const series: CurveSeries = {
  id: 'gd',
  label: 'GD',
  colour: '#3381dd',
  steps: [0, 10, 20],
  median: [100, 0, null],
  q1: [50, 0, 1e-3],
  q3: [1e6, 1e-2, null],
};

test('curveData: zeros on the floor, nulls as gaps, time = step × ns/step in ms', () => {
  const d = curveData(series, 'step', null);
  assert.deepEqual(
    d.median.map((p) => p.x),
    [0, 10, 20],
  );
  assert.equal(d.median[1].y, LOG_FLOOR);
  assert.ok(Number.isNaN(d.median[2].y));
  const t = curveData(series, 'time', 2e5);
  assert.deepEqual(
    t.q1.map((p) => p.x),
    [0, 2, 4],
  );
  assert.deepEqual(
    curveData(series, 'time', null).q1.map((p) => p.x),
    [0, 10, 20],
    'no timing: steps',
  );
});

test('logAxisRange: whole decades, the smallest positive value, and at most 3 decades above the start', () => {
  assert.deepEqual(logAxisRange([series]), { min: 1e-3, max: 1e6 });
  const blowUp = { ...series, q3: [200, 1e90, 1e100] };
  assert.deepEqual(
    logAxisRange([blowUp]),
    { min: 1e-3, max: 1e6 },
    'capped at 1e3 × the larger of median and q3 at step 0 (200 → 2e5 → 1e6)',
  );
  assert.equal(logAxisRange([{ ...series, median: [null], q1: [null], q3: [null], steps: [0] }]), null);
});

test('arrowSegments: the longest arrow fills 0.9 of a cell; the others keep their relative length', () => {
  const field = {
    H: 0.5,
    xs: [0, 2],
    ys: [0, 1],
    gradient: { u: [4, 0, 1, 0], v: [0, 0, 0, 1] },
    power: { u: [2, 0, 1, 0], v: [0, 0, 0, 1] },
  };
  const g = arrowSegments(field, 'gradient');
  // Cell 2 × 1; lengths in cells: 4/2 = 2, 0, 0.5, 1/1 = 1. Scale 0.9 / 2.
  assert.deepEqual(g[0], { x0: 0, y0: 0, x1: 1.8, y1: 0 });
  assert.deepEqual(g[1], { x0: 2, y0: 0, x1: 2, y1: 0 });
  close(g[2].x1 - g[2].x0, 0.45, 1e-12, 'third arrow');
  close(g[3].y1 - g[3].y0, 0.45, 1e-12, 'fourth arrow');
  const p = arrowSegments(field, 'power');
  close(p[0].x1, 1.8, 1e-12, 'power field longest');
  close(p[3].y1 - p[3].y0, 0.9, 1e-12, 'power field: 1 cell of 1 is as long as 2 of 2');
  assert.deepEqual(arrowSegments({ ...field, gradient: { u: [0, 0, 0, 0], v: [0, 0, 0, 0] } }, 'gradient'), []);
});

test('the table cells use the one number formatter', () => {
  assert.equal(formatNumber(1645.3779), '1645');
  assert.deepEqual(
    rowCells({ n: 8, converged: 3, diverged: 0, medianSteps: 268.5, nsPerStep: 1645.3, stoppedAt: null }),
    ['3/8', '0', '268.5', '1645 ns'],
  );
});
