/**
 * The engine's data-fit iterates (JS backend) against the plain implementation of datafitPlain.ts: Sprunger's
 * dense tanh layer on the peers' teacher data and logistic regression on a circle, full batch and minibatches
 * (B = 1, B = 3 with every @shuffle mode), every step of every start, to 1e−12 relative.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Dataset } from '../../src/engine/data';
import type { OptimizerConfig } from '../../src/engine/optim/types';
import { agreement, engineLanes, modelFrom, teacherData, teacherRows } from './datafitEngine';
import {
  denseLayer,
  logistic,
  mulberry32,
  plainOptimizers,
  plainSplit,
  plainStarts,
  plainTrain,
  type PlainInit,
  type PlainModel,
  type PlainOptimizer,
} from './datafitPlain';
import { memoryData } from './modelHarness';

const TOLERANCE = 1e-12;

interface Case {
  name: string;
  batch?: number;
  shuffle: 'epoch' | 'once' | 'none' | 'replace';
  optimizer: OptimizerConfig;
  plain: () => PlainOptimizer;
  steps: number;
}

const dense = (c: Case) => `
@data "teacher.csv"
@split 100 ordered
x = row[1:10]
y = row[11:14]
@param W 4x10 uniform(-0.5, 0.5)
@param b 4 zeros
dense(W, b) = sum((tanh(W*x + b) - y).^2)
${c.batch ? `@batch ${c.batch}` : ''}
${c.shuffle === 'epoch' ? '' : `@shuffle ${c.shuffle}`}
@metric distance = norm(tanh(W*x + b) - y)
`;

/** Each start's engine lane against the plain run from the same draws; returns the worst relative difference. */
function compare(
  text: string,
  files: Record<string, Dataset>,
  c: Case,
  plain: {
    model: PlainModel;
    rows: number[][];
    split: { train: number[]; test: number[] };
    params: { size: number; init: PlainInit }[];
  },
  seed: number,
  N: number,
): number {
  const problem = modelFrom(text, files);
  const lanes = engineLanes(problem, c.optimizer, { starts: { kind: 'draw', n: N }, seed, steps: c.steps });
  const starts = plainStarts(plain.params, seed, N);
  return Math.max(
    ...lanes.map((lane, r) =>
      agreement(
        lane,
        plainTrain({
          model: plain.model,
          rows: plain.rows,
          ...plain.split,
          batch: c.batch,
          shuffle: c.shuffle,
          seed,
          start: r,
          theta0: starts[r],
          steps: c.steps,
          optimizer: c.plain(),
        }),
      ),
    ),
  );
}

const denseCases: Case[] = [
  {
    name: 'B = 1, GD',
    batch: 1,
    shuffle: 'epoch',
    optimizer: { id: 'gd', params: { eta: 0.1 } },
    plain: () => plainOptimizers.gd(0.1),
    steps: 250,
  },
  {
    name: 'B = 1, NAG (look-ahead gradient point)',
    batch: 1,
    shuffle: 'epoch',
    optimizer: { id: 'nag', params: { eta: 0.02, gamma: 0.9 } },
    plain: () => plainOptimizers.nag(0.02, 0.9),
    steps: 250,
  },
  {
    name: 'B = 3 reshuffled every epoch, momentum',
    batch: 3,
    shuffle: 'epoch',
    optimizer: { id: 'momentum', params: { eta: 0.05, beta: 0.9 } },
    plain: () => plainOptimizers.momentum(0.05, 0.9),
    steps: 120,
  },
  {
    name: 'B = 3 reshuffled every epoch, NaSGD (fB feeds the rule)',
    batch: 3,
    shuffle: 'epoch',
    optimizer: { id: 'nasgd', params: { alpha: 0.7 } },
    plain: () => plainOptimizers.nasgd(0.7),
    steps: 120,
  },
  {
    name: 'B = 3, @shuffle once, Adam',
    batch: 3,
    shuffle: 'once',
    optimizer: { id: 'adam', params: { eta: 0.01 } },
    plain: () => plainOptimizers.adam(0.01),
    steps: 120,
  },
  {
    name: 'B = 3, @shuffle none, GD',
    batch: 3,
    shuffle: 'none',
    optimizer: { id: 'gd', params: { eta: 0.2 } },
    plain: () => plainOptimizers.gd(0.2),
    steps: 120,
  },
  {
    name: 'B = 3, @shuffle replace, NaSGD',
    batch: 3,
    shuffle: 'replace',
    optimizer: { id: 'nasgd', params: { alpha: 1 } },
    plain: () => plainOptimizers.nasgd(1),
    steps: 120,
  },
  {
    name: 'full batch (each epoch sums in its own order), GD',
    shuffle: 'epoch',
    optimizer: { id: 'gd', params: { eta: 0.5 } },
    plain: () => plainOptimizers.gd(0.5),
    steps: 40,
  },
  {
    name: 'full batch, @shuffle none, Adam',
    shuffle: 'none',
    optimizer: { id: 'adam', params: { eta: 0.05 } },
    plain: () => plainOptimizers.adam(0.05),
    steps: 40,
  },
];

for (const c of denseCases) {
  test(`dense tanh layer on the teacher data, ${c.name}: iterates, F, fB and test distances agree`, () => {
    const rows = teacherRows();
    const worst = compare(
      dense(c),
      { 'teacher.csv': teacherData() },
      c,
      {
        model: denseLayer,
        rows,
        split: plainSplit(rows.length, 100),
        params: [
          { size: 40, init: ['uniform', -0.5, 0.5] },
          { size: 4, init: ['zeros'] },
        ],
      },
      1,
      3,
    );
    console.log(`dense, ${c.name}: worst relative difference ${worst.toExponential(2)}`);
    assert.ok(worst <= TOLERANCE, `worst relative difference ${worst}`);
  });
}

/** 60 points uniform in [−2, 2]², label +1 inside the circle of radius 1.2, −1 outside, from mulberry32(7). */
function circleRows(): number[][] {
  const next = mulberry32(7);
  return Array.from({ length: 60 }, () => {
    const x1 = -2 + 4 * next();
    const x2 = -2 + 4 * next();
    return [x1, x2, x1 * x1 + x2 * x2 < 1.44 ? 1 : -1];
  });
}

const logisticText = (c: Case) => `
@data "circle.csv"
@split 45 seed 3
features = [row.x1, row.x2, row.x1^2, row.x2^2]
y = row.label
@param w 4 normal(0, 0.5)
@param c 1 uniform(-0.1, 0.1)
logistic(w, c) = softplus(-y * (dot(w, features) + c))
${c.batch ? `@batch ${c.batch}` : ''}
${c.shuffle === 'epoch' ? '' : `@shuffle ${c.shuffle}`}
@metric accuracy = y * (dot(w, features) + c) > 0
`;

const logisticCases: Case[] = [
  {
    name: 'B = 1, GD',
    batch: 1,
    shuffle: 'epoch',
    optimizer: { id: 'gd', params: { eta: 0.05 } },
    plain: () => plainOptimizers.gd(0.05),
    steps: 100,
  },
  {
    name: 'B = 3, @shuffle replace, momentum',
    batch: 3,
    shuffle: 'replace',
    optimizer: { id: 'momentum', params: { eta: 0.05, beta: 0.5 } },
    plain: () => plainOptimizers.momentum(0.05, 0.5),
    steps: 60,
  },
  {
    name: 'B = 3, @shuffle once, NAG',
    batch: 3,
    shuffle: 'once',
    optimizer: { id: 'nag', params: { eta: 0.05, gamma: 0.5 } },
    plain: () => plainOptimizers.nag(0.05, 0.5),
    steps: 60,
  },
  {
    name: 'full batch, Adam',
    shuffle: 'epoch',
    optimizer: { id: 'adam', params: { eta: 0.05 } },
    plain: () => plainOptimizers.adam(0.05),
    steps: 40,
  },
];

for (const c of logisticCases) {
  test(`logistic regression on a circle (normal and uniform draws, a seeded split), ${c.name}: iterates, F, fB and accuracies agree`, () => {
    const rows = circleRows();
    const worst = compare(
      logisticText(c),
      { 'circle.csv': memoryData(['x1', 'x2', 'label'], rows) },
      c,
      {
        model: logistic,
        rows,
        split: plainSplit(rows.length, 45, 3),
        params: [
          { size: 4, init: ['normal', 0, 0.5] },
          { size: 1, init: ['uniform', -0.1, 0.1] },
        ],
      },
      5,
      4,
    );
    console.log(`logistic, ${c.name}: worst relative difference ${worst.toExponential(2)}`);
    assert.ok(worst <= TOLERANCE, `worst relative difference ${worst}`);
  });
}
