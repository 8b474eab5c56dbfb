/**
 * The one run or sweep at a time: starts the pool jobs of a run in parallel (or a sweep's one batch), cancels the
 * previous job when a new one starts, and reports each finished job. No `vscode` import, so it is tested with a fake pool.
 */
import type { SweepRequest } from '../engine/run/pool/workerPool';
import type { RunRequest } from '../engine/run/request';
import type { RunResult } from '../engine/run/runner';
import type { SweepResult } from '../engine/run/sweep';

export interface PoolJob {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export interface RunPool {
  run(request: RunRequest, job: PoolJob): Promise<RunResult>;
  sweep(request: SweepRequest, job: PoolJob): Promise<SweepResult>;
}

export interface RunHandlers {
  /** After each finished job: the results so far, in request order. */
  onJob?(done: readonly RunResult[]): void;
  /** The fraction of the whole run done (the mean over its jobs), as the workers report it. */
  onFraction?(fraction: number): void;
}

export type Outcome<T> =
  | { readonly status: 'done'; readonly value: T }
  | { readonly status: 'cancelled' }
  | { readonly status: 'failed'; readonly error: unknown };

export class RunController {
  private current: AbortController | undefined;

  constructor(
    private readonly pool: () => RunPool,
    private readonly isCancel: (e: unknown) => boolean,
  ) {}

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Aborts the current run; false when nothing was running. */
  stop(): boolean {
    if (!this.current) return false;
    this.current.abort();
    return true;
  }

  /** Runs the requests in parallel. A run superseded by a newer one, stopped, or aborted by `signal` ends as 'cancelled'. */
  start(
    requests: readonly RunRequest[],
    handlers: RunHandlers = {},
    signal?: AbortSignal,
  ): Promise<Outcome<readonly RunResult[]>> {
    return this.exclusive(async (aborted) => {
      const results: (RunResult | undefined)[] = requests.map(() => undefined);
      const fractions = requests.map(() => 0);
      const progress = (i: number, f: number) => {
        fractions[i] = f;
        if (!aborted.aborted) handlers.onFraction?.(fractions.reduce((a, b) => a + b, 0) / requests.length);
      };
      await Promise.all(
        requests.map(async (request, i) => {
          results[i] = await this.pool().run(request, { signal: aborted, onProgress: (f) => progress(i, f) });
          progress(i, 1);
          if (!aborted.aborted) handlers.onJob?.(results.filter((r): r is RunResult => r !== undefined));
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
      (aborted) =>
        this.pool().sweep(request, {
          signal: aborted,
          onProgress: (f) => {
            if (!aborted.aborted) onFraction?.(f);
          },
        }),
      signal,
    );
  }

  /** The one job at a time: the previous one is aborted; this one ends 'cancelled' when stopped, superseded or aborted by `signal`. */
  private async exclusive<T>(work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<Outcome<T>> {
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    const abort = () => controller.abort();
    signal?.addEventListener('abort', abort);
    try {
      return { status: 'done', value: await work(controller.signal) };
    } catch (error) {
      const cancelled = controller.signal.aborted || this.isCancel(error);
      controller.abort();
      return cancelled ? { status: 'cancelled' } : { status: 'failed', error };
    } finally {
      signal?.removeEventListener('abort', abort);
      if (this.current === controller) this.current = undefined;
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
