/**
 * Which nodes a kernel computes where: the live nodes of some outputs, split into those that depend on a
 * "varying" input and those that do not (and can be hoisted out of the loop that changes those inputs).
 */
import type { Graph, NodeId } from '../expr/ir';

export interface NodeSplit {
  /** Live non-constant nodes that depend on no varying input, in node order. */
  readonly fixed: readonly NodeId[];
  /** Live non-constant nodes that depend on a varying input, in node order. */
  readonly varying: readonly NodeId[];
}

/** Nodes `outputs` need, as flags by node id. */
export function liveNodes(graph: Graph, outputs: readonly NodeId[]): Uint8Array {
  const live = new Uint8Array(graph.size);
  for (const o of outputs) live[o] = 1;
  for (let id = graph.size - 1; id >= 0; id--) {
    if (!live[id]) continue;
    const n = graph.node(id);
    if (n.kind === 'unary') live[n.a] = 1;
    else if (n.kind === 'binary') {
      live[n.a] = 1;
      live[n.b] = 1;
    } else if (n.kind === 'select') {
      live[n.c] = 1;
      live[n.a] = 1;
      live[n.b] = 1;
    }
  }
  return live;
}

/** The live nodes of `outputs`, split by whether they depend on an input for which `varies` holds. */
export function splitNodes(graph: Graph, outputs: readonly NodeId[], varies: (input: NodeId) => boolean): NodeSplit {
  const live = liveNodes(graph, outputs);
  const depends = new Uint8Array(graph.size);
  const fixed: NodeId[] = [];
  const varying: NodeId[] = [];
  for (let id = 0; id < graph.size; id++) {
    const n = graph.node(id);
    if (n.kind === 'input') {
      depends[id] = varies(id) ? 1 : 0;
      continue;
    }
    if (n.kind === 'unary') depends[id] = depends[n.a];
    else if (n.kind === 'binary') depends[id] = depends[n.a] | depends[n.b];
    else if (n.kind === 'select') depends[id] = depends[n.c] | depends[n.a] | depends[n.b];
    if (!live[id] || n.kind === 'const') continue;
    (depends[id] ? varying : fixed).push(id);
  }
  return { fixed, varying };
}
