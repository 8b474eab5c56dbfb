/** The worker entry (dist/worker.js) in real worker threads, and the checks on what crosses into it. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { parseLaneJob } from '../../src/engine/run/workerProtocol';
import { WorkerPool } from '../../src/engine/run/pool/workerPool';
import { executeRequest, parseRunRequest, RequestError, type RunRequest } from '../../src/engine/run/request';
import { recordSchedule } from '../../src/engine/program/recordSchedule';

const WORKER = join(__dirname, '../../dist/worker.js');

type Reply = { type: string; id: number; output?: unknown; message?: string; userError?: boolean; fraction?: number };

/** Posts a message and resolves with the final reply, skipping progress messages. */
function ask(worker: Worker, msg: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: Reply) => {
      if (reply.type === 'progress') return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      resolve(reply);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.postMessage(msg);
  });
}

const request: RunRequest = {
  fn: { kind: 'expression', text: '(1-x)^2 + 100*(y-x^2)^2' },
  optimizers: [
    { id: 'adam', params: { eta: 0.02 } },
    { id: 'h-nag', params: {} },
  ],
  starts: {
    kind: 'random',
    n: 700,
    seed: 5,
    domain: [
      [-2, 2],
      [-1, 3],
    ],
  },
  steps: 3000,
  targets: [1e-2, 1e-4],
  traces: 300,
};

const strip = (r: ReturnType<typeof executeRequest>) => r.runs.map(({ timing: _t, ...rest }) => rest);

for (const backend of ['js', 'wasm-simd'] as const) {
  test(`${backend}: a run split over two workers gives exactly the numbers of one run on this thread`, async () => {
    const pool = new WorkerPool({ workerScript: WORKER, size: 2 });
    try {
      const fractions: number[] = [];
      const pooled = await pool.run({ ...request, backend }, { onProgress: (f) => fractions.push(f) });
      assert.equal(pool.threadCount, 2, 'both workers took a chunk');
      assert.deepEqual(strip(pooled), strip(executeRequest({ ...request, backend })));
      assert.ok(fractions.every((f) => f > 0 && f <= 1));
    } finally {
      await pool.dispose();
    }
  });
}

const goodJob = () => ({
  fn: { kind: 'builtin', name: 'beale' },
  optimizer: { id: 'gd', params: { eta: 0.001 } },
  work: {
    starts: [
      [1, 1],
      [2, 0],
    ],
    laneParams: [{ eta: 0.001 }, { eta: 0.001 }],
    traceCount: 1,
    steps: 20,
    targets: [1e-4],
    stopAtTargets: false,
    recordSteps: recordSchedule(20, 100),
    fStar: 0,
    precision: 'f64',
  },
  backend: 'js',
});

test('malformed lane jobs get an error reply naming the field, and the worker keeps serving', async () => {
  const worker = new Worker(WORKER);
  try {
    const bad: [unknown, RegExp][] = [
      [{ id: 1 }, /job: expected an object/],
      [{ id: 2, job: { ...goodJob(), work: { ...goodJob().work, steps: -1 } } }, /work\.steps/],
      [{ id: 3, job: { ...goodJob(), work: { ...goodJob().work, starts: [[1, NaN]] } } }, /work\.starts\[0\]\[1\]/],
      [{ id: 4, job: { ...goodJob(), work: { ...goodJob().work, laneParams: [{}] } } }, /work\.laneParams/],
      [{ id: 5, job: { ...goodJob(), work: { ...goodJob().work, recordSteps: [0, 1] } } }, /work\.recordSteps/],
      [
        { id: 6, job: { ...goodJob(), fn: { kind: 'expression', text: 'x + foo(y)' } } },
        /<expr>:5: unknown function 'foo'/,
      ],
      [{ id: 7, job: { ...goodJob(), optimizer: { id: 'warp', params: {} } } }, /unknown optimizer 'warp'/],
      [{ id: 8, job: { ...goodJob(), backend: 'gpu' } }, /backend/],
      [{ id: 9, job: { ...goodJob(), fn: { kind: 'smuggled', text: 'x' } } }, /fn\.kind/],
    ];
    for (const [msg, re] of bad) {
      const reply = await ask(worker, msg);
      assert.equal(reply.type, 'error', JSON.stringify(msg));
      assert.match(reply.message!, re);
      assert.equal(reply.userError, true, reply.message);
    }
    const ok = await ask(worker, { id: 10, job: goodJob() });
    assert.equal(ok.type, 'result', ok.message);
    assert.equal((ok.output as { n: number }).n, 2);
  } finally {
    await worker.terminate();
  }
});

test('parseRunRequest and parseLaneJob reject oversized or malformed input before any work', () => {
  assert.throws(
    () => parseRunRequest({ ...request, fn: { kind: 'expression', text: 'x'.repeat(200_000) } }),
    RequestError,
  );
  assert.throws(() => parseRunRequest({ ...request, optimizers: Array(100).fill({ id: 'gd' }) }), /optimizers/);
  assert.throws(() => parseRunRequest({ ...request, targets: Array(100).fill(1) }), /targets/);
  assert.throws(() => parseRunRequest({ ...request, backend: 'gpu' }), /backend/);
  assert.throws(() => parseRunRequest({ ...request, precision: 'f16' }), /request\.precision/);
  assert.throws(
    () => parseLaneJob({ ...goodJob(), work: { ...goodJob().work, precision: 'half' } }),
    /work\.precision/,
  );
  assert.throws(() => parseRunRequest({ ...request, steps: 1e12 }), /steps/);
  assert.throws(
    () => parseRunRequest({ ...request, starts: { kind: 'random', n: 1e9, seed: 1, domain: [] } }),
    /starts\.n/,
  );
  assert.throws(() => parseLaneJob({ ...goodJob(), work: { ...goodJob().work, traceCount: 5 } }), /traceCount/);
  assert.deepEqual(parseLaneJob(goodJob()).work.starts, [
    [1, 1],
    [2, 0],
  ]);
});
