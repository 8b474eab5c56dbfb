/**
 * The demo as a report (demo-report/index.html): Baiesi Fig. 3 per function and Sprunger Tables 1–2 beside the
 * paper (CONVENTIONS.md); Sprunger §3 as Figs. 4–6 — one curves view per optimizer family, the Rosetta stone —
 * with the final numbers; the Powerball SGD γ × η heat maps and early curves; each with the papers' sentences
 * beside what the runs show, and every experiment's wall time and lane-steps.
 */
import { BAIESI_FIG3, POWERBALL, SPRUNGER_DENSE } from '../engine/library/papers';
import type { DataOptimizerRun } from '../engine/run/dataSummary';
import { bandSeries, sweepHeatmap, upToStep, withSharedRange, type DataQuantity } from '../present/dataViews';
import type { BandChartData, BandSeries, TrainingCurvesData } from '../shared/dataViewShapes';
import { formatNumber as num } from '../present/format';
import type { DenseSection, PowerballSection, ReportData, TimingRow } from '../present/reportData';
import { sweepData } from '../present/sweepMessage';
import { sprungerTitle, type Fig3Result, type SprungerTablesResult } from './demoAnalytic';
import { denseClaims, denseConfigs, finalMean, settingLabel, type DenseResult } from './demoDense';
import { finalAccuracy, powerballCell, powerballClaims, type PowerballResult } from './demoPowerball';
import { reportMeta } from './report';

/** Everything the demo ran. */
export interface DemoResult {
  readonly fig3: Fig3Result;
  readonly tables: SprungerTablesResult;
  readonly dense: DenseResult;
  readonly powerball: PowerballResult;
  /** Per experiment in the order they ran. */
  readonly timings: readonly TimingRow[];
}

const TEN_TO_MINUS_3 = { value: SPRUNGER_DENSE.threshold, label: '10⁻³ (Sprunger §3)' };

function chart(
  title: string,
  quantity: string,
  series: readonly BandSeries[],
  epochSteps: number,
  references: BandChartData['references'] = [],
): BandChartData {
  return { title, quantity, scale: 'log', line: 'mean', epochSteps, axis: 'step', series, references, yRange: null };
}

/** Figs. 4–5: per family, the test distance and the training loss against step, one series per grid value. */
function denseCurves(d: DenseResult): TrainingCurvesData[] {
  const nb = d.data.epochSteps;
  const per = (q: DataQuantity, quantity: string, refs: BandChartData['references']) =>
    withSharedRange(
      d.families.map(({ family, sweep }) =>
        chart(
          family.title,
          quantity,
          sweep.cells.map((cell, i) =>
            bandSeries(
              cell,
              q,
              `${family.title}:${i}`,
              settingLabel(family, cell.params[family.grid.name] as number),
              i,
            ),
          ),
          nb,
          refs,
        ),
      ),
    );
  const test = per({ kind: 'metric', name: SPRUNGER_DENSE.metric }, 'test distance', [TEN_TO_MINUS_3]);
  const train = per({ kind: 'loss' }, 'training loss F', []);
  return d.families.map(({ family }, i) => ({ title: family.title, charts: [test[i], train[i]] }));
}

/** Sprunger §3 as the report shows it. */
export function denseSection(d: DenseResult): DenseSection {
  const nb = d.data.epochSteps;
  const configs = denseConfigs(d);
  const gd = configs.filter((c) => c.family.optimizers[0].id === 'gd');
  const nasgd = configs.find((c) => c.family.optimizers[0].id === 'nasgd' && c.value === SPRUNGER_DENSE.rosettaAlpha);
  const limit = SPRUNGER_DENSE.alphaLimit;
  const gdSeries = (q: DataQuantity, fade?: { alphaLimit: number }) =>
    gd.map((c, i) => bandSeries(c.cell, q, `gd:${i}`, settingLabel(c.family, c.value), i, fade));
  const stats = (cell: DataOptimizerRun) => cell.epochs.metrics[SPRUNGER_DENSE.metric];
  return {
    title: 'Sprunger 2020 §3: dense layer matching (Figs. 4–6)',
    text: [
      `A dense layer R¹⁰ → R⁴ with tanh (${SPRUNGER_DENSE.model.file}, ${d.data.parameters} parameters) learns the teacher layer of sprunger_teacher from its ${d.data.trainRows} training rows, batch 1, ${d.size.epochs} epochs of ${nb} steps, ` +
        `from ${d.size.starts} initial parameter draws (W uniform in [−0.5, 0.5], b = 0; seed ${SPRUNGER_DENSE.seed}) shared by every configuration, as are the batch orders. ` +
        `Progress is the test distance: ‖tanh(Wx + b) − y‖ averaged over the ${d.data.testRows} test rows after each epoch.`,
      'Each panel is one of the paper’s plots (Fig. 4: GD with momentum μ; Fig. 5: Adam, RMSprop, Adagrad, NaSGD), one series per learning rate η or NaSGD’s α: ' +
        'the line is the mean over the starts, as the paper plots “the average distance”, and the band runs from the first to the third quartile; the panels share their y axis. ' +
        'The grids are ours (the paper prints none): each brackets its family’s best setting. A start that diverged is left out of the curves and counted in the table.',
      `The whole experiment (${num(d.timing.laneSteps)} lane-steps) took ${d.timing.seconds.toFixed(2)} s wall on this machine (${d.timing.backend} backend), text to numbers.`,
    ],
    curves: denseCurves(d),
    rosetta: {
      etaEq: chart(
        `Fig. 6a: equivalent learning rate of NaSGD (α = ${SPRUNGER_DENSE.rosettaAlpha})`,
        'η_eq = min(1, α fB / ‖gB‖²)',
        nasgd ? [bandSeries(nasgd.cell, { kind: 'etaEq' }, 'nasgd', nasgd.label, 0)] : [],
        nb,
      ),
      alphaEq: chart('Fig. 6b: equivalent α of GD', 'α_eq = η ‖gB‖² / fB', gdSeries({ kind: 'alphaEq' }), nb, [
        { value: limit, label: `α = ${limit}` },
      ]),
      progress: chart(
        `Fig. 6c: GD’s test distance, faded where its mean α_eq > ${limit}`,
        'test distance',
        gdSeries({ kind: 'metric', name: SPRUNGER_DENSE.metric }, { alphaLimit: limit }),
        nb,
        [TEN_TO_MINUS_3],
      ),
      alphaLimit: limit,
    },
    finals: {
      caption: `Test distance after epoch ${d.size.epochs} over the ${d.size.starts} starts (the starts that diverged left out)`,
      columns: ['mean', 'median', 'q1', 'q3', 'diverged'],
      rows: configs.map((c) => ({
        label: c.label,
        cells: [
          Number.isFinite(finalMean(c)) ? finalMean(c) : null,
          ...(['median', 'q1', 'q3'] as const).map((k) => {
            const v = stats(c.cell)[k].at(-1)!;
            return Number.isFinite(v) ? v : null;
          }),
          c.cell.diverged,
        ],
      })),
    },
    claims: denseClaims(d),
  };
}

/** The Powerball SGD experiment as the report shows it. */
export function powerballSection(p: PowerballResult): PowerballSection {
  const { data, size } = p;
  const lastEarly = Math.min(POWERBALL.earlyEpochs, size.epochs) * data.epochSteps;
  const early = (q: DataQuantity, quantity: string): BandChartData => ({
    ...chart(
      `pbSGD at η = ${num(POWERBALL.earlyEta)}: the first ${Math.min(POWERBALL.earlyEpochs, size.epochs)} epochs`,
      quantity,
      // SGD first: chart.js draws the first series on top, and the others are read against it.
      [...POWERBALL.gammas]
        .reverse()
        .map((g, i) =>
          upToStep(
            bandSeries(
              powerballCell(p, 'pbsgd', POWERBALL.earlyEta, g),
              q,
              `gamma:${g}`,
              `γ = ${num(g)}${g === 1 ? ' (SGD)' : ''}`,
              i,
            ),
            lastEarly,
          ),
        ),
      data.epochSteps,
    ),
    line: 'median',
    // The paper's Fig. 2 is per epoch, as these series are.
    axis: 'epoch',
    scale: q.kind === 'metric' ? 'linear' : 'log',
  });
  const heatmap = (id: string, title: string) =>
    sweepHeatmap(p.sweep, id, { x: 'eta', y: 'H', symbols: { H: 'γ' } }, finalAccuracy, {
      title,
      metric: `median final test ${POWERBALL.metric}`,
      range: { lo: 0, hi: 1 },
      markY: 1,
    });
  return {
    title: 'Powerball SGD: γ × η with vanishing gradients (Figs. 2, 4–5)',
    text: [
      `A tanh MLP with three hidden layers of 6 units (${data.parameters} parameters, ${POWERBALL.model.file}) on xor with 10% noise, ${data.trainRows} training and ${data.testRows} test rows, batch ${data.batch}, ${size.epochs} epochs, ${size.starts} starts (seed ${POWERBALL.seed}). ` +
        'Its weights start normal with standard deviation 0.1, so each layer shrinks the signal about fourfold and the gradients that reach the first layers are small: the paper’s vanishing-gradient setting (its Fig. 4 uses 12–15 ReLU layers on MNIST) at toy scale.',
      `Each heat map is one optimizer over γ × η, the paper’s grids (γ in steps of 0.2); a cell is the median over the starts of the final test accuracy, and the dashed row γ = 1 is plain SGD (pbSGD) or SGD with momentum 0.9 (pbSGDM). ` +
        `A cell “trains” here when it reaches ${POWERBALL.trained} (our threshold for the paper’s dark blocks); an untrained net sits near 0.5.`,
      `The curves are pbSGD at η = ${num(POWERBALL.earlyEta)} (the learning rate of the paper’s Fig. 2) over the first epochs, one per γ: the median over the starts with the quartile band.`,
      `The whole experiment (${num(p.timing.laneSteps)} lane-steps) took ${p.timing.seconds.toFixed(2)} s wall (${p.timing.backend} backend).`,
    ],
    heatmaps: [heatmap('pbsgd', 'pbSGD (γ = 1: SGD)'), heatmap('pbsgdm', 'pbSGDM, β = 0.9 (γ = 1: SGD with momentum)')],
    early: {
      title: `pbSGD against SGD at η = ${num(POWERBALL.earlyEta)}`,
      charts: [
        early({ kind: 'epochLoss' }, 'training loss F'),
        early({ kind: 'metric', name: POWERBALL.metric }, `test ${POWERBALL.metric}`),
      ],
    },
    claims: powerballClaims(p),
  };
}

export function demoReport(d: DemoResult, argv: readonly string[]): ReportData {
  const backend = [...new Set(d.timings.map((t) => t.backend))].join(', ');
  const family = (f: (typeof SPRUNGER_DENSE.families)[number]) =>
    `${f.title}: ${f.grid.name === 'alpha' ? 'α' : 'η'} ∈ {${f.grid.values.map((v) => num(v)).join(', ')}}`;
  return {
    kind: 'demo',
    meta: reportMeta(
      'Descent Lab: the papers’ experiments, reproduced',
      'Baiesi 2019 (power-gradient descent), Fig. 3 protocol; Sprunger 2020 (normalized adaptive SGD), Tables 1–2 and §3 (Figs. 4–6); the Powerball SGD paper’s γ × η experiments (Figs. 2, 4–5) — run by this engine, beside what the papers print.',
      argv,
      backend,
      [
        ['Fig. 3 functions', `${BAIESI_FIG3.functions.join(', ')} on [−4, 4]², [−2, 2]², [−4.5, 4.5]²`],
        [
          'Fig. 3 optimizers',
          BAIESI_FIG3.optimizers
            .map((o) => [o.id, ...Object.entries(o.params).map(([k, v]) => `${k}=${v}`)].join(':'))
            .join(', '),
        ],
        [
          'Fig. 3 grid',
          `η ∈ {${BAIESI_FIG3.etas.map((v) => num(v)).join(', ')}}, budgets ${BAIESI_FIG3.budgets.join(', ')} steps, target V < ${num(BAIESI_FIG3.target)}`,
        ],
        ['Starts', `${BAIESI_FIG3.starts} uniform random starts per function, seed 1`],
        ['Sprunger', 'one start per table, 200 000 steps at most, steps counted as k + 1 (iterates inclusively)'],
        [
          'Sprunger §3',
          `${SPRUNGER_DENSE.model.file}#${SPRUNGER_DENSE.model.name}, ${d.dense.size.starts} starts, ${d.dense.size.epochs} epochs, seed ${SPRUNGER_DENSE.seed}`,
        ],
        ['Sprunger §3 grids', SPRUNGER_DENSE.families.map(family).join('; ')],
        [
          'Powerball SGD',
          `${POWERBALL.model.file}#${POWERBALL.model.name}, pbsgd and pbsgdm:beta=0.9, γ (H) ∈ {${POWERBALL.gammas.join(', ')}} × η ∈ {${POWERBALL.etas.join(', ')}}, ${d.powerball.size.starts} starts, ${d.powerball.size.epochs} epochs, seed ${POWERBALL.seed}`,
        ],
      ],
      [
        'Sprunger Table 1 is reproduced exactly in binary64, except the last thresholds of NaSGD α = 0.7: that run is chaotic, its late steps depend on the floating-point evaluation order.',
        'Sprunger Table 2 (Rosenbrock from (−3, −4)): the long SGD runs drift slightly in binary64 (e.g. 13630 against 13633) because the paper ran in binary32; run in binary32 (--precision f32) every SGD row is exact. NaSGD rows past the second threshold depend on evaluation order.',
      ],
    ),
    sweeps: d.fig3.sweeps.map(sweepData),
    papers: d.tables.tables.map(({ table, precision, rows }) => ({
      title: sprungerTitle(table, precision),
      thresholds: table.thresholds,
      rows,
    })),
    dense: denseSection(d.dense),
    powerball: powerballSection(d.powerball),
    timings: d.timings,
  };
}
