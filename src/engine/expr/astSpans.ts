/**
 * Source spans for mathjs AST nodes. mathjs keeps no positions, but its AST lists operands in source order,
 * so walking it while consuming the lexer's tokens assigns each node the span from its first to its last
 * token (closing bracket included). Only the node kinds that survive `rejectUnsupported` are handled (with
 * `tensors`, also arrays, indexing, ranges, transposes and comparisons); any other kind, or a token that does
 * not match, is a bug in this module and throws a plain Error. The parts of a range that mathjs supplies
 * without text (the 1 and `end` of `A[:, 1]`) get no span.
 */
import type {
  AccessorNode,
  ArrayNode,
  AssignmentNode,
  FunctionAssignmentNode,
  FunctionNode,
  IndexNode,
  MathNode,
  OperatorNode,
  OperatorNodeFn,
  OperatorNodeOp,
  ParenthesisNode,
  RangeNode,
  RelationalNode,
  SymbolNode,
} from 'mathjs';
import type { Token } from './lexer';
import type { Span } from './sourceMap';

export type AnyOperatorNode = OperatorNode<OperatorNodeOp, OperatorNodeFn>;

const isBinaryOperator = (node: MathNode): node is AnyOperatorNode =>
  node.type === 'OperatorNode' && (node as AnyOperatorNode).args.length === 2;

/**
 * The chain of binary operators down the left operands, outermost first. Sums and products of many terms nest
 * to the left (mathjs builds them in a loop), so walking this chain in a loop keeps recursion shallow.
 */
export function leftSpine(node: AnyOperatorNode): AnyOperatorNode[] {
  const spine = [node];
  for (let n = node.args[0]; isBinaryOperator(n); n = n.args[0]) spine.push(n);
  return spine;
}

export class SpanIndex {
  private readonly spans = new Map<MathNode, Span>();
  /** The name token of a function call, function definition or assignment. */
  private readonly names = new Map<MathNode, Span>();
  /** Parameter name tokens of the root function definition, in order. */
  readonly params: Span[] = [];
  private next = 0;

  constructor(
    private readonly tokens: readonly Token[],
    root: MathNode,
  ) {
    this.walk(root);
    if (this.next !== tokens.length) throw new Error(`span index: ${tokens.length - this.next} tokens left over`);
  }

  span(node: MathNode): Span {
    const s = this.spans.get(node);
    if (!s) throw new Error(`span index: no span for ${node.type}`);
    return s;
  }

  /** False for the parts of a range that mathjs supplies without text. */
  has(node: MathNode): boolean {
    return this.spans.has(node);
  }

  nameSpan(node: MathNode): Span {
    return this.names.get(node) ?? this.span(node);
  }

  private take(text?: string): Token {
    const t = this.tokens[this.next++];
    if (!t || (text !== undefined && t.text !== text)) {
      throw new Error(`span index: expected '${text ?? 'a token'}', found '${t?.text ?? 'end of input'}'`);
    }
    return t;
  }

  private walk(node: MathNode): void {
    const first = this.next;
    switch (node.type) {
      case 'ConstantNode':
      case 'SymbolNode':
        this.take(node.type === 'SymbolNode' ? (node as SymbolNode).name : undefined);
        break;
      case 'ParenthesisNode':
        this.take('(');
        this.walk((node as ParenthesisNode).content);
        this.take(')');
        break;
      case 'OperatorNode': {
        const op = node as AnyOperatorNode;
        if ((op.fn as string) === 'ctranspose') {
          this.walk(op.args[0]);
          this.take("'");
          break;
        }
        if (op.args.length === 1) {
          this.take(op.op);
          this.walk(op.args[0]);
          break;
        }
        const spine = leftSpine(op);
        this.walk(spine[spine.length - 1].args[0]);
        for (let k = spine.length - 1; k >= 0; k--) {
          if (!spine[k].implicit) this.take(spine[k].op);
          this.walk(spine[k].args[1]);
          this.spans.set(spine[k], { start: this.tokens[first].start, end: this.tokens[this.next - 1].end });
        }
        return;
      }
      case 'FunctionNode': {
        const call = node as FunctionNode;
        // A method call `a.f(x)` calls an accessor, which has no name of its own.
        if (call.fn.type === 'SymbolNode') this.names.set(node, this.take(call.fn.name));
        else this.walk(call.fn);
        this.list(call.args, (arg) => this.walk(arg));
        break;
      }
      case 'RelationalNode': {
        const chain = node as RelationalNode;
        chain.params.forEach((p, k) => {
          if (k > 0) this.take();
          this.walk(p);
        });
        break;
      }
      case 'ArrayNode':
        this.list((node as ArrayNode).items, (item) => this.walk(item), '[', ']');
        break;
      case 'AccessorNode': {
        const access = node as AccessorNode;
        this.walk(access.object);
        this.walk(access.index);
        break;
      }
      case 'IndexNode': {
        const index = node as IndexNode;
        if (index.dotNotation) {
          this.take('.');
          this.take();
          this.spans.set(index.dimensions[0], this.tokens[this.next - 1]);
        } else this.list(index.dimensions, (d) => this.walk(d), '[', ']');
        break;
      }
      case 'RangeNode': {
        const range = node as RangeNode;
        this.bound(range.start);
        this.take(':');
        if (range.step) {
          this.walk(range.step);
          this.take(':');
        }
        this.bound(range.end);
        break;
      }
      case 'FunctionAssignmentNode': {
        const def = node as FunctionAssignmentNode;
        this.names.set(node, this.take(def.name));
        this.list(def.params, (p) => this.params.push(this.take(p)));
        this.take('=');
        this.walk(def.expr);
        break;
      }
      case 'AssignmentNode': {
        const asg = node as AssignmentNode;
        this.walk(asg.object);
        this.names.set(node, this.span(asg.object));
        if (asg.index) this.walk(asg.index);
        this.take('=');
        this.walk(asg.value);
        break;
      }
      default:
        throw new Error(`span index: unexpected ${node.type}`);
    }
    this.spans.set(node, { start: this.tokens[first].start, end: this.tokens[this.next - 1].end });
  }

  /** `( item , item … )` */
  private list<T>(items: readonly T[], each: (item: T) => void, open = '(', close = ')'): void {
    this.take(open);
    items.forEach((item, k) => {
      if (k > 0) this.take(',');
      each(item);
    });
    this.take(close);
  }

  /** A range's start or end, which is absent from the text (`:` alone, `2:`) when a ':', ',' or ']' is next. */
  private bound(node: MathNode): void {
    const next = this.tokens[this.next]?.text;
    if (next !== undefined && next !== ':' && next !== ',' && next !== ']') this.walk(node);
  }
}
