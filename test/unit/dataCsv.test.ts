// CSV text → Dataset: values against the numbers the test wrote, and every refusal with its exact line and
// column (counted by hand from the literal text of each case).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv } from '../../src/engine/data/csv';
import { MAX_CSV_BYTES, MAX_DATA_COLUMNS, MAX_DATA_ROWS } from '../../src/engine/data/dataset';
import { CostError, formatCostError } from '../../src/engine/expr/sourceMap';

const read = (text: string, bytes?: number) => parseCsv(text, { name: 'data.csv', bytes });

/** The message `data.csv:LINE:COL: …` the text is refused with. */
function refusal(text: string, bytes?: number): string {
  try {
    read(text, bytes);
  } catch (e) {
    assert.ok(e instanceof CostError, `a CostError, not ${e}`);
    return formatCostError(e);
  }
  assert.fail('the text was accepted');
}

test('a CSV becomes column names and one row-major Float64Array', () => {
  const d = read('x, y ,label\n1,2.5,-1\n-3e2, .5 ,+1\n');
  assert.deepEqual(d.columns, ['x', 'y', 'label']);
  assert.equal(d.rows, 2);
  assert.ok(d.values instanceof Float64Array);
  assert.deepEqual([...d.values], [1, 2.5, -1, -300, 0.5, 1]);
  assert.equal(d.name, 'data.csv');
});

test('numbers printed at 17 digits read back exactly (against Number on a plain split)', () => {
  const rows = Array.from({ length: 50 }, (_, i) => [Math.sin(i) * 10 ** (i % 9), -Math.exp(-i), i / 7]);
  const text = 'a,b,c\n' + rows.map((r) => r.map((v) => v.toPrecision(17)).join(',')).join('\n');
  const plain = text
    .split('\n')
    .slice(1)
    .flatMap((line) => line.split(',').map(Number));
  assert.deepEqual([...read(text).values], plain);
});

test('line endings LF, CRLF and CR (mixed), a final line end or none, a UTF-8 BOM', () => {
  const expected = { columns: ['a', 'b'], values: [1, 2, 3, 4] };
  for (const text of [
    'a,b\n1,2\n3,4\n',
    'a,b\r\n1,2\r\n3,4\r\n',
    'a,b\r1,2\r3,4',
    'a,b\r\n1,2\n3,4\r',
    '\ufeffa,b\n1,2\n3,4',
    '\ufeffa,b\r\n1,2\r\n3,4\r\n',
  ]) {
    const d = read(text);
    assert.deepEqual({ columns: d.columns, values: [...d.values] }, expected, JSON.stringify(text));
  }
  // Positions after a BOM and CR line ends: the BOM is not a column, CR ends a line.
  assert.equal(refusal('\ufeffa,b\r1,2\r3,x'), "data.csv:3:3: 'x' is not a number");
  assert.equal(refusal('a,b\r\n1,2\r\n3,x\r\n'), "data.csv:3:3: 'x' is not a number");
});

test('quoted cells: names with commas and quotes, quoted numbers, line ends inside quotes keep the count', () => {
  const d = read('"a, ""b""",c\n"1.5",2\n');
  assert.deepEqual(d.columns, ['a, "b"', 'c']);
  assert.deepEqual([...d.values], [1.5, 2]);
  // The header's first cell spans lines 1–2, so the bad cell is on line 4.
  assert.equal(refusal('"first\nname",c\n1,2\n3,zz'), "data.csv:4:3: 'zz' is not a number");
  assert.equal(refusal('a,b\n1,"2\r\n"\n"x",4'), "data.csv:4:1: 'x' is not a number");
});

test('blank lines are skipped, as pandas does, and do not shift the positions of later cells', () => {
  assert.deepEqual([...read('a,b\n\n1,2\n\n\n3,4\n\n').values], [1, 2, 3, 4]);
  assert.equal(
    refusal('\na,b\n\n1,2\n\n3,\n'),
    'data.csv:6:3: empty cell: every cell below the header must be a number',
  );
});

test('cells that are not numbers: empty, NaN, inf, hex, text, beyond float64', () => {
  assert.equal(refusal('a,b\n1,\n'), 'data.csv:2:3: empty cell: every cell below the header must be a number');
  assert.equal(refusal('a,b\n1,   \n'), 'data.csv:2:3: empty cell: every cell below the header must be a number');
  assert.equal(refusal('a,b\n,1\n'), 'data.csv:2:1: empty cell: every cell below the header must be a number');
  assert.equal(refusal('a,b\n1,2\n3,NaN'), "data.csv:3:3: 'NaN' is not a number");
  assert.equal(refusal('a,b\n1,2\n3, inf'), "data.csv:3:3: 'inf' is not a number");
  assert.equal(refusal('a\n0x1F'), "data.csv:2:1: '0x1F' is not a number");
  assert.equal(refusal('a,b,c\n1,2,3\n4,5,six'), "data.csv:3:5: 'six' is not a number");
  assert.equal(refusal('a,b\n1,1.2.3'), "data.csv:2:3: '1.2.3' is not a number");
  assert.equal(refusal('a\n1e999'), "data.csv:2:1: '1e999' is beyond the range of a 64-bit float");
  assert.equal(refusal('a,b\n1,"two"'), "data.csv:2:3: 'two' is not a number");
});

test('ragged rows: too many cells point at the first extra one, too few at the end of the line', () => {
  assert.equal(refusal('a,b\n1,2\n1,2,3\n'), 'data.csv:3:5: this row has 3 cells; the header names 2 columns');
  assert.equal(refusal('a,b,c\n1,2,3\n10,20\n'), 'data.csv:3:6: this row has 2 cells; the header names 3 columns');
  assert.equal(refusal('a,b\n7\n'), 'data.csv:2:2: this row has 1 cell; the header names 2 columns');
});

test('malformed quotes: no closing quote, or text after it', () => {
  assert.equal(refusal('a,b\n"1,2\n3,4'), 'data.csv:2:1: this quoted cell has no closing quote');
  assert.equal(refusal('a,b\n1,"2""'), 'data.csv:2:3: this quoted cell has no closing quote');
  assert.equal(
    refusal('a,b\n"1"x,2'),
    'data.csv:2:4: a closing quote must be followed by a comma or the end of the line',
  );
});

test('the header: required, names non-empty and unique', () => {
  assert.equal(
    refusal(''),
    'data.csv:1:1: the file is empty: a data file needs a header row of column names, then rows',
  );
  assert.equal(
    refusal('\ufeff\n \n'),
    'data.csv:1:1: the file is empty: a data file needs a header row of column names, then rows',
  );
  assert.equal(
    refusal('a,b\n'),
    'data.csv:1:1: no data rows: after the header of column names the file needs at least one row of numbers',
  );
  assert.equal(
    refusal('\n\na,b\n\n'),
    'data.csv:3:1: no data rows: after the header of column names the file needs at least one row of numbers',
  );
  assert.equal(
    refusal('1,2\n3,4\n'),
    'data.csv:1:1: the first line must be a header of column names, but it holds numbers (add a line like x1,x2,y)',
  );
  assert.equal(refusal('x,y,x\n1,2,3'), "data.csv:1:5: column name 'x' is already column 1");
  assert.equal(refusal('x, y ,y\n1,2,3'), "data.csv:1:7: column name 'y' is already column 2");
  assert.equal(refusal('x,,z\n1,2,3'), 'data.csv:1:3: column 2 has no name in the header');
  assert.equal(refusal('x,y,\n1,2,3'), 'data.csv:1:5: column 3 has no name in the header');
});

test('limits: 50 MB of text (by the size given, or the text), 100 columns, 100,000 data rows', () => {
  assert.equal(MAX_CSV_BYTES, 50_000_000);
  assert.equal(
    refusal('a\n1\n', 50_000_001),
    'data.csv:1:1: the file has 50,000,001 bytes; a data file may have at most 50 MB (50,000,000 bytes)',
  );
  assert.equal(read('a\n1\n', 50_000_000).rows, 1, 'exactly 50 MB is allowed');
  const big = 'a\n' + '1\n'.repeat(25_000_000);
  assert.match(refusal(big), /^data\.csv:1:1: the file has 50,000,002 bytes/);

  const names = (n: number) => Array.from({ length: n }, (_, j) => `c${j + 1}`).join(',');
  assert.equal(MAX_DATA_COLUMNS, 100);
  assert.equal(read(names(100) + '\n' + '0,'.repeat(99) + '0').columns.length, 100);
  // The refusal points at the 101st name.
  const header = names(101);
  assert.equal(
    refusal(header + '\n' + '0,'.repeat(100) + '0'),
    `data.csv:1:${header.indexOf('c101') + 1}: 101 columns; a data file may have at most 100`,
  );

  assert.equal(MAX_DATA_ROWS, 100_000);
  assert.equal(read('a\n' + '1\n'.repeat(100_000)).rows, 100_000);
  assert.equal(refusal('a\n' + '1\n'.repeat(100_001)), 'data.csv:100002:1: more than 100,000 data rows');
});
