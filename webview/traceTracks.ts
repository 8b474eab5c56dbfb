/**
 * A run's trace sets as playback tracks: the frames of playback are the run's recorded steps (every step of a
 * live-sized run; an even schedule of them beyond the trace budget), and each lane's points are laid out one per
 * frame in the coordinates of the view drawn — a plane's two variables (a slice's projection), or (x, f) on a
 * curve. Pure: no DOM, so it runs under node:test too.
 */
import type { TraceSet } from '../src/shared/resultShapes';
import type { LaneTrack } from './trajectoryLayer';

/** Which coordinates of a traced point a view draws: two variables, or a variable against f. */
export type Projection =
  { readonly kind: 'plane'; readonly axes: readonly [number, number] } | { readonly kind: 'curve' };

/**
 * The frames of playback: the recorded steps of the set with the most (every set of one run has the same), up to
 * the furthest step a lane reached (a stopped run's schedule goes on past where it stopped).
 */
export function playbackSteps(sets: readonly TraceSet[]): Int32Array {
  let best: Int32Array = new Int32Array(1);
  let reached = 0;
  for (const s of sets) {
    if (s.steps.length > best.length) best = s.steps;
    for (const e of s.ends) reached = Math.max(reached, e);
  }
  let n = best.length;
  while (n > 1 && best[n - 2] >= reached) n--;
  return best.subarray(0, n);
}

/** For each frame, the index of the last recorded step of `steps` at or before it (steps ascend). */
function frameIndex(steps: Int32Array, frames: Int32Array): Int32Array {
  const out = new Int32Array(frames.length);
  let r = 0;
  for (let k = 0; k < frames.length; k++) {
    while (r + 1 < steps.length && steps[r + 1] <= frames[k]) r++;
    out[k] = r;
  }
  return out;
}

/** One optimizer's lanes as tracks over `frames`; a lane rests at its last point after it ended. */
export function laneTracks(set: TraceSet, dim: number, view: Projection, frames: Int32Array): LaneTrack[] {
  const R = set.steps.length;
  const same = R === frames.length && set.steps.every((s, k) => s === frames[k]);
  const index = same ? null : frameIndex(set.steps, frames);
  return Array.from(set.lanes, (_, l) => {
    const len = set.lengths[l];
    if (len === 0) return { xs: new Float64Array(0), ys: new Float64Array(0), last: 0 };
    // The frame of the lane's last point: frames past it show the lane at rest.
    let last = frames.length - 1;
    while (last > 0 && (index ? index[last] : last) >= len) last--;
    const xs = new Float64Array(last + 1);
    const ys = new Float64Array(last + 1);
    for (let k = 0; k <= last; k++) {
      const r = index ? index[k] : k;
      const at = l * R + r;
      if (view.kind === 'plane') {
        xs[k] = set.theta[at * dim + view.axes[0]];
        ys[k] = set.theta[at * dim + view.axes[1]];
      } else {
        xs[k] = set.theta[at * dim];
        ys[k] = set.f[at];
      }
    }
    return { xs, ys, last };
  });
}
