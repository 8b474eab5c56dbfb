/**
 * Playback of the run on screen in every view at once: one Player and its bar; each optimizer's lanes as tracks in
 * the coordinates of the view drawn (the landscape's or a slice's trajectory layer, the curve's), the 3-D surface's
 * lanes at the same step, and the convergence chart's cursor there. A run is drawn only on a view of its own
 * function with its number of variables; a drag preview replaces one lane's tracks until the next run.
 */
import type { InternalsSet, TraceSet } from '../src/shared/resultShapes';
import type { HostMessage } from '../src/shared/webviewProtocol';
import type { ConvergenceChart } from './convergenceChart';
import { PlaybackBar } from './playbackBar';
import { Player } from './player';
import { ShownNote } from './readouts';
import type { SurfaceView } from './surface3d/surfaceView';
import { laneTracks, playbackSteps, type Projection } from './traceTracks';
import type { ArrowKind, LaneVectors, TrajectoryGroup, TrajectoryLayer } from './trajectoryLayer';

type RunResult = HostMessage<'runResult'>;
type Preview = HostMessage<'preview'>;
type Internals = HostMessage<'internals'>;

/** The view the tracks are laid out for: its function, number of variables and projection. */
export interface DrawnView {
  readonly fn: string;
  readonly dim: number;
  readonly projection: Projection;
}

export interface PlaybackTargets {
  /** The layer of the view shown (the landscape's, or the curve's); null when no view is drawn. */
  layer(): TrajectoryLayer | null;
  /** The 3-D view, when it exists (it is made when its tab is first opened). */
  surface(): SurfaceView | null;
  readonly convergence: ConvergenceChart;
  /** Asks the host for run `runId`'s internals over steps from…to (answered by `internals`). */
  requestInternals(runId: number, from: number, to: number): void;
  /** The step shown changed (a slice that follows a trajectory moves with it). */
  stepChanged?(): void;
}

export class RunPlayback {
  readonly player = new Player(0, { speed: 60 });
  readonly bar = new PlaybackBar(this.player);
  readonly shown = new ShownNote();
  private result: RunResult | null = null;
  private view: DrawnView | null = null;
  private frames: Int32Array = new Int32Array(1);
  /** Drag previews: per optimizer id, the lane index and its trace set (one lane). */
  private previews = new Map<string, { index: number; traces: TraceSet }>();
  /** The arrows asked for at the points, and the run's internals once the host sent them (by optimizer id). */
  private arrowKinds: readonly ArrowKind[] = [];
  private internals: { runId: number; sets: Map<string, InternalsSet> } | null = null;

  constructor(private readonly targets: PlaybackTargets) {
    this.player.onChange((s) => {
      const step = this.frames[Math.min(s.step, this.frames.length - 1)] ?? 0;
      this.targets.layer()?.setStep(s.step);
      this.targets.surface()?.setStep(step);
      this.targets.convergence.setCursor(this.result ? step : null);
      this.targets.stepChanged?.();
    });
  }

  /** The run on screen is the result drawn: it replaces the last one's tracks, and ends at its last step. */
  setResult(result: RunResult | null): void {
    this.result = result;
    this.previews.clear();
    this.internals = null;
    this.askInternals();
    this.frames = result ? playbackSteps(result.optimizers.map((o) => o.traces)) : new Int32Array(1);
    const last = this.frames.length - 1;
    this.player.setLast(last);
    if (!this.player.state.playing) this.player.seek(last);
    // The readout says the step reached, never a scheduled one past it (a stopped lane's last point lies before).
    const reached = Math.max(0, ...(result?.optimizers.flatMap((o) => Array.from(o.traces.ends)) ?? []));
    const at = Int32Array.from(this.frames, (s) => Math.min(s, reached));
    this.bar.setSteps(result ? { at, total: result.config.steps } : null);
    this.bar.root.classList.toggle('disabled', !result);
    this.redraw();
  }

  setView(view: DrawnView | null): void {
    this.view = view;
    this.redraw();
  }

  /** The frame shown, as the run's step. */
  get step(): number {
    return this.frames[Math.min(this.player.state.step, this.frames.length - 1)] ?? 0;
  }

  /** Arrows at each lane's point: −∇f, the power gradient, the optimizer's step (the host's numbers). */
  setArrows(kinds: readonly ArrowKind[]): void {
    this.arrowKinds = kinds;
    this.targets.layer()?.setOptions({ arrows: kinds });
    this.askInternals();
    this.redraw();
  }

  /** The host's internals of the run on screen, for its whole recorded length. */
  setInternals(msg: Internals): void {
    if (!this.result || msg.runId !== this.result.runId) return;
    this.internals = { runId: msg.runId, sets: new Map(msg.optimizers.map((o) => [o.id, o])) };
    this.redraw();
  }

  private askInternals(): void {
    const r = this.result;
    if (!r || !this.arrowKinds.length || this.internals?.runId === r.runId) return;
    // Every recorded step at once: a run's traces are within the window limit (the trace budget).
    this.internals = { runId: r.runId, sets: new Map() };
    this.targets.requestInternals(r.runId, 0, this.frames[this.frames.length - 1] ?? 0);
  }

  /** A dragged start's trajectories: they take that lane's place while the run stays. */
  preview(msg: Preview): void {
    if (!this.result || msg.runId !== this.result.runId) return;
    for (const o of msg.optimizers) this.previews.set(o.id, { index: msg.index, traces: o.traces });
    this.redraw();
  }

  /** The groups the view draws, or none when the run is not of the view's function. */
  groups(): TrajectoryGroup[] {
    const r = this.result;
    const v = this.view;
    if (!r || !v || r.config.fn !== v.fn || r.config.variables.length !== v.dim) return [];
    return r.optimizers.map((o) => {
      const lanes = laneTracks(o.traces, v.dim, v.projection, this.frames);
      const p = this.previews.get(o.curves.id);
      const at = p ? o.traces.lanes.indexOf(p.index) : -1;
      if (p && at >= 0) lanes[at] = laneTracks(p.traces, v.dim, v.projection, this.frames)[0] ?? lanes[at];
      const set = this.internals?.sets.get(o.curves.id);
      const arrows = set && v.projection.kind === 'plane' ? this.arrowsOf(set, o.traces, v.dim, v.projection.axes) : {};
      return { id: o.curves.id, label: o.curves.label, colour: o.curves.colour, lanes, arrows };
    });
  }

  /** The run drawn when it is of the view's function, else null. */
  get drawn(): RunResult | null {
    const r = this.result;
    const v = this.view;
    return r && v && r.config.fn === v.fn && r.config.variables.length === v.dim ? r : null;
  }

  /** Per arrow kind, each traced lane's vectors on the plane, frame by frame (NaN where the host had none). */
  private arrowsOf(
    set: InternalsSet,
    traces: TraceSet,
    dim: number,
    axes: readonly [number, number],
  ): Partial<Record<ArrowKind, LaneVectors[]>> {
    const S = set.steps.length;
    const byStep = new Map(Array.from(set.steps, (s, r) => [s, r]));
    const rows = Array.from(this.frames, (s) => byStep.get(s) ?? -1);
    const laneRow = new Map(Array.from(set.lanes, (lane, l) => [lane, l]));
    const out: Partial<Record<ArrowKind, LaneVectors[]>> = {};
    for (const kind of ['gradient', 'power', 'step'] as const) {
      const values = set[kind];
      out[kind] = Array.from(traces.lanes, (lane) => {
        const l = laneRow.get(lane) ?? -1;
        const us = new Float64Array(rows.length).fill(NaN);
        const vs = new Float64Array(rows.length).fill(NaN);
        if (l >= 0)
          rows.forEach((r, k) => {
            if (r < 0) return;
            us[k] = values[(l * S + r) * dim + axes[0]];
            vs[k] = values[(l * S + r) * dim + axes[1]];
          });
        return { us, vs };
      });
    }
    return out;
  }

  private redraw(): void {
    const groups = this.groups();
    this.targets.layer()?.setData(groups);
    this.targets.layer()?.setStep(this.player.state.step);
    const r = this.drawn;
    const traced = r?.optimizers[0]?.traces;
    this.shown.set(traced?.lanes.length ?? 0, traced?.total ?? 0);
    this.targets.convergence.setCursor(r ? this.step : null);
  }
}
