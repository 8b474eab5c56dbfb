/**
 * The trajectories of a run's traced lanes, kept as typed arrays: the Lab traces every start at every step (tens
 * of thousands of points per optimizer), and one object per point cost more time to build and collect than the
 * kernels take to step. `tracePoints` gives the per-point form (`run --json`, the CLI's trace) when it is asked for.
 */
import type { LaneOutput } from './lanes';

/** A lane's end as the run summarized it: its last iterate and the step it stopped at. */
interface LaneEnd {
  readonly theta: readonly number[];
  readonly f: number;
  readonly steps: number;
}

/**
 * Lane l's point r is θ at `theta[(l·R + r)·dim …]` and f at `f[l·R + r]`, at step `steps[r]`, for r below
 * `lengths[l]`; its last point is at step `ends[l]`, its stop, which the recording schedule may not hold (it then
 * lies between `steps[len − 2]` and `steps[len − 1]`). Values may be non-finite where a lane diverged.
 */
export interface TraceData {
  readonly dim: number;
  readonly steps: Int32Array;
  /** The traced lanes: the first ones of the run. */
  readonly lanes: Int32Array;
  readonly lengths: Int32Array;
  readonly ends: Int32Array;
  readonly theta: Float64Array;
  readonly f: Float64Array;
}

/**
 * The first `count` lanes' recorded points, from the kernel's trace (slot × recorded step × (dim + 1)), each
 * followed by its last iterate when it stopped between two recorded steps.
 */
export function traceData(
  out: Pick<LaneOutput, 'dim' | 'trace'>,
  recordSteps: Int32Array,
  count: number,
  finals: readonly LaneEnd[],
): TraceData {
  const { dim } = out;
  const R0 = recordSteps.length;
  const maxEnd = finals.slice(0, count).reduce((m, l) => Math.max(m, l.steps), 0);
  const kept = recordSteps.filter((k) => k <= maxEnd);
  const steps = kept.at(-1) === maxEnd ? kept : Int32Array.from([...kept, maxEnd]);
  const R = steps.length;
  const theta = new Float64Array(count * R * dim);
  const f = new Float64Array(count * R);
  const lengths = new Int32Array(count);
  const ends = new Int32Array(count);
  for (let l = 0; l < count; l++) {
    const end = finals[l].steps;
    let r = 0;
    for (; r < R0 && recordSteps[r] <= end; r++) {
      const o = (l * R0 + r) * (dim + 1);
      theta.set(out.trace.subarray(o, o + dim), (l * R + r) * dim);
      f[l * R + r] = out.trace[o + dim];
    }
    if (r === 0 || recordSteps[r - 1] !== end) {
      theta.set(finals[l].theta, (l * R + r) * dim);
      f[l * R + r] = finals[l].f;
      r++;
    }
    lengths[l] = r;
    ends[l] = end;
  }
  return { dim, steps, lanes: Int32Array.from({ length: count }, (_, l) => l), lengths, ends, theta, f };
}

/** One object per lane and point: `{ lane, points: [{ step, theta, f }] }`. */
export function tracePoints(t: TraceData) {
  const R = t.steps.length;
  return Array.from(t.lanes, (lane, l) => ({
    lane,
    points: Array.from({ length: t.lengths[l] }, (_, r) => ({
      step: r === t.lengths[l] - 1 ? t.ends[l] : t.steps[r],
      theta: Array.from(t.theta.subarray((l * R + r) * t.dim, (l * R + r + 1) * t.dim)),
      f: t.f[l * R + r],
    })),
  }));
}
