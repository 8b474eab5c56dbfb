/**
 * Stopping a pool job with real worker threads (dist/worker.js, built by npm test): the job resolves with every
 * lane's state at the step reached, and that state is exactly what a run on this thread with that step as its
 * budget computes (the kernels are deterministic), so the partial result is checked against an independent run.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseExpression } from '../../src/engine/expr/costParser';
import { WorkerPool } from '../../src/engine/run/pool/workerPool';
import type { RunRequest } from '../../src/engine/run/request';
import { run } from '../../src/engine/run/runner';
import { findBuiltin } from '../../src/engine/library';

const workerScript = join(__dirname, '../../dist/worker.js');
const beale = findBuiltin('beale')!;

const request = (steps: number, n: number, optimizers: RunRequest['optimizers']): RunRequest => ({
  fn: { kind: 'builtin', name: 'beale' },
  optimizers,
  starts: { kind: 'random', n, seed: 5, domain: beale.domain! },
  steps,
  targets: [1e-6],
  traces: 4,
  backend: 'js',
});

test('a stopped job keeps every lane at the step it reached, as a run with that budget computes it', async () => {
  const pool = new WorkerPool({ workerScript, size: 1 });
  try {
    const stop = new AbortController();
    let running: () => void;
    const started = new Promise<void>((r) => (running = r));
    // Two optimizers on one worker: the first runs while the second waits; both are stopped.
    const jobs = [
      pool.run(request(50_000_000, 64, [{ id: 'adam', params: { eta: 0.01 } }]), {
        stop: stop.signal,
        onProgress: (f) => f > 0 && running(),
      }),
      pool.run(request(50_000_000, 64, [{ id: 'gd', params: { eta: 0.001 } }]), { stop: stop.signal }),
    ];
    // Once the worker has started (loading it takes a while on a busy machine), let it step for a moment.
    await started;
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    stop.abort();
    const [adam, gd] = await Promise.all(jobs);
    console.log(`stop → partial results of both jobs in ${(performance.now() - t0).toFixed(1)} ms`);
    const reached = adam.runs[0].stoppedAt!;
    assert.ok(reached > 0 && reached < 50_000_000, `adam stopped at ${reached}`);
    assert.equal(adam.stoppedAt, reached);
    assert.equal(gd.runs[0].stoppedAt, 0, 'the waiting job stops at its start');

    const reference = run({
      fn: beale,
      optimizers: [{ id: 'adam', params: { eta: 0.01 } }],
      starts: { kind: 'random', n: 64, seed: 5, domain: beale.domain! },
      steps: reached,
      targets: [1e-6],
      traces: 4,
      backend: 'js',
    });
    const [got, want] = [adam.runs[0], reference.runs[0]];
    assert.deepEqual(got.final, want.final, 'final θ, f, step, divergence and orbit of every lane');
    assert.equal(got.converged, want.converged);
    assert.deepEqual(got.stepsToTarget, want.stepsToTarget);
    for (const t of got.traces) assert.equal(t.points.at(-1)!.step, got.final[t.lane].steps);
    assert.ok(
      got.curves.steps.every((k) => k <= reached),
      'curves end at the step reached',
    );
    // The waiting job: every lane at its start, f evaluated there.
    gd.runs[0].final.forEach((l, i) => {
      assert.deepEqual(l.theta, gd.starts[i]);
      assert.equal(l.steps, 0);
    });
    // The pool keeps its thread and serves the next job.
    assert.equal(pool.threadCount, 1);
    const after = await pool.run(request(100, 8, [{ id: 'gd', params: {} }]));
    assert.equal(after.stoppedAt, null);
  } finally {
    await pool.dispose();
  }
});

test('a lane that reaches the target and diverges afterwards counts as diverged, not converged', () => {
  // No @minimum: targets are on f itself, which every start passes at once before running off to −∞.
  const hill = parseExpression('-x^2 - y^2');
  const result = run({
    fn: hill,
    optimizers: [{ id: 'gd', params: { eta: 0.1 } }],
    starts: {
      kind: 'random',
      n: 32,
      seed: 1,
      domain: [
        [-5, 5],
        [-5, 5],
      ],
    },
    steps: 1000,
    targets: [1e-6],
    backend: 'js',
  });
  const r = result.runs[0];
  assert.equal(result.fn.fStarKnown, false);
  assert.equal(r.diverged, 32);
  assert.equal(r.converged, 0);
  assert.ok(r.converged + r.diverged <= r.n);
  assert.deepEqual(r.stepsToTarget[String(1e-6)].perLane, Array(32).fill(null));
  assert.equal(r.curves.fractionConverged.at(-1), 0);
  // Before any lane diverged, every lane was below the target: the curve says so step by step.
  const firstDivergence = Math.min(...r.final.map((l) => l.divergedAt!));
  const k = r.curves.steps.findIndex((s) => s === firstDivergence - 1);
  assert.equal(r.curves.fractionConverged[k], 1);
});
