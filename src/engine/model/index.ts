/**
 * Models over data (issue 12): the data sections of a `.cost` file (`@data`, `@param`, `name(W, b) = loss`, …),
 * lowered to one per-row scalar IR graph with its gradient and metrics. `parseCostFile` returns them as
 * `CostFile.models`; modelProgram.ts documents what a runner and a kernel get.
 */
export { MODEL_DIRECTIVES, type DataFileReader, type DataFileResult } from './dataSections';
export { MAX_MODEL_NODES } from './modelBuilder';
export { MAX_MODEL_PARAMETERS } from './modelDirectives';
export type { ModelColumn, ModelData, ModelMetric, ModelParam, ModelProgram } from './modelProgram';
