/**
 * One definition: text → mathjs AST (parsed, never evaluated) → validated → lowered into a fresh IR graph.
 * A definition is `name(x, y) = expr`, a constant `a = expr` (folded to a number), or a bare expression whose
 * variables are its free symbols. Every user error becomes a CostError with the exact source range.
 */
import type {
  AssignmentNode,
  ConstantNode,
  FunctionAssignmentNode,
  FunctionNode,
  MathNode,
  ParenthesisNode,
  SymbolNode,
} from 'mathjs';
import { type AnyOperatorNode, leftSpine, SpanIndex } from './astSpans';
import { isValuelessUnit, parse } from './mathjsParser';
import {
  arityMessage,
  BINARY_OPERATORS,
  BUILTIN_CONSTANTS,
  BUILTINS,
  nearestBuiltin,
  UNARY_OPERATORS,
} from './mathFunctions';
import { Graph, type NodeId } from './ir';
import { rejectUnsupported, tokenize, type Token } from './lexer';
import { CostError, type LineMap, type SourceRange, type Span } from './sourceMap';

export const MAX_AST_NODES = 50_000;
/**
 * Compile time (text → kernel) grows linearly with the variables, at about a second per thousand for the
 * heaviest optimizers on the development machine (README, Limits); data-fit models need a few thousand.
 */
export const MAX_VARIABLES = 4096;

export interface CostFunction {
  name: string;
  variables: string[];
  /** The expression text as written (the right-hand side of a definition). */
  source: string;
  /** The whole definition. */
  range: SourceRange;
  graph: Graph;
  output: NodeId;
  inputs: NodeId[];
  domain?: [number, number][];
  minima: number[][];
  fStar?: number;
  /** `@noise sigma`: σ of the Gaussian noise added to each gradient coordinate (DATA-CONVENTIONS). */
  noise?: number;
}

/** What earlier lines of a file define: constants (usable here) and every taken name (with its line). */
export interface DefinitionContext {
  constants: ReadonlyMap<string, number>;
  defined: ReadonlyMap<string, number>;
}

export type Definition =
  | { kind: 'function'; fn: CostFunction; nameSpan: Span }
  | { kind: 'constant'; name: string; value: number; nameSpan: Span };

/** Parses `map.text[span]` as one definition; throws CostError (never anything else). */
export function parseDefinition(map: LineMap, span: Span, ctx: DefinitionContext): Definition {
  const { root, spans, whole } = parseSyntax(map, span);
  return guard(map, whole, () => new Lowering(map, spans, ctx, whole).definition(root));
}

export interface Syntax {
  root: MathNode;
  spans: SpanIndex;
  /** From the first token to the last (comments and blanks around excluded). */
  whole: Span;
}

/** Text → checked tokens → mathjs AST with spans; `tensors` admits a model's syntax (src/engine/model). */
export function parseSyntax(map: LineMap, span: Span, tensors = false): Syntax {
  const tokens = tokenize(map.text, span.start, span.end);
  if (tokens.length === 0) throw map.error('empty expression', span);
  const whole: Span = { start: tokens[0].start, end: tokens[tokens.length - 1].end };
  return guard(map, whole, () => {
    rejectUnsupported(tokens, map, tensors);
    rejectDuplicateParams(tokens, map);
    const root = parseWithMathjs(map, span, tokens);
    if (countNodes(root) > MAX_AST_NODES) {
      throw map.error(`expression too large: more than ${MAX_AST_NODES.toLocaleString('en-US')} nodes`, whole);
    }
    return { root, spans: new SpanIndex(tokens, root), whole };
  });
}

/** Runs `work`, which may throw only CostErrors; anything else it throws becomes one at `whole`. */
export function guard<T>(map: LineMap, whole: Span, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof CostError) throw e;
    // Operator chains such as `------x` recurse in mathjs and in our walks without bracket nesting.
    if (e instanceof RangeError) throw map.error('expression too deeply nested', whole);
    throw map.error(`internal parser error (please report): ${e instanceof Error ? e.message : String(e)}`, whole);
  }
}

/**
 * mathjs rejects `f(x, x) = …` without a position, so duplicates are found on the tokens first — only in a
 * definition's head `name(a, b, …) =`: `max(x, x, y)` is a call, where a repeated argument is fine.
 */
function rejectDuplicateParams(tokens: readonly Token[], map: LineMap): void {
  if (tokens[0].kind !== 'name' || tokens[1]?.text !== '(') return;
  const params: Token[] = [];
  for (let k = 2; ; k += 2) {
    if (tokens[k]?.kind !== 'name') return;
    params.push(tokens[k]);
    const after = tokens[k + 1]?.text;
    if (after === ')' && tokens[k + 2]?.text === '=') break;
    if (after !== ',') return;
  }
  const seen = new Set<string>();
  for (const param of params) {
    if (seen.has(param.text)) throw map.error(`duplicate parameter '${param.text}'`, param);
    seen.add(param.text);
  }
}

function parseWithMathjs(map: LineMap, span: Span, tokens: readonly Token[]): MathNode {
  // mathjs knows only \n as a line end (a comment runs to it) and rejects \r: \r\n becomes ' \n' and a lone \r
  // '\n', which keeps offsets aligned with our tokens.
  const text = map.text.slice(span.start, span.end).replace(/\r\n?/g, (end) => (end.length === 2 ? ' \n' : '\n'));
  try {
    return parse(text);
  } catch (e) {
    if (e instanceof RangeError) throw e;
    const message = e instanceof Error ? e.message.replace(/ \(char \d+\)$/, '') : String(e);
    const char = (e as { char?: unknown }).char;
    if (typeof char !== 'number') throw map.error(message, span);
    // mathjs's `char` is the 1-based index of the offending token; point at that token.
    const offset = span.start + char - 1;
    const token = tokens.find((t) => t.start === offset);
    throw map.error(message, token ?? { start: offset, end: Math.min(offset + 1, span.end) });
  }
}

/** Iterative, so that counting cannot overflow the stack. */
function countNodes(root: MathNode): number {
  let count = 0;
  const stack = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    count++;
    node.forEach((child) => stack.push(child));
  }
  return count;
}

/** Symbols other than the names of called functions. */
function freeSymbols(root: MathNode): string[] {
  const names = new Set<string>();
  const stack = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'SymbolNode') names.add((node as SymbolNode).name);
    if (node.type === 'FunctionNode') stack.push(...(node as FunctionNode).args);
    else node.forEach((child) => stack.push(child));
  }
  return [...names];
}

class Lowering {
  private readonly graph = new Graph();
  /** null while lowering a constant, which may not use variables. */
  private variables: Map<string, NodeId> | null = null;

  constructor(
    private readonly map: LineMap,
    private readonly spans: SpanIndex,
    private readonly ctx: DefinitionContext,
    private readonly whole: Span,
  ) {}

  definition(root: MathNode): Definition {
    if (root.type === 'FunctionAssignmentNode') return this.functionDefinition(root as FunctionAssignmentNode);
    if (root.type === 'AssignmentNode') return this.constantDefinition(root as AssignmentNode);
    const variables = freeSymbols(root)
      .filter((n) => !this.isConstant(n) && !BUILTINS.has(n) && !this.ctx.defined.has(n))
      .sort();
    if (variables.length === 0) throw this.fail('expression has no variables', this.whole);
    this.checkVariableCount(variables.length, this.whole);
    this.checkNewName('f', this.whole, 'function');
    return this.costFunction('f', variables, root, this.whole);
  }

  private functionDefinition(def: FunctionAssignmentNode): Definition {
    const nameSpan = this.spans.nameSpan(def);
    this.checkNewName(def.name, nameSpan, 'function');
    if (def.params.length === 0) throw this.fail(`${def.name}() needs at least one variable`, nameSpan);
    const { params } = this.spans;
    this.checkVariableCount(def.params.length, { start: params[0].start, end: params[params.length - 1].end });
    def.params.forEach((p, k) => {
      const at = this.spans.params[k];
      if (BUILTINS.has(p)) throw this.fail(`'${p}' is a function and cannot be used as a variable`, at);
      if (this.isConstant(p)) throw this.fail(`'${p}' is a constant and cannot be used as a variable`, at);
    });
    return this.costFunction(def.name, def.params, def.expr, nameSpan);
  }

  private costFunction(name: string, variables: string[], expr: MathNode, nameSpan: Span): Definition {
    this.variables = new Map(variables.map((v) => [v, this.graph.input(v)]));
    const output = this.lower(expr);
    const exprSpan = this.spans.span(expr);
    return {
      kind: 'function',
      nameSpan,
      fn: {
        name,
        variables,
        source: this.map.text.slice(exprSpan.start, exprSpan.end),
        range: this.map.range(this.whole),
        graph: this.graph,
        output,
        inputs: [...this.variables.values()],
        minima: [],
      },
    };
  }

  private constantDefinition(asg: AssignmentNode): Definition {
    const nameSpan = this.spans.nameSpan(asg);
    const name = asg.object.name;
    this.checkNewName(name, nameSpan, 'constant');
    const value = this.graph.constValue(this.lower(asg.value));
    if (value === undefined) throw new Error('a constant expression did not fold');
    return { kind: 'constant', name, value, nameSpan };
  }

  private checkVariableCount(count: number, at: Span): void {
    if (count <= MAX_VARIABLES) return;
    const n = (k: number) => k.toLocaleString('en-US');
    throw this.fail(`too many variables: ${n(count)}; a function may have at most ${n(MAX_VARIABLES)}`, at);
  }

  private checkNewName(name: string, at: Span, what: string): void {
    if (BUILTINS.has(name)) throw this.fail(`'${name}' is a built-in function; choose another ${what} name`, at);
    if (BUILTIN_CONSTANTS.has(name))
      throw this.fail(`'${name}' is a built-in constant; choose another ${what} name`, at);
    const line = this.ctx.defined.get(name);
    if (line !== undefined) throw this.fail(`'${name}' is already defined on line ${line}`, at);
  }

  private isConstant(name: string): boolean {
    return BUILTIN_CONSTANTS.has(name) || this.ctx.constants.has(name);
  }

  private fail(message: string, span: Span): CostError {
    return this.map.error(message, span);
  }

  private lower(node: MathNode): NodeId {
    const g = this.graph;
    switch (node.type) {
      case 'ConstantNode': {
        const value: unknown = (node as ConstantNode).value;
        if (typeof value !== 'number') throw new Error(`unexpected ${typeof value} constant`);
        return g.const(value);
      }
      case 'SymbolNode':
        return this.symbol((node as SymbolNode).name, this.spans.span(node));
      case 'ParenthesisNode':
        return this.lower((node as ParenthesisNode).content);
      case 'OperatorNode':
        return this.operator(node as AnyOperatorNode);
      case 'FunctionNode':
        return this.call(node as FunctionNode);
      case 'AssignmentNode':
      case 'FunctionAssignmentNode':
        throw this.fail('assignments are only allowed at the start of a definition', this.spans.span(node));
      default:
        throw new Error(`unexpected ${node.type}`);
    }
  }

  private symbol(name: string, at: Span): NodeId {
    const input = this.variables?.get(name);
    if (input !== undefined) return input;
    const builtin = BUILTIN_CONSTANTS.get(name);
    if (builtin !== undefined) return this.graph.const(builtin);
    const constant = this.ctx.constants.get(name);
    if (constant !== undefined) return this.graph.const(constant);
    if (BUILTINS.has(name) || this.ctx.defined.has(name)) {
      throw this.fail(`'${name}' is a function, not a variable; call it as ${name}(…)`, at);
    }
    // A bare expression would take `5 cm` as 5·cm; where variables are declared, say why a unit cannot work.
    const unit = isValuelessUnit(name) ? ' (units are not supported)' : '';
    if (this.variables === null) {
      throw this.fail(
        `unknown symbol '${name}'${unit}: a constant may use only numbers, pi, e and earlier constants`,
        at,
      );
    }
    throw this.fail(
      `undeclared variable '${name}'${unit}; the variables are (${[...this.variables.keys()].join(', ')})`,
      at,
    );
  }

  private operator(node: AnyOperatorNode): NodeId {
    const g = this.graph;
    if (node.args.length === 1) {
      const a = this.lower(node.args[0]);
      if (node.fn === 'unaryPlus') return a;
      return g.unary(this.known(UNARY_OPERATORS, node.fn), a);
    }
    const spine = leftSpine(node);
    let acc = this.lower(spine[spine.length - 1].args[0]);
    for (let k = spine.length - 1; k >= 0; k--) {
      const b = this.lower(spine[k].args[1]);
      acc = g.binary(this.known(BINARY_OPERATORS, spine[k].fn), acc, b);
    }
    return acc;
  }

  /** rejectUnsupported lets through only the operators of the lowering tables: any other is a bug. */
  private known<Op>(operators: ReadonlyMap<string, Op>, fn: string): Op {
    const op = operators.get(fn);
    if (op === undefined) throw new Error(`unexpected operator ${fn}`);
    return op;
  }

  private call(node: FunctionNode): NodeId {
    const name = node.fn.name;
    const at = this.spans.nameSpan(node);
    const builtin = BUILTINS.get(name);
    if (!builtin) {
      if (this.variables?.has(name) || this.isConstant(name)) {
        throw this.fail(`'${name}' is not a function; to multiply, write ${name}*(…)`, at);
      }
      if (this.ctx.defined.has(name))
        throw this.fail(`'${name}' is a definition; definitions cannot call each other`, at);
      throw this.fail(`unknown function '${name}'; did you mean '${nearestBuiltin(name)}'?`, at);
    }
    const n = node.args.length;
    if (n < builtin.minArgs || n > builtin.maxArgs)
      throw this.fail(arityMessage(name, builtin, n), this.spans.span(node));
    return builtin.build(
      this.graph,
      node.args.map((a) => this.lower(a)),
    );
  }
}
