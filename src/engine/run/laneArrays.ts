/**
 * Lane-indexed arrays, component-major (element (c, lane) at c·stride + lane, kernel/types.ts): a kernel's padded
 * arrays compacted to the lanes, consecutive chunks of lanes joined (the pool's chunks of one batch), a range of
 * lanes cut out (a sweep cell). Runs and data runs share these.
 */
type LaneArray = Float64Array | Int32Array;

function like<A extends LaneArray>(a: A, length: number): A {
  return (a instanceof Float64Array ? new Float64Array(length) : new Int32Array(length)) as A;
}

/** Lanes 0…n−1 of `components` rows of stride `stride`, as rows of stride n. */
export function compactLanes<A extends LaneArray>(a: A, components: number, stride: number, n: number): A {
  const out = like(a, components * n);
  for (let c = 0; c < components; c++) out.set(a.subarray(c * stride, c * stride + n), c * n);
  return out;
}

/** Consecutive chunks' arrays (chunk i has lanes[i] lanes, rows of stride lanes[i]), joined in order. */
export function joinLanes<A extends LaneArray>(arrays: readonly A[], lanes: readonly number[]): A {
  const n = lanes.reduce((s, k) => s + k, 0);
  const components = arrays[0].length / lanes[0];
  const out = like(arrays[0], components * n);
  let offset = 0;
  arrays.forEach((a, i) => {
    for (let c = 0; c < components; c++) out.set(a.subarray(c * lanes[i], (c + 1) * lanes[i]), c * n + offset);
    offset += lanes[i];
  });
  return out;
}

/** Lanes [from, to) of rows of stride n. */
export function laneSlice<A extends LaneArray>(a: A, n: number, from: number, to: number): A {
  const components = a.length / n;
  const out = like(a, components * (to - from));
  for (let c = 0; c < components; c++) out.set(a.subarray(c * n + from, c * n + to), c * (to - from));
  return out;
}

/** Arrays one after the other (traced lanes' records, which are lane-major). */
export function concatenate(arrays: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((s, a) => s + a.length, 0));
  arrays.reduce((at, a) => (out.set(a, at), at + a.length), 0);
  return out;
}
