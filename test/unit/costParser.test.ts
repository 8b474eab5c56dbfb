// Parsing single expressions: values against mathjs's own evaluator (allowed here, in tests only), and every
// rejection with its message and its exact range, counted by hand from the test string (1-based, end exclusive).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'mathjs';
import {
  CostError,
  formatCostError,
  MAX_AST_NODES,
  MAX_VARIABLES,
  parseExpression,
  type SourceRange,
} from '../../src/engine/expr/costParser';
import { evaluate } from '../../src/engine/expr/ir';
import { relErr } from './helpers';

const range = (line: number, column: number, endLine: number, endColumn: number): SourceRange => ({
  line,
  column,
  endLine,
  endColumn,
});
/** A range on line 1. */
const cols = (column: number, endColumn: number): SourceRange => range(1, column, 1, endColumn);

function rejects(text: string, message: RegExp, expected: SourceRange): void {
  assert.throws(
    () => parseExpression(text),
    (e: unknown) => {
      assert.ok(e instanceof CostError, `not a CostError: ${String(e)}`);
      assert.match(e.message, message);
      assert.deepEqual(e.range, expected, `range of '${e.message}'`);
      assert.equal(e.source, '<expr>');
      return true;
    },
  );
}

const SCOPES = [
  { x: 0.3, y: 0.7, z: 1.9 },
  { x: -1.2, y: 2.45, z: -0.35 },
  { x: 3.5, y: -0.8, z: 12 },
];

// Every supported function and operator, written as mathjs reads it.
const EXPRESSIONS = [
  'x + y',
  'x - y - z',
  'x * y / z',
  'x / y / z',
  'x^2 + y^2',
  'x^3 - y^4',
  'x^-2',
  'x^0.5',
  'z^1.7',
  '2^x^y',
  '-x^2',
  '(-x)^2',
  '+x - -y',
  '2x',
  '2 x y',
  '1/2x',
  '3(x + 1)(y - 2)',
  '.5x + 1e-3y',
  '2.5e2 * x',
  'pi x + e^y',
  'abs(x - y)',
  'sign(x) * y',
  'sqrt(x^2 + y^2)',
  'sqrt(x)',
  'cbrt(x - 10)',
  'exp(-x^2 - y^2)',
  'expm1(x / 100)',
  'log(z)',
  'log(y + 3, 2)',
  'log(x^2, 10)',
  'log10(y^2 + 1)',
  'log2(abs(x) + 1)',
  'log1p(y / 10)',
  'log1p(x)',
  'sin(x) * cos(y)',
  'tan(x / 2)',
  'asin(x / 4)',
  'acos(y / 3)',
  'atan(x * y)',
  'atan2(y, x)',
  'atan2(x - 1, y)',
  'sinh(x) + cosh(y)',
  'tanh(2x - y)',
  'hypot(x, y)',
  'hypot(x, y, z)',
  'hypot(x, y, z, 2)',
  'min(x, y)',
  'min(x, y, z)',
  'max(x, y)',
  'max(x, y, z, 0)',
  'square(x - y)',
  'cube(x + 1)',
  'asin(y)',
  '(1 - x)^2 + 100 (y - x^2)^2',
  '(x y^3 - x + 2.625)^2 + (x y^2 - x + 2.25)^2 + (x y - x + 1.5)^2',
  '20 + x^2 - 10 cos(2 pi x) + y^2 - 10 cos(2 pi y)',
  '-20 exp(-0.2 sqrt(0.5 (x^2 + y^2))) - exp(0.5 (cos(2 pi x) + cos(2 pi y))) + e + 20',
  'log((3x + y)^2 + 1) + cosh(4 sin((pi/2) (3x + y)) + x - 3y) - 1',
  '(x^2 + y - 11)^2 + (x + y^2 - 7)^2',
  'x^2 / (1 + y^2) - sqrt(abs(z))',
  '0/0 + x',
  '1/(x - x)',
];

test(`${EXPRESSIONS.length} expressions evaluate as mathjs evaluates them`, () => {
  assert.ok(EXPRESSIONS.length >= 50);
  for (const text of EXPRESSIONS) {
    const f = parseExpression(text);
    const compiled = parse(text).compile();
    for (const scope of SCOPES) {
      const [got] = evaluate(f.graph, scope, [f.output]);
      const want: unknown = compiled.evaluate({ ...scope });
      // mathjs answers with a complex number where real arithmetic has no value; the IR gives NaN there.
      if (typeof want !== 'number' || Number.isNaN(want)) {
        assert.ok(Number.isNaN(got), `${text} at ${JSON.stringify(scope)}: ${got}, mathjs ${String(want)}`);
      } else {
        assert.ok(relErr(got, want) <= 1e-14, `${text} at ${JSON.stringify(scope)}: ${got} vs ${want}`);
      }
    }
  }
});

test('explicit definitions and constants evaluate as in mathjs', () => {
  const cases: [string, Record<string, number>][] = [
    ['f(x, y) = (1 - x)^2 + a*(y - x^2)^2', { a: 100 }],
    ['g(u) = u^k + k u', { k: 3 }],
    ['h(t, s, r) = t s r - hypot(t, s) + w', { w: -0.5 }],
  ];
  for (const [text, constants] of cases) {
    const f = parseExpression(text, { constants });
    const fn = parse(text)
      .compile()
      .evaluate({ ...constants }) as (...args: number[]) => number;
    for (const scope of SCOPES) {
      const args = [scope.x, scope.y, scope.z].slice(0, f.variables.length);
      const [got] = evaluate(f.graph, Object.fromEntries(f.variables.map((v, k) => [v, args[k]])), [f.output]);
      assert.ok(relErr(got, fn(...args)) <= 1e-14, `${text}: ${got} vs ${fn(...args)}`);
    }
  }
});

test('a definition gives name, ordered variables, inputs, source text and range', () => {
  const f = parseExpression('beale(y, x) = (x*y - x + 1.5)^2');
  assert.equal(f.name, 'beale');
  assert.deepEqual(f.variables, ['y', 'x']);
  assert.deepEqual(f.inputs, [f.graph.input('y'), f.graph.input('x')]);
  assert.equal(f.source, '(x*y - x + 1.5)^2');
  assert.deepEqual(f.range, cols(1, 32));
  assert.deepEqual(f.minima, []);
  assert.equal(f.domain, undefined);
});

test('a bare expression is f of its free symbols, sorted, without pi, e and constants', () => {
  const f = parseExpression('  z*pi + b*e^y + sin(a)  ', { constants: { b: 2 } });
  assert.equal(f.name, 'f');
  assert.deepEqual(f.variables, ['a', 'y', 'z']);
  assert.equal(f.source, 'z*pi + b*e^y + sin(a)');
  assert.deepEqual(f.range, cols(3, 24));
  const [v] = evaluate(f.graph, { a: 0.5, y: 1, z: 2 }, [f.output]);
  assert.ok(relErr(v, 2 * Math.PI + 2 * Math.E + Math.sin(0.5)) <= 1e-15);
});

test('each function gets a fresh graph', () => {
  const a = parseExpression('x^2');
  const b = parseExpression('x^2');
  assert.notEqual(a.graph, b.graph);
});

test('mathjs syntax errors point at the offending token', () => {
  rejects('f(x) = x +', /Unexpected end of expression/, cols(11, 11));
  rejects('f(x) = (x + 1', /Parenthesis \) expected/, cols(14, 14));
  rejects('x + * 2', /Value expected/, cols(5, 6));
  rejects('f(x) = sin(x,)', /Value expected/, cols(14, 15));
});

test('non-scalar and non-numeric constructs are rejected at their text', () => {
  rejects('[1, 2] * x', /matrices and arrays are not supported/, cols(1, 7));
  rejects('x[1] + y', /indexing/, cols(2, 5));
  rejects('x + "abc"', /strings are not supported/, cols(5, 10));
  rejects("'a' + x", /strings are not supported/, cols(1, 4));
  rejects('x + true', /booleans are not supported/, cols(5, 9));
  rejects('null + x', /'null' is not supported/, cols(1, 5));
  rejects('{a: 1}', /objects are not supported/, cols(1, 7));
  rejects('x.y + 1', /property access/, cols(2, 3));
  rejects('1:3', /ranges/, cols(2, 3));
});

test('units are rejected', () => {
  rejects('f(x) = x + 5 cm', /undeclared variable 'cm' \(units are not supported\)/, cols(14, 16));
  rejects('x to cm', /unit conversion \('to'\) is not supported/, cols(3, 5));
});

test('operators outside + - * / ^ are rejected at the operator', () => {
  rejects('x ? 1 : 2', /conditional operator '\?' is not supported/, cols(3, 4));
  rejects('x <= 1', /comparison '<=' is not supported/, cols(3, 5));
  rejects('1 + (x == y)', /comparison '==' is not supported/, cols(8, 10));
  rejects('x!', /factorial/, cols(2, 3));
  rejects('x % 2', /'%' \(modulo\) is not supported/, cols(3, 4));
  rejects('x mod 2', /'mod' \(modulo\) is not supported/, cols(3, 6));
  rejects('x and y', /logical operator 'and'/, cols(3, 6));
  rejects('x & y', /bitwise operator '&'/, cols(3, 4));
  rejects("x'", /transpose/, cols(2, 3));
  rejects('x .* y', /element-wise operator '\.\*' is not supported; use '\*'/, cols(3, 5));
  rejects('x @ y', /unexpected character '@'/, cols(3, 4));
});

test('blocks and assignments inside an expression are rejected', () => {
  rejects('x; y', /only one expression is allowed/, cols(2, 3));
  rejects('x\ny', /must fit on one line/, range(1, 2, 2, 1));
  rejects('f(x) = x + (a = 1)', /assignments are only allowed at the start of a definition/, cols(13, 18));
  rejects('a = 2', /defines a constant, not a cost function/, cols(1, 2));
});

test('unknown functions suggest the nearest known name', () => {
  rejects('f(x) = sinn(x)', /unknown function 'sinn'; did you mean 'sin'\?/, cols(8, 12));
  rejects('f(x) = 2 * hypo(x, 1)', /did you mean 'hypot'\?/, cols(12, 16));
  rejects('Sqrt(x)', /did you mean 'sqrt'\?/, cols(1, 5));
  rejects('f(x) = x(2)', /'x' is not a function; to multiply, write x\*\(…\)/, cols(8, 9));
});

test('wrong arity covers the whole call, closing bracket included', () => {
  rejects('f(x) = 2 * atan2(x)', /atan2\(\) takes 2 arguments, got 1/, cols(12, 20));
  rejects('f(x) = hypot(x)', /hypot\(\) takes at least 2 arguments, got 1/, cols(8, 16));
  rejects('log(x, 2, 3)', /log\(\) takes 1 or 2 arguments, got 3/, cols(1, 13));
  rejects('sin(x, (y))', /sin\(\) takes 1 argument, got 2/, cols(1, 12));
});

test('undeclared variables, duplicate and reserved names', () => {
  rejects('f(x) = x + y', /undeclared variable 'y'; the variables are \(x\)/, cols(12, 13));
  rejects('f(x, y, x) = x', /duplicate parameter 'x'/, cols(9, 10));
  rejects('sin(x) = x', /'sin' is a built-in function/, cols(1, 4));
  rejects('pi(x) = x', /'pi' is a built-in constant/, cols(1, 3));
  rejects('f(e) = e^2', /'e' is a constant and cannot be used as a variable/, cols(3, 4));
  rejects('f() = 1', /needs at least one variable/, cols(1, 2));
  rejects('2 + 3', /no variables/, cols(1, 6));
  rejects('', /empty expression/, cols(1, 1));
});

test('function names used as variables', () => {
  rejects('sin + x', /'sin' is a function, not a variable; call it as sin\(…\)/, cols(1, 4));
  rejects('f(x) = x * exp', /'exp' is a function, not a variable/, cols(12, 15));
  rejects('f(exp) = exp', /'exp' is a function and cannot be used as a variable/, cols(3, 6));
});

test('size and nesting limits are errors, never crashes', () => {
  const half = MAX_AST_NODES / 2;
  const big = 'x' + '+x'.repeat(half); // half + 1 symbols and half additions
  rejects(big, /more than 50,000 nodes/, cols(1, big.length + 1));
  const ok = 'x' + '+x'.repeat(half - 1); // one node short of the limit
  assert.equal(parseExpression(ok).variables.length, 1);

  rejects(`${'('.repeat(201)}x${')'.repeat(201)}`, /brackets nest deeper than 200 levels/, cols(201, 202));
  const deep = parseExpression(`${'('.repeat(200)}x${')'.repeat(200)}`);
  assert.deepEqual(evaluate(deep.graph, { x: 3 }, [deep.output]), [3]);

  const minus = `${'-'.repeat(100_000)}x`;
  rejects(minus, /too deeply nested/, cols(1, minus.length + 1));
  const tower = `${'x^'.repeat(100_000)}2`;
  rejects(tower, /too deeply nested/, cols(1, tower.length + 1));
});

test('positions on later lines of a multi-line expression', () => {
  rejects('f(x, y) = (x +\n  z)', /undeclared variable 'z'/, range(2, 3, 2, 4));
  rejects('f(x) = (x +\n  sinn(x))', /unknown function 'sinn'/, range(2, 3, 2, 7));
  const f = parseExpression('f(x) = (x +\r\n  1)');
  assert.deepEqual(f.range, range(1, 1, 2, 5));
  assert.deepEqual(evaluate(f.graph, { x: 2 }, [f.output]), [3]);
});

test('formatCostError: <expr>:col for inline expressions', () => {
  try {
    parseExpression('f(x) = x + y');
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof CostError);
    assert.equal(formatCostError(e), "<expr>:12: undeclared variable 'y'; the variables are (x)");
  }
  try {
    parseExpression('x + y +', { source: 'my.cost' });
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof CostError);
    assert.equal(formatCostError(e), 'my.cost:1:8: Unexpected end of expression');
  }
});

test("names of Object.prototype's members are ordinary names (lookups never reach a prototype)", () => {
  for (const text of ['constructor*x', 'x*__proto__', 'toString + valueOf*hasOwnProperty']) {
    const f = parseExpression(text);
    const scope = Object.fromEntries(f.variables.map((v, k) => [v, k + 2]));
    const want: unknown = parse(text)
      .compile()
      .evaluate(new Map(Object.entries(scope)));
    assert.deepEqual(evaluate(f.graph, scope, [f.output]), [want], text);
  }
  const g = parseExpression('f(constructor, __proto__) = constructor^2 - __proto__', {
    constants: Object.fromEntries([['hasOwnProperty', 3]]),
  });
  assert.deepEqual(g.variables, ['constructor', '__proto__']);
  const scope = Object.fromEntries([
    ['constructor', 3],
    ['__proto__', 1],
  ]);
  assert.deepEqual(evaluate(g.graph, scope, [g.output]), [8]);
  rejects('valueOf(x)', /unknown function 'valueOf'/, cols(1, 8));
  rejects('f(x) = x*toString', /undeclared variable 'toString'; the variables are \(x\)/, cols(10, 18));
  // a variable the caller did not give is an error, not Object.prototype.constructor
  assert.throws(() => evaluate(g.graph, { __proto__: 1 } as Record<string, number>, [g.output]), /no value for input/);
});

test('a function may repeat an argument: max(x, x, y) is a call, not a definition with duplicate parameters', () => {
  for (const text of ['max(x, x, y)', 'f(x, y) = max(x, x, y) + hypot(y, y)', 'min(x, x)']) {
    const f = parseExpression(text);
    const want = parse(text.replace(/^f\(x, y\) = /, '')).compile();
    for (const scope of SCOPES) {
      const [got] = evaluate(f.graph, scope, [f.output]);
      assert.equal(got, want.evaluate({ ...scope }), `${text} at ${JSON.stringify(scope)}`);
    }
  }
  rejects('f(x, y, x) = max(x, x, y)', /duplicate parameter 'x'/, cols(9, 10));
});

test('a lone \\r ends a line as \\n and \\r\\n do: positions, and a line end outside brackets', () => {
  rejects('f(x, y) = (x +\r  z)', /undeclared variable 'z'/, range(2, 3, 2, 4));
  const f = parseExpression('f(x) = (x +\r  1)');
  assert.deepEqual(f.range, range(1, 1, 2, 5));
  assert.deepEqual(evaluate(f.graph, { x: 2 }, [f.output]), [3]);
  rejects('f(x) = x\r+ 1', /must fit on one line/, range(1, 9, 2, 1));
  rejects('f(x) = x # a comment\r+ y', /must fit on one line/, range(1, 21, 2, 1));
});

test(`at most ${MAX_VARIABLES.toLocaleString('en-US')} variables, with the error at the parameter list`, () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
  assert.equal(parseExpression(`f(${names(MAX_VARIABLES).join(', ')}) = v0^2`).variables.length, MAX_VARIABLES);
  const params = names(MAX_VARIABLES + 1).join(', ');
  const message = /too many variables: 4,097; a function may have at most 4,096/;
  rejects(`f(${params}) = v0^2`, message, cols(3, 3 + params.length));
  const sum = names(MAX_VARIABLES + 1).join(' + ');
  rejects(sum, message, cols(1, sum.length + 1));
});
