/**
 * A worker's half of a data job: the problem resolved from its source once per job (`problemKey`), its step
 * program once per optimizer, then the chunk's lanes through the data kernel (for wasm-simd, the module the pool
 * compiled). The dataset is the pool's shared copy: read, never copied.
 */
import { compileDataKernel } from '../../kernel/compile';
import { wasmDataKernelFromModule } from '../../kernel/wasm/dataKernel';
import { getOptimizer } from '../../optim/registry';
import { buildDataStepProgram, type DataStepProgram } from '../../program/dataProgram';
import { executeDataLanes, type DataLaneOutput } from '../dataLanes';
import type { DataProblem } from '../dataProblem';
import { resolveProblem } from '../dataRequest';
import type { DataLaneJob } from '../dataWorkerProtocol';
import type { LaneHooks } from '../lanes';

let problem: { key: number; problem: DataProblem; programs: Map<string, DataStepProgram> } | undefined;

function programFor(job: DataLaneJob): { problem: DataProblem; program: DataStepProgram } {
  if (problem?.key !== job.problemKey)
    problem = { key: job.problemKey, problem: resolveProblem(job.problem), programs: new Map() };
  const choices = Object.fromEntries(
    Object.entries(job.optimizer.params).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  const key = JSON.stringify([job.optimizer.id, choices]);
  let program = problem.programs.get(key);
  if (!program) {
    program = buildDataStepProgram(problem.problem.row, getOptimizer(job.optimizer.id), choices);
    problem.programs.set(key, program);
  }
  return { problem: problem.problem, program };
}

/** The chunk's output and the buffers that can be transferred back rather than copied. */
export function runDataJob(job: DataLaneJob, hooks: LaneHooks): { output: DataLaneOutput; transfer: ArrayBuffer[] } {
  const { problem: p, program } = programFor(job);
  const kernel = job.compiled
    ? wasmDataKernelFromModule(program, job.compiled)
    : compileDataKernel(program, job.backend);
  const output = executeDataLanes(kernel, program, p, job.work, hooks);
  const arrays = [
    output.theta,
    output.finalF,
    output.stopStep,
    output.divergedAt,
    output.hits,
    output.fRecord,
    output.minibatch,
    output.gradNorm2,
    output.descent,
    output.epochLoss,
    output.epochMetrics,
    output.trace,
  ];
  return { output, transfer: arrays.map((a) => a.buffer as ArrayBuffer) };
}
