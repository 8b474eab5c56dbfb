// Colour-bar labels never show a signed zero: a tick a hair below zero rounds to "-0.0" with toFixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unsignedZero } from '../../webview/colourBar';

test('"-0", "−0", "-0.0", "-0.00" read as zero; other labels are kept', () => {
  assert.equal((-5.55e-17).toFixed(1), '-0.0', 'the case: toFixed keeps the sign of a tiny negative');
  for (const z of ['-0', '−0', '-0.0', '-0.00']) assert.equal(unsignedZero(z), z.slice(1));
  for (const keep of ['0', '0.0', '-0.5', '-1', '-0.01', '10', '-00.5']) assert.equal(unsignedZero(keep), keep);
});
