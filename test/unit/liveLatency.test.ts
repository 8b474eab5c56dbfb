/**
 * A live re-run as the Lab makes it, with real worker threads (dist/worker.js): 64 starts × 1,000 steps on Beale
 * with GD, Adam and h-Adam, from the request to the checked runResult message. The result is checked against
 * the same run on this thread; the time of each phase is printed (measured, never asserted), median of 7 runs.
 * A run that a newer one replaces is dropped quietly, and the newer one's result is the one that comes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBuiltin } from '../../src/engine/library';
import { WorkerPool } from '../../src/engine/run/pool/workerPool';
import { executeRequest } from '../../src/engine/run/request';
import { runResultMessage } from '../../src/present/runMessages';
import { safeHostMessage } from '../../src/shared/webviewProtocol';
import { RunController } from '../../src/vscode/runController';
import { mergeResults, runRequests } from '../../src/vscode/runPlan';

const workerScript = join(__dirname, '../../dist/worker.js');
const beale = findBuiltin('beale')!;
const choice = { source: { kind: 'builtin' as const, name: 'beale' }, fn: beale };
const configs = ['gd', 'adam', 'h-adam'].map((id) => ({ id, params: { eta: 0.01 } }));
const shape = (seed: number) => ({
  starts: { kind: 'random' as const, n: 64, seed, domain: beale.domain! },
  steps: 1000,
  target: 1e-6,
  backend: 'auto' as const,
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('a live re-run: 64 starts × 1,000 steps × 3 optimizers on Beale, request to checked message', async () => {
  const pool = new WorkerPool({ workerScript, size: 1 });
  const controller = new RunController(
    () => pool,
    () => false,
  );
  try {
    const phases: Record<string, number[]> = { pool: [], message: [], check: [], total: [] };
    for (let k = 0; k < 8; k++) {
      const t0 = performance.now();
      const { requests, maxPoints } = runRequests(choice, configs, shape(k));
      const outcome = await controller.start(requests, {}, undefined, maxPoints);
      assert.equal(outcome.status, 'done');
      if (outcome.status !== 'done') return;
      const t1 = performance.now();
      const msg = runResultMessage(k, mergeResults(outcome.value));
      const t2 = performance.now();
      assert.equal(safeHostMessage(msg, assert.fail), msg);
      const t3 = performance.now();
      // The first run parses, differentiates and compiles; the ones after find it all cached.
      if (k === 0) {
        console.log(`first run (cold caches, worker start): ${(t3 - t0).toFixed(1)} ms`);
        const here = mergeResults(requests.map((r) => executeRequest({ ...r, maxPoints } as typeof r)));
        assert.deepEqual(
          outcome.value.flatMap((r) => r.runs.map((x) => x.final)),
          here.runs.map((x) => x.final),
        );
        continue;
      }
      phases.pool.push(t1 - t0);
      phases.message.push(t2 - t1);
      phases.check.push(t3 - t2);
      phases.total.push(t3 - t0);
    }
    console.log(
      'live re-run, median of 7 (ms): ' +
        Object.entries(phases)
          .map(([k, v]) => `${k} ${median(v).toFixed(1)}`)
          .join(', '),
    );
  } finally {
    await pool.dispose();
  }
});

test('a run replaced by a newer one is dropped; the newer one comes back whole', async () => {
  const pool = new WorkerPool({ workerScript, size: 1 });
  const controller = new RunController(
    () => pool,
    () => false,
  );
  try {
    const long = runRequests(choice, configs, { ...shape(1), steps: 5_000_000 });
    const first = controller.start(long.requests, {}, undefined, long.maxPoints);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    const next = runRequests(choice, configs, shape(2));
    const second = await controller.start(next.requests, {}, undefined, next.maxPoints);
    console.log(`a new run while one is in flight: its result ${(performance.now() - t0).toFixed(1)} ms later`);
    assert.deepEqual(await first, { status: 'superseded' });
    assert.equal(second.status, 'done');
    if (second.status === 'done') assert.ok(second.value.every((r) => r.stoppedAt === null && r.steps === 1000));
    assert.equal(pool.threadCount, 1, 'the worker was stopped between slices, not ended');
  } finally {
    await pool.dispose();
  }
});
