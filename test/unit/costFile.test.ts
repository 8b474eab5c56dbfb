// `.cost` files: definitions, continuation lines, comments, constants, directives, and error collection with
// file positions (1-based line and column, end exclusive, counted by hand from the file text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCostError, parseCostFile, type SourceRange } from '../../src/engine/expr/costParser';
import { evaluate } from '../../src/engine/expr/ir';

const range = (line: number, column: number, endLine: number, endColumn: number): SourceRange => ({
  line,
  column,
  endLine,
  endColumn,
});

const SAMPLE = [
  '# A sample file', // 1
  '', // 2
  'a = 100   # a constant', // 3
  'b = a / 4 + sqrt(a)', // 4
  'rosenbrock(x, y) = (1 - x)^2 + a*(y - x^2)^2', // 5
  '@domain [-2, 2] x [-1, 3]   # the usual box', // 6
  '@minimum (1, 1)', // 7
  '', // 8
  '  # indented comment', // 9
  'bowl(u, v, w) = (u^2 +     # continued', // 10
  '                 b*v^2 +', // 11
  '                 w^2)', // 12
  '@minimum (0, 0, 0)', // 13
  '@minimum (1e-3, .5, -2)', // 14
  'line(t) = t - b   ', // 15
  '@domain [-1.5e1, 15]', // 16
].join('\n');

test('a sample file: constants, functions, continuation lines, comments, directives', () => {
  const file = parseCostFile(SAMPLE, 'sample.cost');
  assert.deepEqual(file.errors.map(formatCostError), []);
  assert.deepEqual(file.constants, { a: 100, b: 35 });
  assert.deepEqual(
    file.functions.map((f) => f.name),
    ['rosenbrock', 'bowl', 'line'],
  );

  const [rosenbrock, bowl, line] = file.functions;
  assert.deepEqual(rosenbrock.variables, ['x', 'y']);
  assert.equal(rosenbrock.source, '(1 - x)^2 + a*(y - x^2)^2');
  assert.deepEqual(rosenbrock.range, range(5, 1, 5, 45));
  assert.deepEqual(rosenbrock.domain, [
    [-2, 2],
    [-1, 3],
  ]);
  assert.deepEqual(rosenbrock.minima, [[1, 1]]);
  assert.equal(rosenbrock.fStar, 0);
  assert.deepEqual(evaluate(rosenbrock.graph, { x: 0, y: 1 }, [rosenbrock.output]), [101]);

  assert.deepEqual(bowl.variables, ['u', 'v', 'w']);
  assert.deepEqual(bowl.range, range(10, 1, 12, 22));
  assert.equal(bowl.source, '(u^2 +     # continued\n                 b*v^2 +\n                 w^2)');
  assert.equal(bowl.domain, undefined);
  assert.deepEqual(bowl.minima, [
    [0, 0, 0],
    [0.001, 0.5, -2],
  ]);
  assert.equal(bowl.fStar, 0);
  assert.deepEqual(evaluate(bowl.graph, { u: 1, v: 2, w: 3 }, [bowl.output]), [1 + 35 * 4 + 9]);

  assert.deepEqual(line.domain, [[-15, 15]]);
  assert.deepEqual(line.minima, []);
  assert.equal(line.fStar, undefined);
  assert.deepEqual(line.range, range(15, 1, 15, 16));
});

test('f* is f at the first @minimum', () => {
  const file = parseCostFile('g(x, y) = (x - 1)^2 + y^2 - 2\n@minimum (1, 0)\n@minimum (5, 5)\n');
  assert.deepEqual(file.errors, []);
  assert.equal(file.functions[0].fStar, -2);
  assert.deepEqual(file.functions[0].minima, [
    [1, 0],
    [5, 5],
  ]);
});

test('CRLF and CR-only line endings parse like LF, with the same positions', () => {
  const lf = parseCostFile(SAMPLE, 'sample.cost');
  for (const [name, end] of [
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ]) {
    const file = parseCostFile(SAMPLE.replace(/\n/g, end), 'sample.cost');
    assert.deepEqual(file.errors.map(formatCostError), [], name);
    assert.deepEqual(
      file.functions.map((f) => [f.name, f.range, f.minima, f.domain]),
      lf.functions.map((f) => [f.name, f.range, f.minima, f.domain]),
      name,
    );
    assert.deepEqual(file.constants, lf.constants, name);
    assert.deepEqual(file.functions[1].range, range(10, 1, 12, 22));
  }
  // errors on later lines of a file with mixed line ends point at the right line
  const mixed = parseCostFile('a = 1\r# comment\r\nf(x) = (x +\r  y)\n@minimum (1)\rg(x) = x + a\r\n@domain [1, 0]');
  assert.deepEqual(
    mixed.errors.map((e) => [e.message, e.range]),
    [
      ["undeclared variable 'y'; the variables are (x)", range(4, 3, 4, 4)],
      ['empty interval: 1 must be less than 0', range(7, 9, 7, 15)],
    ],
  );
  assert.deepEqual(
    mixed.functions.map((f) => f.name),
    ['g'],
  );
});

test('a bare expression in a file is named f', () => {
  const file = parseCostFile('x^2 + y^2\n@domain [-1, 1] x [-1, 1]\n');
  assert.deepEqual(file.errors, []);
  assert.equal(file.functions[0].name, 'f');
  assert.deepEqual(file.functions[0].variables, ['x', 'y']);

  const two = parseCostFile('x^2\n\n  y^2 + 1\n');
  assert.deepEqual(
    two.errors.map((e) => [e.message, e.range]),
    [["'f' is already defined on line 1", range(3, 3, 3, 10)]],
  );
});

test('all errors are collected, with file positions, and good lines still parse', () => {
  const text = [
    'f(x) = x^2', // 1
    'f(y) = y^3', // 2: duplicate name
    'c = 2 + q', // 3: unknown symbol in a constant
    'g(x) = sinn(x) + 1', // 4: unknown function
    'h(x, y) = (x +', // 5: unclosed, ends at the blank line
    '', // 6
    'k(x) = f(x) + c', // 7: calling a definition
    'm(x) = x + 5 cm', // 8: unit
    'n(x) = 2 * x', // 9: fine
  ].join('\n');
  const file = parseCostFile(text, 'errs.cost');
  assert.deepEqual(
    file.functions.map((f) => f.name),
    ['f', 'n'],
  );
  const got = file.errors.map((e) => [formatCostError(e), e.range]);
  assert.deepEqual(got, [
    ["errs.cost:2:1: 'f' is already defined on line 1", range(2, 1, 2, 2)],
    [
      "errs.cost:3:9: unknown symbol 'q': a constant may use only numbers, pi, e and earlier constants",
      range(3, 9, 3, 10),
    ],
    ["errs.cost:4:8: unknown function 'sinn'; did you mean 'sin'?", range(4, 8, 4, 12)],
    ['errs.cost:5:15: Unexpected end of expression', range(5, 15, 5, 15)],
    ["errs.cost:7:8: 'f' is a definition; definitions cannot call each other", range(7, 8, 7, 9)],
    ["errs.cost:8:14: undeclared variable 'cm' (units are not supported); the variables are (x)", range(8, 14, 8, 16)],
  ]);
});

test('syntax and lexical errors on continuation lines carry file positions', () => {
  const text = 'ok(x) = x\n\nbad(x, y) = (x +\n   y ? 1 : 2)\nlater(z) = (z\n  +)\n';
  const file = parseCostFile(text, 'c.cost');
  assert.deepEqual(
    file.functions.map((f) => f.name),
    ['ok'],
  );
  assert.deepEqual(
    file.errors.map((e) => [e.message, e.range]),
    [
      ["conditional operator '?' is not supported", range(4, 6, 4, 7)],
      ['Value expected', range(6, 4, 6, 5)],
    ],
  );
});

test('constants: folded, usable later, and not before their definition', () => {
  const file = parseCostFile('s(x) = k*x\nk = 2^10 - log(e)\nt(x) = k*x\nk2 = k/2 + pi - pi');
  assert.deepEqual(file.constants, { k: 1023, k2: 511.5 });
  assert.deepEqual(
    file.functions.map((f) => f.name),
    ['t'],
  );
  assert.deepEqual(
    file.errors.map((e) => [e.message, e.range]),
    [["undeclared variable 'k'; the variables are (x)", range(1, 8, 1, 9)]],
  );
  const t = file.functions[0];
  assert.deepEqual(evaluate(t.graph, { x: 2 }, [t.output]), [2046]);
  // a constant folds to a literal: the graph has only x, the literal 1023 and the product
  assert.equal(t.graph.size, 3);
});

test("constants and functions named after Object.prototype's members are ordinary names", () => {
  const file = parseCostFile('__proto__ = 2\nconstructor = 3\ntoString(x) = __proto__*x + constructor\n@minimum (0)');
  assert.deepEqual(file.errors, []);
  assert.deepEqual(Object.entries(file.constants), [
    ['__proto__', 2],
    ['constructor', 3],
  ]);
  const [f] = file.functions;
  assert.equal(f.name, 'toString');
  assert.equal(f.fStar, 3);
  assert.deepEqual(evaluate(f.graph, { x: 5 }, [f.output]), [13]);
});

test('constant names cannot be reused as parameters or redefined', () => {
  const file = parseCostFile('a = 1\nf(a) = a\na = 2\n');
  assert.deepEqual(
    file.errors.map((e) => [e.message, e.range]),
    [
      ["'a' is a constant and cannot be used as a variable", range(2, 3, 2, 4)],
      ["'a' is already defined on line 1", range(3, 1, 3, 2)],
    ],
  );
});

test('bad directives are errors with ranges', () => {
  const text = [
    '@domain [0, 1]', // 1: no preceding definition
    'a = 3', // 2
    '@minimum (1)', // 3: follows a constant
    'f(x, y) = x^2 + y^2', // 4
    '@domain [-1, 1]', // 5: one interval for two variables
    '@domain [2, 1] x [0, 1]', // 6: lo > hi
    '@domain [0, one] x [0, 1]', // 7: non-numeric
    '@domain [0, 1e999] x [0, 1]', // 8: not finite
    '@domain [1, 1] x [0, 1]', // 9: lo = hi
    '@domain [0, 1] x [0, 1]  # ok', // 10
    '@domain [0, 1] x [0, 1]', // 11: a second @domain
    '@minimum (1, 2, 3)', // 12: wrong count
    '@minimum 1, 2', // 13: no parenthesis
    '@minimum (1, 2) junk', // 14: trailing text
    '@maximum (0, 0)', // 15: unknown directive
    '@minimum (0, 0', // 16: unclosed
  ].join('\n');
  const file = parseCostFile(text, 'd.cost');
  assert.deepEqual(
    file.errors.map((e) => [e.message, e.range]),
    [
      ['@domain must follow a function definition', range(1, 1, 1, 8)],
      ['@minimum must follow a function definition', range(3, 1, 3, 9)],
      ['@domain needs 2 intervals (one per variable: x, y), got 1', range(5, 9, 5, 16)],
      ['empty interval: 2 must be less than 1', range(6, 9, 6, 15)],
      ["@domain: expected a number, found 'one'", range(7, 13, 7, 16)],
      ["'1e999' is not a finite number", range(8, 13, 8, 18)],
      ['empty interval: 1 must be less than 1', range(9, 9, 9, 15)],
      ['f already has a @domain', range(11, 1, 11, 8)],
      ['@minimum needs 2 coordinates (x, y), got 3', range(12, 10, 12, 19)],
      ["@minimum: expected '(', found '1'", range(13, 10, 13, 11)],
      ["@minimum: expected the end of the line, found 'junk'", range(14, 17, 14, 21)],
      ["unknown directive '@maximum'; expected @domain, @minimum, @noise or @data", range(15, 1, 15, 9)],
      ["@minimum: expected ')' before the end of the line", range(16, 15, 16, 15)],
    ],
  );
  const [f] = file.functions;
  assert.deepEqual(f.domain, [
    [0, 1],
    [0, 1],
  ]);
  assert.deepEqual(f.minima, []);
});

test('directives after a definition that failed are ignored, not reported again', () => {
  const file = parseCostFile('f(x) = x +* 1\n@domain [0, 1]\n@minimum (0)\n');
  assert.equal(file.errors.length, 1);
  assert.match(file.errors[0].message, /Value expected/);
});

test('an empty file, and one with only comments', () => {
  const EMPTY = { functions: [], models: [], constants: {}, errors: [], dataErrors: [] };
  assert.deepEqual(parseCostFile(''), EMPTY);
  assert.deepEqual(parseCostFile('# nothing\n   \n# here'), EMPTY);
});
