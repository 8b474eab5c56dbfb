/**
 * `descent-lab data FILE.csv|NAME`: a dataset's summary (src/engine/data's describe): rows, each column's kind
 * and range, and the split `--split` describes (as `@split` writes it). A CSV is read as a `.cost` file's `@data`
 * line reads it: at most 50 MB, a bad cell reported as `data.csv:LINE:COL: …`.
 */
import {
  builtinDataset,
  describe,
  MAX_CSV_BYTES,
  parseCsv,
  type Dataset,
  type DatasetSummary,
  type SplitSpec,
} from '../engine/data';
import { CostError, formatCostError } from '../engine/expr/costParser';
import { formatNumber as num } from '../present/format';
import { table } from '../present/textTable';
import { OptionError, parseOptions, usage, type Command, type OptionTable } from './command';
import { readBounded } from './files';
import { decimal, integer, JSON_OPTION } from './options';
import { quote, shownPath, UsageError } from './usageError';

const OPTIONS = {
  split: {
    type: 'string',
    arg: 'S',
    help: 'the split, as @split writes it: 100, 0.8, "0.8 seed 3" or "100 ordered" (default: every row trains)',
  },
  ...JSON_OPTION,
  help: { type: 'boolean', short: 'h', help: 'this help' },
} as const satisfies OptionTable;

const SYNOPSIS = 'FILE.csv|NAME [--split S] [--json]';
const SUMMARY =
  "a dataset's rows, columns (kind, range, mean) and split; NAME is a built-in such as iris or spiral(noise=0.1)";

export const dataCommand: Command = {
  name: 'data',
  synopsis: SYNOPSIS,
  summary: SUMMARY,
  options: OPTIONS,
  async run(argv, io) {
    // The dataset is the one argument that is neither an option nor --split's value.
    const at = argv.findIndex((a, i) => !a.startsWith('-') && argv[i - 1] !== '--split');
    const values = parseOptions(OPTIONS, at < 0 ? argv : argv.filter((_, i) => i !== at));
    if (values.help) return io.out(usage({ name: 'data', synopsis: SYNOPSIS, summary: SUMMARY, options: OPTIONS }));
    if (at < 0) throw new OptionError('name a CSV file or a built-in dataset');
    const summary = describe(readDataset(argv[at]), values.split === undefined ? undefined : splitSpec(values.split));
    await io.out(values.json ? JSON.stringify(summary) : summaryText(summary));
  },
};

function readDataset(arg: string): Dataset {
  if (/\.csv$/i.test(arg) || arg.includes('/')) {
    const read = readBounded(arg, MAX_CSV_BYTES, 'data');
    if ('error' in read) throw new UsageError(`${shownPath(arg)}: ${read.error}`);
    try {
      return parseCsv(read.text, { name: shownPath(arg), bytes: read.bytes });
    } catch (e) {
      if (e instanceof CostError) throw new UsageError(formatCostError(e));
      throw e;
    }
  }
  const result = builtinDataset(arg);
  if (result.ok) return result.dataset;
  throw new UsageError(`<data>:${result.start + 1}: ${result.message}`);
}

/** `100`, `0.8`, `0.8 seed 3`, `100 ordered`. */
function splitSpec(text: string): SplitSpec {
  const m = /^\s*(\S+)\s*(?:(ordered)|seed\s+(\S+))?\s*$/.exec(text);
  if (!m) throw new UsageError(`--split: ${quote(text)} is not N, N ordered or N seed S`);
  const size = decimal(m[1], 'split');
  if (m[2]) return { size, ordered: true };
  return m[3] === undefined ? { size } : { size, seed: integer(m[3], 'split', 0, 0, 0xffffffff) };
}

function summaryText(s: DatasetSummary): string {
  const split =
    'problem' in s.split
      ? `split: ${s.split.problem}`
      : s.split.test === 0
        ? 'every row trains'
        : `split: ${s.split.train} training rows, ${s.split.test} test rows`;
  const kind = (c: DatasetSummary['columns'][number]) =>
    c.group ? `${c.kind} (columns ${c.group[0] + 1}–${c.group[1] + 1})` : c.kind;
  return [
    `${s.name}: ${s.rows} rows, ${s.columns.length} columns; ${split}`,
    table(
      ['#', 'column', 'kind', 'min', 'max', 'mean'],
      s.columns.map((c, j) => [String(j + 1), c.name, kind(c), num(c.min), num(c.max), num(c.mean)]),
    ),
  ].join('\n');
}
