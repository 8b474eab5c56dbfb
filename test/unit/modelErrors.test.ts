/**
 * Every error a user can make in a model's lines is a CostError with its message and the exact range of the
 * offending text (found here by searching the line for the text that should be underlined), never an exception.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CostError, parseCostFile } from '../../src/engine/expr/costParser';
import { parseCsv } from '../../src/engine/data';
import { memoryData, parseWith } from './modelHarness';

const DATA = memoryData(
  ['x1', 'x2', 'x3', 'y'],
  [
    [1, 2, 3, 4],
    [5, 6, 7, 8],
  ],
);
const FILES = { 'd.csv': DATA };

/** The header every case starts from: a dataset of 4 columns (x1 x2 x3 y), a binding, two parameters. */
const HEAD = '@data "d.csv"\nx = row[1:3]\n@param W 2x3 zeros\n@param b 2 zeros';

/**
 * `text` gives exactly one error, `message` (a string or a pattern), on line `line`, underlining the
 * `occurrence`-th `underlined` of that line.
 */
function rejects(text: string, message: string | RegExp, line: number, underlined: string, occurrence = 1): void {
  const file = parseWith(text, FILES);
  const lineText = text.split('\n')[line - 1];
  let at = -1;
  for (let k = 0; k < occurrence; k++) at = lineText.indexOf(underlined, at + 1);
  assert.ok(at >= 0, `'${underlined}' is not on line ${line}: ${lineText}`);
  const where = { line, column: at + 1, endLine: line, endColumn: at + 1 + underlined.length };
  const got = file.errors.map((e) => `${e.range.line}:${e.range.column}: ${e.message}`).join(' | ');
  assert.equal(file.errors.length, 1, `${text}\n→ ${got}`);
  const [e] = file.errors;
  assert.ok(e instanceof CostError);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  assert.deepEqual(e.range, where, `${text}\n→ ${got}`);
}

const model = (loss: string, vars = 'W, b') => `${HEAD}\nm(${vars}) = ${loss}`;

test('shapes that do not agree name both shapes', () => {
  rejects(model('sum(W*x + x)'), 'cannot add a 2-vector and a 3-vector', 5, 'W*x + x');
  rejects(model('sum(W*x - x)'), 'cannot subtract a 2-vector and a 3-vector', 5, 'W*x - x');
  rejects(model('sum(W*b)'), 'cannot multiply a 2×3 matrix by a 2-vector (inner dimensions 3 ≠ 2)', 5, 'W*b');
  rejects(model('sum(b .* x)'), 'cannot apply .* to a 2-vector and a 3-vector', 5, 'b .* x');
  rejects(model('sum(W ./ b)'), 'cannot apply ./ to a 2×3 matrix and a 2-vector', 5, 'W ./ b');
  rejects(model('dot(b, x)'), 'dot() takes two vectors of one length, not a 2-vector and a 3-vector', 5, 'dot(b, x)');
  rejects(model('sum([b, x])'), 'the items of an array must have one shape: a 2-vector and a 3-vector', 5, '[b, x]');
  rejects(model('sum(b > x)'), 'cannot compare a 2-vector and a 3-vector', 5, 'b > x');
});

test('^ on a vector or matrix suggests .^ (as written); / by a tensor suggests ./', () => {
  rejects(model('sum(b^2)'), '^ on a 2-vector would be a matrix power; for elementwise powers write b.^2', 5, 'b^2');
  rejects(
    model('sum((W*x + b)^2)'),
    '^ on a 2-vector would be a matrix power; for elementwise powers write (W*x + b).^2',
    5,
    '(W*x + b)^2',
  );
  rejects(model('sum(2^b)'), '^ on a 2-vector would be a matrix power; for elementwise powers write 2.^b', 5, '2^b');
  rejects(model('sum(1 / b)'), 'cannot divide by a 2-vector; elementwise division is 1./b', 5, '1 / b');
});

test('the loss and the metrics must be scalars', () => {
  rejects(
    model('W*x + b'),
    'the loss must be a scalar, not a 2-vector; sum(…), mean(…) or norm(…) reduce it',
    5,
    'W*x + b',
  );
  rejects(
    `${model('sum(b)')}\n@metric err = W*x`,
    'the metric err must be a scalar, not a 2-vector; sum(…), mean(…) or norm(…) reduce it',
    6,
    'W*x',
  );
  rejects(model('norm(W)'), /^norm\(\) takes a vector, not a 2×3 matrix; for the Frobenius norm/, 5, 'norm(W)');
  rejects(model('sum(softmax(W))'), 'softmax() takes a vector, not a 2×3 matrix', 5, 'softmax(W)');
  rejects(
    model('max(b, 1)'),
    /^max\(\) of several arguments takes scalars, not a 2-vector; for the largest/,
    5,
    'max(b, 1)',
  );
  rejects(model('atan2(b, 1)'), 'atan2() of 2 arguments takes scalars, not a 2-vector', 5, 'atan2(b, 1)');
});

test('columns: unknown names and indices out of range say what is valid', () => {
  rejects(model('sum(b) + row.z'), "no column 'z'; the columns are x1, x2, x3, y", 5, 'z');
  const valid = 'the data has 4 columns, 1 to 4 (x1, x2, x3, y)';
  rejects(model('sum(b) + row[5]'), `column 5 is out of range: ${valid}`, 5, '5');
  rejects(model('sum(b) + sum(row[0:2])'), `column 0 is out of range: ${valid}`, 5, '0');
  rejects(model('sum(b) + sum(row[2:7])'), `column 7 is out of range: ${valid}`, 5, '7');
  rejects(model('sum(b) + sum(row[3:2])'), 'the range 3:2 is empty', 5, '3:2');
  rejects(model('sum(b) + row[1.5]'), 'column 1.5 is not a whole number', 5, '1.5');
  rejects(model('sum(b) + sum(row[1:2:4])'), 'ranges with a step are not supported', 5, '2');
  rejects('@data "d.csv"\nz = row[9]', `column 9 is out of range: ${valid}`, 2, '9');
});

test('indexing a parameter: range, rank, constant indices', () => {
  rejects(model('W[3, 1] + sum(b)'), 'index 3 is out of range: the valid indices are 1 to 2', 5, '3');
  rejects(model('W[1, end + 1] + sum(b)'), 'index 4 is out of range: the valid indices are 1 to 3', 5, 'end + 1');
  rejects(model('b[1, 2] + sum(W)'), 'a 2-vector takes 1 index, not 2', 5, '[1, 2]');
  rejects(model('W[1] + sum(b)'), 'a 2×3 matrix takes 2 indices, not 1', 5, '[1]');
  rejects(model('b[1][1] + sum(W)'), 'a scalar cannot be indexed', 5, 'b[1][1]');
  rejects(model('b[x[1]] + sum(W)'), 'an index is a whole number, end, or + − * / of them', 5, 'x[1]');
  rejects(model('W.a + sum(b)'), 'only row has named entries: row.column_name', 5, 'W.a');
  rejects(model('sum(b) + end'), "'end' stands for the last index, inside [ ] only", 5, 'end');
  rejects(model('sum(b) + sum(1:3)'), 'a range a:b is only allowed inside an index, as in row[1:10]', 5, '1:3');
});

test('names: unknown, functions as values, values as functions, suggestions', () => {
  rejects(
    model('sum(b) + q'),
    "unknown name 'q'; the parameters are W, b; the bindings x; row is the current data row",
    5,
    'q',
  );
  rejects(model('sum(tanhh(b))'), "unknown function 'tanhh'; did you mean 'tanh'?", 5, 'tanhh');
  rejects(model('sum(sigmod(b))'), "unknown function 'sigmod'; did you mean 'sigmoid'?", 5, 'sigmod');
  rejects(model('sum(b) + tanh'), "'tanh' is a function, not a variable; call it as tanh(…)", 5, 'tanh');
  rejects(model('sum(b(2))'), "'b' is not a function; to multiply, write b*(…)", 5, 'b', 2);
  rejects(model('sum(map(b, q))'), /^map\(v, f\) takes the name of a function of one argument/, 5, 'q');
  rejects(model('sum(map(b, atan2))'), /^map\(v, f\) takes the name/, 5, 'atan2');
  rejects(model('sum(map(b))'), 'map() takes 2 arguments, got 1', 5, 'map(b)');
  rejects(model('sum(b, b)'), 'sum() takes 1 argument, got 2', 5, 'sum(b, b)');
  rejects(
    model('sum(b) + (1 < 2 < 3)'),
    'chained comparisons are not supported: compare two values at a time',
    5,
    '1 < 2 < 3',
  );
  rejects(
    '@data "d.csv"\nz = W',
    "unknown name 'W'; a binding may use row, numbers, constants and earlier bindings",
    2,
    'W',
  );
});

test('names that are taken', () => {
  rejects(`${HEAD}\nsum(W, b) = 1`, "'sum' is a built-in function; choose another model name", 5, 'sum');
  rejects(
    `${HEAD}\n@param row 1 zeros\nm(W, b, row) = 1`,
    "'row' is the current data row; choose another parameter name",
    6,
    'row',
  );
  rejects('@data "d.csv"\npi = row[1]', "'pi' is a built-in constant; choose another binding name", 2, 'pi');
  rejects('@data "d.csv"\nz = row[1]\nz = row[2]', "'z' is a binding (line 2); choose another binding name", 3, 'z');
  rejects(
    `${HEAD}\n@param x 1 zeros\nm(W, b, x) = 1`,
    "'x' is a binding (line 2); choose another parameter name",
    6,
    'x',
  );
  rejects(`f(t) = t^2\n${HEAD}\nf(W, b) = 1`, "'f' is already defined on line 1", 6, 'f');
  rejects(`${HEAD}\nm(W, b) = 1\n@param W 1 zeros\nm(W) = 1`, "'m' is already defined on line 5", 7, 'm');
  rejects(
    `a = 2\n${HEAD}\n@param a 1 zeros\nm(W, b, a) = 1`,
    "'a' is a constant; choose another parameter name",
    7,
    'a',
  );
});

test('@param: shapes, initializers, names, pairing with the definition', () => {
  const hint = 'a shape: 1 (a scalar), n (a vector) or mxn (a matrix), e.g. 4x10';
  rejects('@data "d.csv"\n@param V 0 zeros\nm(V) = 1', 'a dimension is a whole number ≥ 1, not 0', 2, '0');
  rejects('@data "d.csv"\n@param V 2.5 zeros\nm(V) = 1', 'a dimension is a whole number ≥ 1, not 2.5', 2, '2.5');
  rejects('@data "d.csv"\n@param V 4y3 zeros\nm(V) = 1', `expected ${hint}, found '4y3'`, 2, '4y3');
  rejects('@data "d.csv"\n@param V 20000 zeros\nm(V) = 1', 'a model has at most 16,384 parameters', 2, '20000');
  rejects('@data "d.csv"\n@param 2V 3 zeros', "'2V' is not a name", 2, '2V');
  const [atEnd] = parseWith('@data "d.csv"\n@param V', FILES).errors;
  assert.equal(atEnd.message, `@param: expected ${hint} before the end of the line`);
  assert.deepEqual(atEnd.range, { line: 2, column: 9, endLine: 2, endColumn: 9 });
  const inits = 'zeros, ones, const(c), uniform(lo, hi) or normal(mu, sigma)';
  rejects(
    '@data "d.csv"\n@param V 3 gauss(0, 1)\nm(V) = 1',
    `unknown initializer 'gauss'; expected ${inits}`,
    2,
    'gauss',
  );
  rejects(
    '@data "d.csv"\n@param V 3 uniform(1, 0)\nm(V) = 1',
    'uniform(lo, hi) needs lo < hi, not 1 and 0',
    2,
    'uniform(1, 0)',
  );
  rejects(
    '@data "d.csv"\n@param V 3 normal(0, -1)\nm(V) = 1',
    'normal(mu, sigma) needs sigma ≥ 0, not -1',
    2,
    'normal(0, -1)',
  );
  rejects('@data "d.csv"\n@param V 3 const()\nm(V) = 1', "@param: expected a number, found ')'", 2, ')');
  rejects('@data "d.csv"\n@param V 3 zeros 4\nm(V) = 1', "@param: expected the end of the line, found '4'", 2, '4');
  rejects('@data "d.csv"\n@param V 3 zeros\n@param V 2 ones\nm(V) = 1', 'V already has a @param line (line 2)', 3, 'V');
  rejects(`${HEAD}\nm(W) = sum(W)`, '@param b: m(W) has no such variable', 4, 'b');
  rejects(`${HEAD}\nm(W, b, c) = sum(W)`, "'c' needs a line @param c SHAPE INIT above m", 5, 'c');
  rejects('@data "d.csv"\n@param W 2 zeros\n@data "d.csv"', '@param W: no model definition follows it', 2, 'W');
  rejects(`${HEAD}\nm(W, b) = 1\n@param V 1 zeros`, '@param V: no model definition follows it', 6, 'V');
  rejects(
    '@data "d.csv"\n@param A 100x100 zeros\n@param B 100x100 zeros\nm(A, B) = 1',
    'm has 20,000 parameters; a model may have at most 16,384',
    4,
    'm',
  );
  rejects('@data "d.csv"\nm() = 1', 'm() needs at least one parameter', 2, 'm');
});

test('a per-row program past the node limit is an error on its definition', () => {
  const text = '@data "d.csv"\n@param A 128x32 zeros\n@param B 32x128 zeros\nm(A, B) = sum(sum(A*B))';
  rejects(text, 'the model is too large: its per-row program passes 1,000,000 IR nodes', 4, 'm(A, B) = sum(sum(A*B))');
});

test('@data: files, built-ins and what goes wrong with them', () => {
  rejects('@data "nope.csv"', "no file 'nope.csv'", 1, '"nope.csv"');
  rejects('@data "nope.csv', '@data: the file name has no closing "', 1, '"nope.csv');
  rejects('@data ""', '@data: the file name is empty', 1, '""');
  rejects('@data "d.csv" extra', "@data: unexpected 'extra' after the file name", 1, ' extra');
  rejects('@data', /^@data needs a CSV file in quotes/, 1, '@data');
  rejects('@data spirl', /^no built-in dataset 'spirl'; there are sprunger_teacher, circle/, 1, 'spirl');
  rejects('@data spiral(n=1)', 'n must be from 2 to 100000, not 1', 1, 'n=1');
  rejects('@data spiral(m=3)  # comment', /^spiral has no argument 'm'; it takes n, noise, seed/, 1, 'm=3');
  const bare = parseCostFile('@data "d.csv"\n@param V 1 zeros\nm(V) = V^2', 'x.cost');
  assert.deepEqual(
    bare.errors.map((e) => e.message),
    ['data files cannot be read here; a built-in dataset can'],
  );
  assert.deepEqual(bare.models, [], 'the lines of a section whose @data failed are skipped');
});

test('a bad CSV cell: the error on the CSV file is kept, and the @data line points to it', () => {
  let csvError: CostError | undefined;
  try {
    parseCsv('a,b\n1,2\n3,x\n', { name: 'bad.csv' });
  } catch (e) {
    csvError = e as CostError;
  }
  assert.ok(csvError instanceof CostError);
  const file = parseCostFile(
    '# models\n@data "bad.csv"   # the data\n@param V 1 zeros\nm(V) = V^2\n@batch 1',
    'm.cost',
    {
      readData: () => ({ ok: false, error: csvError! }),
    },
  );
  assert.deepEqual(file.dataErrors, [csvError]);
  assert.equal(file.dataErrors[0].source, 'bad.csv');
  assert.deepEqual(file.dataErrors[0].range, { line: 3, column: 3, endLine: 3, endColumn: 4 });
  assert.equal(file.errors.length, 1);
  assert.match(file.errors[0].message, /^bad\.csv:3:3: /);
  assert.equal(file.errors[0].source, 'm.cost');
  assert.deepEqual(file.errors[0].range, { line: 2, column: 7, endLine: 2, endColumn: 16 });
});

test('@split: placement, once per section, sizes checked against the data', () => {
  rejects('@data "d.csv"\n@split 0', /^@split: the split must be a row count/, 2, '0');
  rejects('@data "d.csv"\n@split 3', '@split: the split asks for 3 training rows; the data has 2', 2, '3');
  rejects('@data "d.csv"\n@split 1 ordered seed 2', "@split: expected the end of the line, found 'seed'", 2, 'seed');
  rejects('@data "d.csv"\n@split 1\n@split 1', 'this data section has a @split (line 2)', 3, '@split');
  rejects(
    `${model('sum(b)')}\n@split 1`,
    "@split goes above the section's first model (it applies to all)",
    6,
    '@split',
  );
});

test('directives after a model: placement, values, duplicates', () => {
  rejects(`${HEAD}\n@batch 2\nm(W, b) = sum(b)`, '@batch must follow a model definition', 5, '@batch');
  rejects(`${model('sum(b)')}\n@batch 0`, '@batch takes a whole number ≥ 1, not 0', 6, '0');
  rejects(`${model('sum(b)')}\n@epochs 2.5`, '@epochs takes a whole number ≥ 1, not 2.5', 6, '2.5');
  rejects(
    `${model('sum(b)')}\n@shuffle random`,
    "@shuffle takes epoch, once, none, replace, not 'random'",
    6,
    'random',
  );
  rejects(`${model('sum(b)')}\n@noise -1`, '@noise takes a standard deviation ≥ 0, not -1', 6, '-1');
  rejects(`${model('sum(b)')}\n@minimum (0, 0)`, /^a model's @minimum is the least loss f\*, a number/, 6, '(0, 0)');
  rejects(`${model('sum(b)')}\n@batch 1\n@batch 2`, 'm already has a @batch', 7, '@batch');
  rejects(`${model('sum(b)')}\n@domain [0, 1]`, /^@domain is for cost functions/, 6, '@domain');
  rejects(`${model('sum(b)')}\n@maximum 1`, /^unknown directive '@maximum'; expected @data, @split/, 6, '@maximum');
  rejects(`${model('sum(b)')}\n@metric = 1`, 'expected @metric NAME = EXPR', 6, '@metric = 1');
  rejects(`${model('sum(b)')}\n@metric a-b = 1`, "'a-b' is not a metric name (letters, digits, _)", 6, 'a-b');
  rejects(`${model('sum(b)')}\n@metric e = 1\n@metric e = 2`, "m already has a metric 'e'", 7, 'e', 2);
  rejects(`${model('sum(b)')}\n@metric e = f = 2`, 'a metric is an expression; its name goes before the =', 6, 'f = 2');
  rejects(`${model('sum(b)')}\n@metric e = q`, /^unknown name 'q'/, 6, 'q');
  rejects(
    `${HEAD}\nsum(b)`,
    'a data section holds bindings (x = row[1:10]) and models (name(W, b) = loss)',
    5,
    'sum(b)',
  );
  rejects('@data "d.csv"\nb[1] = 2', 'a binding names a value: x = row[1:10]', 2, 'b');
});

test('model directives before any @data, and @noise on functions', () => {
  rejects('@param W 2 zeros', '@param belongs to a model over data: put a @data line above it', 1, '@param');
  rejects('f(x) = x^2\n@batch 2', '@batch belongs to a model over data: put a @data line above it', 2, '@batch');
  rejects('f(x) = x^2\n@noise 0.1\n@noise 0.2', 'f already has a @noise', 3, '@noise');
  rejects('f(x) = x^2\n@noise -0.1', '@noise takes a standard deviation ≥ 0, not -0.1', 2, '-0.1');
  rejects('@noise 0.1', '@noise must follow a function definition', 1, '@noise');
});

test('syntax a model cannot use is refused at its token', () => {
  rejects(model('sum(b) + "s"'), 'strings are not supported', 5, '"s"');
  rejects(model('sum(b); 1'), "only one expression is allowed: ';' separates statements", 5, ';');
  rejects(model('sum(b) + b?.c'), 'property access (a.b) is not supported', 5, '?.');
  rejects(model('sum(b) + 3!'), 'factorial (!) is not supported', 5, '!');
  rejects(model('sum(b) + {a: 1}'), 'objects are not supported', 5, '{a: 1}');
  rejects(model('sum(b) + x1.f(2)'), 'only functions called by name are supported', 5, 'x1.f');
});

test('errors in one model leave the others, and their directives are not reported again', () => {
  const text = `${HEAD}\nm(W, b) = sum(W*x + x)\n@batch 0\n@metric e = zzz\n@param c 1 zeros\nn(c) = c^2\n@batch 2`;
  const file = parseWith(text, FILES);
  assert.deepEqual(
    file.errors.map((e) => [e.message, e.range.line]),
    [['cannot add a 2-vector and a 3-vector', 5]],
  );
  assert.deepEqual(
    file.models.map((m) => [m.name, m.batch]),
    [['n', 2]],
  );
});
