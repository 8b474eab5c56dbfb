/** The plane views' pure helpers (webview/data/planeLayers.ts): CSS colours, mixing, frames by step, grid bytes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frameAt, gridRGBA, mix, nearestValue, rgbOf } from '../../webview/data/planeLayers';

test('rgbOf reads #rrggbb (not as #rgb), #rgb, #rrggbbaa and rgb(…)', () => {
  assert.deepEqual(rgbOf('#1a6fd6'), [26, 111, 214]);
  assert.deepEqual(rgbOf('#abc'), [170, 187, 204]);
  assert.deepEqual(rgbOf('#1a6fd680'), [26, 111, 214]);
  assert.deepEqual(rgbOf(' rgb(1, 2, 3) '), [1, 2, 3]);
  assert.deepEqual(rgbOf('rgba(10 20 30 / 50%)'), [10, 20, 30]);
  assert.deepEqual(rgbOf('teal'), [128, 128, 128]);
  assert.deepEqual(mix([255, 255, 255], [26, 111, 214], 0.5), [141, 183, 235]);
});

test('frameAt: the last frame at or before the step, the first before them all', () => {
  const steps = [0, 10, 20, 35];
  assert.deepEqual(
    [-1, 0, 9, 10, 34, 35, 1000].map((s) => frameAt(steps, s)),
    [0, 0, 0, 1, 2, 3, 3],
  );
});

test('gridRGBA: the top image row is the largest y; null is clear; nearestValue reads the grid back', () => {
  const values = [1, 2, null, 4, 5, 6]; // ys × xs = 2 × 3
  const rgba = gridRGBA(values, 3, 2, (v) => [v, 10 * v, 0]);
  assert.deepEqual(Array.from(rgba.slice(0, 4)), [4, 40, 0, 255], 'top left: x₀, y₁');
  assert.deepEqual(Array.from(rgba.slice(12, 16)), [1, 10, 0, 255], 'bottom left: x₀, y₀');
  assert.deepEqual(Array.from(rgba.slice(20, 24)), [0, 0, 0, 0], 'the missing value');
  assert.equal(nearestValue([0, 1, 2], [0, 1], values, 1.9, 0.8), 6);
  assert.equal(nearestValue([0, 1, 2], [0, 1], values, 3, 0), null);
});
