/** Size bounds of the webview protocol: a message larger than these is rejected, whatever its origin. */
export const LIMITS = {
  name: 200,
  text: 100_000,
  functions: 500,
  optimizers: 64,
  params: 32,
  gridAxis: 512,
  /** Coordinates of a point: variables of a function, parameters of a model. */
  dim: 64,
  curvePoints: 10_000,
  /** Traced lanes × recorded steps of one optimizer (a run's whole trace budget, present/traces.ts). */
  tracePoints: 250_000,
  /** Start points of a run (the `descentLab.starts` setting's maximum); they travel as one typed array. */
  starts: 100_000,
  /** Start points placed one by one (clicks), which travel as arrays. */
  placedStarts: 4096,
  /** Samples of a one-variable curve. */
  curveSamples: 4096,
  diagnostics: 200,
  dataUrl: 32 * 1024 * 1024,
  budgets: 16,
  sweepAxes: 4,
  sweepCells: 4096,
  /** cells × starts of one sweep: the per-start outcomes travel for every cell. */
  sweepLanes: 1_000_000,
} as const;
