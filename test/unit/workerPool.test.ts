/** The worker pool with real worker threads (dist/worker.js, built by npm test). */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { JobCancelledError, JobInputError, WorkerPool } from '../../src/engine/run/pool/workerPool';
import type { RunRequest } from '../../src/engine/run/request';

const workerScript = join(__dirname, '../../dist/worker.js');

const request = (steps: number, n = 64): RunRequest => ({
  fn: { kind: 'builtin', name: 'beale' },
  optimizers: [{ id: 'h-adam', params: { eta: 0.01 } }],
  starts: {
    kind: 'random',
    n,
    seed: 3,
    domain: [
      [-4.5, 4.5],
      [-4.5, 4.5],
    ],
  },
  steps,
  targets: [1e-4],
  backend: 'js',
});

test('jobs run on worker threads, stream progress, and dispose leaves no thread', async () => {
  const pool = new WorkerPool({ workerScript, size: 2 });
  const fractions: number[] = [];
  const [a, b] = await Promise.all([
    pool.run(request(20_000, 256), { onProgress: (f) => fractions.push(f) }),
    pool.run(request(100)),
  ]);
  assert.equal(a.runs[0].n, 256);
  assert.equal(b.runs[0].n, 64);
  assert.ok(fractions.length >= 1, 'progress was streamed');
  for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i] >= fractions[i - 1]);
  assert.ok(fractions.every((f) => f > 0 && f <= 1));
  assert.equal(pool.threadCount, 2);
  await pool.dispose();
  assert.equal(pool.threadCount, 0);
  await assert.rejects(pool.run(request(10)), /disposed/);
});

test('an aborted job rejects at once and the pool keeps working', async () => {
  const pool = new WorkerPool({ workerScript, size: 1 });
  try {
    const controller = new AbortController();
    const job = pool.run(request(10_000_000, 4096), { signal: controller.signal });
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      controller.abort();
    }, 200);
    await assert.rejects(job, JobCancelledError);
    const latency = performance.now() - abortedAt;
    console.log(`cancellation took effect ${latency.toFixed(1)} ms after abort()`);
    assert.ok(latency < 5000);
    const after = await pool.run(request(50));
    assert.equal(after.runs[0].n, 64);
  } finally {
    await pool.dispose();
  }
});

test('a user mistake is a JobInputError; a dying worker fails only its job and is replaced', async () => {
  const pool = new WorkerPool({ workerScript, size: 1 });
  try {
    await assert.rejects(pool.run({ ...request(10), fn: { kind: 'expression', text: 'x + (' } }), JobInputError);
    // A request for more memory than a worker may have kills that worker (resourceLimits), not the pool.
    const greedy = new WorkerPool({ workerScript, size: 1, resourceLimits: { maxOldGenerationSizeMb: 64 } });
    try {
      await assert.rejects(greedy.run(request(1, 1_000_000)), /the worker running this job (failed|exited)/);
      const after = await greedy.run(request(10));
      assert.equal(after.runs[0].n, 64);
    } finally {
      await greedy.dispose();
    }
    assert.equal((await pool.run(request(10))).runs[0].n, 64);
  } finally {
    await pool.dispose();
  }
});

test('a worker that dies while idle is replaced: the next job settles', { timeout: 120_000 }, async () => {
  const pool = new WorkerPool({ workerScript, size: 1 });
  try {
    assert.equal((await pool.run(request(10))).runs[0].n, 64);
    // End the idle thread for real, from outside the pool, and wait until it is gone.
    const worker = pool['slots'][0].worker;
    await worker.terminate();
    assert.equal((await pool.run(request(10))).runs[0].n, 64);
    assert.equal(pool.threadCount, 1);
  } finally {
    await pool.dispose();
  }
});

test('many jobs and chunks sharing one abort signal raise no MaxListenersExceededWarning', async () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  const pool = new WorkerPool({ workerScript, size: 1 });
  try {
    const { signal } = new AbortController();
    const results = await Promise.all(Array.from({ length: 12 }, () => pool.run(request(10), { signal })));
    assert.equal(results.length, 12);
    // One job of 12 optimizers: 12 chunks under one job.
    const many = { ...request(10), optimizers: Array.from({ length: 12 }, () => ({ id: 'gd', params: {} })) };
    assert.equal((await pool.run(many, { signal })).runs.length, 12);
    // Warnings are emitted on the next tick.
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      warnings.map((w) => w.name),
      [],
    );
  } finally {
    process.off('warning', onWarning);
    await pool.dispose();
  }
});

test('aborting a signal shared by queued jobs cancels every one of them; the pool keeps working', async () => {
  const pool = new WorkerPool({ workerScript, size: 1 });
  try {
    const controller = new AbortController();
    const jobs = Array.from({ length: 3 }, () => pool.run(request(10_000_000, 512), { signal: controller.signal }));
    controller.abort();
    for (const job of jobs) await assert.rejects(job, JobCancelledError);
    assert.equal((await pool.run(request(10))).runs[0].n, 64);
  } finally {
    await pool.dispose();
  }
});

test('the engine refuses a domain whose width overflows, for every consumer (here the pool)', async () => {
  const pool = new WorkerPool({ workerScript, size: 1 });
  try {
    const wide = (domain: [number, number][]) =>
      pool.run({ ...request(10), starts: { kind: 'random', n: 4, seed: 1, domain } });
    await assert.rejects(
      wide([
        [-1e308, 1e308],
        [0, 1],
      ]),
      (e: Error) => e instanceof JobInputError && /variable 1: its width hi − lo overflows/.test(e.message),
    );
    await assert.rejects(
      wide([
        [0, 1],
        [2, 2],
      ]),
      /variable 2: lo must be less than hi/,
    );
    // The widest interval whose width is finite gives finite starts inside it.
    const r = await wide([
      [-8e307, 8e307],
      [0, 1],
    ]);
    for (const [x] of r.starts) assert.ok(Number.isFinite(x) && x >= -8e307 && x < 8e307);
  } finally {
    await pool.dispose();
  }
});
