/**
 * `descent-lab demo` (`npm run demo`): the papers' experiments. Baiesi 2019's Fig. 3 protocol — the fraction
 * of 100 random starts that converge within 10², 10³, 10⁴ steps against η, for NAG, AMSGrad, Adam and their
 * power-gradient variants on V3, V4 and Beale — and Sprunger 2020's Tables 1–2 beside the printed numbers.
 */
import { findBuiltin } from '../engine/library';
import { BAIESI_FIG3, SPRUNGER_TABLES, type PaperTable } from '../engine/library/papers';
import type { BackendChoice, Precision } from '../engine/kernel/types';
import type { OptimizerConfig } from '../engine/optim/types';
import { run } from '../engine/run/runner';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { WorkerPool } from '../engine/run/pool/workerPool';
import type { SweepResult } from '../engine/run/sweep';
import { formatNumber as num } from '../present/format';
import { paramSymbol } from '../present/params';
import { table } from '../present/textTable';
import { defineCommand } from './command';
import { backend as backendOption, BACKEND_OPTION } from './options';
import { checkReportPath, demoReport, sprungerTitle, writeReport } from './report';

declare const performance: { now(): number };

export interface SprungerRow {
  readonly label: string;
  readonly ours: readonly (number | 'diverged' | null)[];
  readonly paper: readonly (number | 'diverged' | null)[];
}
export interface DemoResult {
  readonly fig3: readonly SweepResult[];
  /** Wall time of the whole Fig. 3 protocol (three sweeps), seconds. */
  readonly fig3Seconds: number;
  readonly fig3LaneSteps: number;
  /** Table 1 in binary64; Table 2 in binary64, then in binary32 (where the paper's SGD rows are exact). */
  readonly sprunger: readonly {
    readonly table: PaperTable;
    readonly precision: Precision;
    readonly rows: readonly SprungerRow[];
  }[];
}

/** The three sweeps of Fig. 3 run at once on a worker pool as large as the machine: the demo owns it. */
export async function runDemo(
  backend: BackendChoice = 'auto',
  workerScript = join(__dirname, 'worker.js'),
  signal?: AbortSignal,
): Promise<DemoResult> {
  const pool = new WorkerPool({ workerScript, size: availableParallelism() });
  const t0 = performance.now();
  let fig3: SweepResult[];
  try {
    fig3 = await Promise.all(
      BAIESI_FIG3.functions.map((name) =>
        pool.sweep(
          {
            fn: { kind: 'builtin', name },
            optimizers: BAIESI_FIG3.optimizers,
            grid: [{ name: 'eta', values: BAIESI_FIG3.etas }],
            starts: { kind: 'random', n: BAIESI_FIG3.starts, seed: 1, domain: findBuiltin(name)!.domain! },
            budgets: BAIESI_FIG3.budgets,
            target: BAIESI_FIG3.target,
            backend,
          },
          { signal },
        ),
      ),
    );
  } finally {
    await pool.dispose();
  }
  signal?.throwIfAborted();
  const fig3Seconds = (performance.now() - t0) / 1000;
  const fig3LaneSteps = fig3.reduce(
    (s, r) =>
      s +
      r.cells.reduce(
        (t, c) =>
          t +
          c.perStart.reduce<number>((u, k, i) => u + 1 + (k ?? (c.divergedStarts[i] ? 0 : Math.max(...r.budgets))), 0),
        0,
      ),
    0,
  );
  const runs = SPRUNGER_TABLES.flatMap((t, i) =>
    (i === 0 ? ['f64' as const] : (['f64', 'f32'] as const)).map((precision) => ({ t, precision })),
  );
  const sprunger = runs.map(({ t, precision }) => ({
    table: t,
    precision,
    rows: t.rows.map((row): SprungerRow => {
      const opt: OptimizerConfig =
        row.method === 'SGD' ? { id: 'gd', params: { eta: row.eta! } } : { id: 'nasgd', params: { alpha: row.alpha! } };
      const r = run({
        fn: findBuiltin(t.builtin)!,
        optimizers: [opt],
        starts: { kind: 'list', points: [t.start] },
        steps: 200_000,
        targets: t.thresholds,
        stopAtTargets: true,
        backend,
        precision,
      }).runs[0];
      const diverged = r.diverged > 0;
      return {
        label: `${row.method}(${Object.entries(opt.params)
          .map(([k, v]) => `${paramSymbol(k, [opt.id])} = ${v}`)
          .join(', ')})`,
        // the paper counts iterates inclusively: k + 1
        ours: t.thresholds.map((x) => {
          const k = r.stepsToTarget[String(x)].perLane[0];
          return k === null ? (diverged ? 'diverged' : null) : k + 1;
        }),
        paper: row.steps.map((k) => (k === null ? (row.diverged ? 'diverged' : null) : k)),
      };
    }),
  }));
  return { fig3, fig3Seconds, fig3LaneSteps, sprunger };
}

export function demoText(d: DemoResult): string {
  const lines: string[] = [];
  lines.push(
    'Baiesi 2019, Fig. 3 protocol: fraction of 100 uniform starts reaching V < 1e-4 within T = 10² / 10³ / 10⁴ steps',
  );
  lines.push(
    `(NAG γ = 0.99; H = 1/2; β₁ = 0.9, β₂ = 0.99, ε = 1e-8; h(t): H₀ = 1/2, β₃ = 0.999). Whole protocol: ${d.fig3Seconds.toFixed(2)} s wall, ${num(d.fig3LaneSteps)} trajectory-steps.`,
  );
  for (const r of d.fig3) {
    lines.push('', `${r.fn.name} (${r.backend})`);
    const optimizers = [...new Set(r.cells.map((c) => c.optimizer))];
    lines.push(
      table(
        ['optimizer', ...BAIESI_FIG3.etas.map((e) => `η = ${num(e)}`)],
        optimizers.map((id) => {
          const cells = r.cells.filter((c) => c.optimizer === id);
          return [
            cells[0].label,
            ...cells.map((c) => r.budgets.map((T) => c.fraction[String(T)].toFixed(2)).join(' / ')),
          ];
        }),
      ),
    );
  }
  for (const { table: t, precision, rows } of d.sprunger) {
    lines.push(
      '',
      sprungerTitle(t, precision),
      'steps as the paper counts them (k + 1); ✓ = the printed number, else (paper N)',
    );
    lines.push(
      table(
        ['method', ...t.thresholds.map((x) => `f ≤ ${num(x)}`)],
        rows.map((row) => [
          row.label,
          ...row.ours.map((v, i) =>
            v === row.paper[i] ? `${v ?? '–'} ✓` : `${v ?? '–'} (paper ${row.paper[i] ?? '–'})`,
          ),
        ]),
      ),
    );
  }
  return lines.join('\n');
}

export const demoCommand = defineCommand({
  name: 'demo',
  synopsis: '[--out FILE] [--backend B]',
  summary: "the papers' experiments: Baiesi Fig. 3 and Sprunger Tables 1–2, with an HTML report",
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
