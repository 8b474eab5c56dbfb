/**
 * The Lab's views of a model's run as plain data, each with its checker (issue 11 §2): built from engine results
 * by src/present/modelViews.ts, drawn by webview/data/boundaryView.ts and projectionView.ts, embedded in the HTML
 * report and checked on load, and sent to the Lab panel, where they are checked on receipt like every message.
 *
 *   DecisionBoundaryData  the model's output over the plane of its two input columns, one frame per recorded step
 *                         of the selected run (optimizer, start), with the training and test points
 *   ProjectionData        the loss landscape along the selected run's path (Li et al. 2018): the training loss on
 *                         the plane of the path's two principal directions, the path and the other optimizers'
 *                         paths from the same start projected on it
 *   ModelViewsData        what a model's run shows: its curves, the Rosetta stone, and the two views above where
 *                         they exist (with the reason where they do not)
 * Non-finite numbers travel as null.
 */
import {
  arr,
  ascending,
  bool,
  count,
  field,
  invalid,
  isObj,
  literal,
  nullable,
  num,
  obj,
  sameLength,
  str,
  type Check,
} from './check';
import { rosettaData, trainingCurvesData, type RosettaData, type TrainingCurvesData } from './dataViewShapes';
import { LIMITS } from './limits';

export interface PlanePointsData {
  readonly x: readonly number[];
  readonly y: readonly number[];
  /** Each row's target (its label, or its value for regression). */
  readonly target: readonly number[];
}

export interface BoundaryFrame {
  /** The recorded step whose θ this is; the view shows the last frame at or before the animation's step. */
  readonly step: number;
  /** Row-major over ys × xs. */
  readonly values: readonly (number | null)[];
}

export interface DecisionBoundaryData {
  readonly title: string;
  /** The input columns' names, on the axes. */
  readonly xLabel: string;
  readonly yLabel: string;
  /** The target column's name. */
  readonly target: string;
  /**
   * binary: the output is s = ℓ(lo) − ℓ(hi), positive where the model prefers hi (the log-odds for a likelihood
   * loss), the boundary s = 0; regression: the output is the prediction ŷ on the target's scale.
   */
  readonly kind: 'binary' | 'regression';
  /** binary: the labels [lo, hi]; regression: the colour scale's ends (the target's range). */
  readonly levels: readonly [number, number];
  /** Ascending sample positions. */
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  readonly frames: readonly BoundaryFrame[];
  readonly train: PlanePointsData;
  readonly test: PlanePointsData;
}

export interface ProjectedPathData {
  readonly id: string;
  readonly label: string;
  /** Index into the webview's categorical palette. */
  readonly colour: number;
  /** The path the plane was fitted to. */
  readonly main: boolean;
  readonly steps: readonly number[];
  readonly a: readonly (number | null)[];
  readonly b: readonly (number | null)[];
  /** The training loss F at each iterate. */
  readonly f: readonly (number | null)[];
}

export interface ProjectionData {
  readonly title: string;
  /** The share of the path's squared distances along d₁ and d₂. */
  readonly explained: readonly [number, number];
  /** Ascending grid positions along d₁ (a) and d₂ (b). */
  readonly as: readonly number[];
  readonly bs: readonly number[];
  /** log₁₀ of the training loss F, row-major over bs × as (what the colour and the contours show). */
  readonly logLoss: readonly (number | null)[];
  readonly paths: readonly ProjectedPathData[];
}

export interface ModelViewsData {
  readonly curves: TrainingCurvesData;
  readonly rosetta: RosettaData;
  readonly boundary: DecisionBoundaryData | null;
  /** Why there is no decision boundary (a model that does not read two inputs and a target), or null. */
  readonly boundaryReason: string | null;
  readonly projection: ProjectionData | null;
  readonly projectionReason: string | null;
}

/** Grid values one view may carry: side² × frames. */
export const MAX_VIEW_VALUES = 4_000_000;

const maybe = nullable(num());
const axis = (p: string, xs: readonly number[]) => {
  if (xs.length < 2) invalid(p, 'a grid needs at least 2 samples per axis');
  ascending(p, xs);
};

const points: Check<PlanePointsData> = (v, p) => {
  const d = obj<PlanePointsData>({
    x: arr(num(), LIMITS.curvePoints * 10),
    y: arr(num(), LIMITS.curvePoints * 10),
    target: arr(num(), LIMITS.curvePoints * 10),
  })(v, p);
  sameLength(`${p}.y`, d.x, d.y, 'y');
  sameLength(`${p}.target`, d.x, d.target, 'target');
  return d;
};

const pair: Check<readonly [number, number]> = (v, p) => {
  const [lo, hi] = arr(num(), 2, 2)(v, p);
  return [lo, hi];
};

/** Frames × grid cells, from the raw arrays' lengths: a view too large is refused before its values are read. */
function checkSize(v: unknown, p: string): void {
  if (!isObj(v)) return;
  const length = (key: string) => {
    const a = field(v, key);
    return Array.isArray(a) ? a.length : 0;
  };
  const values = length('frames') * length('xs') * length('ys');
  if (values > MAX_VIEW_VALUES) invalid(`${p}.frames`, `${values} values, more than ${MAX_VIEW_VALUES}`);
}

export const decisionBoundaryData: Check<DecisionBoundaryData> = (v, p) => {
  checkSize(v, p);
  const d = obj<DecisionBoundaryData>({
    title: str(500),
    xLabel: str(200),
    yLabel: str(200),
    target: str(200),
    kind: literal('binary', 'regression'),
    levels: pair,
    xs: arr(num(), LIMITS.gridAxis),
    ys: arr(num(), LIMITS.gridAxis),
    frames: arr(obj<BoundaryFrame>({ step: count(), values: arr(maybe, LIMITS.gridAxis ** 2) }), LIMITS.curvePoints, 1),
    train: points,
    test: points,
  })(v, p);
  axis(`${p}.xs`, d.xs);
  axis(`${p}.ys`, d.ys);
  if (!(d.levels[0] < d.levels[1])) invalid(`${p}.levels`, 'lo must be below hi');
  const cells = d.xs.length * d.ys.length;
  d.frames.forEach((f, i) => {
    if (f.values.length !== cells) invalid(`${p}.frames[${i}].values`, `${f.values.length} values, expected ${cells}`);
    if (i > 0 && !(f.step > d.frames[i - 1].step)) invalid(`${p}.frames[${i}].step`, 'must be strictly increasing');
  });
  return d;
};

const projectedPath: Check<ProjectedPathData> = (v, p) => {
  const d = obj<ProjectedPathData>({
    id: str(200),
    label: str(200),
    colour: count(1000),
    main: bool,
    steps: arr(count(), LIMITS.tracePoints),
    a: arr(maybe, LIMITS.tracePoints),
    b: arr(maybe, LIMITS.tracePoints),
    f: arr(maybe, LIMITS.tracePoints),
  })(v, p);
  for (const k of ['a', 'b', 'f'] as const) sameLength(`${p}.${k}`, d.steps, d[k], k);
  return d;
};

export const projectionData: Check<ProjectionData> = (v, p) => {
  const d = obj<ProjectionData>({
    title: str(500),
    explained: pair,
    as: arr(num(), LIMITS.gridAxis),
    bs: arr(num(), LIMITS.gridAxis),
    logLoss: arr(maybe, LIMITS.gridAxis ** 2),
    paths: arr(projectedPath, LIMITS.optimizers, 1),
  })(v, p);
  axis(`${p}.as`, d.as);
  axis(`${p}.bs`, d.bs);
  const cells = d.as.length * d.bs.length;
  if (d.logLoss.length !== cells) invalid(`${p}.logLoss`, `${d.logLoss.length} values, expected ${cells}`);
  if (d.paths.filter((x) => x.main).length !== 1) invalid(`${p}.paths`, 'exactly one path is the main one');
  return d;
};

export const modelViewsData: Check<ModelViewsData> = obj<ModelViewsData>({
  curves: trainingCurvesData,
  rosetta: rosettaData,
  boundary: nullable(decisionBoundaryData),
  boundaryReason: nullable(str(1000)),
  projection: nullable(projectionData),
  projectionReason: nullable(str(1000)),
});

/** The run whose boundary and projection are shown: an optimizer of the run (index) and one of its traced starts. */
export interface ModelRunSelection {
  readonly optimizer: number;
  readonly start: number;
}

/**
 * Host → Lab: a model run's views, after the run (and while it runs, for the curves) and again when the selection
 * changes. For the Lab's protocol table (webviewProtocol.ts) as it is: `modelViews: modelViewsMessage`.
 */
export interface ModelViewsMessage {
  readonly type: 'modelViews';
  readonly runId: number;
  readonly selection: ModelRunSelection;
  readonly data: ModelViewsData;
}

/** Lab → host: show the boundary and the projection of another optimizer or start of run `runId`. */
export interface SelectModelRunMessage {
  readonly type: 'selectModelRun';
  readonly runId: number;
  readonly selection: ModelRunSelection;
}

const selection: Check<ModelRunSelection> = obj<ModelRunSelection>({
  optimizer: count(LIMITS.optimizers - 1),
  start: count(LIMITS.starts - 1),
});

export const modelViewsMessage: Check<ModelViewsMessage> = obj<ModelViewsMessage>({
  type: literal('modelViews'),
  runId: count(),
  selection,
  data: modelViewsData,
});

export const selectModelRunMessage: Check<SelectModelRunMessage> = obj<SelectModelRunMessage>({
  type: literal('selectModelRun'),
  runId: count(),
  selection,
});
