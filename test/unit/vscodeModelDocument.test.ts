// Models in the .cost editor, without VS Code: diagnostics located in the CSV (line and column counted by hand
// in the texts below), the engine's errors on the model's lines, model blocks, data sections, bindings and the
// columns a `row[…]` reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv, type Dataset } from '../../src/engine/data';
import { CostError } from '../../src/engine/expr/costParser';
import type { DataFileReader } from '../../src/engine/model';
import {
  indexColumns,
  rowColumns,
  rowReferences,
  scanDataSections,
  sectionAt,
} from '../../src/vscode/costDataSections';
import { analyzeCostText, definitionAt, modelAt, type TextRange } from '../../src/vscode/costDocument';

/** A reader over CSV texts, parsed as the extension parses files (parseCsv, named by the path as written). */
function csvReader(files: Record<string, string>): DataFileReader {
  return (path) => {
    if (!Object.hasOwn(files, path)) return { ok: false, error: `cannot read ${path}: no such file` };
    try {
      return { ok: true, dataset: parseCsv(files[path], { name: path }) };
    } catch (e) {
      if (e instanceof CostError) return { ok: false, error: e };
      throw e;
    }
  };
}

const at = (line: number, from: number, to: number): TextRange => ({
  startLine: line,
  startChar: from,
  endLine: line,
  endChar: to,
});

const MODEL = [
  'bowl(x, y) = x^2 + y^2', // 0
  '@domain [-1, 1] x [-1, 1]', // 1
  '', // 2
  '@data "d.csv"   # three columns', // 3
  '@split 2 ordered', // 4
  'x = row[1:2]', // 5
  'y = row.y', // 6
  '@param w 2 zeros', // 7
  '@param c 1 zeros', // 8
  'fit(w, c) = (dot(w, x) + c - y)^2', // 9
  '@batch 1', // 10
  '@metric err = abs(dot(w, x) + c - y)', // 11
  '# end', // 12
].join('\n');

test('a non-numeric CSV cell: a diagnostic on the CSV at its line and column, and one on the @data reference', () => {
  //            line 1      line 2   line 3: 'abc' starts at column 3
  const csv = 'x1,x2,y\n1,2,3\n4,abc,6\n';
  const info = analyzeCostText(MODEL, 'm.cost', csvReader({ 'd.csv': csv }));
  assert.deepEqual(info.dataDiagnostics, [{ file: 'd.csv', range: at(2, 2, 5), message: "'abc' is not a number" }]);
  assert.equal(info.diagnostics.length, 1);
  const [d] = info.diagnostics;
  assert.deepEqual(d.range, at(3, 6, 13));
  assert.equal(MODEL.split('\n')[3].slice(6, 13), '"d.csv"');
  assert.equal(d.message, "d.csv:3:3: 'abc' is not a number");
  assert.equal(info.models.length, 0, 'the section of a @data line that fails is skipped');
});

test('CSV positions follow CRLF line ends, quoted cells and a BOM; an empty cell and a ragged row are located too', () => {
  const cases: [string, TextRange, RegExp][] = [
    ['\uFEFFx1,x2,y\r\n1,2,3\r\n"4",5,\r\n', at(2, 6, 6), /empty cell/],
    // A row that is short is located just after its last cell.
    ['x1,x2,y\n1,2,3\n\n7,8\n', at(3, 3, 3), /this row has 2 cells; the header names 3 columns/],
    ['x1,x2,y\n"1",2,3\n4,5,six\n', at(2, 4, 7), /'six' is not a number/],
  ];
  for (const [csv, range, message] of cases) {
    const info = analyzeCostText(MODEL, 'm.cost', csvReader({ 'd.csv': csv }));
    assert.equal(info.dataDiagnostics.length, 1, csv);
    assert.deepEqual(info.dataDiagnostics[0].range, range, JSON.stringify(csv));
    assert.match(info.dataDiagnostics[0].message, message);
  }
});

test('a missing file: a diagnostic on the @data line only', () => {
  const info = analyzeCostText(MODEL, 'm.cost', csvReader({}));
  assert.deepEqual(info.dataDiagnostics, []);
  assert.deepEqual(
    info.diagnostics.map((d) => [d.range, d.message]),
    [[at(3, 6, 13), 'cannot read d.csv: no such file']],
  );
});

const GOOD = 'x1,x2,y\n1,2,3\n4,5,6\n7,8,9\n';

test('the engine’s model errors reach the editor with their ranges: an unknown column, a slice out of range, a shape', () => {
  const lines = MODEL.split('\n');
  const variants: [number, string, string, RegExp][] = [
    [6, 'y = row.why', 'why', /no column 'why'; the columns are x1, x2, y/],
    [5, 'x = row[1:4]', '4', /column 4 is out of range: the data has 3 columns/],
    [7, '@param w 3 zeros', 'dot(w, x)', /dot\(\) takes two vectors of one length/],
  ];
  for (const [line, text, underlined, message] of variants) {
    const edited = lines.map((l, i) => (i === line ? text : l));
    const info = analyzeCostText(edited.join('\n'), 'm.cost', csvReader({ 'd.csv': GOOD }));
    const d = info.diagnostics[0];
    assert.ok(d, text);
    assert.match(d.message, message);
    const errorLine = edited[d.range.startLine];
    assert.equal(errorLine.slice(d.range.startChar, d.range.endChar), underlined, `${text} → ${d.message}`);
  }
});

test('a model: its name, definition, block (its @param lines through its directives), and the function above ends before @data', () => {
  const info = analyzeCostText(MODEL, 'm.cost', csvReader({ 'd.csv': GOOD }));
  assert.deepEqual(info.diagnostics, []);
  const [fit] = info.models;
  assert.equal(fit.model.name, 'fit');
  assert.deepEqual(fit.nameRange, at(9, 0, 3));
  assert.equal(fit.firstLine, 7);
  assert.equal(fit.blockEndLine, 11);
  assert.equal(modelAt(info.models, 8)?.model.name, 'fit');
  assert.equal(modelAt(info.models, 11)?.model.name, 'fit');
  assert.equal(modelAt(info.models, 6), undefined);
  assert.equal(info.definitions[0].blockEndLine, 2);
  assert.equal(definitionAt(info.definitions, 9), undefined, 'a line of a data section is not in the function above');
});

test('data sections: the dataset, split and bindings of each @data; a second section; what a binding reads', () => {
  const text = `${MODEL}\n@data iris\nfeatures = [row.petal_length, row[4], row[end]]\n@split 0.5 seed 3`;
  const sections = scanDataSections(text, 'm.cost', csvReader({ 'd.csv': GOOD }));
  assert.equal(sections.length, 2);
  const [a, b] = sections;
  assert.deepEqual([a.line, a.endLine, b.line, b.endLine], [3, 12, 13, 15]);
  assert.deepEqual(a.source, { kind: 'file', path: 'd.csv' });
  assert.deepEqual(a.referenceRange, at(3, 6, 13));
  assert.equal(a.dataset?.rows, 3);
  assert.deepEqual(a.split, { size: 2, ordered: true });
  assert.deepEqual(a.bindings.get('x')?.columns, [0, 1]);
  assert.deepEqual(a.bindings.get('y')?.columns, [2]);
  assert.deepEqual(b.source, { kind: 'builtin', text: 'iris' });
  assert.deepEqual(b.split, { size: 0.5, seed: 3 });
  // iris: sepal_length, sepal_width, petal_length, petal_width, setosa, versicolor, virginica
  assert.deepEqual(b.bindings.get('features')?.columns, [2, 3, 6]);
  assert.equal(sectionAt(sections, 14), b);
  assert.equal(sectionAt(sections, 2), undefined);
  assert.equal(scanDataSections(text, 'm.cost')[0].dataset, undefined, 'no reader: no file data');
});

test('indexColumns: whole numbers, ranges, end, end-k and open ends, 1-based and inclusive; anything else is unknown', () => {
  const cases: [string, number[] | undefined][] = [
    ['3', [2]],
    ['1:3', [0, 1, 2]],
    [' 2 : end ', [1, 2, 3, 4]],
    ['end-1:end', [3, 4]],
    [':', [0, 1, 2, 3, 4]],
    [':2', [0, 1]],
    ['4:', [3, 4]],
    ['0', undefined],
    ['6', undefined],
    ['3:2', undefined],
    ['k', undefined],
    ['1:2:3', undefined],
    ['', undefined],
  ];
  for (const [index, want] of cases) assert.deepEqual(indexColumns(index, 5), want, index);
});

test('rowReferences: offsets of row.name and row[…] in a line, names not in the data have no columns', () => {
  const data: Dataset = { name: 'd', columns: ['a', 'b', 'c'], rows: 1, values: new Float64Array(3) };
  const line = 'f(w) = dot(w, row[1:2]) + row.c - row.zz + arrow[1] + my_row[2]';
  const refs = rowReferences(line, data);
  assert.deepEqual(
    refs.map((r) => [line.slice(r.start, r.end), r.columns]),
    [
      ['row[1:2]', [0, 1]],
      ['row.c', [2]],
      ['row.zz', undefined],
    ],
  );
  assert.deepEqual(rowColumns('[row.c, row[1], row.c]', data), [2, 0]);
});
