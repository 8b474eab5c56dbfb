/**
 * Which nodes of a data step program a kernel computes where (dataProgram.ts): in the optimizer graph, the
 * nodes that depend only on hyperparameters once per lane, then per step those of the gradient point, of the
 * update, and of the Rosetta-stone quantities; in the row graph, per loop over rows (minibatch ℓ and ∇ℓ, the
 * training loss, the metrics), the nodes that depend only on θ once per loop and those that read the row per row.
 */
import type { NodeId } from '../expr/ir';
import { dataProgramOutputs, pointIsTheta, type DataStepProgram } from './dataProgram';
import { splitNodes, type NodeSplit } from './graphSchedule';

export interface DataSchedule {
  /** Optimizer graph nodes that depend only on hyperparameters, in node order. */
  readonly invariant: readonly NodeId[];
  /** Per step, for the gradient point (empty when it is θ). */
  readonly point: readonly NodeId[];
  /** Per step, for θₖ₊₁ and the state's next values. */
  readonly update: readonly NodeId[];
  /** Per recorded step, for ‖gB‖² and the descent: the nodes `update` does not already compute. */
  readonly info: readonly NodeId[];
  /** Row graph: ℓ and ∇ℓ (minibatch). `fixed` depend on θ alone, `varying` on the row. */
  readonly lossGrad: NodeSplit;
  /** Row graph: ℓ alone (training loss). */
  readonly loss: NodeSplit;
  /** Row graph: the metrics. */
  readonly metrics: NodeSplit;
}

export function dataSchedule(program: DataStepProgram): DataSchedule {
  const { graph, row } = program;
  const all = [...program.point, ...dataProgramOutputs(program), program.gradNorm2, program.descent];
  const varies = (id: NodeId) => {
    const input = program.inputs.get(id);
    if (input === undefined) throw new Error(`data step program input ${id} is not θ, state, a parameter, gB or fB`);
    return input.kind !== 'param';
  };
  const invariant = splitNodes(graph, all, varies).fixed;
  const point = pointIsTheta(program) ? [] : splitNodes(graph, program.point, varies).varying;
  const update = splitNodes(graph, dataProgramOutputs(program), varies).varying;
  const inUpdate = new Set(update);
  const info = splitNodes(graph, [program.gradNorm2, program.descent], varies).varying.filter(
    (id) => !inUpdate.has(id),
  );
  const columns = new Set(row.columns.map((c) => c.input));
  const rowSplit = (outputs: readonly NodeId[]) => splitNodes(row.graph, outputs, (id) => columns.has(id));
  return {
    invariant,
    point,
    update,
    info,
    lossGrad: rowSplit([row.loss, ...row.gradient]),
    loss: rowSplit([row.loss]),
    metrics: rowSplit(row.metrics.map((m) => m.output)),
  };
}
