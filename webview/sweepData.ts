/**
 * Pure builders for the sweep charts (no DOM, no chart.js, so they run under node:test): f_D curves against the
 * swept axis, the η × H heat map, the best cell per optimizer and the start-point outcome map. They reshape the
 * numbers of a `sweepResult` message; nothing here is computed from the cost function.
 */
import { formatNumber } from '../src/present/format';
import type { SweepAxis, SweepCellData, SweepData } from '../src/shared/sweepShapes';

/** Optimizer ids the power transform derives from a base id: `h-adam` and `ht-adam` pair with `adam`. */
const VARIANT_PREFIXES = ['', 'h-', 'ht-'] as const;

export interface SeriesStyle {
  /** Index into the theme's categorical palette: one per base optimizer. */
  readonly colour: number;
  /** 0 for the base optimizer, 1 for its h- variant, 2 for its h(t)- variant. */
  readonly variant: number;
}

export function baseOptimizer(id: string): { base: string; variant: number } {
  for (let v = VARIANT_PREFIXES.length - 1; v > 0; v--) {
    if (id.startsWith(VARIANT_PREFIXES[v])) return { base: id.slice(VARIANT_PREFIXES[v].length), variant: v };
  }
  return { base: id, variant: 0 };
}

/** Optimizer ids in the order of the sweep's cells. */
export function optimizerIds(data: SweepData): string[] {
  return [...new Set(data.cells.map((c) => c.optimizer))];
}

/** Same hue for an optimizer and its power variants (Baiesi 2019, Fig. 3 pairs NAG with h-NAG and so on). */
export function seriesStyles(ids: readonly string[]): Map<string, SeriesStyle> {
  const hues = new Map<string, number>();
  const out = new Map<string, SeriesStyle>();
  for (const id of ids) {
    const { base, variant } = baseOptimizer(id);
    if (!hues.has(base)) hues.set(base, hues.size);
    out.set(id, { colour: hues.get(base)!, variant });
  }
  return out;
}

/** The axis the curves run along: η when swept, else the first axis. */
export function curveAxis(data: SweepData): SweepAxis | null {
  return data.axes.find((a) => a.name === 'eta') ?? data.axes[0] ?? null;
}

/** The second axis of the heat map (H when swept). */
export function rowAxis(data: SweepData): SweepAxis | null {
  const x = curveAxis(data);
  return data.axes.find((a) => a !== x && a.name === 'H') ?? data.axes.find((a) => a !== x) ?? null;
}

/** Chart coordinate of an axis value: log10 on a log axis (Fig. 3 plots against log10 η). */
export function axisCoordinate(axis: SweepAxis, v: number): number {
  return axis.scale === 'log' ? Math.log10(v) : v;
}

export function axisTitle(axis: SweepAxis): string {
  return axis.scale === 'log' ? `log₁₀ ${axis.symbol}` : axis.symbol;
}

/** "h-Adam, η = 0.01, H = 0.5": the swept parameters of a cell. */
export function cellTitle(data: SweepData, cell: SweepCellData): string {
  const parts = data.axes
    .filter((a) => typeof cell.params[a.name] === 'number')
    .map((a) => `${a.symbol} = ${formatNumber(cell.params[a.name] as number)}`);
  return [cell.label, ...parts].join(', ');
}

/**
 * The best cell of each optimizer: the highest f_D at the largest budget; ties go to fewer median steps (a
 * cell with none loses), then to the earlier cell. Keyed by optimizer id, valued by cell index.
 */
export function bestCells(data: SweepData): Map<string, number> {
  const last = data.budgets.length - 1;
  const best = new Map<string, number>();
  data.cells.forEach((c, i) => {
    const j = best.get(c.optimizer);
    if (j === undefined) {
      best.set(c.optimizer, i);
      return;
    }
    const b = data.cells[j];
    const steps = (x: SweepCellData) => x.medianSteps ?? Infinity;
    if (c.fraction[last] > b.fraction[last] || (c.fraction[last] === b.fraction[last] && steps(c) < steps(b)))
      best.set(c.optimizer, i);
  });
  return best;
}

/** The values of the non-curve axes at which the curves are drawn: those of the best cell overall. */
export function defaultSlice(data: SweepData): Record<string, number> {
  const x = curveAxis(data);
  const last = data.budgets.length - 1;
  let top = -1;
  for (const i of bestCells(data).values())
    if (top < 0 || data.cells[i].fraction[last] > data.cells[top].fraction[last]) top = i;
  const slice: Record<string, number> = {};
  for (const a of data.axes) {
    if (a === x) continue;
    const v = top >= 0 ? data.cells[top].params[a.name] : undefined;
    slice[a.name] = typeof v === 'number' && a.values.includes(v) ? v : a.values[0];
  }
  return slice;
}

/** Whether a cell earns the ★ at budget index `b`: its optimizer's best cell, and some start converged in time. */
export function starred(data: SweepData, best: ReadonlyMap<string, number>, cell: number, b: number): boolean {
  const c = data.cells[cell];
  return !!c && best.get(c.optimizer) === cell && c.fraction[b] > 0;
}

/**
 * The hyperparameters the sweep held fixed for an optimizer: those not swept whose value every one of its cells
 * shares, in the cells' order.
 */
export function fixedParams(data: SweepData, optimizer: string): [string, number | string][] {
  const cells = data.cells.filter((c) => c.optimizer === optimizer);
  if (!cells.length) return [];
  const swept = new Set(data.axes.map((a) => a.name));
  return Object.entries(cells[0].params).filter(
    ([name, v]) => !swept.has(name) && cells.every((c) => c.params[name] === v),
  );
}

/**
 * What a chart held fixed, said under it: "η = 0.01 fixed" when every optimizer shares the values, else per
 * optimizer ("h-GD: η = 0.01; h-Adam: η = 0.1, β₁ = 0.9"). `held` adds the swept axes a chart is drawn at (the
 * curves' slice). Symbols come from `symbols` (the parameter metadata), then the axes, then the name.
 */
export function fixedStatement(
  data: SweepData,
  optimizers: readonly string[],
  symbols: Readonly<Record<string, string>> = {},
  held: Readonly<Record<string, number>> = {},
): string {
  const symbol = (name: string) => symbols[name] ?? data.axes.find((a) => a.name === name)?.symbol ?? name;
  const value = (v: number | string) => (typeof v === 'number' ? formatNumber(v) : v);
  const text = (ps: [string, number | string][]) => ps.map(([n, v]) => `${symbol(n)} = ${value(v)}`).join(', ');
  const heldText = text(Object.entries(held));
  const per = optimizers.map((id) => ({ id, text: text(fixedParams(data, id)) }));
  const label = (id: string) => data.cells.find((c) => c.optimizer === id)?.label ?? id;
  const shared = per.every((p) => p.text === per[0].text);
  const fixed =
    per.length === 0 || per.every((p) => !p.text)
      ? ''
      : shared
        ? `${per[0].text} fixed`
        : `fixed per optimizer — ${per.map((p) => `${label(p.id)}: ${p.text || 'none'}`).join('; ')}`;
  const parts = [heldText && `${heldText} (picked above)`, fixed].filter(Boolean);
  if (!parts.length) return 'No other hyperparameters.';
  // Only our own word is capitalised: a leading symbol keeps its case (η, not Η).
  return `${parts.join('; ').replace(/^fixed/, 'Fixed')}.`;
}

export interface CurvePoint {
  x: number;
  y: number;
  cell: number;
}
export interface FractionCurve {
  optimizer: string;
  label: string;
  style: SeriesStyle;
  points: CurvePoint[];
  best: number | null;
}

/**
 * f_D against the curve axis at budget index `b`, one curve per optimizer, with the other axes held at `slice`
 * (an optimizer without that parameter keeps all its cells). `best` is the index into `points` of the
 * optimizer's best cell when it lies on this curve.
 */
export function fractionCurves(
  data: SweepData,
  b: number,
  slice: Readonly<Record<string, number>> = defaultSlice(data),
): FractionCurve[] {
  const x = curveAxis(data);
  const styles = seriesStyles(optimizerIds(data));
  const best = bestCells(data);
  return optimizerIds(data).map((id) => {
    const points: CurvePoint[] = [];
    data.cells.forEach((c, i) => {
      if (c.optimizer !== id) return;
      if (Object.entries(slice).some(([name, v]) => typeof c.params[name] === 'number' && c.params[name] !== v)) return;
      const xv = x && typeof c.params[x.name] === 'number' ? axisCoordinate(x, c.params[x.name] as number) : 0;
      points.push({ x: xv, y: c.fraction[b], cell: i });
    });
    points.sort((p, q) => p.x - q.x);
    // A star says "this converges best": never on a point where nothing converged within this budget.
    const k = points.findIndex((p) => p.cell === best.get(id) && p.y > 0);
    const first = data.cells.find((c) => c.optimizer === id)!;
    return { optimizer: id, label: first.label, style: styles.get(id)!, points, best: k >= 0 ? k : null };
  });
}

export type HeatMetric = 'fraction' | 'median';

export interface HeatGrid {
  readonly xAxis: SweepAxis;
  readonly yAxis: SweepAxis;
  /** Sorted axis values. */
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** Row-major over ys × xs: the cell index there, or −1. */
  readonly cells: readonly number[];
  /** The metric per grid point (null: no cell, or no converged start for median steps). */
  readonly values: readonly (number | null)[];
}

/** Optimizers whose cells span both heat-map axes. */
export function heatmapOptimizers(data: SweepData): string[] {
  const x = curveAxis(data);
  const y = rowAxis(data);
  if (!x || !y) return [];
  return optimizerIds(data).filter((id) =>
    data.cells.some(
      (c) => c.optimizer === id && typeof c.params[x.name] === 'number' && typeof c.params[y.name] === 'number',
    ),
  );
}

/** The η × H grid of one optimizer: f_D at budget index `b`, or median steps to target. */
export function heatmapGrid(data: SweepData, optimizer: string, b: number, metric: HeatMetric): HeatGrid | null {
  const xAxis = curveAxis(data);
  const yAxis = rowAxis(data);
  if (!xAxis || !yAxis) return null;
  const xs = [...xAxis.values].sort((p, q) => p - q);
  const ys = [...yAxis.values].sort((p, q) => p - q);
  const cells = new Array<number>(xs.length * ys.length).fill(-1);
  data.cells.forEach((c, i) => {
    if (c.optimizer !== optimizer) return;
    const ix = xs.indexOf(c.params[xAxis.name] as number);
    const iy = ys.indexOf(c.params[yAxis.name] as number);
    if (ix >= 0 && iy >= 0 && cells[iy * xs.length + ix] < 0) cells[iy * xs.length + ix] = i;
  });
  if (cells.every((i) => i < 0)) return null;
  const values = cells.map((i) =>
    i < 0 ? null : metric === 'fraction' ? data.cells[i].fraction[b] : data.cells[i].medianSteps,
  );
  return { xAxis, yAxis, xs, ys, cells, values };
}

/** Colour-scale position in [0, 1]: f_D as is; median steps on a log scale over 1 … the largest budget. */
export function heatPosition(metric: HeatMetric, v: number, maxBudget: number): number {
  return metric === 'fraction' ? v : stepsPosition(v, maxBudget);
}

/** log10(1 + k) / log10(1 + T_max): steps to target on the outcome map's log colour scale. */
export function stepsPosition(k: number, maxBudget: number): number {
  return maxBudget > 0 ? Math.min(1, Math.log10(1 + k) / Math.log10(1 + maxBudget)) : 0;
}

export type Outcome = 'converged' | 'diverged' | 'stalled';
export interface OutcomePoint {
  x: number;
  y: number;
  outcome: Outcome;
  steps: number | null;
  start: number;
}

/** Each start of a cell at its position: converged (with its steps), diverged, or neither within the budget. */
export function outcomePoints(data: SweepData, cell: number): OutcomePoint[] {
  const c = data.cells[cell];
  if (!c) return [];
  return data.starts.map(([x, y], s) => {
    const steps = c.perStart[s];
    const outcome: Outcome = steps !== null ? 'converged' : c.divergedStarts[s] ? 'diverged' : 'stalled';
    return { x, y, outcome, steps, start: s };
  });
}

export function outcomeCounts(points: readonly OutcomePoint[]): Record<Outcome, number> {
  const out: Record<Outcome, number> = { converged: 0, diverged: 0, stalled: 0 };
  for (const p of points) out[p.outcome]++;
  return out;
}

/** Arrow-key movement over a rows × cols grid of cell indices (−1 = empty), skipping empty slots. */
export function moveCursor(
  grid: readonly (readonly number[])[],
  at: { row: number; col: number },
  key: string,
): { row: number; col: number } {
  const d = (
    { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] } as Record<string, [number, number]>
  )[key];
  if (!d) return at;
  let { row, col } = at;
  for (;;) {
    row += d[0];
    col += d[1];
    if (row < 0 || row >= grid.length || col < 0 || col >= (grid[row]?.length ?? 0)) return at;
    if (grid[row][col] >= 0) return { row, col };
  }
}
