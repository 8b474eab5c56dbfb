/**
 * How every run and sweep goes, whoever starts it (palette, CodeLens, the panel): a progress indicator that can
 * stop it (a notification for the palette's, the status bar for the panel's; none for live runs, which end in a
 * moment or are replaced by the next change), the jobs in the worker pool, live updates to the panel and the
 * sidebar through the feed, and errors as a notification plus details in the log. A stopped run is a result.
 */
import * as vscode from 'vscode';
import { JobCancelledError, JobInputError } from '../engine/run/pool/workerPool';
import type { FunctionSource, RunRequest } from '../engine/run/request';
import type { RunResult } from '../engine/run/runner';
import type { SweepRequest } from '../engine/run/pool/workerPool';
import type { SweepResult } from '../engine/run/sweep';
import { formatCount, stoppedText } from '../present/format';
import { progressMessage, runResultMessage } from '../present/runMessages';
import { sweepData } from '../present/sweepMessage';
import type { RunConfig } from '../shared/runShapes';
import { safeHostMessage, type HostMessage, type HostToWebview } from '../shared/webviewProtocol';
import { FeedMemory } from './feedMemory';
import { RunController, throttle, type Outcome, type RunPool } from './runController';
import { laneSteps, mergeResults, startCount } from './runPlan';

/** Where the feed keeps finished results across window reloads (a file in the extension's storage, feedStore.ts). */
export interface FeedStore {
  /** What was saved, or undefined when nothing was saved yet. */
  load(): Promise<unknown>;
  save(data: unknown): Promise<void>;
}

/**
 * A result is saved this long after the last one: writing a run's trajectories takes a while, and live re-runs
 * come faster than that.
 */
const SAVE_DELAY_MS = 1000;

/**
 * Messages for both webviews, each checked as both ends check it (a message that fails becomes an error the
 * webviews can act on), with the latest run's and the latest sweep's messages kept so that a reopened view
 * shows them again. Finished results are also written to the store, so that after a window reload the panel and
 * the sidebar show the latest run, not whatever their own saved state last caught.
 */
export class LabFeed implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<HostToWebview>();
  readonly onMessage = this.emitter.event;
  private readonly memory = new FeedMemory();
  private saving: Promise<void> = Promise.resolve();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store?: FeedStore,
    private readonly log?: vscode.LogOutputChannel,
  ) {}

  /** Reads what the store kept; nothing saved yet is nothing to show, a bad file is logged and ignored. */
  async load(): Promise<void> {
    if (!this.store) return;
    try {
      const data = await this.store.load();
      if (data !== undefined) this.memory.restore(data);
    } catch (e) {
      this.log?.warn(`ignored the saved results: ${(e as Error).message}`);
    }
  }

  post(message: HostToWebview): void {
    const msg = safeHostMessage(message, (problem) =>
      this.log?.error(`not sending an invalid ${message.type} message: ${problem}`),
    );
    if (this.memory.post(msg) && this.store) {
      clearTimeout(this.saveTimer);
      this.saveTimer = setTimeout(() => this.save(), SAVE_DELAY_MS);
    }
    this.emitter.fire(msg);
  }

  private save(): void {
    this.saveTimer = undefined;
    const store = this.store!;
    const data = this.memory.saved();
    this.saving = this.saving
      .then(() => store.save(data))
      .catch((e) => this.log?.warn(`could not save the latest results: ${(e as Error).message}`));
  }

  replay(): readonly HostToWebview[] {
    return this.memory.replay();
  }

  /** The latest run's result, if the latest run has one. */
  latestResult(): HostMessage<'runResult'> | undefined {
    return this.memory.latestResult();
  }

  /** Resolves once the latest results are written. */
  flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.save();
    }
    return this.saving;
  }

  dispose(): void {
    if (this.saveTimer) void this.flush();
    this.emitter.dispose();
  }
}

/** Live updates reach the webviews at most ~10 times a second. */
const PROGRESS_INTERVAL_MS = 100;

export interface RunJob {
  readonly title: string;
  /** What runs, as the views will show it; its `fn` is the function's key. */
  readonly config: RunConfig;
  readonly requests: readonly RunRequest[];
  /** Recorded steps per curve and trajectory (present/traces.ts). */
  readonly maxPoints: number;
  /** Labels for the optimizers of the merged result (sweep cells name each cell); the registry's labels otherwise. */
  labels?(merged: RunResult): readonly string[];
  /** Within `descentLab.liveLimit`: no progress indicator, and the latency is logged. */
  readonly live: boolean;
  /** Where a run that is not live shows progress: a notification (palette, CodeLens) or the status bar (the panel). */
  readonly progress: 'notification' | 'window';
  /** performance.now() when the user asked for it (the panel's `run` arrived): live runs log their latency from here. */
  readonly since?: number;
}

export interface SweepJob {
  readonly title: string;
  readonly config: RunConfig;
  readonly request: SweepRequest;
  /** Cells and starts, for the panel's progress line. */
  readonly cells: number;
  readonly n: number;
}

/** The latest finished sweep: for Export Results, and for running one of its cells with the same starts. */
export interface LatestSweep {
  readonly fnName: string;
  readonly request: SweepRequest;
  readonly result: SweepResult;
}

/** The latest run's result and what it ran with: for Export Results, drag previews and the internals' arrows. */
export interface LatestRun {
  readonly runId: number;
  readonly config: RunConfig;
  readonly source: FunctionSource;
  /** Recorded steps per trajectory: a drag preview records the same steps. */
  readonly maxPoints: number;
  readonly result: RunResult;
  readonly message: HostMessage<'runResult'>;
}

export class RunFlow implements vscode.Disposable {
  private readonly controller: RunController;
  private nextRunId = 1;
  latest: LatestRun | undefined;
  latestSweep: LatestSweep | undefined;

  constructor(
    readonly pool: () => RunPool,
    readonly feed: LabFeed,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.controller = new RunController(pool, (e) => e instanceof JobCancelledError);
  }

  /** The latest finished run (not a sweep). */
  get latestRun(): RunResult | undefined {
    return this.latest?.result;
  }

  /** When Stop was asked for (performance.now()), for the latency in the log. */
  private stopAsked: number | undefined;

  /** Stops the run or sweep in flight; it ends with what it reached. */
  stop(): boolean {
    const stopping = this.controller.stop();
    if (stopping) this.stopAsked = performance.now();
    return stopping;
  }

  get running(): boolean {
    return this.controller.running;
  }

  async execute(job: RunJob): Promise<RunResult | undefined> {
    const runId = this.nextRunId++;
    const dim = job.config.variables.length;
    const first = job.requests[0];
    const n = startCount(first.starts, dim);
    const t0 = performance.now();
    this.stopAsked = undefined;
    this.feed.post({ type: 'runStarted', runId, config: job.config, n, live: job.live });
    this.log.info(
      `${job.title}: ${job.requests.length} job(s), ${n} starts, ${first.steps} steps${job.live ? ' (live)' : ''}`,
    );
    let finished: readonly RunResult[] = [];
    const postProgress = throttle((m: HostToWebview) => this.feed.post(m), PROGRESS_INTERVAL_MS);
    const work = (report: (fraction: number) => void, signal?: AbortSignal) =>
      this.controller
        .start(
          job.requests,
          {
            onJob: (done) => {
              finished = done;
            },
            onFraction: (fraction) => {
              report(fraction);
              postProgress(
                progressMessage(
                  runId,
                  first.steps,
                  fraction,
                  finished.flatMap((r) => r.runs),
                ),
              );
            },
          },
          signal,
          job.maxPoints,
        )
        .finally(() => postProgress.dispose());
    const outcome = job.live
      ? await work(() => {})
      : await this.withProgress(job.title, job.progress === 'notification', work);
    const results = this.settle(runId, job.title, 'Run', outcome);
    if (!results) return undefined;
    const t1 = performance.now();
    const merged = mergeResults(results);
    const message = runResultMessage(runId, merged, { config: job.config, labels: job.labels?.(merged) });
    const t2 = performance.now();
    this.latest = { runId, config: job.config, source: first.fn, maxPoints: job.maxPoints, result: merged, message };
    this.feed.post(message);
    const t3 = performance.now();
    const ms = (a: number, b: number) => `${(b - a).toFixed(1)} ms`;
    const counts = merged.runs.map((r) => `${r.label} ${r.converged}/${r.n}`).join(', ');
    const stopped = merged.stoppedAt === null ? '' : `stopped at step ${merged.stoppedAt}; `;
    this.log.info(`${job.title}: ${stopped}${counts}`);
    if (merged.stoppedAt !== null && this.stopAsked !== undefined)
      this.log.info(
        `Stop latency: the workers' partial results ${ms(this.stopAsked, t1)} after Stop, ` +
          `the result posted ${ms(this.stopAsked, t3)} after it (message ${ms(t1, t2)}, check and post ${ms(t2, t3)})`,
      );
    if (job.live)
      this.log.info(
        `live run latency: ${ms(job.since ?? t0, t3)} from the request to the result posted ` +
          `(${laneSteps(job.requests, dim)} lane-steps; waiting ${ms(job.since ?? t0, t0)}, ` +
          `pool ${ms(t0, t1)} of which kernels ${(kernelSeconds(merged) * 1000).toFixed(1)} ms, ` +
          `message ${ms(t1, t2)}, check and post ${ms(t2, t3)})`,
      );
    return merged;
  }

  /** A sweep as one batch in the pool: sweepStarted, throttled sweepProgress, then sweepResult for the panel's charts. */
  async sweep(job: SweepJob): Promise<SweepResult | undefined> {
    const sweepId = this.nextRunId++;
    const fnName = job.config.fn;
    this.feed.post({ type: 'sweepStarted', sweepId, fn: fnName, cells: job.cells, n: job.n });
    this.log.info(
      `${job.title}: ${job.cells} cells × ${job.n} starts, budgets ${job.request.budgets.join(', ')} steps`,
    );
    const t0 = Date.now();
    const postProgress = throttle(
      (fraction: number) => this.feed.post({ type: 'sweepProgress', sweepId, fraction }),
      PROGRESS_INTERVAL_MS,
    );
    const outcome = await this.withProgress(job.title, true, (report, signal) =>
      this.controller
        .sweep(
          job.request,
          (fraction) => {
            report(fraction);
            postProgress(fraction);
          },
          signal,
        )
        .finally(() => postProgress.dispose()),
    );
    const result = this.settle(sweepId, job.title, 'Sweep', outcome);
    if (!result) return undefined;
    if (result.budgets.length === 0) {
      const first = Math.min(...job.request.budgets);
      this.feed.post({
        type: 'runError',
        runId: sweepId,
        message: `Sweep ${stoppedText(result.stoppedAt ?? 0, Math.max(...job.request.budgets))}, before its first budget (${formatCount(first)} steps): no fractions to show.`,
      });
      return undefined;
    }
    this.latestSweep = { fnName, request: job.request, result };
    const stopped = result.stoppedAt === null ? '' : ` (stopped at step ${result.stoppedAt})`;
    this.log.info(`${job.title}: done in ${((Date.now() - t0) / 1000).toFixed(2)} s (${result.backend})${stopped}`);
    this.feed.post({
      type: 'sweepResult',
      sweepId,
      sweep: sweepData(result),
      config: { ...job.config, steps: Math.max(...result.budgets) },
    });
    return result;
  }

  /**
   * Runs a job under a progress indicator whose Cancel stops it (the notification's, for runs from the palette);
   * `report` moves the indicator to a fraction done.
   */
  private withProgress<T>(
    title: string,
    notification: boolean,
    work: (report: (fraction: number) => void, signal: AbortSignal) => Promise<Outcome<T>>,
  ): Thenable<Outcome<T>> {
    const location = notification ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window;
    return vscode.window.withProgress({ location, title, cancellable: true }, async (progress, token) => {
      const stop = new AbortController();
      const sub = token.onCancellationRequested(() => stop.abort());
      let reported = 0;
      try {
        return await work((fraction) => {
          progress.report({ increment: (fraction - reported) * 100, message: `${Math.round(fraction * 100)}%` });
          reported = fraction;
        }, stop.signal);
      } finally {
        sub.dispose();
      }
    });
  }

  /** The value of a finished (or stopped) job; a superseded one gives undefined quietly, a failed one is reported. */
  private settle<T>(id: number, title: string, what: string, outcome: Outcome<T>): T | undefined {
    switch (outcome.status) {
      case 'done':
        return outcome.value;
      case 'superseded':
        this.log.debug(`${title}: replaced by a newer run`);
        return undefined;
      case 'cancelled':
        this.feed.post({ type: 'runError', runId: id, message: `${what} cancelled.` });
        return undefined;
      case 'failed':
        this.report(id, title, outcome.error);
        return undefined;
    }
  }

  /** A user's mistake (bad function, bad hyperparameter) is shown as is; anything else is a bug with details in the log. */
  report(runId: number | null, title: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof JobInputError) {
      this.log.warn(`${title}: ${message}`);
    } else {
      this.log.error(`${title} failed`, error instanceof Error ? error : new Error(message));
    }
    this.feed.post({ type: 'runError', runId, message });
    void vscode.window.showErrorMessage(`Descent Lab: ${message}`, 'Show Log').then((pick) => {
      if (pick) this.log.show();
    });
  }

  dispose(): void {
    this.controller.dispose();
  }
}

/** Seconds the kernels of a result stepped, summed over its optimizers (they may have run side by side). */
const kernelSeconds = (r: RunResult): number => r.runs.reduce((s, x) => s + x.timing.seconds, 0);
