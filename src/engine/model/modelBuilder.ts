/**
 * Builds a ModelProgram from a definition `name(W, b) = loss` and the state of its data section: θ's inputs from
 * the `@param` lines, the per-row graph of the loss, its gradient by reverse-mode AD, and later the metrics in the
 * same graph. Also the scope a model's (or a binding's) expressions see, and the checks on new names.
 */
import type { FunctionAssignmentNode, MathNode } from 'mathjs';
import { gradient } from '../expr/autodiff';
import type { Syntax } from '../expr/definition';
import { Graph, type NodeId } from '../expr/ir';
import { BUILTIN_CONSTANTS } from '../expr/mathFunctions';
import type { CostError, LineMap, Span } from '../expr/sourceMap';
import { MAX_MODEL_PARAMETERS, type ParamLine } from './modelDirectives';
import { MODEL_FUNCTION_NAMES } from './modelFunctions';
import { type ModelScope, TensorLowering } from './modelLowering';
import type { ModelColumn, ModelData, ModelParam, ModelProgram } from './modelProgram';
import { scalar, type Tensor } from './tensor';

/** Per-row program size limit: bounds memory and compile time whatever the model (README "Models over data"). */
export const MAX_MODEL_NODES = 1_000_000;

/** A binding `x = row[1:10]`: its expression, lowered again into each model's graph that uses it. */
export interface Binding {
  readonly syntax: Syntax;
  readonly value: MathNode;
  readonly line: number;
}

/** What a data section holds when one of its lines is read. */
export interface SectionState {
  readonly data: ModelData;
  readonly columnIndex: ReadonlyMap<string, number>;
  /** Bindings so far; a binding whose line failed maps to its line number. */
  readonly bindings: ReadonlyMap<string, Binding | number>;
}

export interface FileNames {
  readonly constants: ReadonlyMap<string, number>;
  /** Functions, constants and models of the file, with their line. */
  readonly defined: ReadonlyMap<string, number>;
}

export class SectionScope implements ModelScope {
  readonly graph: Graph;
  readonly columns: readonly string[];
  readonly columnIndex: ReadonlyMap<string, number>;
  /** The columns read so far, by column index. */
  readonly used: ModelColumn[] = [];
  private readonly inputs = new Map<number, NodeId>();
  private readonly lowered = new Map<string, Tensor>();

  /** `params` is empty for a binding, which may use only the row, constants and earlier bindings. */
  constructor(
    private readonly map: LineMap,
    private readonly section: SectionState,
    private readonly names: FileNames,
    private readonly params: ReadonlyMap<string, Tensor>,
    graph = new Graph(MAX_MODEL_NODES),
  ) {
    this.graph = graph;
    this.columns = section.data.dataset.columns;
    this.columnIndex = section.columnIndex;
  }

  column(j: number): NodeId {
    let input = this.inputs.get(j);
    if (input === undefined) {
      input = this.graph.input(`row[${j + 1}]`);
      this.inputs.set(j, input);
      const at = this.used.findIndex((c) => c.index > j);
      this.used.splice(at < 0 ? this.used.length : at, 0, { index: j, name: this.columns[j], input });
    }
    return input;
  }

  value(name: string, at: Span): Tensor | undefined {
    const param = this.params.get(name);
    if (param) return param;
    const binding = this.section.bindings.get(name);
    if (typeof binding === 'number') throw this.map.error(`'${name}' has an error on line ${binding}`, at);
    if (binding) {
      let t = this.lowered.get(name);
      if (!t) {
        // Stored bindings were lowered once without parameters, so they name none: `this` cannot capture any.
        t = new TensorLowering(this.map, binding.syntax.spans, this).lower(binding.value);
        this.lowered.set(name, t);
      }
      return t;
    }
    const constant = this.names.constants.get(name);
    if (constant !== undefined) return scalar(this.graph.const(constant));
    return undefined;
  }

  known(): string {
    const bindings = [...this.section.bindings.keys()];
    const parts = [
      this.params.size ? `the parameters are ${[...this.params.keys()].join(', ')}` : '',
      bindings.length ? `the bindings ${bindings.join(', ')}` : '',
    ].filter((p) => p !== '');
    const what = parts.length ? `${parts.join('; ')}; ` : '';
    return this.params.size
      ? `${what}row is the current data row`
      : `${what}a binding may use row, numbers, constants and earlier bindings`;
  }
}

/** Throws if `name` may not name a model, a parameter or a binding. */
export function checkName(
  map: LineMap,
  section: SectionState,
  names: FileNames,
  name: string,
  at: Span,
  what: string,
): void {
  const fail = (why: string): CostError => map.error(`'${name}' ${why}; choose another ${what} name`, at);
  if (MODEL_FUNCTION_NAMES.includes(name)) throw fail('is a built-in function');
  if (BUILTIN_CONSTANTS.has(name)) throw fail('is a built-in constant');
  if (name === 'row') throw fail('is the current data row');
  if (name === 'end') throw fail("is an index's last position");
  if (names.constants.has(name)) throw fail('is a constant');
  const binding = section.bindings.get(name);
  if (binding !== undefined) throw fail(`is a binding (line ${typeof binding === 'number' ? binding : binding.line})`);
  const line = what === 'parameter' ? undefined : names.defined.get(name);
  if (line !== undefined) throw map.error(`'${name}' is already defined on line ${line}`, at);
}

/** Runs a lowering step, turning the graph's node limit into a CostError at `at`. */
export function withinLimit<R>(map: LineMap, graph: Graph, at: Span, work: () => R): R {
  try {
    return work();
  } catch (e) {
    if (e instanceof RangeError && graph.size >= graph.maxNodes) {
      throw map.error(
        `the model is too large: its per-row program passes ${graph.maxNodes.toLocaleString('en')} IR nodes`,
        at,
      );
    }
    throw e;
  }
}

export interface PendingParam extends ParamLine {
  /** The `@param` line. */
  readonly span: Span;
}

/** The model and the scope its metrics are lowered in; `params` must hold one line per variable of `def`. */
export function buildModel(
  map: LineMap,
  syntax: Syntax,
  def: FunctionAssignmentNode,
  section: SectionState,
  names: FileNames,
  params: ReadonlyMap<string, PendingParam>,
): { model: ModelProgram; scope: SectionScope } {
  const nameSpan = syntax.spans.nameSpan(def);
  const lines = def.params.map((p) => params.get(p)!);
  const parameterCount = lines.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  if (parameterCount > MAX_MODEL_PARAMETERS) {
    throw map.error(
      `${def.name} has ${parameterCount.toLocaleString('en')} parameters; a model may have at most ` +
        MAX_MODEL_PARAMETERS.toLocaleString('en'),
      nameSpan,
    );
  }
  const graph = new Graph(MAX_MODEL_NODES);
  const theta: NodeId[] = [];
  const tensors = new Map<string, Tensor>();
  const modelParams = lines.map((p): ModelParam => {
    const offset = theta.length;
    const [rows, cols] = [p.shape[0] ?? 1, p.shape[1] ?? 1];
    for (let i = 1; i <= rows; i++) {
      for (let j = 1; j <= cols; j++) {
        const index = p.shape.length === 2 ? `[${i},${j}]` : p.shape.length === 1 ? `[${i}]` : '';
        theta.push(graph.input(p.name.text + index));
      }
    }
    tensors.set(p.name.text, { shape: p.shape, data: theta.slice(offset) });
    const size = theta.length - offset;
    return { name: p.name.text, shape: p.shape, init: p.init, offset, size, range: map.range(p.span) };
  });
  const scope = new SectionScope(map, section, names, tensors, graph);
  const { loss, grad } = withinLimit(map, graph, syntax.whole, () => {
    const loss = new TensorLowering(map, syntax.spans, scope).lowerScalar(def.expr, 'the loss');
    return { loss, grad: gradient(graph, loss, theta) };
  });
  const exprSpan = syntax.spans.span(def.expr);
  const model: ModelProgram = {
    name: def.name,
    range: map.range(syntax.whole),
    source: map.text.slice(exprSpan.start, exprSpan.end),
    data: section.data,
    params: modelParams,
    parameterCount,
    graph,
    theta,
    columns: scope.used,
    loss,
    gradient: grad,
    metrics: [],
    shuffle: 'epoch',
    fStar: 0,
  };
  return { model, scope };
}

/** Checks a binding's value by lowering it once, without parameters, into a scratch graph. */
export function checkBinding(
  map: LineMap,
  syntax: Syntax,
  value: MathNode,
  section: SectionState,
  names: FileNames,
): void {
  const scope = new SectionScope(map, section, names, new Map());
  withinLimit(map, scope.graph, syntax.whole, () => new TensorLowering(map, syntax.spans, scope).lower(value));
}
