/**
 * The worker thread's entry (dist/worker.js): runs lane jobs from the pool. Each message is answered with
 * progress messages and then exactly one `result` (the chunk's raw lane output; `dataResult` for a data job,
 * dataWorker.ts) or `error`.
 */
import { parentPort } from 'node:worker_threads';
import { compileKernel } from '../../kernel/compile';
import type { Kernel } from '../../kernel/types';
import { wasmKernelFromModule } from '../../kernel/wasm/wasmBackend';
import { getOptimizer } from '../../optim/registry';
import type { StepProgram } from '../../program/stepProgram';
import { executeLanes } from '../lanes';
import { cachedGradient, cachedProgram } from '../planCache';
import { cachedSource, RequestError } from '../request';
import type { DataLaneJob } from '../dataWorkerProtocol';
import { parseWorkerRequest, requestId, type LaneJob, type WorkerReply } from '../workerProtocol';
import { runDataJob } from './dataWorker';

/** Progress messages are sent at most this often (the interface redraws ~10 times a second at most). */
const PROGRESS_INTERVAL_MS = 100;

/** Programs are kept per function and optimizer (planCache.ts): a run's optimizers take turns on one worker. */
function programFor(job: LaneJob): StepProgram {
  const choices = Object.fromEntries(
    Object.entries(job.optimizer.params).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  return cachedProgram(
    cachedGradient(cachedSource(job.fn)),
    getOptimizer(job.optimizer.id),
    choices,
    job.work.precision,
  );
}

/** Progress messages for request `id`, at most one per PROGRESS_INTERVAL_MS. */
function progressOf(id: number): (fraction: number) => void {
  let last = 0;
  return (fraction) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    parentPort!.postMessage({ type: 'progress', id, fraction } satisfies WorkerReply);
  };
}

function run(id: number, job: LaneJob | DataLaneJob): void {
  if ('kind' in job) {
    const { output, transfer } = runDataJob(job, { onProgress: progressOf(id) });
    parentPort!.postMessage({ type: 'dataResult', id, output } satisfies WorkerReply, transfer);
    return;
  }
  const program = programFor(job);
  const kernel: Kernel = job.compiled
    ? wasmKernelFromModule(program, job.compiled)
    : compileKernel(program, job.backend, job.work.precision);
  // The pool raises the job's shared flag to stop it: read between slices, so Stop takes effect within one.
  const flag = job.stop;
  const stop = flag ? () => Atomics.load(flag, 0) !== 0 : undefined;
  const output = executeLanes(kernel, program, job.work, { onProgress: progressOf(id), stop });
  const transfer = [
    output.theta,
    output.prevTheta,
    output.finalF,
    output.stopStep,
    output.divergedAt,
    output.hits,
    output.fRecord,
    output.trace,
  ].map((a) => a.buffer as ArrayBuffer);
  parentPort!.postMessage({ type: 'result', id, output } satisfies WorkerReply, transfer);
}

parentPort?.on('message', (msg: unknown) => {
  try {
    const { id, job } = parseWorkerRequest(msg);
    run(id, job);
  } catch (e) {
    const userError = e instanceof RequestError || e instanceof RangeError;
    const message = (e as Error).message;
    parentPort!.postMessage({ type: 'error', id: requestId(msg), message, userError } satisfies WorkerReply);
  }
});
