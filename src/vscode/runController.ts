/**
 * The one run or sweep at a time: starts the pool jobs of a run in parallel (or a sweep's one batch) and reports
 * each finished job. Stop (or the caller's signal: a progress notification's Cancel) ends the job early and keeps
 * what it reached; a new run or sweep supersedes the one in flight, which is stopped the same way and dropped
 * quietly. Both stop cooperatively: the workers finish their slice and stay, so the next run starts at once. No
 * `vscode` import, so it is tested with a fake pool.
 */
import type { SweepRequest } from '../engine/run/pool/workerPool';
import type { RunRequest } from '../engine/run/request';
import type { RunResult, RunSpec } from '../engine/run/runner';
import type { SweepResult } from '../engine/run/sweep';

export interface PoolJob {
  /** Cancels: the job rejects and nothing is kept. */
  signal?: AbortSignal;
  /** Stops: the job resolves with every lane at the step it reached. */
  stop?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export interface RunPool {
  run(request: RunRequest & Pick<RunSpec, 'maxPoints'>, job: PoolJob): Promise<RunResult>;
  sweep(request: SweepRequest, job: PoolJob): Promise<SweepResult>;
}

export interface RunHandlers {
  /** After each finished job: the results so far, in request order. */
  onJob?(done: readonly RunResult[]): void;
  /** The fraction of the whole run done (the mean over its jobs), as the workers report it. */
  onFraction?(fraction: number): void;
}

export type Outcome<T> =
  /** Finished, or stopped early with what it reached (the value says so). */
  | { readonly status: 'done'; readonly value: T }
  /** A newer run or sweep took its place: nothing to show. */
  | { readonly status: 'superseded' }
  /** Cancelled without a result (the controller was disposed). */
  | { readonly status: 'cancelled' }
  | { readonly status: 'failed'; readonly error: unknown };

interface Job {
  /** Ends the job early, keeping what it reached. */
  readonly stop: AbortController;
  /** Ends it with nothing kept (a sibling failed, or the controller is going away). */
  readonly cancel: AbortController;
  superseded: boolean;
}

/** What a job's work is given: where to stop or cancel, and whether either was asked for (no progress then). */
interface JobSignals {
  readonly signal: AbortSignal;
  readonly stop: AbortSignal;
  readonly quiet: () => boolean;
}

export class RunController {
  private current: Job | undefined;

  constructor(
    private readonly pool: () => RunPool,
    private readonly isCancel: (e: unknown) => boolean,
  ) {}

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Stops the current run or sweep early, keeping its partial result; false when nothing was running. */
  stop(): boolean {
    if (!this.current) return false;
    this.current.stop.abort();
    return true;
  }

  /** Cancels whatever runs, keeping nothing (the extension is going away). */
  dispose(): void {
    this.current?.cancel.abort();
  }

  /** Runs the requests in parallel; the result of each, in order (stopped ones at the step they reached). */
  start(
    requests: readonly RunRequest[],
    handlers: RunHandlers = {},
    signal?: AbortSignal,
    maxPoints?: number,
  ): Promise<Outcome<readonly RunResult[]>> {
    return this.exclusive(async (job) => {
      const results: (RunResult | undefined)[] = requests.map(() => undefined);
      const fractions = requests.map(() => 0);
      const progress = (i: number, f: number) => {
        fractions[i] = f;
        if (!job.quiet()) handlers.onFraction?.(fractions.reduce((a, b) => a + b, 0) / requests.length);
      };
      await Promise.all(
        requests.map(async (request, i) => {
          results[i] = await this.pool().run(
            { ...request, maxPoints },
            { signal: job.signal, stop: job.stop, onProgress: (f) => progress(i, f) },
          );
          progress(i, 1);
          if (!job.quiet()) handlers.onJob?.(results.filter((r): r is RunResult => r !== undefined));
        }),
      );
      return results as RunResult[];
    }, signal);
  }

  /** A sweep, one batch in the pool; it takes the place of any run or sweep in progress, like a run. */
  sweep(
    request: SweepRequest,
    onFraction?: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<Outcome<SweepResult>> {
    return this.exclusive(
      (job) =>
        this.pool().sweep(request, {
          signal: job.signal,
          stop: job.stop,
          onProgress: (f) => {
            if (!job.quiet()) onFraction?.(f);
          },
        }),
      signal,
    );
  }

  /**
   * The one job at a time: the one in flight is stopped and marked superseded (its outcome is dropped). This one
   * stops early on stop() or `signal`; a failure cancels its sibling pool jobs.
   */
  private async exclusive<T>(work: (job: JobSignals) => Promise<T>, signal?: AbortSignal): Promise<Outcome<T>> {
    if (this.current) {
      this.current.superseded = true;
      this.current.stop.abort();
    }
    const job: Job = { stop: new AbortController(), cancel: new AbortController(), superseded: false };
    this.current = job;
    const stop = () => job.stop.abort();
    signal?.addEventListener('abort', stop);
    try {
      const value = await work({
        signal: job.cancel.signal,
        stop: job.stop.signal,
        quiet: () => job.stop.signal.aborted || job.cancel.signal.aborted,
      });
      return job.superseded ? { status: 'superseded' } : { status: 'done', value };
    } catch (error) {
      if (job.superseded) return { status: 'superseded' };
      const cancelled = job.cancel.signal.aborted || this.isCancel(error);
      job.cancel.abort();
      return cancelled ? { status: 'cancelled' } : { status: 'failed', error };
    } finally {
      signal?.removeEventListener('abort', stop);
      if (this.current === job) this.current = undefined;
    }
  }
}

/** Calls `f` at most once per `ms`, always with the latest arguments, and never drops the last call. */
export function throttle<A extends unknown[]>(
  f: (...args: A) => void,
  ms: number,
  now = () => Date.now(),
): ((...args: A) => void) & { dispose(): void } {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: A | undefined;
  const fire = () => {
    timer = undefined;
    if (!pending) return;
    const args = pending;
    pending = undefined;
    last = now();
    f(...args);
  };
  const call = (...args: A) => {
    pending = args;
    if (timer) return;
    const wait = last + ms - now();
    if (wait <= 0) fire();
    else timer = setTimeout(fire, wait);
  };
  return Object.assign(call, {
    dispose: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
    },
  });
}
