// One run or sweep at a time, with a fake pool: results keep request order, a new run or sweep supersedes the old
// one quietly, Stop and an outside abort end a run with what it reached, a failed job fails the run and cancels its
// siblings, disposing cancels; the throttle keeps the last call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunRequest } from '../../src/engine/run/request';
import type { RunResult } from '../../src/engine/run/runner';
import type { SweepRequest } from '../../src/engine/run/pool/workerPool';
import type { SweepResult } from '../../src/engine/run/sweep';
import { RunController, throttle, type PoolJob, type RunPool } from '../../src/vscode/runController';

class Cancelled extends Error {}

/**
 * Jobs finish when the test says so. As the worker pool does, a cancelled job rejects with Cancelled at once, and a
 * stopped one resolves at once with a result that says where it stopped (step 7 here).
 */
class FakePool implements RunPool {
  readonly jobs: {
    request: RunRequest;
    signal?: AbortSignal;
    progress(f: number): void;
    resolve(r: RunResult): void;
    reject(e: unknown): void;
  }[] = [];
  run(request: RunRequest, job: PoolJob): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      job.signal?.addEventListener('abort', () => reject(new Cancelled()));
      job.stop?.addEventListener('abort', () => resolve(stopped(`stopped ${request.steps}`)));
      this.jobs.push({ request, signal: job.signal, progress: (f) => job.onProgress?.(f), resolve, reject });
    });
  }

  readonly sweeps: { signal?: AbortSignal; progress(f: number): void; resolve(r: SweepResult): void }[] = [];
  sweep(_request: SweepRequest, job: PoolJob): Promise<SweepResult> {
    return new Promise((resolve, reject) => {
      job.signal?.addEventListener('abort', () => reject(new Cancelled()));
      job.stop?.addEventListener('abort', () => resolve({ stoppedAt: 7 } as unknown as SweepResult));
      this.sweeps.push({ signal: job.signal, progress: (f) => job.onProgress?.(f), resolve });
    });
  }
}

const req = (steps: number) => ({ steps }) as unknown as RunRequest;
const res = (name: string) => ({ fn: { name }, stoppedAt: null }) as unknown as RunResult;
const stopped = (name: string) => ({ fn: { name }, stoppedAt: 7 }) as unknown as RunResult;
const tick = () => new Promise((r) => setImmediate(r));

test('results come back in request order; callbacks after each job and with the mean progress of the jobs', async () => {
  const pool = new FakePool();
  const c = new RunController(
    () => pool,
    (e) => e instanceof Cancelled,
  );
  const seen: string[][] = [];
  const fractions: number[] = [];
  const outcome = c.start([req(1), req(2)], {
    onJob: (done) => seen.push(done.map((r) => r.fn.name)),
    onFraction: (f) => fractions.push(f),
  });
  assert.equal(c.running, true);
  await tick();
  pool.jobs[0].progress(0.5);
  pool.jobs[1].resolve(res('b'));
  await tick();
  pool.jobs[0].resolve(res('a'));
  const o = await outcome;
  assert.equal(o.status, 'done');
  if (o.status === 'done')
    assert.deepEqual(
      o.value.map((r) => r.fn.name),
      ['a', 'b'],
    );
  assert.deepEqual(seen, [['b'], ['a', 'b']]);
  assert.deepEqual(fractions, [0.25, 0.75, 1]);
  assert.equal(c.running, false);
});

test('a new run supersedes the running one; Stop and an outside signal end a run with what it reached', async () => {
  const pool = new FakePool();
  const c = new RunController(
    () => pool,
    (e) => e instanceof Cancelled,
  );
  const first = c.start([req(1)]);
  await tick();
  const second = c.start([req(2)]);
  assert.deepEqual(await first, { status: 'superseded' });
  assert.equal(c.running, true);
  assert.equal(c.stop(), true);
  assert.deepEqual(await second, { status: 'done', value: [stopped('stopped 2')] });
  assert.equal(c.stop(), false);
  const outside = new AbortController();
  const third = c.start([req(3)], undefined, outside.signal);
  outside.abort();
  assert.deepEqual(await third, { status: 'done', value: [stopped('stopped 3')] });
  // The superseded and stopped jobs were stopped, not cancelled: their workers were not ended.
  assert.ok(pool.jobs.every((j) => !j.signal?.aborted));
  const fourth = c.start([req(4)]);
  c.dispose();
  assert.deepEqual(await fourth, { status: 'cancelled' });
});

test('a sweep takes the place of a run and the other way round; its progress stops once it is replaced', async () => {
  const pool = new FakePool();
  const c = new RunController(
    () => pool,
    (e) => e instanceof Cancelled,
  );
  const run = c.start([req(1)]);
  await tick();
  const fractions: number[] = [];
  const sweep = c.sweep({} as SweepRequest, (f) => fractions.push(f));
  assert.deepEqual(await run, { status: 'superseded' });
  pool.sweeps[0].progress(0.5);
  const done = { fn: { name: 's' } } as unknown as SweepResult;
  pool.sweeps[0].resolve(done);
  assert.deepEqual(await sweep, { status: 'done', value: done });
  assert.deepEqual(fractions, [0.5]);
  const second = c.sweep({} as SweepRequest, (f) => fractions.push(f));
  await tick();
  const next = c.start([req(2)]);
  pool.sweeps[1].progress(0.9);
  assert.deepEqual(await second, { status: 'superseded' });
  assert.deepEqual(fractions, [0.5]);
  assert.equal(c.running, true);
  c.stop();
  assert.deepEqual(await next, { status: 'done', value: [stopped('stopped 2')] });
});

test('a failing job fails the run and aborts the other jobs', async () => {
  const pool = new FakePool();
  const c = new RunController(
    () => pool,
    (e) => e instanceof Cancelled,
  );
  const run = c.start([req(1), req(2)]);
  await tick();
  pool.jobs[0].reject(new Error('bad function'));
  const o = await run;
  assert.equal(o.status, 'failed');
  if (o.status === 'failed') assert.match(String(o.error), /bad function/);
  assert.equal(pool.jobs[1].signal?.aborted, true);
});

test('throttle: at most one call per interval, always the latest arguments, the last one delivered', async () => {
  let now = 0;
  const calls: number[] = [];
  const t = throttle(
    (v: number) => calls.push(v),
    100,
    () => now,
  );
  t(1);
  t(2);
  t(3);
  assert.deepEqual(calls, [1]);
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(calls, [1, 3]);
  now = 1000;
  t(4);
  assert.deepEqual(calls, [1, 3, 4]);
  t(5);
  t.dispose();
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(calls, [1, 3, 4]);
});
