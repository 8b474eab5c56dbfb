/**
 * The JavaScript functions of a data step program, generated from its two IR graphs — never from user text:
 * identifiers are generated (v<node id>, a<k>) and constants are printed as round-trip literals. Each function
 * is one phase of a step (program/dataProgram.ts); the driver in jsDataBackend.ts calls them. The row loops are
 * inside the generated code, so θ is loaded and the nodes that depend only on θ are computed once per loop,
 * and its size depends on the program alone, never on rows or the batch size.
 *
 *   invariants(pr, inv)                        hyperparameter-only nodes of the optimizer graph, once per lane
 *   point(th, st, pr, inv, pt)                 the gradient point
 *   lossGrad(p, X, w, rows, from, to, acc)     acc[0] = Σ ℓ, acc[1 + i] = Σ ∂ᵢℓ over rows[from … to − 1]
 *   lossSum(th, X, w, rows, from, to)          Σ ℓ over rows[from … to − 1]
 *   metricSums(th, X, w, rows, from, to, out)  out[m] = Σ metric m
 *   update(th, st, pr, inv, g, fB, info)       θ and state in place; info (unless null) = [‖g‖², descent]
 * Sums start from 0 and add rows in order. Arrays: th, pt and g have P entries; st the state components in
 * slot order; pr the numeric hyperparameters; X the dataset, w its width; rows dataset row indices.
 */
import type { Graph, NodeId } from '../expr/ir';
import type { DataStepProgram, RowProgram } from '../program/dataProgram';
import { dataSchedule, type DataSchedule } from '../program/dataSchedule';
import type { NodeSplit } from '../program/graphSchedule';
import { expression, literal } from './jsBackend';

type Emit = (line: string) => void;

/** `v<id>`, or the literal of a constant. */
function refIn(graph: Graph) {
  return (id: NodeId): string => {
    const n = graph.node(id);
    return n.kind === 'const' ? `(${literal(n.value)})` : `v${id}`;
  };
}

/** Inputs and hoisted nodes that `nodes` and `outputs` read, in node order. */
function operands(graph: Graph, nodes: readonly NodeId[], outputs: readonly NodeId[]): NodeId[] {
  const computed = new Set(nodes);
  const read = new Set<NodeId>();
  const use = (id: NodeId) => {
    if (!computed.has(id) && graph.node(id).kind !== 'const') read.add(id);
  };
  for (const id of nodes) {
    const n = graph.node(id);
    if (n.kind === 'unary' || n.kind === 'binary' || n.kind === 'select') use(n.a);
    if (n.kind === 'binary' || n.kind === 'select') use(n.b);
    if (n.kind === 'select') use(n.c);
  }
  outputs.forEach(use);
  return [...read].sort((a, b) => a - b);
}

function computeNodes(graph: Graph, nodes: readonly NodeId[], emit: Emit): void {
  const ref = refIn(graph);
  for (const id of nodes) emit(`const v${id} = ${expression(graph.node(id), ref)};`);
}

/** The optimizer-graph functions: invariants, point, update. */
function optimizerSource(program: DataStepProgram, schedule: DataSchedule, emit: Emit): void {
  const { graph } = program;
  const ref = refIn(graph);
  const invariantSlot = new Map(schedule.invariant.map((id, j) => [id, j]));
  const stateOffset: number[] = [];
  program.state.reduce((offset, s) => (stateOffset.push(offset), offset + s.inputs.length), 0);
  const load = (id: NodeId): string => {
    const slot = invariantSlot.get(id);
    if (slot !== undefined) return `inv[${slot}]`;
    const input = program.inputs.get(id);
    if (!input) throw new Error(`node ${id} is neither an input nor hoisted`);
    switch (input.kind) {
      case 'theta':
        return `th[${input.index}]`;
      case 'state':
        return `st[${stateOffset[input.slot] + input.index}]`;
      case 'param':
        return `pr[${input.index}]`;
      case 'grad':
        return `g[${input.index}]`;
      case 'loss':
        return 'fB';
    }
  };
  const loads = (ids: readonly NodeId[]) => ids.forEach((id) => emit(`const v${id} = ${load(id)};`));

  emit('function invariants(pr, inv) {');
  loads(operands(graph, schedule.invariant, []).filter((id) => !invariantSlot.has(id)));
  computeNodes(graph, schedule.invariant, emit);
  schedule.invariant.forEach((id, j) => emit(`inv[${j}] = v${id};`));
  emit('}');

  emit('function point(th, st, pr, inv, pt) {');
  loads(operands(graph, schedule.point, program.point));
  computeNodes(graph, schedule.point, emit);
  program.point.forEach((id, i) => emit(`pt[${i}] = ${ref(id)};`));
  emit('}');

  // Every operand is read into a local before θ and the state are overwritten, so a next value that is another
  // input (Quickprop's gₜ₋₁ := g) or an input read by the info block (θₖ in the descent) is the old one.
  const stateNext = program.state.flatMap((s) => s.next);
  emit('function update(th, st, pr, inv, g, fB, info) {');
  loads(
    operands(
      graph,
      [...schedule.update, ...schedule.info],
      [...program.next, ...stateNext, program.gradNorm2, program.descent],
    ),
  );
  computeNodes(graph, schedule.update, emit);
  program.next.forEach((id, i) => emit(`th[${i}] = ${ref(id)};`));
  stateNext.forEach((id, c) => emit(`st[${c}] = ${ref(id)};`));
  emit('if (info !== null) {');
  computeNodes(graph, schedule.info, emit);
  emit(`info[0] = ${ref(program.gradNorm2)}; info[1] = ${ref(program.descent)};`);
  emit('}');
  emit('}');
}

/** A loop over rows[from … to − 1] summing `outputs` into locals a0, a1, … (none without outputs). */
function rowLoop(row: RowProgram, split: NodeSplit, outputs: readonly NodeId[], thetaArray: string, emit: Emit) {
  if (outputs.length === 0) return;
  const { graph } = row;
  const ref = refIn(graph);
  const thetaIndex = new Map(row.theta.map((id, i) => [id, i]));
  const column = new Map(row.columns.map((c) => [c.input, c.index]));
  const thetaReads = operands(graph, [...split.fixed, ...split.varying], outputs).filter((id) => thetaIndex.has(id));
  for (const id of thetaReads) emit(`const v${id} = ${thetaArray}[${thetaIndex.get(id)}];`);
  computeNodes(graph, split.fixed, emit);
  emit(`let ${outputs.map((_, k) => `a${k} = 0`).join(', ')};`);
  emit('for (let j = from; j < to; j++) {');
  const columnReads = operands(graph, split.varying, outputs).filter((id) => column.has(id));
  if (columnReads.length) emit('const o = rows[j] * w;');
  for (const id of columnReads) emit(`const v${id} = X[o + ${column.get(id)}];`);
  computeNodes(graph, split.varying, emit);
  outputs.forEach((id, k) => emit(`a${k} += ${ref(id)};`));
  emit('}');
}

function rowSource(row: RowProgram, schedule: DataSchedule, emit: Emit): void {
  const lossGrad = [row.loss, ...row.gradient];
  emit('function lossGrad(p, X, w, rows, from, to, acc) {');
  rowLoop(row, schedule.lossGrad, lossGrad, 'p', emit);
  lossGrad.forEach((_, k) => emit(`acc[${k}] = a${k};`));
  emit('}');
  emit('function lossSum(th, X, w, rows, from, to) {');
  rowLoop(row, schedule.loss, [row.loss], 'th', emit);
  emit('return a0;');
  emit('}');
  const metrics = row.metrics.map((m) => m.output);
  emit('function metricSums(th, X, w, rows, from, to, out) {');
  rowLoop(row, schedule.metrics, metrics, 'th', emit);
  metrics.forEach((_, k) => emit(`out[${k}] = a${k};`));
  emit('}');
}

/** The source of a function of `M` (Math) returning the six phase functions. */
export function dataKernelSource(program: DataStepProgram, schedule = dataSchedule(program)): string {
  const lines: string[] = [];
  const emit: Emit = (line) => lines.push(line);
  optimizerSource(program, schedule, emit);
  rowSource(program.row, schedule, emit);
  emit('return { invariants, point, lossGrad, lossSum, metricSums, update };');
  return lines.join('\n');
}

export interface DataPhases {
  invariants(pr: Float64Array, inv: Float64Array): void;
  point(th: Float64Array, st: Float64Array, pr: Float64Array, inv: Float64Array, pt: Float64Array): void;
  lossGrad(
    p: Float64Array,
    X: Float64Array,
    w: number,
    rows: Int32Array,
    from: number,
    to: number,
    acc: Float64Array,
  ): void;
  lossSum(th: Float64Array, X: Float64Array, w: number, rows: Int32Array, from: number, to: number): number;
  metricSums(
    th: Float64Array,
    X: Float64Array,
    w: number,
    rows: Int32Array,
    from: number,
    to: number,
    out: Float64Array,
  ): void;
  update(
    th: Float64Array,
    st: Float64Array,
    pr: Float64Array,
    inv: Float64Array,
    g: Float64Array,
    fB: number,
    info: Float64Array | null,
  ): void;
}

export function compileDataPhases(program: DataStepProgram): { phases: DataPhases; invariantCount: number } {
  const schedule = dataSchedule(program);
  // The source is generated from the IR alone (see the module comment), so constructing it is safe.
  // eslint-disable-next-line no-restricted-syntax
  const make = new Function('M', dataKernelSource(program, schedule)) as (m: Math) => DataPhases;
  return { phases: make(Math), invariantCount: schedule.invariant.length };
}
