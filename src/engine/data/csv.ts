/**
 * CSV text → Dataset. The engine never reads files: the caller passes the decoded text, the file's size in
 * bytes and its name, and gets a Dataset or a CostError `name.csv:LINE:COL: …` (1-based; COL counts UTF-16
 * code units from the cell's first character, the BOM excluded, as VS Code does).
 *
 * Records are split by d3-dsv (RFC 4180: `,` separated, `"` quoted with `""` escapes, CRLF, CR or LF line
 * ends). d3-dsv reports no positions and accepts malformed quoting silently (an unclosed quote runs to the
 * end of the file; text after a closing quote is dropped), so `CellLocator` walks the text alongside its
 * records: it finds where each cell starts and rejects a quote that does not close where d3-dsv closed it.
 *
 * The rules (README "Datasets"): a UTF-8 BOM is ignored; the first non-blank line is the header of column
 * names (trimmed; non-empty and unique; a header of numbers only is taken for a forgotten header and refused);
 * blank lines are skipped, as pandas does; every other cell must be a decimal number (`-1.5e3`, spaces around
 * it allowed) — an empty cell, `NaN`, `inf`, `0x1F` or a number beyond the float64 range is an error, never 0
 * or NaN. Limits: MAX_CSV_BYTES, MAX_DATA_ROWS data rows, MAX_DATA_COLUMNS columns.
 */
import { csvParseRows } from 'd3-dsv';
import { CostError } from '../expr/sourceMap';
import { MAX_CSV_BYTES, MAX_DATA_COLUMNS, MAX_DATA_ROWS, type Dataset } from './dataset';

/** A decimal number as pandas and numpy read it, without their `nan`/`inf` spellings. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

export interface CsvSource {
  /** File name for messages (`data.csv`). */
  readonly name: string;
  /** The file's size in bytes; without it the text's length stands in (never more than the UTF-8 size). */
  readonly bytes?: number;
}

/** Throws CostError (source = the file name) for every problem a file can have. */
export function parseCsv(text: string, source: CsvSource): Dataset {
  const fail = (message: string, line = 1, column = 1, width = 0): never => {
    throw new CostError(message, { line, column, endLine: line, endColumn: column + width }, source.name);
  };
  const bytes = source.bytes ?? text.length;
  if (bytes > MAX_CSV_BYTES)
    fail(`the file has ${bytes.toLocaleString('en')} bytes; a data file may have at most 50 MB (50,000,000 bytes)`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') fail('the file is empty: a data file needs a header row of column names, then rows');

  const locate = new CellLocator(body, fail);
  let columns: string[] | undefined;
  let headerLine = 1;
  let rows = 0;
  let values = new Float64Array(0);
  csvParseRows(body, (cells) => {
    const at = locate.record(cells);
    if (cells.length === 1 && cells[0] === '' && !at.quoted[0]) return null;
    if (!columns) {
      columns = header(cells, at, fail);
      headerLine = at.line[0];
      values = new Float64Array(columns.length * 1024);
      return null;
    }
    const width = columns.length;
    if (cells.length !== width) {
      const ragged = `this row has ${plural(cells.length, 'cell')}; the header names ${plural(width, 'column')}`;
      if (cells.length > width) fail(ragged, at.line[width], at.column[width], at.width[width]);
      const last = cells.length - 1;
      fail(ragged, at.line[last], at.column[last] + at.width[last]);
    }
    if (rows === MAX_DATA_ROWS) fail(`more than ${MAX_DATA_ROWS.toLocaleString('en')} data rows`, at.line[0], 1);
    if ((rows + 1) * width > values.length) {
      const grown = new Float64Array(Math.min(2 * values.length, MAX_DATA_ROWS * width));
      grown.set(values);
      values = grown;
    }
    for (let j = 0; j < width; j++) {
      const v = parseNumber(cells[j]);
      if (typeof v === 'string') fail(v, at.line[j], at.column[j], at.width[j]);
      values[rows * width + j] = v as number;
    }
    rows++;
    return null;
  });
  // A text that is not blank has a header, so only the rows can be missing here.
  if (!columns || rows === 0)
    return fail(
      'no data rows: after the header of column names the file needs at least one row of numbers',
      headerLine,
    );
  return { name: source.name, columns, rows, values: values.slice(0, rows * columns.length) };
}

function header(cells: string[], at: CellPositions, fail: (m: string, l?: number, c?: number, w?: number) => never) {
  if (cells.length > MAX_DATA_COLUMNS)
    fail(
      `${cells.length} columns; a data file may have at most ${MAX_DATA_COLUMNS}`,
      at.line[MAX_DATA_COLUMNS],
      at.column[MAX_DATA_COLUMNS],
      at.width[MAX_DATA_COLUMNS],
    );
  if (cells.every((c) => typeof parseNumber(c) === 'number'))
    fail(
      'the first line must be a header of column names, but it holds numbers (add a line like x1,x2,y)',
      at.line[0],
      at.column[0],
    );
  const names = cells.map((c) => c.trim());
  const seen = new Map<string, number>();
  names.forEach((name, j) => {
    if (name === '') fail(`column ${j + 1} has no name in the header`, at.line[j], at.column[j], at.width[j]);
    const first = seen.get(name);
    if (first !== undefined)
      fail(`column name '${name}' is already column ${first + 1}`, at.line[j], at.column[j], at.width[j]);
    seen.set(name, j);
  });
  return names;
}

/** The number in a cell, or what is wrong with it. */
function parseNumber(cell: string): number | string {
  const s = cell.trim();
  if (s === '') return 'empty cell: every cell below the header must be a number';
  if (!DECIMAL.test(s)) return `'${s.length > 40 ? s.slice(0, 40) + '…' : s}' is not a number`;
  const v = Number(s);
  return Number.isFinite(v) ? v : `'${s}' is beyond the range of a 64-bit float`;
}

/** Where the cells of one record are: 1-based line and column of each cell's first character, raw width. */
interface CellPositions {
  line: number[];
  column: number[];
  width: number[];
  quoted: boolean[];
}

/**
 * Follows d3-dsv through the text record by record. A cell is quoted exactly when its first character is `"`;
 * its raw text is then `"` + the value with `"` doubled + `"`, so the closing quote's offset is known and is
 * checked, and so is what follows it (a comma, a line end or the end of the text); any other cell's raw text
 * is its value.
 */
class CellLocator {
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  constructor(
    private readonly text: string,
    private readonly fail: (message: string, line?: number, column?: number, width?: number) => never,
  ) {}

  record(cells: readonly string[]): CellPositions {
    const t = this.text;
    const at: CellPositions = { line: [], column: [], width: [], quoted: [] };
    for (let c = 0; c < cells.length; c++) {
      const start = this.pos;
      const line = this.line;
      const column = start - this.lineStart + 1;
      const quoted = t.charCodeAt(start) === QUOTE;
      if (quoted) {
        const close = start + 1 + cells[c].length + countQuotes(cells[c]);
        if (close >= t.length || t.charCodeAt(close) !== QUOTE)
          this.fail('this quoted cell has no closing quote', line, column, 1);
        this.countLines(start + 1, close);
        this.pos = close + 1;
        const next = t.charCodeAt(this.pos);
        if (this.pos < t.length && next !== COMMA && next !== LF && next !== CR)
          this.fail(
            'a closing quote must be followed by a comma or the end of the line',
            this.line,
            this.pos - this.lineStart + 1,
            1,
          );
      } else {
        this.pos += cells[c].length;
      }
      at.line.push(line);
      at.column.push(column);
      at.width.push(this.pos - start);
      at.quoted.push(quoted);
      if (c < cells.length - 1) this.pos++; // the comma
    }
    // The record's line end: CRLF, CR or LF (d3-dsv's three), or nothing at the end of the text.
    const end = t.charCodeAt(this.pos);
    if (end === CR) this.pos += t.charCodeAt(this.pos + 1) === LF ? 2 : 1;
    else if (end === LF) this.pos++;
    this.line++;
    this.lineStart = this.pos;
    return at;
  }

  /** Line ends inside a quoted cell, so that the cells after it get their true line. */
  private countLines(from: number, to: number): void {
    const t = this.text;
    for (let k = from; k < to; k++) {
      const ch = t.charCodeAt(k);
      if (ch === LF || (ch === CR && t.charCodeAt(k + 1) !== LF)) {
        this.line++;
        this.lineStart = k + 1;
      }
    }
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function countQuotes(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
}
