/**
 * The reference data kernel: the step of program/dataProgram.ts, lane after lane, from the phase functions
 * generated in jsDataSource.ts. A lane's θ, state, hyperparameters, gradient point and accumulators live in
 * typed arrays (a 2,000-parameter model would not fit in locals); the dataset is read where it lies, by every
 * lane. It is what the WebAssembly data kernel is checked against, and the fallback where SIMD is unavailable.
 */
import { pointIsTheta, type DataStepProgram } from '../program/dataProgram';
import {
  allocateDataBuffers,
  type DataKernel,
  type DataKernelSession,
  type DataRows,
  type DataShape,
  type DataSliceRequest,
} from './dataTypes';
import { compileDataPhases, type DataPhases } from './jsDataSource';
import { DIVERGENCE_BOUND, firstRecordAtOrAfter } from './types';

export function compileJsData(program: DataStepProgram): DataKernel {
  const { phases, invariantCount } = compileDataPhases(program);
  const sizes = {
    dim: program.dim,
    stateSize: program.state.reduce((s, x) => s + x.inputs.length, 0),
    paramCount: program.params.length,
    metricCount: program.row.metrics.length,
  };
  const lookAhead = !pointIsTheta(program);
  return {
    backend: 'js',
    ...sizes,
    prepare(shape: DataShape, data: DataRows): DataKernelSession {
      const buffers = allocateDataBuffers(shape, sizes);
      const scratch = {
        th: new Float64Array(sizes.dim),
        st: new Float64Array(sizes.stateSize),
        pr: new Float64Array(sizes.paramCount),
        inv: new Float64Array(invariantCount),
        pt: new Float64Array(sizes.dim),
        acc: new Float64Array(sizes.dim + 1),
        g: new Float64Array(sizes.dim),
        info: new Float64Array(2),
        metrics: new Float64Array(sizes.metricCount),
      };
      const context = { phases, lookAhead, shape, data, buffers, scratch };
      return { ...buffers, run: (slice) => runSlice(context, slice) };
    },
  };
}

interface SliceContext {
  readonly phases: DataPhases;
  readonly lookAhead: boolean;
  readonly shape: DataShape;
  readonly data: DataRows;
  readonly buffers: ReturnType<typeof allocateDataBuffers>;
  readonly scratch: {
    readonly th: Float64Array;
    readonly st: Float64Array;
    readonly pr: Float64Array;
    readonly inv: Float64Array;
    readonly pt: Float64Array;
    readonly acc: Float64Array;
    readonly g: Float64Array;
    readonly info: Float64Array;
    readonly metrics: Float64Array;
  };
}

function runSlice(context: SliceContext, slice: DataSliceRequest): void {
  const { phases, lookAhead, shape, data, buffers, scratch } = context;
  const { th, st, pr, inv, pt, acc, g, info, metrics } = scratch;
  const { batch, progress, targets, recordSteps, traceSlot, laneStart, order, noise } = buffers;
  const { finalF, stopStep, divergedAt, hits, fRecord, minibatch, gradNorm2, descent, trace } = progress;
  const { values: X, width: w, train, metricRows } = data;
  const n = batch.stride;
  const P = th.length;
  const S = st.length;
  const M = metrics.length;
  const R = recordSteps.length;
  const T = targets.length;
  const { steps, fromStep, fStar, stopAtTargets, epochSteps, noisy } = slice;
  const toStep = Math.min(slice.toStep, steps + 1);
  const B = slice.batch;
  const { orderLength, noiseSteps, epochCount } = shape;
  const firstRecord = firstRecordAtOrAfter(recordSteps, fromStep);
  for (let lane = 0; lane < batch.n; lane++) {
    if (stopStep[lane] >= 0) continue;
    for (let c = 0; c < P; c++) th[c] = batch.theta[c * n + lane];
    for (let c = 0; c < S; c++) st[c] = batch.state[c * n + lane];
    for (let c = 0; c < pr.length; c++) pr[c] = batch.params[c * n + lane];
    phases.invariants(pr, inv);
    let pending = 0;
    for (let j = 0; j < T; j++) if (hits[j * n + lane] < 0) pending++;
    let r = firstRecord;
    let nextRecord = r < R ? recordSteps[r] : -1;
    const slot = traceSlot[lane];
    const start = laneStart[lane];
    let stopped = -1;
    let F = NaN;
    for (let k = fromStep; k < toStep; k++) {
      const recorded = k === nextRecord;
      const epoch = k % epochSteps === 0 ? k / epochSteps : -1;
      const epochEnd = epoch >= 0 && epoch < epochCount;
      let bounded = true;
      for (let c = 0; c < P; c++) {
        if (!(Math.abs(th[c]) <= DIVERGENCE_BOUND)) {
          bounded = false;
          break;
        }
      }
      const needF = T > 0 || recorded || epochEnd || k === steps || !bounded;
      if (needF) F = phases.lossSum(th, X, w, train, 0, train.length) / train.length;
      if (recorded) {
        fRecord[r * n + lane] = F;
        if (slot >= 0) {
          const o = (slot * R + r) * (P + 1);
          trace.set(th, o);
          trace[o + P] = F;
        }
      }
      if (epochEnd) {
        progress.epochLoss[epoch * n + lane] = F;
        if (M > 0) {
          phases.metricSums(th, X, w, metricRows, 0, metricRows.length, metrics);
          for (let m = 0; m < M; m++)
            progress.epochMetrics[(epoch * M + m) * n + lane] = metrics[m] / metricRows.length;
        }
      }
      if (T > 0) {
        const gap = F - fStar;
        for (let j = 0; j < T; j++) {
          if (hits[j * n + lane] < 0 && gap <= targets[j]) {
            hits[j * n + lane] = k;
            pending--;
          }
        }
      }
      if (!bounded || (needF && !(Math.abs(F) < Infinity))) {
        divergedAt[lane] = k;
        stopped = k;
        break;
      }
      if ((stopAtTargets && T > 0 && pending === 0) || k === steps) {
        stopped = k;
        break;
      }
      const b = k % epochSteps;
      const rowsFrom = start * orderLength + b * B;
      const rowsTo = start * orderLength + Math.min((b + 1) * B, orderLength);
      if (lookAhead) phases.point(th, st, pr, inv, pt);
      phases.lossGrad(lookAhead ? pt : th, X, w, order, rowsFrom, rowsTo, acc);
      const count = rowsTo - rowsFrom;
      const fB = acc[0] / count;
      for (let i = 0; i < P; i++) g[i] = acc[1 + i] / count;
      if (noisy) {
        const z = (start * noiseSteps + (k - fromStep)) * P;
        for (let i = 0; i < P; i++) g[i] += noise[z + i];
      }
      phases.update(th, st, pr, inv, g, fB, recorded ? info : null);
      if (recorded) {
        minibatch[r * n + lane] = fB;
        gradNorm2[r * n + lane] = info[0];
        descent[r * n + lane] = info[1];
        r++;
        nextRecord = r < R ? recordSteps[r] : -1;
      }
    }
    for (let c = 0; c < P; c++) batch.theta[c * n + lane] = th[c];
    for (let c = 0; c < S; c++) batch.state[c * n + lane] = st[c];
    if (stopped >= 0) {
      stopStep[lane] = stopped;
      finalF[lane] = F;
    }
  }
}
