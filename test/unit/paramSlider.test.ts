// Slider positions ↔ hyperparameter values, against values worked out by hand: the ends are the metadata's min and
// max exactly, a log slider's middle is their geometric mean, a linear one's their mean, values read as three
// significant digits, and a value maps back to the position that shows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLIDER_STEPS, sliderPosition, sliderValue } from '../../webview/paramSlider';

const eta = { min: 1e-6, max: 10, scale: 'log' } as const;
const beta = { min: 0, max: 0.9999, scale: 'linear' } as const;

test('log slider: ends at min and max, the middle at the geometric mean, a decade per 1/7 of the travel', () => {
  assert.equal(sliderValue(0, eta), 1e-6);
  assert.equal(sliderValue(SLIDER_STEPS, eta), 10);
  assert.equal(sliderValue(SLIDER_STEPS / 2, eta), 0.00316); // 10^-2.5 = 0.0031623 to 3 digits
  assert.equal(sliderValue((SLIDER_STEPS * 4) / 7, eta), 0.01); // −6 + 4 decades
  assert.equal(sliderValue(-5, eta), 1e-6, 'clamped below');
});

test('linear slider: ends at min and max, the middle at the mean', () => {
  assert.equal(sliderValue(0, beta), 0);
  assert.equal(sliderValue(SLIDER_STEPS, beta), 0.9999);
  assert.equal(sliderValue(SLIDER_STEPS / 2, beta), 0.5); // 0.49995 to 3 digits
  assert.equal(sliderValue(250, { min: -1e6, max: 1e6, scale: 'linear' }), -500000);
});

test('positions: a value maps to the position that shows it; out of range clamps', () => {
  assert.equal(sliderPosition(0.05, eta), 671); // 1000 · (log10 0.05 + 6) / 7 = 671.3
  assert.equal(sliderPosition(1e-6, eta), 0);
  assert.equal(sliderPosition(10, eta), SLIDER_STEPS);
  assert.equal(sliderPosition(100, eta), SLIDER_STEPS);
  assert.equal(sliderPosition(0, eta), 0, 'zero on a log slider sits at its minimum');
  assert.equal(sliderPosition(0.9, beta), 900);
  for (const pos of [1, 137, 500, 999]) {
    const v = sliderValue(pos, eta);
    assert.ok(Math.abs(sliderPosition(v, eta) - pos) <= 1, `${pos} → ${v} → ${sliderPosition(v, eta)}`);
  }
});
