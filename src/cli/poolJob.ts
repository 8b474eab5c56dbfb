/**
 * The CLI's runs and sweeps go to the same worker pool as the extension's and the demo's: `--workers N`
 * threads, a progress bar on a terminal, and the command's signal (Ctrl-C, a closed stdout) cancels the job —
 * its threads end at once. The pool is disposed when the job ends, so no thread outlives the command.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { JobInputError, WorkerPool, type JobOptions } from '../engine/run/pool/workerPool';
import type { Io, OptionTable, Values } from './command';
import { integer } from './options';
import { progressBar } from './progressBar';
import { UsageError } from './usageError';

/** The extension's `descentLab.workers` allows as many. */
const MAX_WORKERS = 64;

export const WORKERS_OPTION = {
  workers: { type: 'string', arg: 'N', help: `worker threads, 1…${MAX_WORKERS} (default: cores − 1, at least 1)` },
} as const satisfies OptionTable;

/** The `--workers` value, checked before any work starts (undefined: the pool's default). */
export function workerCount(values: Values<typeof WORKERS_OPTION>): number | undefined {
  return values.workers === undefined ? undefined : integer(values.workers, 'workers', 0, 1, MAX_WORKERS);
}

/** `job` on a pool of `workers` threads (built next to the CLI as worker.js); a user's mistake is a UsageError. */
export async function onPool<T>(
  workers: number | undefined,
  io: Io,
  progress: string | undefined,
  job: (pool: WorkerPool, options: JobOptions) => Promise<T>,
): Promise<T> {
  const pool = new WorkerPool({ workerScript: join(__dirname, 'worker.js'), size: workers }, availableParallelism());
  const bar = progressBar(progress ?? '', progress !== undefined && io.progress);
  try {
    return await job(pool, { signal: io.signal, onProgress: bar.update });
  } catch (e) {
    throw e instanceof JobInputError ? new UsageError(e.message) : e;
  } finally {
    bar.done();
    await pool.dispose();
  }
}
