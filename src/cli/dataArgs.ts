/**
 * What the CLI adds for models over data: the CSV files a `.cost` file's `@data` lines name (read beside the
 * `.cost` file, at most 50 MB, parsed by the engine, which locates a bad cell as `data.csv:LINE:COL`), the
 * options that override a model's plan (--batch, --epochs, --noise), and --init, initial parameters given
 * explicitly.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { MAX_CSV_BYTES, MAX_DATA_ROWS, parseCsv } from '../engine/data';
import { CostError } from '../engine/expr/costParser';
import type { DataFileReader } from '../engine/model';
import { MAX_NOISE, type DataProblem, type PlanOverrides } from '../engine/run/dataProblem';
import type { DataFile } from '../engine/run/dataRequest';
import type { OptionTable, Values } from './command';
import { MAX_STARTS_FILE_BYTES, readBounded, readTextFile } from './files';
import { decimal, integer, MAX_STARTS } from './options';
import { quote, shownPath, UsageError } from './usageError';

const MAX_EPOCHS = 1_000_000;

export const DATA_OPTIONS = {
  batch: { type: 'string', arg: 'B', help: "a model's minibatch size, overriding its @batch" },
  epochs: {
    type: 'string',
    arg: 'E',
    help: "a model's epochs, overriding its @epochs: E·⌈n_train/B⌉ steps (give --steps or --epochs)",
  },
  noise: {
    type: 'string',
    arg: 'σ',
    help: 'σ of the Gaussian noise added to each gradient coordinate, overriding @noise',
  },
} as const satisfies OptionTable;

export const INIT_OPTION = {
  init: {
    type: 'string',
    arg: 'FILE',
    help: 'a model\'s initial parameters, JSON: {"W": [[…], …], "b": […]}, or an array of them, one per start',
  },
} as const satisfies OptionTable;

export function planOverrides(values: Values<typeof DATA_OPTIONS>): PlanOverrides {
  const noise = values.noise === undefined ? undefined : decimal(values.noise, 'noise');
  if (noise !== undefined && !(noise >= 0 && noise <= MAX_NOISE))
    throw new UsageError(`--noise must be in 0…${MAX_NOISE}, not ${quote(values.noise!)}`);
  return {
    ...(values.batch !== undefined && { batch: integer(values.batch, 'batch', 1, 1, MAX_DATA_ROWS) }),
    ...(values.epochs !== undefined && { epochs: integer(values.epochs, 'epochs', 1, 1, MAX_EPOCHS) }),
    ...(noise !== undefined && { noise }),
  };
}

/**
 * Reads `@data "path"` relative to the `.cost` file; each dataset read is added to `files` (for the worker pool).
 * A file that cannot be read or is too big is a message for the `@data` line; a bad cell, parseCsv's CostError.
 */
export function csvReader(costPath: string, files: DataFile[]): DataFileReader {
  return (path) => {
    const full = isAbsolute(path) ? path : join(dirname(costPath), path);
    const read = readBounded(full, MAX_CSV_BYTES, 'data');
    if ('error' in read) return { ok: false, error: `${shownPath(full)}: ${read.error}` };
    try {
      const dataset = parseCsv(read.text, { name: shownPath(full), bytes: read.bytes });
      files.push({ path, dataset });
      return { ok: true, dataset };
    } catch (e) {
      if (e instanceof CostError) return { ok: false, error: e };
      throw e;
    }
  };
}

/** --init: θ₀ of each start, in the definition's variable order, matrices row-major. */
export function readInit(path: string, problem: DataProblem): number[][] {
  const params = problem.params;
  if (!params)
    throw new UsageError('--init gives the parameters of a model over data; a cost function starts at --from');
  const fail = (at: string, why: string): never => {
    throw new UsageError(`--init ${shownPath(path)}: ${at}${at ? ': ' : ''}${why}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(readTextFile(path, MAX_STARTS_FILE_BYTES, '--init'));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    return fail('', (e as Error).message);
  }
  const entries = Array.isArray(data) ? data : [data];
  if (entries.length === 0 || entries.length > MAX_STARTS)
    fail('', `expected 1…${MAX_STARTS} sets of parameters, not ${entries.length}`);
  const names = params.map((p) => p.name);
  return entries.map((entry, r) => {
    const at = Array.isArray(data) ? `[${r}]` : '';
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      fail(at, `expected an object with ${names.join(', ')}`);
    const given = entry as Record<string, unknown>;
    for (const key of Object.keys(given))
      if (!names.includes(key)) fail(at, `${problem.name} has no parameter ${quote(key)} (it has ${names.join(', ')})`);
    return params.flatMap((p) => {
      if (!Object.hasOwn(given, p.name)) return fail(at, `no value for ${p.name}`);
      return flatten(given[p.name], p.shape, `${at}${at ? '.' : ''}${p.name}`, fail);
    });
  });
}

/** A parameter's value, checked against its shape, row-major. */
function flatten(v: unknown, shape: readonly number[], at: string, fail: (at: string, why: string) => never): number[] {
  const number = (x: unknown, where: string) =>
    typeof x === 'number' && Number.isFinite(x)
      ? x
      : fail(where, `expected a finite number, not ${JSON.stringify(x) ?? 'nothing'}`);
  const list = (x: unknown, n: number, where: string, what: string) =>
    Array.isArray(x) && x.length === n
      ? x
      : fail(
          where,
          `expected ${n} ${what}${Array.isArray(x) ? `, not ${x.length}` : `, not ${JSON.stringify(x) ?? 'nothing'}`}`,
        );
  if (shape.length === 0 || (shape.length === 1 && shape[0] === 1 && !Array.isArray(v))) return [number(v, at)];
  if (shape.length === 1) return list(v, shape[0], at, 'numbers').map((x, i) => number(x, `${at}[${i}]`));
  const [m, n] = shape;
  return list(v, m, at, `rows of ${n} numbers`).flatMap((row, i) =>
    list(row, n, `${at}[${i}]`, 'numbers').map((x, j) => number(x, `${at}[${i}][${j}]`)),
  );
}
