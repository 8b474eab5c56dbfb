/**
 * How the pool hands a data job to its workers: each dataset copied once into shared memory (and kept there
 * while the caller holds the dataset, so later jobs on the same data copy nothing), and each optimizer's lanes
 * cut into consecutive chunks. A data lane costs rows per step, so far fewer lanes than for a cost function are
 * worth a thread.
 */
import type { DataLaneWork } from '../dataLanes';
import type { DataFile, ProblemSource } from '../dataRequest';

/** Fewer data lanes than this are not worth a thread of their own. */
export const MIN_DATA_CHUNK = 16;

const shared = new WeakMap<Float64Array, Float64Array>();

function inSharedMemory(values: Float64Array): Float64Array {
  if (values.buffer instanceof SharedArrayBuffer) return values;
  let copy = shared.get(values);
  if (!copy) {
    copy = new Float64Array(new SharedArrayBuffer(values.byteLength));
    copy.set(values);
    shared.set(values, copy);
  }
  return copy;
}

/** The source with every dataset's values in shared memory: posting it to a worker copies no values. */
export function shareProblem(source: ProblemSource): ProblemSource {
  const files = source.files.map((f): DataFile => ({
    ...f,
    dataset: { ...f.dataset, values: inSharedMemory(f.dataset.values) },
  }));
  return { ...source, files };
}

/** Consecutive lane ranges over at most `workers` chunks, none under MIN_DATA_CHUNK lanes (unless all are). */
export function splitDataWork(work: DataLaneWork, workers: number): DataLaneWork[] {
  const n = work.startIndex.length;
  const P = work.theta0.length / n;
  const count = Math.max(1, Math.min(workers, Math.floor(n / MIN_DATA_CHUNK)));
  return Array.from({ length: count }, (_, i) => {
    const from = Math.floor((n * i) / count);
    const to = Math.floor((n * (i + 1)) / count);
    return {
      ...work,
      theta0: work.theta0.slice(from * P, to * P),
      startIndex: work.startIndex.slice(from, to),
      laneParams: work.laneParams.slice(from, to),
      traceCount: Math.max(0, Math.min(work.traceCount, to) - from),
    };
  });
}
