/**
 * The data layer of models over data (issue 12, DATA-CONVENTIONS.md): datasets from CSV text or built in,
 * their summary, the train/test split, and the random streams a runner draws per start and per epoch:
 * initial parameters, minibatch order and gradient noise. Pure functions of their arguments; no I/O.
 */
export { batchesPerEpoch, batchRows, epochOrder, SHUFFLE_MODES, type BatchPlan, type ShuffleMode } from './batchOrder';
export {
  BUILTIN_DATASETS,
  builtinDataset,
  type BuiltinDataset,
  type DatasetParam,
  type DatasetResult,
} from './builtins';
export { parseCsv, type CsvSource } from './csv';
export { MAX_CSV_BYTES, MAX_DATA_COLUMNS, MAX_DATA_ROWS, type Dataset } from './dataset';
export { describe, type ColumnKind, type ColumnSummary, type DatasetSummary } from './describe';
export {
  drawsPerStart,
  initialParameters,
  parameterCount,
  paramSize,
  startParameters,
  type ParamInit,
  type ParamSpec,
} from './initialParameters';
export {
  DATA_ORDER_SALT,
  dataOrderSeed,
  gradientNoise,
  mix,
  mulberry32,
  NOISE_SALT,
  noiseSeed,
  normalDraw,
  streamAt,
  uniformDraw,
} from './random';
export { splitProblem, splitRows, trainCount, type Split, type SplitSpec } from './split';
