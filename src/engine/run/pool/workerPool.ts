/**
 * Runs requests on Node worker threads so the caller (the extension host, the CLI) stays responsive. The pool
 * plans a run here (parse, starts, step programs; for wasm-simd the module is compiled once and posted to the
 * workers), splits each optimizer's lanes into chunks of at least MIN_CHUNK lanes over up to (cores − 1)
 * workers, and merges the chunks' raw outputs before the statistics are taken; data jobs (models over data, noisy
 * functions) likewise, their datasets shared with the workers (dataChunks.ts). Workers start on first use; a
 * job can be cancelled with an AbortSignal (its threads are ended at once and replaced), or stopped (its workers
 * end their lanes between two kernel slices and the job resolves with what they reached); a worker that dies
 * fails only its job, with a clear error, and is replaced (one that dies idle is dropped and started again when
 * needed); `dispose()` leaves no thread behind.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { resolveBackend } from '../../kernel/compile';
import type { BackendChoice } from '../../kernel/types';
import { compileWasmData } from '../../kernel/wasm/dataKernel';
import { mergeDataOutputs, type DataLaneOutput } from '../dataLanes';
import { resolveProblem, type DataRunRequest, type DataSweepRequest, type ProblemSource } from '../dataRequest';
import { planDataRun, summarizeDataRun, type DataPlannedOptimizer, type DataRunResult } from '../dataRunner';
import { planDataSweep, summarizeDataSweep, type DataSweepResult } from '../dataSweep';
import type { DataLaneJob } from '../dataWorkerProtocol';
import { mergeOutputs, type LaneOutput, type LaneWork } from '../lanes';
import { cachedModule } from '../planCache';
import { cachedSource, RequestError, type FunctionSource, type RunRequest } from '../request';
import { planRun, summarizeRun, type PlannedOptimizer, type RunResult, type RunSpec } from '../runner';
import { planSweep, summarizeSweep, type SweepResult, type SweepSpec } from '../sweep';
import { parseWorkerReply, type LaneJob, type WorkerReply, type WorkerRequest } from '../workerProtocol';
import { shareProblem, splitDataWork } from './dataChunks';

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

/**
 * A set of callbacks run once on cancel. Jobs and chunks register here rather than on an AbortSignal: any
 * number of them may share one cancellation without tripping Node's MaxListenersExceededWarning.
 */
class Cancellation {
  cancelled = false;
  private readonly callbacks = new Set<() => void>();

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const f of [...this.callbacks]) f();
    this.callbacks.clear();
  }

  get hasCallbacks(): boolean {
    return this.callbacks.size > 0;
  }

  /** Runs f on cancel; the returned function unregisters it. */
  onCancel(f: () => void): () => void {
    this.callbacks.add(f);
    return () => this.callbacks.delete(f);
  }
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: ((slot: Slot) => void)[] = [];
  /** One listener per caller's signal, however many jobs share it. */
  private readonly watched = new Map<AbortSignal, { cancellation: Cancellation; listener: () => void }>();
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

  /** A run of a model over data, or of a cost function with gradient noise: its lanes over the workers. */
  async runData(request: DataRunRequest, job: JobOptions = {}): Promise<DataRunResult> {
    const problem = asInputError(() => resolveProblem(request.problem));
    const plan = asInputError(() => planDataRun({ ...request, problem }));
    return summarizeDataRun(plan, await this.executeData(request.problem, plan.optimizers, request.backend, job));
  }

  /** A sweep of a model over data (or a noisy cost function), its lanes spread over the workers. */
  async sweepData(request: DataSweepRequest, job: JobOptions = {}): Promise<DataSweepResult> {
    const problem = asInputError(() => resolveProblem(request.problem));
    const plan = asInputError(() => planDataSweep({ ...request, problem }));
    return summarizeDataSweep(plan, await this.executeData(request.problem, plan.optimizers, request.backend, job));
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
    this.checkOpen(job);
    const backend = asInputError(() => resolveBackend(backendChoice));
    const chunks = (stop?: Int32Array) =>
      optimizers.flatMap((o, i) => {
        // a program the f32 kernel cannot hold yet is the user's to run on the JS backend (RangeError: said so)
        const compiled =
          backend === 'wasm-simd'
            ? asInputError(() => cachedModule(o.program, o.work.targets.length, o.work.precision))
            : undefined;
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
    return this.runChunks<LaneOutput>(optimizers.length, chunks, mergeOutputs, job);
  }

  /** A data job's lanes, as `execute` does a run's: the datasets go to the workers once, in shared memory. */
  async executeData(
    source: ProblemSource,
    optimizers: readonly DataPlannedOptimizer[],
    backendChoice: BackendChoice = 'auto',
    job: JobOptions = {},
  ): Promise<DataLaneOutput[]> {
    this.checkOpen(job);
    const backend = asInputError(() => resolveBackend(backendChoice));
    const problem = shareProblem(source);
    const problemKey = this.nextId++;
    const chunks = () =>
      optimizers.flatMap((o, i) => {
        const compiled =
          backend === 'wasm-simd' ? compileWasmData(o.program).moduleFor(o.work.targets.length) : undefined;
        return splitDataWork(o.work, this.size).map((work) => ({
          optimizer: i,
          lanes: work.startIndex.length,
          job: {
            kind: 'data',
            problemKey,
            problem,
            optimizer: { id: o.config.id, params: o.params },
            work,
            backend,
            compiled,
          } satisfies DataLaneJob,
        }));
      });
    return this.runChunks<DataLaneOutput>(optimizers.length, chunks, mergeDataOutputs, job);
  }

  private checkOpen(job: JobOptions): void {
    if (this.disposed) throw new Error('the worker pool has been disposed');
    if (job.signal?.aborted) throw new JobCancelledError();
  }

  /** The chunks over the workers, with progress by lanes; one merged output per optimizer, in order. */
  private async runChunks<O>(
    count: number,
    makeChunks: (stop?: Int32Array) => { optimizer: number; lanes: number; job: LaneJob | DataLaneJob }[],
    merge: (parts: O[]) => O,
    job: JobOptions,
  ): Promise<O[]> {
    // One failing chunk ends its siblings too: the whole job has failed.
    const cancellation = new Cancellation();
    const unwatch = this.watch(job.signal, () => cancellation.cancel());
    // Shared with every chunk's worker, which reads it between kernel slices (data jobs do not stop early yet).
    const stop = job.stop ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
    const onStop = () => Atomics.store(stop!, 0, 1);
    if (job.stop?.aborted) onStop();
    const unwatchStop = this.watch(job.stop, onStop);
    try {
      const chunks = makeChunks(stop);
      const totalLanes = chunks.reduce((s, c) => s + c.lanes, 0);
      const done = new Float64Array(chunks.length);
      const report = () => job.onProgress?.(chunks.reduce((s, c, i) => s + c.lanes * done[i], 0) / totalLanes);
      const outputs = await Promise.all(
        chunks.map((c, i) =>
          this.runChunk<O>(c.job, cancellation, (f) => {
            done[i] = f;
            report();
          }).catch((e) => {
            cancellation.cancel();
            throw e;
          }),
        ),
      );
      return Array.from({ length: count }, (_, i) => merge(outputs.filter((_, j) => chunks[j].optimizer === i)));
    } catch (e) {
      if (job.signal?.aborted) throw new JobCancelledError();
      throw e;
    } finally {
      unwatch();
      unwatchStop();
    }
  }

  /** Runs f when signal aborts; the returned function unregisters it (and the listener, once nobody waits). */
  private watch(signal: AbortSignal | undefined, f: () => void): () => void {
    if (!signal) return () => {};
    let entry = this.watched.get(signal);
    if (!entry) {
      const cancellation = new Cancellation();
      const listener = () => {
        this.watched.delete(signal);
        cancellation.cancel();
      };
      signal.addEventListener('abort', listener, { once: true });
      entry = { cancellation, listener };
      this.watched.set(signal, entry);
    }
    const { cancellation, listener } = entry;
    const off = cancellation.onCancel(f);
    return () => {
      off();
      if (!cancellation.cancelled && !cancellation.hasCallbacks) {
        signal.removeEventListener('abort', listener);
        this.watched.delete(signal);
      }
    };
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

  private async runChunk<O>(
    laneJob: LaneJob | DataLaneJob,
    cancellation: Cancellation,
    onProgress: (f: number) => void,
  ): Promise<O> {
    if (cancellation.cancelled) throw new JobCancelledError();
    const slot = await this.acquire();
    if (cancellation.cancelled) {
      this.release(slot);
      throw new JobCancelledError();
    }
    // A busy worker keeps the process alive until its job ends; an idle one does not.
    slot.worker.ref();
    const id = this.nextId++;
    try {
      return await new Promise<O>((resolve, reject) => {
        const worker = slot.worker;
        const cleanup = () => {
          offCancel();
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        const onCancel = () => {
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
          if (reply.type === 'result' || reply.type === 'dataResult') resolve(reply.output as O);
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
        const offCancel = cancellation.onCancel(onCancel);
        worker.on('message', onMessage);
        worker.once('error', onError);
        worker.once('exit', onExit);
        worker.postMessage({ id, job: laneJob } satisfies WorkerRequest);
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
    // Without a listener an 'error' would be thrown on this thread; the 'exit' that follows is what counts.
    worker.on('error', () => {});
    worker.once('exit', () => this.dropIfIdle(worker));
    return worker;
  }

  /**
   * A worker that ends while idle (its job's handlers are gone) would swallow the next job's message and that
   * job would never settle: its slot goes, and acquire() starts a new worker when one is needed. A busy
   * worker's end is handled by its job; a replaced or disposed one is no longer in a slot.
   */
  private dropIfIdle(worker: Worker): void {
    const i = this.slots.findIndex((s) => s.worker === worker);
    if (i >= 0 && !this.slots[i].busy) this.slots.splice(i, 1);
  }

  private replace(slot: Slot): void {
    void slot.worker.terminate();
    if (this.disposed) return;
    slot.worker = this.spawn();
  }
}
