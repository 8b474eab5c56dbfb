/**
 * The mathjs lowering tables against the operation lists: every IR operation is either reachable from a cost
 * expression (its function or operator, parsed, yields a node of that op) or marked internal — nothing is
 * left unreachable by accident — and every function name a user may call computes what mathjs computes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExpression } from '../../src/engine/expr/costParser';
import { evaluate as mathjs } from 'mathjs';
import { BINARY_OPS, evaluate, UNARY_OPS, type IrNode } from '../../src/engine/expr/ir';
import { BINARY_LOWERING, BUILTINS, UNARY_LOWERING, type Lowering } from '../../src/engine/expr/mathFunctions';
import { relErr } from './helpers';
import { spelling } from './opSpelling';

function reaches(lowering: Lowering, op: string, arity: 1 | 2): boolean {
  const text = spelling(lowering, op, arity === 1 ? ['x*y'] : ['x*y', 'x - y']);
  if (text === undefined) return false;
  const fn = parseExpression(`f(x, y) = ${text}`);
  return fn.graph.nodes.some((n: IrNode) => (n.kind === 'unary' || n.kind === 'binary') && n.op === op);
}

test('every operation is reachable from its lowering or marked internal', () => {
  const internal: string[] = [];
  for (const [ops, table, arity] of [
    [UNARY_OPS, UNARY_LOWERING, 1],
    [BINARY_OPS, BINARY_LOWERING, 2],
  ] as const) {
    for (const op of ops) {
      const lowering: Lowering = (table as Readonly<Record<string, Lowering>>)[op];
      if (lowering.kind === 'internal') {
        assert.ok(lowering.madeBy.length > 0, `${op}: say what makes it`);
        internal.push(op);
        continue;
      }
      assert.ok(reaches(lowering, op, arity), `${op}: its ${lowering.kind} does not lower to a '${op}' node`);
    }
  }
  console.log(`internal operations: ${internal.join(' ')}`);
});

test('every built-in function computes what mathjs computes, with its smallest and a larger argument count', () => {
  const point = { x: 0.7, y: 0.4 };
  for (const [name, builtin] of BUILTINS) {
    for (const n of new Set([builtin.minArgs, Math.min(builtin.maxArgs, 3)])) {
      const text = `${name}(${['x', 'y', 'x + 2*y'].slice(0, n).join(', ')})`;
      const fn = parseExpression(`f(x, y) = ${text}`);
      const [got] = evaluate(fn.graph, point, [fn.output]);
      const want: unknown = mathjs(text, { ...point });
      assert.ok(typeof want === 'number' && relErr(got, want) <= 1e-15, `${text}: ${got}, mathjs ${String(want)}`);
    }
  }
});
