// The 3-D view's pure parts (webview/surface3d): heights, the surface mesh, decimation, markers at a step and
// the axes, checked against values worked out by hand. The drawing itself is tested in Chromium
// (test/webview/surface3d.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { viridis } from '../../webview/colormap';
import { axes, FLOOR, heightTicks } from '../../webview/surface3d/axes';
import {
  defaultHeightMode,
  HEIGHT,
  heightScale,
  MAX_SIDE,
  sampleGrid,
  surfaceMesh,
  toWorldXZ,
  type SurfaceGrid,
} from '../../webview/surface3d/surfaceGeometry';
import {
  keptPoints,
  MAX_PATH_LANES,
  pathBuffers,
  pointAt,
  SEGMENT_BUDGET,
  spread,
  writeMarkers,
  type Place,
} from '../../webview/surface3d/trajectoryBuffers';

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} ≉ ${b}`);
const scale = { fStar: 0, delta: 1e-12 };

function gridOf(nx: number, ny: number, f: (x: number, y: number) => number, x = [-1, 1], y = [-1, 1]): SurfaceGrid {
  const values: number[] = [];
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++)
      values.push(f(x[0] + ((x[1] - x[0]) * i) / (nx - 1), y[0] + ((y[1] - y[0]) * j) / (ny - 1)));
  return { x: [x[0], x[1]], y: [y[0], y[1]], nx, ny, f: values };
}

test('height: linear spans min … max of f; log spans the 1st percentile … max of log10(f − f* + δ)', () => {
  const g = gridOf(11, 11, (x, y) => 10 * (x * x + y * y));
  const lin = heightScale(g, 'linear', scale);
  assert.equal(lin.lo, 0);
  assert.equal(lin.hi, 20);
  assert.equal(lin.height(5), 0.25);
  assert.equal(lin.height(-3), 0);
  assert.equal(lin.height(1e9), 1);
  assert.ok(Number.isNaN(lin.height(NaN)) && Number.isNaN(lin.height(Infinity)), 'not finite: no height');
  const log = heightScale(g, 'log', scale);
  // 121 samples: the 1st percentile is the 2nd smallest, f = 10·0.2² = 0.4, not the −12 of the centre sample.
  close(log.lo, Math.log10(0.4), 1e-9, 'log floor');
  close(log.hi, Math.log10(20), 1e-9, 'log top');
  assert.equal(log.height(0), 0);
  close(log.height(Math.sqrt(0.4 * 20)), 0.5, 1e-9, 'geometric mean is half way');
});

test('the default height mode: a bowl reads in f, Beale (half of it below 5 % of its range) in log f', () => {
  assert.equal(defaultHeightMode(gridOf(41, 41, (x, y) => x * x + y * y)), 'linear');
  const beale = (x: number, y: number) =>
    (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2;
  assert.equal(defaultHeightMode(gridOf(41, 41, beale, [-4.5, 4.5], [-4.5, 4.5])), 'log');
});

test('world coordinates: the domain to [−1, 1], y away from the viewer (world −z); bilinear sampling', () => {
  const g = gridOf(5, 3, (x, y) => 3 * x - 2 * y + 1, [0, 8], [10, 14]);
  assert.deepEqual(toWorldXZ(g, 0, 10), [-1, 1]);
  assert.deepEqual(toWorldXZ(g, 8, 14), [1, -1]);
  assert.deepEqual(toWorldXZ(g, 4, 12), [0, -0]);
  close(sampleGrid(g, 3.3, 11.1), 3 * 3.3 - 2 * 11.1 + 1, 1e-12, 'a plane is sampled exactly');
  close(sampleGrid(g, 8, 14), 24 - 28 + 1, 1e-12, 'the far corner');
  assert.ok(Number.isNaN(sampleGrid(g, 8.1, 12)), 'off the grid');
});

test('surface mesh: two counter-clockwise triangles per finite cell, none touching a hole', () => {
  const bowl = gridOf(3, 3, (x, y) => x * x + y * y);
  const full = surfaceMesh(bowl, heightScale(bowl, 'linear', scale), scale);
  assert.equal(full.index.length, 4 * 6);
  for (let t = 0; t < full.index.length; t += 3) {
    const [a, b, c] = [0, 1, 2].map((k) => full.index[t + k]);
    const p = (i: number) => [full.position[3 * i], full.position[3 * i + 2]];
    const [ax, az] = p(a);
    const [bx, bz] = p(b);
    const [cx, cz] = p(c);
    // y of (b − a) × (c − a): positive when the triangle turns counter-clockwise seen from +y (above).
    assert.ok((bz - az) * (cx - ax) - (bx - ax) * (cz - az) > 0, `triangle ${t / 3} faces up`);
  }
  const holes = [NaN, Infinity, -Infinity];
  for (const hole of holes) {
    const g = gridOf(3, 3, (x, y) => (x === 0 && y === 0 ? hole : 1 + x));
    assert.equal(surfaceMesh(g, heightScale(g, 'log', scale), scale).index.length, 0, `centre ${hole}: no cell`);
  }
  const corner = gridOf(3, 3, (x, y) => (x === 1 && y === 1 ? NaN : 1 + x));
  assert.equal(surfaceMesh(corner, heightScale(corner, 'linear', scale), scale).index.length, 3 * 6);
});

test('surface mesh: the 2-D colour scale, heights within [0, HEIGHT], normals of a plane', () => {
  const g = gridOf(5, 5, (x) => 10 ** (2 * x));
  const m = surfaceMesh(g, heightScale(g, 'linear', scale), scale);
  // Colour is viridis over the grid's range of log10(f − f* + δ): x = −1 is the bottom, x = 1 the top.
  assert.deepEqual(
    Array.from(m.colour.slice(0, 3), (c) => Math.round(c * 255)),
    viridis(0),
  );
  assert.deepEqual(
    Array.from(m.colour.slice(12, 15), (c) => Math.round(c * 255)),
    viridis(1),
  );
  const plane = gridOf(5, 5, (x) => x);
  const p = surfaceMesh(plane, heightScale(plane, 'linear', scale), scale);
  for (let k = 0; k < 25; k++) {
    close(p.position[3 * k + 1], ((k % 5) / 4) * HEIGHT, 1e-6, `height ${k}`);
    // h = (x + 1)/2 · HEIGHT, so dh/dx = HEIGHT/2 and the normal is (−HEIGHT/2, 1, 0) normalised.
    const len = Math.hypot(HEIGHT / 2, 1);
    close(p.normal[3 * k], -HEIGHT / 2 / len, 1e-6, `normal x ${k}`);
    close(p.normal[3 * k + 1], 1 / len, 1e-6, `normal y ${k}`);
    close(p.normal[3 * k + 2], 0, 1e-6, `normal z ${k}`);
  }
});

test('surface mesh: a large grid is strided to MAX_SIDE per side, keeping the last row and column', () => {
  const g = gridOf(1001, 3, (x) => x);
  const m = surfaceMesh(g, heightScale(g, 'linear', scale), scale);
  const columns = m.position.length / 3 / 3;
  assert.ok(columns <= MAX_SIDE, `${columns} columns`);
  assert.equal(m.position[3 * (columns - 1)], 1, 'the last column is x = x1');
});

test('decimation: spread lanes, kept points with first and last, the point at a step', () => {
  assert.deepEqual(spread(10, 4), [0, 3, 6, 9]);
  assert.deepEqual(spread(3, 5), [0, 1, 2]);
  const kept = keptPoints(1000, 100);
  assert.ok(kept.length <= 100, `${kept.length} points`);
  assert.equal(kept[0], 0);
  assert.equal(kept[kept.length - 1], 999);
  assert.deepEqual(keptPoints(4, 10), [0, 1, 2, 3]);
  const lane = { xs: [0, 0, 0, 0], ys: [0, 0, 0, 0], steps: [0, 10, 20, 40] };
  assert.deepEqual(
    [-1, 0, 9, 10, 39, 40, 1e9].map((k) => pointAt(lane, k)),
    [0, 0, 0, 1, 2, 3, 3],
  );
  assert.equal(pointAt({ xs: [1, 2, 3], ys: [1, 2, 3] }, 1), 1, 'without steps, one point per step');
});

test('path buffers: at most MAX_PATH_LANES lanes within SEGMENT_BUDGET; a point off the domain cuts the path', () => {
  const place: Place = (x, y, f) => (Math.abs(x) <= 1 ? [x, f ?? 0, y] : null);
  const lane = (n: number, off = -1) => ({
    xs: Array.from({ length: n }, (_, i) => (i === off ? 5 : -1 + (2 * i) / (n - 1))),
    ys: Array.from({ length: n }, () => 0),
  });
  const few = pathBuffers([{ id: 'a', label: 'A', colour: '#f00', lanes: [lane(5, 2)] }], [[1, 0, 0]], place);
  // Points 0 1 [2 off] 3 4: segments 0–1 and 3–4 only.
  assert.equal(few.count, 2);
  assert.deepEqual(Array.from(few.step), [1, 4]);
  assert.deepEqual(Array.from(few.a.slice(0, 3)), [-1, 0, 0]);
  assert.equal(few.lastStep, 4);
  const many = pathBuffers(
    ['a', 'b', 'c'].map((id) => ({
      id,
      label: id,
      colour: '#0f0',
      lanes: Array.from({ length: 2000 }, () => lane(1000)),
    })),
    [
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
    ],
    place,
  );
  assert.equal(many.lanesDrawn, 3 * Math.floor(MAX_PATH_LANES / 3));
  assert.equal(many.lanesTotal, 6000);
  assert.ok(many.count <= SEGMENT_BUDGET, `${many.count} segments`);
  assert.equal(many.lastStep, 999);
});

test('markers: one per lane at its point for step k, none off the domain', () => {
  const place: Place = (x, y) => (Math.abs(x) <= 1 ? [x, 0, y] : null);
  const optimizers = [
    {
      id: 'a',
      label: 'A',
      colour: '#f00',
      lanes: [
        { xs: [-1, 0, 1], ys: [0, 0, 0] },
        { xs: [0, 9], ys: [0, 0] },
      ],
    },
  ];
  const position = new Float32Array(6);
  const colour = new Float32Array(6);
  assert.equal(
    writeMarkers(optimizers, [[1, 0, 0]], place, 1, position, colour),
    1,
    'the second lane is off at step 1',
  );
  assert.deepEqual(Array.from(position.slice(0, 3)), [0, 0, 0]);
  assert.deepEqual(Array.from(colour.slice(0, 3)), [1, 0, 0]);
  assert.equal(writeMarkers(optimizers, [[1, 0, 0]], place, 0, position, colour), 2);
});

test('axes: decades of f − f* on the log height axis, nice x and y ticks on the floor', () => {
  const g = gridOf(11, 11, (x) => 10 ** (x / 1.5), [-4.5, 4.5], [0, 1]);
  const log = heightScale(g, 'log', scale);
  assert.deepEqual(heightTicks(log), [-2, 0, 2], 'whole decades of log10 f from −3 to 3');
  const a = axes(g, log, ['w1', 'w2']);
  const texts = a.labels.map((l) => l.text);
  for (const t of ['-4', '-2', '0', '2', '4', '0.2', '0.8', 'w1', 'w2', 'f − f*', '0.01', '1', '100'])
    assert.ok(texts.includes(t), `label ${t} in ${texts.join(' ')}`);
  assert.ok(a.lines.length % 6 === 0 && a.lines.length > 0);
  for (let i = 1; i < a.lines.length; i += 3) assert.ok(a.lines[i] >= FLOOR && a.lines[i] <= HEIGHT);
  assert.deepEqual(
    heightTicks(
      heightScale(
        gridOf(5, 5, (x) => x + 10),
        'linear',
        scale,
      ),
    ),
    [9.5, 10, 10.5],
  );
});
