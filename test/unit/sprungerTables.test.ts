/**
 * Sprunger 2020, Tables 1–2, against the paper's printed numbers (test/fixtures/papers.json, "steps"). The
 * tables count iterates inclusively: the paper's number is k + 1 (CONVENTIONS.md, Counting).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { findBuiltin } from '../../src/engine/library';
import type { Backend, Precision } from '../../src/engine/kernel/types';
import type { OptimizerConfig } from '../../src/engine/optim/types';
import { run } from '../../src/engine/run/runner';

interface Row {
  method: 'SGD' | 'NaSGD';
  eta?: number;
  alpha?: number;
  steps: (number | null)[];
  diverged?: boolean;
}
interface Table {
  builtin: string;
  start: number[];
  thresholds: number[];
  rows: Row[];
}
const papers = JSON.parse(readFileSync(new URL('../fixtures/papers.json', import.meta.url), 'utf8'));
const table1: Table = papers.sprunger.table1;
const table2: Table = papers.sprunger.table2;

/** k + 1 of the first hit of each threshold, as the paper counts; null when not reached. */
function paperCounts(table: Table, row: Row, steps: number, precision: Precision = 'f64', backend: Backend = 'js') {
  const fn = findBuiltin(table.builtin)!;
  const opt: OptimizerConfig =
    row.method === 'SGD' ? { id: 'gd', params: { eta: row.eta! } } : { id: 'nasgd', params: { alpha: row.alpha! } };
  const result = run({
    fn,
    optimizers: [opt],
    starts: { kind: 'list', points: [table.start] },
    steps,
    targets: table.thresholds,
    stopAtTargets: true,
    precision,
    backend,
  });
  const r = result.runs[0];
  return {
    counts: table.thresholds.map((t) => {
      const k = r.stepsToTarget[String(t)].perLane[0];
      return k === null ? null : k + 1;
    }),
    diverged: r.diverged === 1,
  };
}

test('Sprunger Table 1 (q = 8x² + y²/2 from (1, 1)) is reproduced exactly with the k + 1 count', () => {
  assert.equal(table1.rows.length, 5);
  for (const row of table1.rows) {
    const { counts } = paperCounts(table1, row, 5000);
    row.steps.forEach((paper, i) => {
      // CONVENTIONS.md: NaSGD α = 0.7 past its second threshold is chaotic (depends on evaluation order); the
      // paper's 32 and 53 at 1e−6 and 1e−10 come out as 30 and 51 in binary64 whatever the order.
      if (row.method === 'NaSGD' && row.alpha === 0.7 && (i === 2 || i === 4)) {
        assert.ok(
          Math.abs(counts[i]! - paper!) <= 2,
          `NaSGD(0.7) at ${table1.thresholds[i]}: ${counts[i]} vs ${paper}`,
        );
        return;
      }
      assert.equal(counts[i], paper, `${row.method}(${row.eta ?? row.alpha}) at threshold ${table1.thresholds[i]}`);
    });
  }
});

test('Sprunger Table 2 (Rosenbrock from (−3, −4)): the robust entries', () => {
  for (const row of table2.rows) {
    const { counts, diverged } = paperCounts(table2, row, 200_000);
    if (row.diverged) {
      assert.ok(diverged, `SGD(${row.eta}) should diverge`);
      assert.deepEqual(counts, [null, null, null, null, null]);
      continue;
    }
    // the first two thresholds are reached in a handful of steps: exact
    assert.deepEqual(
      counts.slice(0, 2),
      row.steps.slice(0, 2),
      `${row.method}(${row.eta ?? row.alpha}): first thresholds`,
    );
    row.steps.slice(2).forEach((paper, j) => {
      const ours = counts[j + 2]!;
      if (row.method === 'SGD') {
        // The paper ran binary32; binary64 drifts by a few steps in the long runs (13630 against 13633).
        assert.ok(
          Math.abs(ours - paper!) <= 0.002 * paper!,
          `SGD(${row.eta}) at ${table2.thresholds[j + 2]}: ${ours} vs ${paper}`,
        );
      } else {
        // NaSGD past the second threshold depends on evaluation order: only a range can be checked.
        assert.ok(
          ours >= paper! / 2 && ours <= paper! * 2,
          `NaSGD(${row.alpha}) at ${table2.thresholds[j + 2]}: ${ours} vs ${paper}`,
        );
      }
    });
  }
});

for (const backend of ['js', 'wasm-simd'] as const) {
  test(`Sprunger Table 2 in binary32 (${backend}): every SGD row exactly as printed`, () => {
    const rows = table2.rows.filter((r) => r.method === 'SGD');
    assert.equal(rows.length, 3);
    for (const row of rows) {
      const { counts, diverged } = paperCounts(table2, row, 200_000, 'f32', backend);
      if (row.diverged) {
        assert.ok(diverged, `SGD(${row.eta}) should diverge`);
        assert.deepEqual(counts, [null, null, null, null, null]);
      } else assert.deepEqual(counts, row.steps, `SGD(${row.eta})`);
    }
  });
}
