/**
 * `descent-lab demo` (`npm run demo`): the papers' experiments, one after the other on one worker pool as large as
 * the machine, each timed on its own — Baiesi 2019 Fig. 3 and Sprunger 2020 Tables 1–2 (demoAnalytic.ts),
 * Sprunger 2020 §3 (demoDense.ts), the Powerball SGD γ × η experiment (demoPowerball.ts) — printed beside the
 * papers' numbers and sentences, and written as a self-contained report (demoReport.ts).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { BackendChoice } from '../engine/kernel/types';
import { WorkerPool } from '../engine/run/pool/workerPool';
import { formatNumber as num } from '../present/format';
import type { TimingRow } from '../present/reportData';
import { table } from '../present/textTable';
import { defineCommand } from './command';
import { fig3Text, runFig3, runSprungerTables, sprungerTablesText } from './demoAnalytic';
import { claimsText, denseClaims, denseText, runDense } from './demoDense';
import { powerballClaims, powerballText, runPowerball } from './demoPowerball';
import type { DataSize } from './demoProtocol';
import { demoReport, type DemoResult } from './demoReport';
import { backend as backendOption, BACKEND_OPTION } from './options';
import { checkReportPath, writeReport } from './report';

/** The data experiments' sizes; the papers' own unless a caller (a test) asks for fewer starts and epochs. */
export interface DemoSizes {
  readonly dense?: DataSize;
  readonly powerball?: DataSize;
}

export async function runDemo(
  backend: BackendChoice = 'auto',
  workerScript = join(__dirname, 'worker.js'),
  signal?: AbortSignal,
  sizes: DemoSizes = {},
): Promise<DemoResult> {
  const pool = new WorkerPool({ workerScript, size: availableParallelism() });
  try {
    const fig3 = await runFig3(pool, backend, signal);
    const tables = await runSprungerTables(backend);
    const dense = await runDense(pool, backend, sizes.dense, signal);
    const powerball = await runPowerball(pool, backend, sizes.powerball, signal);
    signal?.throwIfAborted();
    return { fig3, tables, dense, powerball, timings: [fig3.timing, tables.timing, dense.timing, powerball.timing] };
  } finally {
    await pool.dispose();
  }
}

export function timingsText(timings: readonly TimingRow[]): string {
  const seconds = timings.reduce((s, t) => s + t.seconds, 0);
  const laneSteps = timings.reduce((s, t) => s + t.laneSteps, 0);
  return [
    `Wall time (text to numbers, compilation included) and lane-steps, ${availableParallelism()} cores:`,
    table(
      ['experiment', 'wall s', 'lane-steps', 'lane-steps/s', 'backend'],
      [
        ...timings,
        { experiment: 'total', seconds, laneSteps, backend: [...new Set(timings.map((t) => t.backend))].join(', ') },
      ].map((t) => [
        t.experiment,
        t.seconds.toFixed(2),
        num(t.laneSteps),
        num(t.laneSteps / t.seconds, { digits: 3 }),
        t.backend,
      ]),
    ),
  ].join('\n');
}

export function demoText(d: DemoResult): string {
  return [
    fig3Text(d.fig3),
    sprungerTablesText(d.tables),
    denseText(d.dense),
    claimsText('Sprunger 2020 §3, the paper beside this reproduction:', denseClaims(d.dense)),
    powerballText(d.powerball),
    claimsText('Powerball SGD, the paper beside this reproduction:', powerballClaims(d.powerball)),
    timingsText(d.timings),
  ].join('\n\n');
}

export const demoCommand = defineCommand({
  name: 'demo',
  synopsis: '[--out FILE] [--backend B]',
  summary:
    "the papers' experiments: Baiesi Fig. 3, Sprunger Tables 1–2 and §3, Powerball SGD γ × η, with an HTML report",
  options: {
    ...BACKEND_OPTION,
    out: { type: 'string', arg: 'FILE', help: 'the HTML report (default demo-report/index.html)' },
  },
  async run(values, io) {
    const path = values.out ?? 'demo-report/index.html';
    const backend = backendOption(values.backend);
    checkReportPath(path);
    const demo = await runDemo(backend, undefined, io.signal);
    // With stdout closed this rejects: the command stops and writes no report.
    await io.out(demoText(demo));
    await io.out(`\nReport: ${writeReport(path, demoReport(demo, io.argv))}`);
  },
});
