/** Size bounds of the webview protocol: a message larger than these is rejected, whatever its origin. */
export const LIMITS = {
  name: 200,
  text: 100_000,
  functions: 500,
  optimizers: 64,
  params: 32,
  gridAxis: 512,
  curvePoints: 10_000,
  traces: 1024,
  tracePoints: 10_000,
  starts: 4096,
  diagnostics: 200,
  dataUrl: 32 * 1024 * 1024,
  budgets: 16,
  sweepAxes: 4,
  sweepCells: 4096,
  /** cells × starts of one sweep: the per-start outcomes travel for every cell. */
  sweepLanes: 1_000_000,
} as const;
