/**
 * Data jobs on the worker pool, with real worker threads (dist/worker.js, built by npm test): a pooled run and a
 * pooled sweep equal the in-thread ones bit for bit, split over one or two workers; the dataset crosses to the
 * workers in shared memory; a bad request is a JobInputError naming what is wrong.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveProblem, type DataRunRequest, type ProblemSource } from '../../src/engine/run/dataRequest';
import { runData } from '../../src/engine/run/dataRunner';
import { sweepData } from '../../src/engine/run/dataSweep';
import { shareProblem } from '../../src/engine/run/pool/dataChunks';
import { JobCancelledError, JobInputError, WorkerPool } from '../../src/engine/run/pool/workerPool';
import { teacherData } from './datafitEngine';

const workerScript = join(__dirname, '../../dist/worker.js');

const TEXT = `
@data "teacher.csv"
@split 100 ordered
x = row[1:10]
y = row[11:14]
@param W 4x10 uniform(-0.5, 0.5)
@param b 4 zeros
dense(W, b) = sum((tanh(W*x + b) - y).^2)
@batch 1
@noise 0.001
@metric distance = norm(tanh(W*x + b) - y)
`;

const source = (): ProblemSource => ({
  fn: { kind: 'file', text: TEXT, name: 'dense', path: 'dense.cost' },
  files: [{ path: 'teacher.csv', dataset: teacherData() }],
  overrides: { epochs: 2 },
});

/** Results without their timings, which differ from run to run. */
const timeless = (runs: readonly object[]) => runs.map((r) => ({ ...r, timing: null }));

for (const size of [1, 2]) {
  test(`a data run on ${size} worker(s) equals the in-thread run bit for bit`, async () => {
    const request: DataRunRequest = {
      problem: source(),
      optimizers: [
        { id: 'nasgd', params: { alpha: 0.7 } },
        { id: 'nag', params: { eta: 0.02, gamma: 0.5 } },
      ],
      starts: { kind: 'draw', n: 40 },
      seed: 5,
      steps: 200,
      targets: [0.05],
      traces: 3,
      backend: 'js',
    };
    const here = runData({ ...request, problem: resolveProblem(request.problem) });
    const pool = new WorkerPool({ workerScript, size });
    try {
      const pooled = await pool.runData(request);
      assert.deepEqual(timeless(pooled.runs), timeless(here.runs));
      assert.deepEqual({ ...pooled, runs: null }, { ...here, runs: null });
      assert.equal(pooled.runs[0].epochs.metrics.distance.median.length, 3);
    } finally {
      await pool.dispose();
    }
  });
}

test('a data sweep on 2 workers equals the in-thread sweep bit for bit', async () => {
  const request = {
    problem: source(),
    optimizers: [{ id: 'gd', params: {} }],
    grid: [{ name: 'eta', values: [0.01, 0.03, 0.1] }],
    starts: { kind: 'draw' as const, n: 12 },
    seed: 2,
    steps: 200,
    targets: [],
    backend: 'js' as const,
  };
  const here = sweepData({ ...request, problem: resolveProblem(request.problem) });
  const pool = new WorkerPool({ workerScript, size: 2 });
  try {
    const pooled = await pool.sweepData(request);
    assert.deepEqual(timeless(pooled.cells), timeless(here.cells));
  } finally {
    await pool.dispose();
  }
});

test('a long data job streams progress and stops at once when aborted; the pool keeps working', async () => {
  const pool = new WorkerPool({ workerScript, size: 1 });
  try {
    const controller = new AbortController();
    const fractions: number[] = [];
    const job = pool.runData(
      {
        problem: source(),
        optimizers: [{ id: 'gd', params: {} }],
        starts: { kind: 'draw', n: 64 },
        seed: 1,
        steps: 1_000_000,
        targets: [],
        backend: 'js',
      },
      { signal: controller.signal, onProgress: (f) => fractions.push(f) },
    );
    // Aborted once the job has reported progress: the kernel is running in the worker.
    const started = setInterval(() => {
      if (fractions.length) {
        clearInterval(started);
        controller.abort();
      }
    }, 20);
    await assert.rejects(job, JobCancelledError);
    assert.ok(fractions.every((f) => f > 0 && f < 1));
    const after = await pool.runData({
      problem: source(),
      optimizers: [{ id: 'gd', params: {} }],
      starts: { kind: 'draw', n: 2 },
      seed: 1,
      steps: 10,
      targets: [],
    });
    assert.equal(after.runs[0].n, 2);
  } finally {
    await pool.dispose();
  }
});

test('the dataset goes to the workers in shared memory, copied once per dataset', () => {
  const s = source();
  const a = shareProblem(s);
  const b = shareProblem(s);
  const values = a.files[0].dataset.values;
  assert.ok(values.buffer instanceof SharedArrayBuffer);
  assert.equal(b.files[0].dataset.values, values, 'the same shared copy for a second job');
  assert.deepEqual(Array.from(values), Array.from(s.files[0].dataset.values));
});

test('a data request with a mistake fails as a JobInputError that says what is wrong', async () => {
  const pool = new WorkerPool({ workerScript, size: 1 });
  try {
    const base = {
      optimizers: [{ id: 'gd', params: {} }],
      starts: { kind: 'draw' as const, n: 2 },
      seed: 1,
      steps: 10,
      targets: [],
    };
    await assert.rejects(
      pool.runData({ ...base, problem: { ...source(), files: [] } }),
      (e: unknown) => e instanceof JobInputError && /dense\.cost:2:7: .*no data file 'teacher\.csv'/.test(e.message),
    );
    await assert.rejects(
      pool.runData({ ...base, problem: { ...source(), fn: { kind: 'builtin', name: 'beale' }, files: [] } }),
      (e: unknown) => e instanceof JobInputError && /beale is a cost function/.test(e.message),
    );
  } finally {
    await pool.dispose();
  }
});
