// The worker protocol on both ends: a well-formed chunk output passes the pool's check; replies whose arrays
// disagree with their lane count, or of an unknown type, are refused by path; a bad request is refused as the
// user error the pool reports. (A real worker's replies are checked by worker.test.ts, through the pool.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LaneOutput } from '../../src/engine/run/lanes';
import { RequestError } from '../../src/engine/run/request';
import { recordSchedule } from '../../src/engine/program/recordSchedule';
import { parseWorkerReply, parseWorkerRequest, requestId } from '../../src/engine/run/workerProtocol';

const work = {
  starts: [
    [1, 1],
    [2, 0],
    [-1, 0.5],
  ],
  laneParams: [{ eta: 0.001 }, { eta: 0.001 }, { eta: 0.002 }],
  traceCount: 1,
  steps: 20,
  targets: [1e-4],
  stopAtTargets: false,
  recordSteps: recordSchedule(20, 100),
  fStar: 0,
  precision: 'f64' as const,
};

/** Three lanes of two coordinates, one target, five records, one traced lane: the shape a chunk reply has. */
function output(): LaneOutput {
  const [n, dim, records] = [3, 2, 5];
  return {
    n,
    dim,
    theta: new Float64Array(dim * n),
    prevTheta: new Float64Array(dim * n),
    finalF: new Float64Array(n),
    stopStep: new Int32Array(n),
    divergedAt: new Int32Array(n).fill(-1),
    hits: new Int32Array(n),
    fRecord: new Float64Array(records * n),
    trace: new Float64Array(records * (dim + 1)),
    seconds: 0.01,
    laneSteps: 60,
    backend: 'js',
    stoppedAt: -1,
    precision: 'f64',
  };
}

test('a chunk output passes; its arrays must agree with n and dim', () => {
  const out = output();
  const reply = parseWorkerReply({ type: 'result', id: 4, output: out });
  assert.equal(reply.type === 'result' && reply.output.n, 3);
  assert.throws(
    () => parseWorkerReply({ type: 'result', id: 4, output: { ...out, finalF: out.finalF.subarray(1) } }),
    /^CheckError: reply\.output\.finalF: expected 3 values \(n = 3\)/,
  );
  assert.throws(
    () => parseWorkerReply({ type: 'result', id: 4, output: { ...out, theta: Array.from(out.theta) } }),
    /reply\.output\.theta: expected Float64Array/,
  );
  assert.throws(() => parseWorkerReply({ type: 'result', id: 4, output: { ...out, n: 2 } }), /theta: expected 4/);
  assert.throws(() => parseWorkerReply({ type: 'done', id: 4 }), /reply\.type: unknown type "done"/);
  assert.throws(() => parseWorkerReply({ type: 'progress', id: 4, fraction: 1.5 }), /reply\.fraction/);
  assert.deepEqual(parseWorkerReply({ type: 'error', id: -1, message: 'x', userError: true }), {
    type: 'error',
    id: -1,
    message: 'x',
    userError: true,
  });
});

test('requests: a bad job is a RequestError naming the field; the id of a bad request is kept for the reply', () => {
  const job = { fn: { kind: 'builtin', name: 'beale' }, optimizer: { id: 'gd', params: {} }, work, backend: 'js' };
  const parsed = parseWorkerRequest({ id: 3, job }).job;
  assert.ok(!('kind' in parsed), 'a job without kind is a lane job');
  assert.equal(parsed.work.starts.length, 3);
  assert.throws(
    () => parseWorkerRequest({ id: 3 }),
    (e: unknown) => e instanceof RequestError,
  );
  assert.throws(
    () => parseWorkerRequest({ id: 3, job: { ...job, work: { ...work, laneParams: [{ eta: 1 }] } } }),
    /request\.job\.work\.laneParams: expected one entry per lane/,
  );
  assert.throws(
    () => parseWorkerRequest({ id: 3, job: { ...job, work: { ...work, starts: [[1, 1], [2]] } } }),
    /work\.starts\[1\]: expected 2 coordinates/,
  );
  const f32 = parseWorkerRequest({ id: 3, job: { ...job, work: { ...work, precision: 'f32' } } }).job;
  assert.ok(!('kind' in f32) && f32.work.precision === 'f32');
  assert.throws(
    () => parseWorkerRequest({ id: 3, job: { ...job, work: { ...work, precision: 'f16' } } }),
    /request\.job\.work\.precision: expected 'f64' or 'f32'/,
  );
  const { precision: _, ...noPrecision } = work;
  assert.throws(() => parseWorkerRequest({ id: 3, job: { ...job, work: noPrecision } }), /work\.precision/);
  assert.equal(requestId({ id: 3 }), 3);
  assert.equal(requestId({ id: '3' }), -1);
  assert.equal(requestId(null), -1);
});
