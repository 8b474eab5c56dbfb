/**
 * The demo's experiments on analytic functions: Baiesi 2019's Fig. 3 protocol — the fraction of 100 random
 * starts that converge within 10², 10³, 10⁴ steps against η, for NAG, AMSGrad, Adam and their power-gradient
 * variants on V3, V4 and Beale — and Sprunger 2020's Tables 1–2 beside the printed numbers.
 */
import { findBuiltin } from '../engine/library';
import { BAIESI_FIG3, SPRUNGER_TABLES, type PaperTable } from '../engine/library/papers';
import type { BackendChoice, Precision } from '../engine/kernel/types';
import type { OptimizerConfig } from '../engine/optim/types';
import type { WorkerPool } from '../engine/run/pool/workerPool';
import { run } from '../engine/run/runner';
import type { SweepResult } from '../engine/run/sweep';
import { formatNumber as num } from '../present/format';
import { paramSymbol } from '../present/params';
import { table } from '../present/textTable';
import type { TimingRow } from '../present/reportData';
import { timed } from './demoProtocol';

export interface SprungerRow {
  readonly label: string;
  readonly ours: readonly (number | 'diverged' | null)[];
  readonly paper: readonly (number | 'diverged' | null)[];
}
export interface Fig3Result {
  readonly sweeps: readonly SweepResult[];
  readonly timing: TimingRow;
}
export interface SprungerTablesResult {
  /** Table 1 in binary64; Table 2 in binary64, then in binary32 (where the paper's SGD rows are exact). */
  readonly tables: readonly {
    readonly table: PaperTable;
    readonly precision: Precision;
    readonly rows: readonly SprungerRow[];
  }[];
  readonly timing: TimingRow;
}

/** Lanes stop at the target or on divergence: each counts the steps it made (k + 1 evaluations of f). */
function fig3LaneSteps(sweeps: readonly SweepResult[]): number {
  return sweeps.reduce(
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
}

/** The three sweeps of Fig. 3 at once on the pool. */
export async function runFig3(pool: WorkerPool, backend: BackendChoice, signal?: AbortSignal): Promise<Fig3Result> {
  const { value: sweeps, seconds } = await timed(() =>
    Promise.all(
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
    ),
  );
  const timing = {
    experiment: 'Baiesi 2019, Fig. 3',
    seconds,
    laneSteps: fig3LaneSteps(sweeps),
    backend: [...new Set(sweeps.map((r) => r.backend))].join(', '),
  };
  return { sweeps, timing };
}

/** A paper table's title with the precision it was run in, for the demo's text and report. */
export const sprungerTitle = (t: PaperTable, precision: Precision) =>
  precision === 'f32' ? `${t.title} — in binary32 (--precision f32)` : t.title;

/**
 * One start per table, on this thread: each row is one run of at most 200 000 steps that stops at its targets.
 * Table 2 runs twice, in binary64 and in binary32 (the paper's arithmetic).
 */
export async function runSprungerTables(backend: BackendChoice): Promise<SprungerTablesResult> {
  const backends = new Set<string>();
  let laneSteps = 0;
  const { value: tables, seconds } = await timed(() =>
    SPRUNGER_TABLES.flatMap((t, i) =>
      (i === 0 ? ['f64' as const] : (['f64', 'f32'] as const)).map((precision) => ({ t, precision })),
    ).map(({ t, precision }) => ({
      table: t,
      precision,
      rows: t.rows.map((row): SprungerRow => {
        const opt: OptimizerConfig =
          row.method === 'SGD'
            ? { id: 'gd', params: { eta: row.eta! } }
            : { id: 'nasgd', params: { alpha: row.alpha! } };
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
        backends.add(r.backend);
        laneSteps += r.timing.laneSteps;
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
    })),
  );
  return {
    tables,
    timing: { experiment: 'Sprunger 2020, Tables 1–2', seconds, laneSteps, backend: [...backends].join(', ') },
  };
}

export function fig3Text({ sweeps, timing }: Fig3Result): string {
  const lines = [
    'Baiesi 2019, Fig. 3 protocol: fraction of 100 uniform starts reaching V < 1e-4 within T = 10² / 10³ / 10⁴ steps',
    `(NAG γ = 0.99; H = 1/2; β₁ = 0.9, β₂ = 0.99, ε = 1e-8; h(t): H₀ = 1/2, β₃ = 0.999). Whole protocol: ${timing.seconds.toFixed(2)} s wall, ${num(timing.laneSteps)} trajectory-steps.`,
  ];
  for (const r of sweeps) {
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
  return lines.join('\n');
}

export function sprungerTablesText({ tables }: SprungerTablesResult): string {
  const lines: string[] = [];
  for (const { table: t, precision, rows } of tables) {
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
  return lines.join('\n').trimStart();
}
