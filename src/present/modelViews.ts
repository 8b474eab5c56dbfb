/**
 * A model's run → the Lab's model views (modelViewShapes.ts), one builder per view, for the Lab panel and the
 * HTML report alike: the curves (training loss against step, each metric against the epoch, the minibatch loss),
 * the Rosetta stone for every optimizer of the run, the decision boundary of the selected start and optimizer at
 * each recorded step, and the loss landscape along its path. The numbers come from the engine
 * (decisionBoundary.ts, pathProjection.ts, the run's summary); here they are picked, thinned and put in shape.
 */
import type { ModelProgram } from '../engine/model';
import type { DataProblem } from '../engine/run/dataProblem';
import type { DataRunResult } from '../engine/run/dataRunner';
import type { DataOptimizerRun } from '../engine/run/dataSummary';
import { boundaryPlane, decisionBoundary, planeExtent, planePoints } from '../engine/run/decisionBoundary';
import { projectPath, type PathIterates } from '../engine/run/pathProjection';
import type { BandChartData, RosettaData, TrainingCurvesData } from '../shared/dataViewShapes';
import type {
  DecisionBoundaryData,
  ModelRunSelection,
  ModelViewsData,
  ProjectionData,
} from '../shared/modelViewShapes';
import { bandSeries, type DataQuantity } from './dataViews';
import { configLabel } from './params';

/** The run the boundary and the projection show: an optimizer of the run (its index) and one of its traced starts. */
export type RunSelection = ModelRunSelection;

/** The α_eq above which GD's progress is faded (Sprunger 2020, Fig. 6c). */
const ALPHA_LIMIT = 2;
/** Frames of a decision boundary at most (recorded steps thinned evenly beyond it). */
export const BOUNDARY_FRAMES = 120;

/** Each run's label: the optimizer, with the hyperparameters that tell apart its configurations in the run. */
export function runLabels(runs: readonly DataOptimizerRun[]): string[] {
  return runs.map((r) => {
    const same = runs.filter((q) => q.optimizer === r.optimizer);
    const axes = Object.keys(r.params).filter((k) => new Set(same.map((q) => q.params[k])).size > 1);
    return configLabel(r.optimizer, r.params, axes);
  });
}

const seriesOf = (result: DataRunResult, q: DataQuantity, fade?: { alphaLimit: number }) => {
  const labels = runLabels(result.runs);
  return result.runs.map((r, i) => bandSeries(r, q, `${r.optimizer}#${i}`, labels[i], i, fade));
};

function chart(
  result: DataRunResult,
  title: string,
  quantity: string,
  q: DataQuantity,
  scale: 'log' | 'linear',
  references: BandChartData['references'] = [],
  fade?: { alphaLimit: number },
): BandChartData {
  return {
    title,
    quantity,
    scale,
    line: 'median',
    epochSteps: result.problem.epochSteps,
    axis: 'step',
    series: seriesOf(result, q, fade),
    references,
    yRange: null,
  };
}

/** Log scale when the values span more than a decade (a loss), linear otherwise (an accuracy). */
function scaleOf(result: DataRunResult, name: string): 'log' | 'linear' {
  const values = result.runs.flatMap((r) => r.epochs.metrics[name]?.median ?? []).filter((v) => Number.isFinite(v));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo > 0 && hi / lo > 10 ? 'log' : 'linear';
}

export function modelCurves(result: DataRunResult): TrainingCurvesData {
  const where = result.problem.testRows > 0 ? 'test' : 'training';
  return {
    title: `${result.fn.name}: training and ${where} curves`,
    charts: [
      chart(result, 'Training loss', 'training loss F − f*', { kind: 'loss' }, 'log'),
      ...result.problem.metrics.map((m) =>
        chart(result, `${m} (${where} rows)`, `${where} ${m}`, { kind: 'metric', name: m }, scaleOf(result, m)),
      ),
      chart(result, 'Minibatch loss', 'minibatch loss fB', { kind: 'minibatch' }, 'log'),
    ],
  };
}

/** Sprunger 2020, Fig. 6, for every optimizer of the run: η_eq, α_eq (with α = 2) and F faded where α_eq > 2. */
export function modelRosetta(result: DataRunResult): RosettaData {
  return {
    etaEq: chart(result, 'Equivalent learning rate η_eq', 'η_eq', { kind: 'etaEq' }, 'log'),
    alphaEq: chart(result, 'Equivalent α_eq', 'α_eq', { kind: 'alphaEq' }, 'log', [
      { value: ALPHA_LIMIT, label: 'α = 2' },
    ]),
    progress: chart(
      result,
      `Training loss, faded where α_eq > ${ALPHA_LIMIT}`,
      'training loss F − f*',
      { kind: 'loss' },
      'log',
      [],
      { alphaLimit: ALPHA_LIMIT },
    ),
    alphaLimit: ALPHA_LIMIT,
  };
}

/** The traced iterates of one start of one optimizer, or null when that start was not traced. */
function iterates(run: DataOptimizerRun, start: number): (PathIterates & { f: number[] }) | null {
  const trace = run.traces.find((t) => t.lane === start);
  if (!trace || trace.points.length === 0) return null;
  return {
    steps: trace.points.map((p) => p.step),
    thetas: trace.points.map((p) => p.theta),
    f: trace.points.map((p) => p.f),
  };
}

function selected(result: DataRunResult, sel: RunSelection) {
  const run = result.runs[sel.optimizer];
  if (!run) throw new RangeError(`the run has no optimizer ${sel.optimizer + 1}`);
  const path = iterates(run, sel.start);
  if (!path) throw new RangeError(`start ${sel.start + 1} of ${run.label} was not traced`);
  return { run, path, label: `${runLabels(result.runs)[sel.optimizer]}, start ${sel.start + 1}` };
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

function thin<T>(items: readonly T[], most: number): T[] {
  if (items.length <= most) return [...items];
  return Array.from({ length: most }, (_, k) => items[Math.round((k * (items.length - 1)) / (most - 1))]);
}

/** The decision boundary of the selected run at each recorded step; throws a RangeError saying why there is none. */
export function boundaryView(
  model: ModelProgram,
  result: DataRunResult,
  sel: RunSelection,
  opts: { readonly side?: number; readonly frames?: number } = {},
): DecisionBoundaryData {
  const plane = boundaryPlane(model);
  const { path, label } = selected(result, sel);
  const side = opts.side ?? 48;
  const extent = planeExtent(model, plane);
  const indices = thin(
    path.steps.map((_, i) => i),
    opts.frames ?? BOUNDARY_FRAMES,
  );
  const frames = indices.map((i) => {
    const g = decisionBoundary(model, plane, path.thetas[i], { nx: side, ny: side, extent });
    return { step: path.steps[i], values: Array.from(g.values, finite) };
  });
  const pts = planePoints(model, plane);
  const targets = [...pts.train.target, ...pts.test.target];
  const lo = Math.min(...targets);
  const hi = Math.max(...targets);
  const levels: [number, number] =
    plane.kind === 'binary' ? [plane.levels[0], plane.levels[1]] : [lo, hi > lo ? hi : lo + 1];
  const samples = (lo: number, hi: number) => Array.from({ length: side }, (_, i) => lo + ((hi - lo) * i) / (side - 1));
  return {
    title: `Decision boundary: ${label}`,
    xLabel: plane.x.name,
    yLabel: plane.y.name,
    target: plane.target.name,
    kind: plane.kind,
    levels,
    xs: samples(extent.x[0], extent.x[1]),
    ys: samples(extent.y[0], extent.y[1]),
    frames,
    train: pts.train,
    test: pts.test,
  };
}

/** The loss landscape along the selected run's path, with the other optimizers' paths from the same start. */
export function projectionView(
  problem: DataProblem,
  result: DataRunResult,
  sel: RunSelection,
  opts: { readonly side?: number } = {},
): ProjectionData {
  const { path, label } = selected(result, sel);
  const labels = runLabels(result.runs);
  const others = result.runs
    .map((r, i) => ({ i, path: i === sel.optimizer ? null : iterates(r, sel.start) }))
    .filter((o): o is { i: number; path: PathIterates & { f: number[] } } => o.path !== null);
  const p = projectPath(
    problem,
    path,
    others.map((o) => o.path),
    { side: opts.side ?? 41 },
  );
  const fStar = problem.fStar;
  const log = (F: number) => finite(Math.log10(Math.max(F - fStar, 1e-16)));
  const pathData = (i: number, proj: (typeof p)['path'], f: readonly number[], main: boolean) => ({
    id: `${result.runs[i].optimizer}#${i}`,
    label: labels[i],
    colour: i,
    main,
    steps: [...proj.steps],
    a: proj.a.map(finite),
    b: proj.b.map(finite),
    f: f.map(finite),
  });
  return {
    title: `Loss along the path: ${label} (PCA of its iterates, Li et al. 2018)`,
    explained: [p.explained[0], p.explained[1]],
    as: [...p.grid.as],
    bs: [...p.grid.bs],
    logLoss: Array.from(p.grid.loss, log),
    paths: [
      pathData(sel.optimizer, p.path, path.f, true),
      ...others.map((o, k) => pathData(o.i, p.others[k], o.path.f, false)),
    ],
  };
}

const reason = (e: unknown): string => {
  if (e instanceof RangeError) return e.message;
  throw e;
};

/** Every view of a model's run; the boundary and the projection give way to their reason when they cannot be drawn. */
export function modelViews(
  problem: DataProblem,
  result: DataRunResult,
  sel: RunSelection = { optimizer: 0, start: 0 },
  opts: { readonly side?: number; readonly frames?: number; readonly projectionSide?: number } = {},
): ModelViewsData {
  let boundary: DecisionBoundaryData | null = null;
  let boundaryReason: string | null = null;
  let projection: ProjectionData | null = null;
  let projectionReason: string | null = null;
  try {
    if (!problem.model) throw new RangeError(`${problem.name} is a cost function: it has no input plane`);
    boundary = boundaryView(problem.model, result, sel, opts);
  } catch (e) {
    boundaryReason = reason(e);
  }
  try {
    projection = projectionView(problem, result, sel, { side: opts.projectionSide });
  } catch (e) {
    projectionReason = reason(e);
  }
  return {
    curves: modelCurves(result),
    rosetta: modelRosetta(result),
    boundary,
    boundaryReason,
    projection,
    projectionReason,
  };
}
