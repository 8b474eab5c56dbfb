/**
 * The worker thread's entry (dist/worker.js): runs lane jobs from the pool. Each message is answered with
 * progress messages and then exactly one `result` (the chunk's raw lane output) or `error`.
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
import { parseWorkerRequest, requestId, type LaneJob, type WorkerReply } from '../workerProtocol';

/** Progress messages are sent at most this often (the interface redraws ~10 times a second at most). */
const PROGRESS_INTERVAL_MS = 100;

/** Programs are kept per function and optimizer (planCache.ts): a run's optimizers take turns on one worker. */
function programFor(job: LaneJob): StepProgram {
  const choices = Object.fromEntries(
    Object.entries(job.optimizer.params).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  return cachedProgram(cachedGradient(cachedSource(job.fn)), getOptimizer(job.optimizer.id), choices);
}

function run(id: number, job: LaneJob): void {
  const program = programFor(job);
  const kernel: Kernel = job.compiled
    ? wasmKernelFromModule(program, job.compiled)
    : compileKernel(program, job.backend);
  let last = 0;
  const onProgress = (fraction: number) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    parentPort!.postMessage({ type: 'progress', id, fraction } satisfies WorkerReply);
  };
  // The pool raises the job's shared flag to stop it: read between slices, so Stop takes effect within one.
  const flag = job.stop;
  const stop = flag ? () => Atomics.load(flag, 0) !== 0 : undefined;
  const output = executeLanes(kernel, program, job.work, { onProgress, stop });
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
