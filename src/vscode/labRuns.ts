/**
 * The Lab's runs and what follows from them: a run from the panel (live when it is small), a sweep cell's run, the
 * drag preview of one start, and the arrows of a run's internals. Runs are started here, not waited for.
 */
import { cachedSource } from '../engine/run/request';
import { internals, MAX_WINDOW_POINTS, windowPoints } from '../present/internals';
import { configLabel } from '../present/params';
import { runConfig } from '../present/runConfig';
import { previewMessage } from '../present/runMessages';
import type { HostToWebview, WebviewMessage } from '../shared/webviewProtocol';
import type { CatalogEntry } from './functionCatalog';
import { Latest, panelRequests } from './labState';
import { catalog } from './pickers';
import type { RunFlow } from './runFlow';
import { configFunction, laneSteps, runRequests, shapeFromSettings, type RunShape } from './runPlan';
import { liveLimit, runSettings } from './settings';

export class LabRuns {
  private readonly previews = new Latest();

  constructor(
    private readonly flow: RunFlow,
    private readonly post: (msg: HostToWebview) => void,
    /** Shows a function in the Lab: the one that runs is the one drawn. */
    private readonly show: (entry: CatalogEntry) => void,
  ) {}

  /** A run from the panel: live (no progress indicator) when it is small; it replaces the one in flight. */
  run(settings: WebviewMessage<'run'>['settings'], since: number): void {
    const entry = catalog().find((e) => e.key === settings.fn);
    if (!entry) throw new Error(`no function '${settings.fn}' (open its .cost file, or pick a built-in)`);
    this.show(entry);
    const { requests, maxPoints } = panelRequests(entry, settings, runSettings().backend, runSettings().precision);
    const config = runConfig(
      configFunction(entry.key, entry.fn),
      settings.optimizers,
      requests[0].starts,
      settings.steps,
      settings.target,
    );
    const title = `Descent Lab: ${entry.key}`;
    const live = laneSteps(requests, entry.fn.variables.length) <= liveLimit();
    void this.flow
      .execute({ title, config, requests, maxPoints, live, progress: 'window', since })
      .catch((e) => this.flow.report(null, title, e));
  }

  /**
   * A click on a sweep cell: that optimizer with the cell's hyperparameters, from the sweep's own starts, for its
   * longest budget, with trajectories. The worker validates the optimizer and its parameters like any request.
   */
  runCell(msg: WebviewMessage<'runCell'>): void {
    const entry = catalog().find((e) => e.key === msg.fn);
    if (!entry) throw new Error(`no function '${msg.fn}' (open its .cost file, or pick a built-in)`);
    const sweep = this.flow.latestSweep;
    const s = runSettings();
    const shape: RunShape =
      sweep?.fnName === entry.key
        ? {
            starts: sweep.request.starts,
            steps: Math.max(...sweep.request.budgets),
            target: sweep.request.target,
            backend: s.backend,
            precision: s.precision,
          }
        : shapeFromSettings(entry.fn, s);
    const axes = sweep?.request.grid.map((a) => a.name) ?? Object.keys(msg.params);
    const label = configLabel(msg.optimizer, msg.params, axes);
    this.show(entry);
    const optimizers = [{ id: msg.optimizer, params: msg.params }];
    const { requests, maxPoints } = runRequests(entry, optimizers, shape);
    const config = runConfig(configFunction(entry.key, entry.fn), optimizers, shape.starts, shape.steps, shape.target);
    const title = `Descent Lab: ${label} on ${entry.key}`;
    void this.flow
      .execute({
        title,
        config,
        requests,
        maxPoints,
        live: laneSteps(requests, entry.fn.variables.length) <= liveLimit(),
        progress: 'window',
        labels: () => [label],
      })
      .catch((e) => this.flow.report(null, title, e));
  }

  /**
   * A start of the run on screen dragged to a new point: that start alone, for every optimizer of the run, on
   * the same recorded steps. While one preview runs, only the newest position waits; the others are dropped.
   */
  preview(msg: WebviewMessage<'previewStart'>): void {
    const latest = this.flow.latest;
    if (!latest || latest.config.fn !== msg.fn || msg.index >= latest.result.starts.length) return;
    const dim = latest.config.variables.length;
    if (msg.point.length !== dim) {
      this.post({ type: 'notice', message: `A start of ${msg.fn} has ${dim} coordinates, not ${msg.point.length}.` });
      return;
    }
    const { config, source, runId } = latest;
    const n = latest.result.starts.length;
    this.previews.run(async () => {
      try {
        const results = await Promise.all(
          config.optimizers.map((o) =>
            this.flow.pool().run(
              {
                fn: source,
                optimizers: [o],
                starts: { kind: 'list', points: [[...msg.point]] },
                steps: config.steps,
                targets: [config.target],
                traces: 1,
                backend: runSettings().backend,
                maxPoints: latest.maxPoints,
              },
              {},
            ),
          ),
        );
        this.post(previewMessage(runId, msg.fn, msg.index, n, results));
      } catch (e) {
        this.post({ type: 'notice', message: `The preview of that start failed: ${(e as Error).message}` });
      }
    });
  }

  /** The arrows of the latest run's internals over a window of steps, or why they cannot be sent. */
  internals(msg: WebviewMessage<'requestInternals'>): void {
    const latest = this.flow.latest;
    const fail = (message: string) => this.post({ type: 'requestFailed', inReplyTo: msg.requestId, message });
    if (!latest || latest.runId !== msg.runId)
      return fail(`run ${msg.runId} is no longer the latest run${latest ? ` (${latest.runId} is)` : ''}`);
    const optimizers = latest.message.optimizers;
    const points = windowPoints(optimizers, msg.from, msg.to);
    if (points > MAX_WINDOW_POINTS)
      return fail(`steps ${msg.from}…${msg.to} hold ${points} recorded points; ask for at most ${MAX_WINDOW_POINTS}`);
    const fn = cachedSource(latest.source);
    this.post({
      type: 'internals',
      inReplyTo: msg.requestId,
      runId: msg.runId,
      from: msg.from,
      to: msg.to,
      dim: fn.variables.length,
      optimizers: internals(fn, optimizers, msg.from, msg.to),
    });
  }
}
