/**
 * Runs requests on Node worker threads so the caller (the extension host, the CLI) stays responsive. The pool
 * plans a run here (parse, starts, step programs; for wasm-simd the module is compiled once and posted to the
 * workers), splits each optimizer's lanes into chunks of at least MIN_CHUNK lanes over up to (cores − 1)
 * workers, and merges the chunks' raw outputs before the statistics are taken. Workers start on first use; a
 * job can be cancelled with an AbortSignal (its threads are ended at once and replaced), or stopped (its workers
 * end their lanes between two kernel slices and the job resolves with what they reached); a worker that dies
 * fails only its job, with a clear error, and is replaced; `dispose()` leaves no thread behind.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { resolveBackend } from '../../kernel/compile';
import type { BackendChoice } from '../../kernel/types';
import { mergeOutputs, type LaneOutput, type LaneWork } from '../lanes';
import { cachedModule } from '../planCache';
import { cachedSource, RequestError, type FunctionSource, type RunRequest } from '../request';
import { planRun, summarizeRun, type PlannedOptimizer, type RunResult, type RunSpec } from '../runner';
import { planSweep, summarizeSweep, type SweepResult, type SweepSpec } from '../sweep';
import { parseWorkerReply, type LaneJob, type WorkerReply, type WorkerRequest } from '../workerProtocol';

export interface PoolOptions {
  /** Path of the built worker entry (dist/worker.js). */
  readonly workerScript: string;
  /** At most this many workers (default: cores − 1, at least 1). */
  readonly size?: number;
  /** Memory limits of each worker thread. */
  readonly resourceLimits?: ResourceLimits;
}

/** A sweep as plain data: the function travels as text, like a run request's. */
export type SweepRequest = Omit<SweepSpec, 'fn'> & { readonly fn: FunctionSource };

export interface JobOptions {
  /** Cancels the job: it rejects with JobCancelledError and nothing is kept. */
  readonly signal?: AbortSignal;
  /**
   * Stops the job early: its workers end every running lane at the step reached (within one kernel slice, ~25 ms)
   * and the job resolves with that partial result (`stoppedAt`). Chunks not started yet stop at step 0.
   */
  readonly stop?: AbortSignal;
  /** Fraction of the job done (0…1), at most ~10 times a second per worker. */
  readonly onProgress?: (fraction: number) => void;
}

/** The request itself was wrong (bad function text, unknown optimizer…): show it to the user as is. */
export class JobInputError extends Error {}
export class JobCancelledError extends Error {
  constructor() {
    super('run cancelled');
  }
}

/** A user's mistake found while planning (bad text, unknown optimizer, bad grid) becomes a JobInputError. */
function asInputError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof RequestError || e instanceof RangeError ? new JobInputError((e as Error).message) : e;
  }
}

/** Fewer lanes than this are not worth a thread of their own. */
export const MIN_CHUNK = 256;

interface Slot {
  worker: Worker;
  busy: boolean;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: ((slot: Slot) => void)[] = [];
  private nextId = 1;
  private disposed = false;
  private readonly size: number;

  constructor(
    private readonly options: PoolOptions,
    cores = 2,
  ) {
    this.size = Math.max(1, options.size ?? cores - 1);
  }

  /** A run; `maxPoints` (recorded steps per curve and trace) is the caller's, not the request's. */
  async run(request: RunRequest & Pick<RunSpec, 'maxPoints'>, job: JobOptions = {}): Promise<RunResult> {
    const plan = asInputError(() => planRun({ ...request, fn: cachedSource(request.fn) }));
    return summarizeRun(plan, await this.execute(request.fn, plan.optimizers, request.backend, job));
  }

  /** A sweep, its lanes spread over the workers like a run's. */
  async sweep(request: SweepRequest, job: JobOptions = {}): Promise<SweepResult> {
    const plan = asInputError(() => planSweep({ ...request, fn: cachedSource(request.fn) }));
    return summarizeSweep(plan, await this.execute(request.fn, plan.optimizers, request.backend, job));
  }

  /**
   * Every planned optimizer's lanes, in chunks over the workers; one merged output per optimizer, in order.
   * Runs and sweeps both come through here.
   */
  async execute(
    fn: FunctionSource,
    optimizers: readonly PlannedOptimizer[],
    backendChoice: BackendChoice = 'auto',
    job: JobOptions = {},
  ): Promise<LaneOutput[]> {
    if (this.disposed) throw new Error('the worker pool has been disposed');
    if (job.signal?.aborted) throw new JobCancelledError();
    const backend = asInputError(() => resolveBackend(backendChoice));
    // One failing chunk ends its siblings too: the whole job has failed.
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    job.signal?.addEventListener('abort', onAbort, { once: true });
    // Shared with every chunk's worker, which reads it between kernel slices.
    const stop = job.stop ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
    const onStop = () => Atomics.store(stop!, 0, 1);
    if (job.stop?.aborted) onStop();
    else job.stop?.addEventListener('abort', onStop, { once: true });
    const chunks = optimizers.flatMap((o, i) => {
      const compiled = backend === 'wasm-simd' ? cachedModule(o.program, o.work.targets.length) : undefined;
      return this.split(o.work).map((work) => ({
        optimizer: i,
        lanes: work.starts.length,
        job: {
          fn,
          optimizer: { id: o.config.id, params: o.params },
          work,
          backend,
          compiled,
          stop,
        } satisfies LaneJob,
      }));
    });
    const totalLanes = chunks.reduce((s, c) => s + c.lanes, 0);
    const done = new Float64Array(chunks.length);
    const report = () => job.onProgress?.(chunks.reduce((s, c, i) => s + c.lanes * done[i], 0) / totalLanes);
    try {
      const outputs = await Promise.all(
        chunks.map((c, i) =>
          this.runChunk(c.job, abort.signal, (f) => {
            done[i] = f;
            report();
          }).catch((e) => {
            abort.abort();
            throw e;
          }),
        ),
      );
      return optimizers.map((_, i) => mergeOutputs(outputs.filter((_, j) => chunks[j].optimizer === i)));
    } catch (e) {
      if (job.signal?.aborted) throw new JobCancelledError();
      throw e;
    } finally {
      job.signal?.removeEventListener('abort', onAbort);
      job.stop?.removeEventListener('abort', onStop);
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const workers = this.slots.splice(0).map((s) => s.worker);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  /** Live worker threads (tests check that dispose leaves none). */
  get threadCount(): number {
    return this.slots.length;
  }

  /** Consecutive lane ranges, as even as the worker count allows, none under MIN_CHUNK lanes (unless all are). */
  private split(work: LaneWork): LaneWork[] {
    const n = work.starts.length;
    const count = Math.max(1, Math.min(this.size, Math.floor(n / MIN_CHUNK)));
    return Array.from({ length: count }, (_, i) => {
      const from = Math.floor((n * i) / count),
        to = Math.floor((n * (i + 1)) / count);
      return {
        ...work,
        starts: work.starts.slice(from, to),
        laneParams: work.laneParams.slice(from, to),
        traceCount: Math.max(0, Math.min(work.traceCount, to) - from),
      };
    });
  }

  private async runChunk(laneJob: LaneJob, signal: AbortSignal, onProgress: (f: number) => void): Promise<LaneOutput> {
    if (signal.aborted) throw new JobCancelledError();
    const slot = await this.acquire();
    if (signal.aborted) {
      this.release(slot);
      throw new JobCancelledError();
    }
    // A busy worker keeps the process alive until its job ends; an idle one does not.
    slot.worker.ref();
    const id = this.nextId++;
    try {
      return await new Promise<LaneOutput>((resolve, reject) => {
        const cleanup = () => {
          signal.removeEventListener('abort', onAbort);
          slot.worker.off('message', onMessage);
          slot.worker.off('error', onError);
          slot.worker.off('exit', onExit);
        };
        const onAbort = () => {
          // A running kernel cannot be interrupted from outside; ending its thread is immediate.
          cleanup();
          this.replace(slot);
          reject(new JobCancelledError());
        };
        const onMessage = (raw: unknown) => {
          let reply: WorkerReply;
          try {
            reply = parseWorkerReply(raw);
          } catch (e) {
            cleanup();
            this.replace(slot);
            reject(new Error(`the worker sent a malformed reply: ${(e as Error).message}`));
            return;
          }
          if (reply.id !== id) return;
          if (reply.type === 'progress') {
            onProgress(reply.fraction);
            return;
          }
          cleanup();
          if (reply.type === 'result') resolve(reply.output);
          else reject(reply.userError ? new JobInputError(reply.message) : new Error(`worker: ${reply.message}`));
        };
        const onError = (e: Error) => {
          cleanup();
          this.replace(slot);
          reject(new Error(`the worker running this job failed: ${e.message}`));
        };
        const onExit = (code: number) => {
          cleanup();
          this.replace(slot);
          reject(new Error(`the worker running this job exited unexpectedly (code ${code})`));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        slot.worker.on('message', onMessage);
        slot.worker.once('error', onError);
        slot.worker.once('exit', onExit);
        slot.worker.postMessage({ id, job: laneJob } satisfies WorkerRequest);
      });
    } finally {
      this.release(slot);
    }
  }

  private acquire(): Promise<Slot> {
    const idle = this.slots.find((s) => !s.busy);
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    if (this.slots.length < this.size) {
      const slot = { worker: this.spawn(), busy: true };
      this.slots.push(slot);
      return Promise.resolve(slot);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    slot.worker.unref();
    if (!this.slots.includes(slot)) return;
    const next = this.waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  private spawn(): Worker {
    const worker = new Worker(this.options.workerScript, { resourceLimits: this.options.resourceLimits });
    worker.unref();
    return worker;
  }

  private replace(slot: Slot): void {
    void slot.worker.terminate();
    if (this.disposed) return;
    slot.worker = this.spawn();
  }
}
