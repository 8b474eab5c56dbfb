/**
 * A model's expressions (its loss, its metrics, its data section's bindings) from the mathjs AST to tensors of
 * IR nodes, with mathjs's semantics (tensor.ts) and shapes checked here. User text is never evaluated: indices
 * are folded from numbers, `end` and constants by `indexValue`, everything else becomes IR. Every error is a
 * CostError at the node that causes it.
 */
import type {
  AccessorNode,
  ArrayNode,
  ConstantNode,
  FunctionNode,
  IndexNode,
  MathNode,
  ParenthesisNode,
  RangeNode,
  SymbolNode,
} from 'mathjs';
import { type AnyOperatorNode, leftSpine, type SpanIndex } from '../expr/astSpans';
import type { Graph, NodeId } from '../expr/ir';
import { arityMessage, BUILTIN_CONSTANTS, nearestBuiltin } from '../expr/mathFunctions';
import type { CostError, LineMap, Span } from '../expr/sourceMap';
import { elementwiseFunction, MODEL_FUNCTION_NAMES, tensorFunction } from './modelFunctions';
import * as T from './tensor';
import { describe, isScalar, scalar, ShapeError, type Tensor } from './tensor';

/** What names mean where an expression is lowered; see dataSections.ts. */
export interface ModelScope {
  readonly graph: Graph;
  /** The dataset's column names, in order. */
  readonly columns: readonly string[];
  /** 0-based column index by name. */
  readonly columnIndex: ReadonlyMap<string, number>;
  /** Column j (0-based) of the current row, as an input of the graph. */
  column(j: number): NodeId;
  /** A parameter, a binding or a constant called `name`, lowered into this graph; undefined if none is. */
  value(name: string, at: Span): Tensor | undefined;
  /** What `value` knows, for the message about an unknown name. */
  known(): string;
}

const ELEMENTWISE_OPERATORS = new Map<string, { verb: string; apply: (g: Graph, a: NodeId, b: NodeId) => NodeId }>([
  ['add', { verb: 'add', apply: (g, a, b) => g.add(a, b) }],
  ['subtract', { verb: 'subtract', apply: (g, a, b) => g.sub(a, b) }],
  ['dotMultiply', { verb: 'apply .* to', apply: (g, a, b) => g.mul(a, b) }],
  ['dotDivide', { verb: 'apply ./ to', apply: (g, a, b) => g.div(a, b) }],
  ['dotPow', { verb: 'apply .^ to', apply: (g, a, b) => g.pow(a, b) }],
  ['equal', { verb: 'compare', apply: (g, a, b) => g.binary('eq', a, b) }],
  ['unequal', { verb: 'compare', apply: (g, a, b) => g.unary('not', g.binary('eq', a, b)) }],
  ['smaller', { verb: 'compare', apply: (g, a, b) => g.binary('lt', a, b) }],
  ['larger', { verb: 'compare', apply: (g, a, b) => g.binary('gt', a, b) }],
  ['smallerEq', { verb: 'compare', apply: (g, a, b) => g.binary('le', a, b) }],
  ['largerEq', { verb: 'compare', apply: (g, a, b) => g.binary('ge', a, b) }],
]);

export class TensorLowering {
  private readonly g: Graph;

  constructor(
    private readonly map: LineMap,
    private readonly spans: SpanIndex,
    private readonly scope: ModelScope,
  ) {
    this.g = scope.graph;
  }

  lower(node: MathNode): Tensor {
    switch (node.type) {
      case 'ConstantNode': {
        const value: unknown = (node as ConstantNode).value;
        if (typeof value !== 'number') throw new Error(`unexpected ${typeof value} constant`);
        return scalar(this.g.const(value));
      }
      case 'SymbolNode':
        return this.symbol((node as SymbolNode).name, this.spans.span(node));
      case 'ParenthesisNode':
        return this.lower((node as ParenthesisNode).content);
      case 'OperatorNode':
        return this.operator(node as AnyOperatorNode);
      case 'FunctionNode':
        return this.call(node as FunctionNode);
      case 'AccessorNode':
        return this.access(node as AccessorNode);
      case 'ArrayNode': {
        const items = (node as ArrayNode).items;
        if (items.length === 0) throw this.fail('an empty array has no value', node);
        return this.shaped(node, () => T.stack(items.map((item) => this.lower(item))));
      }
      case 'RangeNode':
        throw this.fail('a range a:b is only allowed inside an index, as in row[1:10]', node);
      case 'RelationalNode':
        throw this.fail('chained comparisons are not supported: compare two values at a time', node);
      case 'AssignmentNode':
      case 'FunctionAssignmentNode':
        throw this.fail('assignments are only allowed at the start of a definition', node);
      default:
        throw new Error(`unexpected ${node.type}`);
    }
  }

  /** Lowers a node that must give a scalar; `what` names it in the message ("the loss"). */
  lowerScalar(node: MathNode, what: string): NodeId {
    const t = this.lower(node);
    if (!isScalar(t)) {
      throw this.fail(`${what} must be a scalar, not ${describe(t.shape)}; sum(…), mean(…) or norm(…) reduce it`, node);
    }
    return t.data[0];
  }

  private fail(message: string, at: MathNode | Span): CostError {
    return this.map.error(message, 'type' in at ? this.spans.span(at) : at);
  }

  /** Runs a tensor operation, turning its ShapeError into a CostError at `node`. */
  private shaped<R>(node: MathNode, op: () => R): R {
    try {
      return op();
    } catch (e) {
      if (e instanceof ShapeError) throw this.fail(e.message, node);
      throw e;
    }
  }

  private symbol(name: string, at: Span): Tensor {
    if (name === 'row')
      return { shape: [this.scope.columns.length], data: this.scope.columns.map((_, j) => this.scope.column(j)) };
    const value = this.scope.value(name, at);
    if (value) return value;
    const builtin = BUILTIN_CONSTANTS.get(name);
    if (builtin !== undefined) return scalar(this.g.const(builtin));
    if (name === 'end') throw this.map.error("'end' stands for the last index, inside [ ] only", at);
    if (tensorFunction(name) || name === 'map') {
      throw this.map.error(`'${name}' is a function, not a variable; call it as ${name}(…)`, at);
    }
    throw this.map.error(`unknown name '${name}'; ${this.scope.known()}`, at);
  }

  private operator(node: AnyOperatorNode): Tensor {
    const g = this.g;
    const fn = node.fn as string;
    if (fn === 'ctranspose') return T.transpose(this.lower(node.args[0]));
    if (node.args.length === 1) {
      const a = this.lower(node.args[0]);
      if (fn === 'unaryPlus') return a;
      if (fn === 'unaryMinus') return T.map(a, (x) => g.neg(x));
      throw new Error(`unexpected operator ${fn}`);
    }
    const spine = leftSpine(node);
    let acc = this.lower(spine[spine.length - 1].args[0]);
    for (let k = spine.length - 1; k >= 0; k--) {
      const op = spine[k];
      const a = acc;
      const b = this.lower(op.args[1]);
      acc = this.shaped(op, () => this.binary(op, a, b));
    }
    return acc;
  }

  private binary(op: AnyOperatorNode, a: Tensor, b: Tensor): Tensor {
    const g = this.g;
    const fn = op.fn as string;
    const elementwise = ELEMENTWISE_OPERATORS.get(fn);
    if (elementwise) return T.zip(a, b, (x, y) => elementwise.apply(g, x, y), elementwise.verb);
    switch (fn) {
      case 'multiply':
        return T.matmul(g, a, b);
      case 'divide':
        if (!isScalar(b)) {
          throw new ShapeError(
            `cannot divide by ${describe(b.shape)}; elementwise division is ${this.dotted(op, './')}`,
          );
        }
        return T.zip(a, b, (x, y) => g.div(x, y), 'divide');
      case 'pow': {
        const tensor = isScalar(a) ? b : a;
        if (!isScalar(tensor)) {
          throw new ShapeError(
            `^ on ${describe(tensor.shape)} would be a matrix power; for elementwise powers write ${this.dotted(op, '.^')}`,
          );
        }
        return scalar(g.pow(a.data[0], b.data[0]));
      }
      default:
        throw new Error(`unexpected operator ${fn}`);
    }
  }

  /** `a ^ b` rewritten as `a .^ b` (from the text as written), for the message that suggests it. */
  private dotted(op: AnyOperatorNode, dot: string): string {
    const text = (node: MathNode): string => {
      const span = this.spans.span(node);
      return this.map.text.slice(span.start, span.end);
    };
    return `${text(op.args[0])}${dot}${text(op.args[1])}`;
  }

  private call(node: FunctionNode): Tensor {
    if (node.fn.type !== 'SymbolNode') throw this.fail('only functions called by name are supported', node.fn);
    const name = node.fn.name;
    const at = this.spans.nameSpan(node);
    if (name === 'map') return this.mapCall(node);
    const fn = tensorFunction(name);
    if (!fn) {
      if (name === 'row' || this.scope.value(name, at)) {
        throw this.map.error(`'${name}' is not a function; to multiply, write ${name}*(…)`, at);
      }
      throw this.map.error(
        `unknown function '${name}'; did you mean '${nearestBuiltin(name, MODEL_FUNCTION_NAMES)}'?`,
        at,
      );
    }
    const n = node.args.length;
    if (n < fn.minArgs || n > fn.maxArgs) throw this.fail(arityMessage(name, fn, n), node);
    const args = node.args.map((a) => this.lower(a));
    return this.shaped(node, () => fn.apply(this.g, args));
  }

  /** map(v, f): f applied to each element, f named (an activation or a function of one argument). */
  private mapCall(node: FunctionNode): Tensor {
    if (node.args.length !== 2)
      throw this.fail(arityMessage('map', { minArgs: 2, maxArgs: 2 }, node.args.length), node);
    const [target, fnNode] = node.args;
    const f = fnNode.type === 'SymbolNode' ? elementwiseFunction((fnNode as SymbolNode).name) : undefined;
    if (!f) throw this.fail('map(v, f) takes the name of a function of one argument as f, e.g. map(v, tanh)', fnNode);
    return T.map(this.lower(target), (x) => f(this.g, x));
  }

  private access(node: AccessorNode): Tensor {
    const index = node.index as IndexNode;
    const isRow = node.object.type === 'SymbolNode' && (node.object as SymbolNode).name === 'row';
    if (index.dotNotation) {
      if (!isRow) throw this.fail('only row has named entries: row.column_name', node);
      const name = String((index.dimensions[0] as ConstantNode).value);
      const j = this.scope.columnIndex.get(name);
      if (j === undefined) {
        throw this.fail(`no column '${name}'; the columns are ${this.scope.columns.join(', ')}`, index.dimensions[0]);
      }
      return scalar(this.scope.column(j));
    }
    // row's columns become inputs only where they are used, so `row[3]` does not load every column.
    const target: Tensor = isRow ? { shape: [this.scope.columns.length], data: [] } : this.lower(node.object);
    const rank = target.shape.length;
    if (rank === 0) throw this.fail('a scalar cannot be indexed', node);
    const dims = index.dimensions;
    if (dims.length !== rank) {
      throw this.fail(
        `${describe(target.shape)} takes ${rank === 1 ? '1 index' : '2 indices'}, not ${dims.length}`,
        index,
      );
    }
    const lists = dims.map((d, k) => this.indexList(d, target.shape[k]!, isRow));
    const dropped = dims.map((d) => d.type !== 'RangeNode');
    if (!isRow) return T.pick(target, lists, dropped);
    const data = lists[0].map((j) => this.scope.column(j));
    return { shape: dropped[0] ? [] : [data.length], data };
  }

  /** The 0-based positions a dimension's index selects, checked against the dimension's size. */
  private indexList(d: MathNode, size: number, isRow: boolean): number[] {
    const what = isRow ? 'column' : 'index';
    const valid = isRow
      ? `the data has ${size} columns, 1 to ${size} (${this.scope.columns.join(', ')})`
      : `the valid indices are 1 to ${size}`;
    const check = (v: number, at: MathNode): number => {
      if (!Number.isInteger(v)) throw this.fail(`${what} ${v} is not a whole number`, at);
      if (v < 1 || v > size) throw this.fail(`${what} ${v} is out of range: ${valid}`, at);
      return v - 1;
    };
    if (d.type !== 'RangeNode') return [check(this.indexValue(d, size), d)];
    const range = d as RangeNode;
    if (range.step) throw this.fail('ranges with a step are not supported', range.step);
    // The bounds mathjs supplies for `:` and `2:` have no text of their own; they are always in range.
    const lo = check(this.indexValue(range.start, size), this.spans.has(range.start) ? range.start : d);
    const hi = check(this.indexValue(range.end, size), this.spans.has(range.end) ? range.end : d);
    if (lo > hi) throw this.fail(`the range ${lo + 1}:${hi + 1} is empty`, d);
    return Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
  }

  /** A constant index: numbers, `end` (the dimension's size), constants and + − * / of them. */
  private indexValue(node: MathNode, size: number): number {
    switch (node.type) {
      case 'ConstantNode': {
        const value: unknown = (node as ConstantNode).value;
        if (typeof value === 'number') return value;
        break;
      }
      case 'SymbolNode': {
        const name = (node as SymbolNode).name;
        if (name === 'end') return size;
        const t = this.scope.value(name, this.spans.span(node));
        const c = t && isScalar(t) ? this.g.constValue(t.data[0]) : undefined;
        if (c !== undefined) return c;
        break;
      }
      case 'ParenthesisNode':
        return this.indexValue((node as ParenthesisNode).content, size);
      case 'OperatorNode': {
        const op = node as AnyOperatorNode;
        const [a, b] = op.args.map((arg) => this.indexValue(arg, size));
        const value = INDEX_ARITHMETIC.get(op.fn as string)?.(a, b);
        if (value !== undefined) return value;
        break;
      }
    }
    throw this.fail('an index is a whole number, end, or + − * / of them', node);
  }
}

const INDEX_ARITHMETIC = new Map<string, (a: number, b: number) => number>([
  ['unaryMinus', (a) => -a],
  ['unaryPlus', (a) => a],
  ['add', (a, b) => a + b],
  ['subtract', (a, b) => a - b],
  ['multiply', (a, b) => a * b],
  ['divide', (a, b) => a / b],
]);
