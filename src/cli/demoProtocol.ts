/**
 * What the demo's experiments share: their wall time and lane-steps (printed per experiment and in total, with
 * the backend that ran them), the models they train (example `.cost` files shipped beside the CLI), and their
 * sizes — the papers' own, or smaller for a quick check (the tests).
 */
import type { DataProblem } from '../engine/run/dataProblem';
import { resolveProblem, type ProblemSource } from '../engine/run/dataRequest';
import type { DataSweepResult } from '../engine/run/dataSweep';
import type { TimingRow } from '../present/reportData';
import { asset } from './report';

declare const performance: { now(): number };

/** Starts and epochs of a data experiment; the demo runs the papers' sizes, a test fewer. */
export interface DataSize {
  readonly starts: number;
  readonly epochs: number;
}

/** A model of an example `.cost` file (built-in datasets only), as the pool takes it, and parsed here. */
export function exampleModel(model: { readonly file: string; readonly name: string }): {
  readonly source: ProblemSource;
  readonly problem: DataProblem;
} {
  const source: ProblemSource = {
    fn: { kind: 'file', text: asset(model.file), name: model.name, path: model.file },
    files: [],
    overrides: {},
  };
  return { source, problem: resolveProblem(source) };
}

/** `work`'s result with its wall time in seconds. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The timing of an experiment made of data sweeps: its wall time (text to numbers, compilation included) and the
 * updates its lanes made (a lane that stops early counts the steps it made).
 */
export function sweepsTiming(experiment: string, sweeps: readonly DataSweepResult[], seconds: number): TimingRow {
  const cells = sweeps.flatMap((s) => s.cells);
  return {
    experiment,
    seconds,
    laneSteps: cells.reduce((s, c) => s + c.timing.laneSteps, 0),
    backend: [...new Set(cells.map((c) => c.backend))].join(', '),
  };
}
