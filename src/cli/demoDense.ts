/**
 * Sprunger 2020 §3 (Figs. 4–6) in the demo: the dense layer R¹⁰ → R⁴ (tanh) of examples/sprunger-dense.cost
 * trained on sprunger_teacher by GD with momentum, Adam, RMSprop, Adagrad and NaSGD over their grids
 * (papers.ts SPRUNGER_DENSE), one data sweep per family, all on the pool at once; then each of the paper's
 * sentences about it beside what these runs show, with a verdict computed from the numbers.
 */
import { SPRUNGER_DENSE, type DataFamily } from '../engine/library/papers';
import type { BackendChoice } from '../engine/kernel/types';
import type { DataOptimizerRun } from '../engine/run/dataSummary';
import type { DataSweepResult } from '../engine/run/dataSweep';
import { epochSteps } from '../engine/run/dataProblem';
import type { WorkerPool } from '../engine/run/pool/workerPool';
import { formatNumber as num } from '../present/format';
import { paramSymbol } from '../present/params';
import type { ClaimRow, TimingRow, Verdict } from '../present/reportData';
import { table } from '../present/textTable';
import { exampleModel, sweepsTiming, timed, type DataSize } from './demoProtocol';

export interface DenseResult {
  readonly families: readonly { readonly family: DataFamily; readonly sweep: DataSweepResult }[];
  readonly size: DataSize;
  readonly data: {
    readonly trainRows: number;
    readonly testRows: number;
    readonly epochSteps: number;
    readonly parameters: number;
  };
  readonly timing: TimingRow;
}

/** One configuration: its family, its grid value and its cell. */
export interface DenseConfig {
  readonly family: DataFamily;
  readonly value: number;
  readonly label: string;
  readonly cell: DataOptimizerRun;
}

const PAPER_SIZE: DataSize = { starts: SPRUNGER_DENSE.starts, epochs: SPRUNGER_DENSE.epochs };

export async function runDense(
  pool: WorkerPool,
  backend: BackendChoice,
  size: DataSize = PAPER_SIZE,
  signal?: AbortSignal,
): Promise<DenseResult> {
  const { value, seconds } = await timed(async () => {
    const { source, problem } = exampleModel(SPRUNGER_DENSE.model);
    const steps = size.epochs * epochSteps(problem);
    const sweeps = await Promise.all(
      SPRUNGER_DENSE.families.map((family) =>
        pool.sweepData(
          {
            problem: source,
            optimizers: family.optimizers,
            grid: [family.grid],
            starts: { kind: 'draw', n: size.starts },
            seed: SPRUNGER_DENSE.seed,
            steps,
            targets: [],
            backend,
          },
          { signal },
        ),
      ),
    );
    return { sweeps, problem };
  });
  const { sweeps, problem } = value;
  return {
    families: SPRUNGER_DENSE.families.map((family, i) => ({ family, sweep: sweeps[i] })),
    size,
    data: {
      trainRows: problem.trainRows,
      testRows: problem.testRows,
      epochSteps: epochSteps(problem),
      parameters: problem.variables.length,
    },
    timing: sweepsTiming('Sprunger 2020 §3, Figs. 4–6', sweeps, seconds),
  };
}

export const settingLabel = (family: DataFamily, value: number) =>
  `${paramSymbol(family.grid.name, [family.optimizers[0].id])} = ${num(value)}`;

export function denseConfigs(d: DenseResult): DenseConfig[] {
  return d.families.flatMap(({ family, sweep }) =>
    sweep.cells.map((cell) => {
      const value = cell.params[family.grid.name] as number;
      return { family, value, label: `${family.title}, ${settingLabel(family, value)}`, cell };
    }),
  );
}

const distance = (c: DenseConfig) => c.cell.epochs.metrics[SPRUNGER_DENSE.metric];
/** Mean test distance after epoch e (the paper's "average distance") over the starts that have not diverged. */
export const meanAt = (c: DenseConfig, e: number) => distance(c).mean[e];
const lastEpoch = (c: DenseConfig) => distance(c).mean.length - 1;
/** The final mean over all starts: a diverged start's distance is unbounded, so then it is ∞. */
export const finalMean = (c: DenseConfig) => (c.cell.diverged > 0 ? Infinity : meanAt(c, lastEpoch(c)));
/**
 * Whether the mean distance still fell by more than 10% over the second half of training: "progress" in the
 * paper's sense, the opposite of having saturated or stalled (our criterion; the paper reads its plots).
 */
const stillFalling = (c: DenseConfig) => finalMean(c) < 0.9 * meanAt(c, Math.round(lastEpoch(c) / 2));
const isNasgd = (c: DenseConfig) => c.family.optimizers[0].id === 'nasgd';
const isGd = (c: DenseConfig) => c.family.optimizers[0].id === 'gd';
const list = (cs: readonly DenseConfig[], v: (c: DenseConfig) => string) =>
  cs.map((c) => `${c.label} (${v(c)})`).join('; ') || 'none';
const verdictOf = (all: boolean, some: boolean): Verdict => (all ? 'agrees' : some ? 'partly' : 'differs');

/** The mean over starts of a Rosetta quantity at the first update and at the last one made. */
function rosettaEnds(c: DenseConfig, q: 'etaEq' | 'alphaEq') {
  const mean = c.cell.rosetta[q].mean;
  const defined = mean.filter((v) => Number.isFinite(v));
  return {
    first: defined[0] ?? NaN,
    last: defined[defined.length - 1] ?? NaN,
    min: Math.min(...defined),
    max: Math.max(...defined),
    aboveShare: (limit: number) => defined.filter((v) => v > limit).length / Math.max(1, defined.length),
  };
}

/** Each of the paper's sentences (papers.ts) beside what these runs show. */
export function denseClaims(d: DenseResult): ClaimRow[] {
  const configs = denseConfigs(d);
  const T = SPRUNGER_DENSE.threshold;
  const standard = configs.filter((c) => !isNasgd(c));
  const nasgd = configs.filter(isNasgd);
  const mean = (c: DenseConfig) => num(finalMean(c), { digits: 2 });
  const epochs = d.size.epochs;
  const half = `from epoch ${Math.round(epochs / 2)} to ${epochs}`;
  const rows = new Map<string, Omit<ClaimRow, 'where' | 'claim'>>();

  const below = standard.filter((c) => finalMean(c) < T);
  rows.set('standard', {
    found: `${below.length} of ${standard.length} settings end below ${num(T)} (mean over starts): ${list(below, mean)}`,
    verdict: below.length === 0 ? 'agrees' : 'differs',
  });

  const converging = standard.filter((c) => Number.isFinite(finalMean(c)));
  const falling = converging.filter(stillFalling);
  rows.set('saturation', {
    found:
      `${falling.length} of ${converging.length} settings without diverged starts still fall by more than 10% ` +
      `${half}; flat: ${list(
        converging.filter((c) => !falling.includes(c)),
        mean,
      )}`,
    verdict: verdictOf(falling.length === 0, falling.length < converging.length / 2),
  });

  const mid = nasgd.filter((c) => c.value >= 0.5 && c.value <= 1.5);
  const midBelow = mid.filter((c) => finalMean(c) < T);
  const settled = mid.filter((c) => !stillFalling(c));
  rows.set('nasgd', {
    found:
      `${midBelow.length} of ${mid.length} end below ${num(T)}: ${list(mid, mean)}; ${settled.length} of them ` +
      `level off (less than 10% gained ${half})`,
    verdict: verdictOf(midBelow.length === mid.length && settled.length === mid.length, midBelow.length > 0),
  });

  const low = nasgd.filter((c) => c.value <= 0.3);
  const beaten = (c: DenseConfig) => converging.filter((s) => finalMean(s) > finalMean(c)).length;
  rows.set('nasgdLow', {
    found: low.map((c) => `${c.label} (${mean(c)}) beats ${beaten(c)} of ${converging.length} settings`).join('; '),
    verdict: verdictOf(
      low.every((c) => beaten(c) >= converging.length / 2),
      low.some((c) => beaten(c) >= converging.length / 2),
    ),
  });

  const high = nasgd.filter((c) => c.value >= 1.7);
  rows.set('nasgdHigh', {
    found:
      high.map((c) => `${c.label}: ${num(meanAt(c, 0), { digits: 2 })} → ${mean(c)}`).join('; ') +
      `; ${high.filter(stillFalling).length} of ${high.length} still fall by more than 10% ${half}`,
    verdict: high.every(stillFalling) ? 'differs' : high.some(stillFalling) ? 'partly' : 'agrees',
  });

  const rosetta = nasgd.find((c) => c.value === SPRUNGER_DENSE.rosettaAlpha);
  if (rosetta) {
    const e = rosettaEnds(rosetta, 'etaEq');
    const decades = Math.log10(e.first / e.last);
    rows.set('etaEq', {
      found: `mean η_eq ${num(e.first, { digits: 2 })} at the first update, ${num(e.last, { digits: 2 })} at the last; between ${num(e.min, { digits: 2 })} and ${num(e.max, { digits: 2 })} at every recorded step`,
      verdict: verdictOf(decades >= 4, decades >= 1),
    });
  }

  const gd = configs.filter(isGd);
  const limit = SPRUNGER_DENSE.alphaLimit;
  const ends = gd.map((c) => ({ c, ...rosettaEnds(c, 'alphaEq') }));
  const settlesAbove = ends.filter((x) => x.last > limit && x.last > x.first);
  rows.set('alphaEq', {
    found: ends
      .map((x) => `η = ${num(x.c.value)}: ${num(x.first, { digits: 2 })} → ${num(x.last, { digits: 2 })}`)
      .join('; '),
    verdict: verdictOf(settlesAbove.length === gd.length, settlesAbove.length > 0),
  });

  const consistent = ends.filter((x) => x.aboveShare(limit) > 0.5 !== stillFalling(x.c));
  rows.set('rule', {
    found:
      ends
        .map(
          (x) =>
            `η = ${num(x.c.value)}: α_eq > ${limit} at ${Math.round(100 * x.aboveShare(limit))}% of recorded updates, ` +
            `distance ${num(meanAt(x.c, Math.round(epochs / 2)), { digits: 2 })} → ${x.c.cell.diverged ? `${x.c.cell.diverged} of ${x.c.cell.n} starts diverged` : mean(x.c)} ${half}`,
        )
        .join('; ') +
      `; ${consistent.length} of ${ends.length} follow the rule (still falling by more than 10% ${half} exactly when α_eq ≤ ${limit} at most recorded updates)`,
    verdict: verdictOf(consistent.length === ends.length, consistent.length > 0),
  });

  return SPRUNGER_DENSE.claims.flatMap((claim) => {
    const row = rows.get(claim.id);
    return row ? [{ where: claim.where, claim: claim.text, ...row }] : [];
  });
}

export function denseText(d: DenseResult): string {
  const E = d.size.epochs;
  const marks = [...new Set([Math.round(E / 9), Math.round(E / 3), Math.round((2 * E) / 3), E])];
  const lines = [
    `Sprunger 2020 §3, Figs. 4–6: the dense layer R¹⁰ → R⁴ (tanh) on sprunger_teacher, ${d.data.trainRows} training / ${d.data.testRows} test rows, ` +
      `batch 1, ${E} epochs (${E * d.data.epochSteps} steps), ${d.size.starts} starts (seed ${SPRUNGER_DENSE.seed}); ` +
      `${d.timing.seconds.toFixed(2)} s wall, ${num(d.timing.laneSteps)} lane-steps (${d.timing.backend}).`,
    `Mean test distance over the starts (the paper's "average distance") after epochs ${marks.join(', ')}; the median after the last:`,
    table(
      ['setting', ...marks.map((e) => `epoch ${e}`), 'median', 'diverged'],
      denseConfigs(d).map((c) => [
        c.label,
        ...marks.map((e) => num(meanAt(c, e), { digits: 2 })),
        num(distance(c).median[E], { digits: 2 }),
        `${c.cell.diverged}/${c.cell.n}`,
      ]),
    ),
  ];
  return lines.join('\n');
}

/** The paper's sentences beside the findings, for the terminal. */
export function claimsText(title: string, rows: readonly ClaimRow[]): string {
  return [title, ...rows.flatMap((r) => [`  [${r.verdict}] ${r.where}: “${r.claim}”`, `      here: ${r.found}`])].join(
    '\n',
  );
}
