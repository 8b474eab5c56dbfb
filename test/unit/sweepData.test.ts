// The sweep charts' pure builders on a hand-made sweep whose answers are worked out by hand: colour pairing of
// an optimizer with its power variants, the best cell and its tie-break, f_D curves against log10 η at a fixed
// H, the η × H grid, outcome classes and the keyboard cursor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bestCells,
  defaultSlice,
  fixedParams,
  fixedStatement,
  fractionCurves,
  heatmapGrid,
  heatmapOptimizers,
  moveCursor,
  outcomeCounts,
  outcomePoints,
  seriesStyles,
  starred,
  stepsPosition,
} from '../../webview/sweepData';
import { sweepData, type SweepCellData, type SweepData } from '../../src/shared/sweepShapes';

const cell = (
  optimizer: string,
  params: Record<string, number>,
  fraction: number[],
  medianSteps: number | null,
  perStart: (number | null)[],
  divergedStarts: boolean[],
): SweepCellData => ({
  optimizer,
  label: optimizer.toUpperCase(),
  params,
  fraction,
  medianSteps,
  meanSteps: medianSteps,
  diverged: divergedStarts.filter(Boolean).length / perStart.length,
  orbits: 0,
  perStart,
  divergedStarts,
});

// nag varies η only; h-nag varies η and H. 3 starts, budgets 10 and 100.
const sweep: SweepData = {
  fn: 'toy',
  variables: ['x', 'y'],
  target: 1e-4,
  budgets: [10, 100],
  n: 3,
  starts: [
    [0, 0],
    [1, 1],
    [2, 2],
  ],
  backend: 'js',
  nsPerLaneStep: { nag: 1, 'h-nag': 2 },
  axes: [
    { name: 'eta', symbol: 'η', scale: 'log', values: [0.01, 0.1] },
    { name: 'H', symbol: 'H', scale: 'linear', values: [0.5, 1] },
  ],
  cells: [
    cell('nag', { eta: 0.1 }, [0, 2 / 3], 50, [50, 60, null], [false, false, true]), // 0
    cell('nag', { eta: 0.01 }, [1 / 3, 2 / 3], 20, [5, 35, null], [false, false, false]), // 1: ties cell 0 at T=100, fewer steps
    cell('h-nag', { eta: 0.01, H: 0.5 }, [0, 1 / 3], 90, [90, null, null], [false, false, false]), // 2
    cell('h-nag', { eta: 0.1, H: 0.5 }, [1, 1], 3, [1, 3, 5], [false, false, false]), // 3: best
    cell('h-nag', { eta: 0.01, H: 1 }, [0, 0], null, [null, null, null], [true, true, true]), // 4
    cell('h-nag', { eta: 0.1, H: 1 }, [1 / 3, 1 / 3], 8, [8, null, null], [false, true, false]), // 5
  ],
};

test('the hand-made sweep is a valid sweep as a sweepResult message carries it', () => {
  sweepData(sweep, 'sweep');
});

test('an optimizer and its h-/h(t)- variants share a colour; variants are numbered by prefix', () => {
  const s = seriesStyles(['nag', 'h-nag', 'adam', 'ht-adam', 'h-adam', 'h-amsgrad']);
  assert.deepEqual(Object.fromEntries(s), {
    nag: { colour: 0, variant: 0 },
    'h-nag': { colour: 0, variant: 1 },
    adam: { colour: 1, variant: 0 },
    'ht-adam': { colour: 1, variant: 2 },
    'h-adam': { colour: 1, variant: 1 },
    'h-amsgrad': { colour: 2, variant: 1 },
  });
});

test('best cell: highest f_D at the largest budget, ties to fewer median steps', () => {
  assert.deepEqual(Object.fromEntries(bestCells(sweep)), { nag: 1, 'h-nag': 3 });
  assert.deepEqual(defaultSlice(sweep), { H: 0.5 });
});

test('f_D curves against log10 η at the chosen H, sorted by η, with the best point marked', () => {
  const [nag, hnag] = fractionCurves(sweep, 1, { H: 0.5 });
  assert.deepEqual(nag.points, [
    { x: -2, y: 2 / 3, cell: 1 },
    { x: -1, y: 2 / 3, cell: 0 },
  ]);
  assert.equal(nag.best, 0);
  assert.deepEqual(hnag.points, [
    { x: -2, y: 1 / 3, cell: 2 },
    { x: -1, y: 1, cell: 3 },
  ]);
  assert.equal(hnag.best, 1);
  const atH1 = fractionCurves(sweep, 0, { H: 1 })[1];
  assert.deepEqual(
    atH1.points.map((p) => p.cell),
    [4, 5],
  );
  assert.equal(atH1.best, null, 'the best cell (H = 0.5) is not on the H = 1 curve');
});

test('η × H grid: rows are H ascending, columns η ascending; median steps null where none converged', () => {
  assert.deepEqual(heatmapOptimizers(sweep), ['h-nag']);
  const g = heatmapGrid(sweep, 'h-nag', 0, 'fraction')!;
  assert.deepEqual(
    [g.xs, g.ys, g.cells],
    [
      [0.01, 0.1],
      [0.5, 1],
      [2, 3, 4, 5],
    ],
  );
  assert.deepEqual(g.values, [0, 1, 0, 1 / 3]);
  assert.deepEqual(heatmapGrid(sweep, 'h-nag', 0, 'median')!.values, [90, 3, null, 8]);
  assert.equal(heatmapGrid(sweep, 'nag', 0, 'fraction'), null, 'NAG has no H: no grid');
});

test('outcome map: converged with steps, diverged, or neither; steps on a log10(1 + k) scale', () => {
  const pts = outcomePoints(sweep, 5);
  assert.deepEqual(
    pts.map((p) => [p.x, p.outcome, p.steps]),
    [
      [0, 'converged', 8],
      [1, 'diverged', null],
      [2, 'stalled', null],
    ],
  );
  assert.deepEqual(outcomeCounts(pts), { converged: 1, diverged: 1, stalled: 1 });
  assert.equal(stepsPosition(0, 99), 0);
  assert.equal(stepsPosition(9, 99), 0.5);
  assert.equal(stepsPosition(99, 99), 1);
});

test('keyboard cursor: arrows move over the grid, skipping empty slots, and stop at the edges', () => {
  const grid = [
    [0, -1, 2],
    [3, 4, 5],
  ];
  assert.deepEqual(moveCursor(grid, { row: 0, col: 0 }, 'ArrowRight'), { row: 0, col: 2 });
  assert.deepEqual(moveCursor(grid, { row: 0, col: 0 }, 'ArrowLeft'), { row: 0, col: 0 });
  assert.deepEqual(moveCursor(grid, { row: 0, col: 2 }, 'ArrowDown'), { row: 1, col: 2 });
  assert.deepEqual(moveCursor(grid, { row: 1, col: 1 }, 'ArrowUp'), { row: 1, col: 1 });
  assert.deepEqual(moveCursor(grid, { row: 1, col: 1 }, 'a'), { row: 1, col: 1 });
});

test('★ only where f_D > 0: a best cell with none converged within a budget is not starred there', () => {
  // NAG's best cell (1) converges nothing within T = 10 here, two of three starts within T = 100.
  const late: SweepData = {
    ...sweep,
    cells: sweep.cells.map((c, i) => (i === 1 ? { ...c, fraction: [0, 2 / 3] } : c)),
  };
  const best = bestCells(late);
  assert.equal(best.get('nag'), 1);
  assert.equal(starred(late, best, 1, 0), false);
  assert.equal(starred(late, best, 1, 1), true);
  assert.equal(starred(late, best, 0, 1), false, 'not its optimizer’s best');
  assert.equal(fractionCurves(late, 0, { H: 0.5 })[0].best, null);
  assert.equal(fractionCurves(late, 1, { H: 0.5 })[0].best, 0);
});

test('the values a sweep held fixed: shared ones once, else per optimizer; held axes first; symbols given', () => {
  const withFixed = (d: SweepData, extra: (id: string) => Record<string, number | string>): SweepData => ({
    ...d,
    cells: d.cells.map((c) => ({ ...c, params: { ...c.params, ...extra(c.optimizer) } })),
  });
  const symbols = { gamma: 'γ', eta: 'η' };
  const same = withFixed(sweep, () => ({ gamma: 0.9 }));
  assert.deepEqual(fixedParams(same, 'h-nag'), [['gamma', 0.9]]);
  assert.equal(fixedStatement(same, ['nag', 'h-nag'], symbols), 'γ = 0.9 fixed.');
  const differ = withFixed(sweep, (id) => ({ gamma: id === 'nag' ? 0.9 : 0.99 }));
  assert.equal(
    fixedStatement(differ, ['nag', 'h-nag'], symbols, { H: 0.5 }),
    'H = 0.5 (picked above); fixed per optimizer — NAG: γ = 0.9; H-NAG: γ = 0.99.',
  );
  // A parameter that varies between an optimizer's cells was not held fixed; without symbols, the name.
  const varying: SweepData = {
    ...sweep,
    cells: sweep.cells.map((c, i) => ({ ...c, params: { ...c.params, gamma: i } })),
  };
  assert.deepEqual(fixedParams(varying, 'h-nag'), []);
  assert.equal(fixedStatement(sweep, ['nag']), 'No other hyperparameters.');
  assert.equal(
    fixedStatement(
      withFixed(sweep, () => ({ beta: 0.5 })),
      ['nag'],
    ),
    'beta = 0.5 fixed.',
  );
});
