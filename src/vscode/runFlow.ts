/**
 * How every run and sweep goes, whoever starts it (palette, CodeLens, the panel): a progress notification that
 * can cancel (the status bar for the panel's own runs), the jobs in the worker pool, live updates to the panel and the sidebar through the feed, and
 * errors as a notification plus details in the log.
 */
import * as vscode from 'vscode';
import { JobCancelledError, JobInputError } from '../engine/run/pool/workerPool';
import type { RunRequest } from '../engine/run/request';
import type { RunResult } from '../engine/run/runner';
import type { SweepRequest } from '../engine/run/pool/workerPool';
import type { SweepResult } from '../engine/run/sweep';
import { progressMessage, runResultMessage } from '../present/runMessages';
import { sweepData } from '../present/sweepMessage';
import type { HostToWebview } from '../shared/webviewProtocol';
import { FeedMemory } from './feedMemory';
import { RunController, throttle, type Outcome, type RunPool } from './runController';
import { mergeResults } from './runPlan';

/** Where the feed keeps finished results across window reloads (a file in the extension's storage, feedStore.ts). */
export interface FeedStore {
  /** What was saved, or undefined when nothing was saved yet. */
  load(): Promise<unknown>;
  save(data: unknown): Promise<void>;
}

/**
 * Messages for both webviews, with the latest run's and the latest sweep's messages kept so that a reopened view
 * shows them again. Finished results are also written to the store, so that after a window reload the panel and
 * the sidebar show the latest run, not whatever their own saved state last caught.
 */
export class LabFeed implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<HostToWebview>();
  readonly onMessage = this.emitter.event;
  private readonly memory = new FeedMemory();
  private saving: Promise<void> = Promise.resolve();

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

  post(msg: HostToWebview): void {
    if (this.memory.post(msg) && this.store) {
      const [store, data] = [this.store, this.memory.saved()];
      this.saving = this.saving
        .then(() => store.save(data))
        .catch((e) => this.log?.warn(`could not save the latest results: ${(e as Error).message}`));
    }
    this.emitter.fire(msg);
  }

  replay(): readonly HostToWebview[] {
    return this.memory.replay();
  }

  /** Resolves once the latest results are written. */
  flush(): Promise<void> {
    return this.saving;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** Live updates reach the webviews at most ~10 times a second. */
const PROGRESS_INTERVAL_MS = 100;

export interface RunJob {
  readonly title: string;
  readonly fnName: string;
  readonly requests: readonly RunRequest[];
  /** Labels for the optimizers of the merged result (sweeps name each cell); the registry's labels otherwise. */
  labels?(merged: RunResult): readonly string[];
  /** Where progress shows: a cancellable notification (palette, CodeLens) or the status bar (the panel has Stop). */
  readonly progress: 'notification' | 'window';
}

export interface SweepJob {
  readonly title: string;
  readonly fnName: string;
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

export class RunFlow implements vscode.Disposable {
  private readonly controller: RunController;
  private nextRunId = 1;
  /** The latest finished run (not a sweep), for Export Results. */
  latestRun: RunResult | undefined;
  latestSweep: LatestSweep | undefined;

  constructor(
    pool: () => RunPool,
    readonly feed: LabFeed,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.controller = new RunController(pool, (e) => e instanceof JobCancelledError);
  }

  stop(): boolean {
    return this.controller.stop();
  }

  get running(): boolean {
    return this.controller.running;
  }

  async execute(job: RunJob): Promise<RunResult | undefined> {
    const runId = this.nextRunId++;
    const first = job.requests[0];
    const n =
      first.starts.kind === 'list'
        ? first.starts.points.length
        : first.starts.kind === 'random'
          ? first.starts.n
          : first.starts.perAxis ** 2;
    this.feed.post({ type: 'runStarted', runId, fn: job.fnName, steps: first.steps, n });
    this.log.info(`${job.title}: ${job.requests.length} job(s), ${n} starts, ${first.steps} steps`);
    const location =
      job.progress === 'notification' ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window;
    const t0 = Date.now();
    let finished: readonly RunResult[] = [];
    const postProgress = throttle((m: HostToWebview) => this.feed.post(m), PROGRESS_INTERVAL_MS);
    const results = await this.withProgress(runId, job.title, location, 'Run cancelled.', (report, signal) =>
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
        )
        .finally(() => postProgress.dispose()),
    );
    if (!results) return undefined;
    const merged = mergeResults(results);
    this.latestRun = merged;
    this.log.info(
      `${job.title}: done in ${((Date.now() - t0) / 1000).toFixed(2)} s; ` +
        merged.runs.map((r) => `${r.label} ${r.converged}/${r.n}`).join(', '),
    );
    this.feed.post(runResultMessage(runId, merged, job.labels?.(merged)));
    return merged;
  }

  /** A sweep as one batch in the pool: sweepStarted, throttled sweepProgress, then sweepResult for the panel's charts. */
  async sweep(job: SweepJob): Promise<SweepResult | undefined> {
    const sweepId = this.nextRunId++;
    this.feed.post({ type: 'sweepStarted', sweepId, fn: job.fnName, cells: job.cells, n: job.n });
    this.log.info(
      `${job.title}: ${job.cells} cells × ${job.n} starts, budgets ${job.request.budgets.join(', ')} steps`,
    );
    const t0 = Date.now();
    const postProgress = throttle(
      (fraction: number) => this.feed.post({ type: 'sweepProgress', sweepId, fraction }),
      PROGRESS_INTERVAL_MS,
    );
    const result = await this.withProgress(
      sweepId,
      job.title,
      vscode.ProgressLocation.Notification,
      'Sweep cancelled.',
      (report, signal) =>
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
    if (!result) return undefined;
    this.latestSweep = { fnName: job.fnName, request: job.request, result };
    this.log.info(`${job.title}: done in ${((Date.now() - t0) / 1000).toFixed(2)} s (${result.backend})`);
    this.feed.post({ type: 'sweepResult', sweepId, sweep: sweepData(result) });
    return result;
  }

  /**
   * Runs a job under a progress indicator that can cancel it; `report` moves the indicator to a fraction done.
   * A cancelled job says so in the panel and a failed one is reported: both give undefined.
   */
  private async withProgress<T>(
    id: number,
    title: string,
    location: vscode.ProgressLocation,
    cancelled: string,
    work: (report: (fraction: number) => void, signal: AbortSignal) => Promise<Outcome<T>>,
  ): Promise<T | undefined> {
    const outcome = await vscode.window.withProgress(
      { location, title, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let reported = 0;
        try {
          return await work((fraction) => {
            progress.report({ increment: (fraction - reported) * 100, message: `${Math.round(fraction * 100)}%` });
            reported = fraction;
          }, abort.signal);
        } finally {
          sub.dispose();
        }
      },
    );
    if (outcome.status === 'cancelled') {
      this.log.info(`${title}: cancelled`);
      this.feed.post({ type: 'runError', runId: id, message: cancelled });
      return undefined;
    }
    if (outcome.status === 'failed') {
      this.report(id, title, outcome.error);
      return undefined;
    }
    return outcome.value;
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
    this.controller.stop();
  }
}
