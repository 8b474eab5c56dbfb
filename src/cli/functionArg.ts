/**
 * `--fn`: a built-in name, `path/file.cost#name` (or a file with one definition), or an inline expression. The
 * function or model is parsed here, for its variables, domain and the errors' positions, and also kept as the
 * source text (with the data files it read) that the worker pool sends to its threads. A model over data, or a
 * cost function with gradient noise (`@noise`, --noise), is a data problem (engine/run/dataProblem.ts).
 */
import {
  CostError,
  formatCostError,
  parseCostFile,
  parseExpression,
  type CostFile,
  type CostFunction,
} from '../engine/expr/costParser';
import { builtinFunctions, findBuiltin } from '../engine/library';
import type { ModelProgram } from '../engine/model';
import { functionProblem, modelProblem, type DataProblem, type PlanOverrides } from '../engine/run/dataProblem';
import type { DataFile, ProblemSource } from '../engine/run/dataRequest';
import type { FunctionSource } from '../engine/run/request';
import { csvReader } from './dataArgs';
import { MAX_COST_FILE_BYTES, readTextFile } from './files';
import { quote, shownPath, UsageError } from './usageError';

export interface ResolvedFunction {
  readonly fn: CostFunction;
  readonly source: FunctionSource;
}

/** What --fn names: a cost function run as it is, or a data problem (a model, or a function with noise). */
export type ResolvedTarget =
  | ({ readonly kind: 'function' } & ResolvedFunction)
  | {
      readonly kind: 'data';
      readonly problem: DataProblem;
      readonly source: ProblemSource;
      /** The cost function, when the problem is one with gradient noise. */
      readonly fn?: CostFunction;
    };

/** A cost function, never a model (`functions --fn`). */
export function resolveFunction(arg: string | undefined): ResolvedFunction {
  const target = resolveTarget(arg, {});
  if (target.kind === 'function') return target;
  if (target.fn) return { fn: target.fn, source: target.source.fn };
  throw new UsageError(`${target.problem.name} is a model over data: it has no single formula to show`);
}

export function resolveTarget(arg: string | undefined, overrides: PlanOverrides): ResolvedTarget {
  if (arg === undefined) throw new UsageError('--fn is required (a built-in name, file.cost#name, or an expression)');
  const builtin = findBuiltin(arg);
  if (builtin) return asTarget(builtin, { kind: 'builtin', name: builtin.name }, [], overrides);
  const m = /^(.*\.cost)(?:#([A-Za-z_][A-Za-z0-9_]*))?$/s.exec(arg);
  if (m) return fromFile(m[1], m[2], overrides);
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(arg) && !/^[a-z]$/.test(arg)) {
    throw new UsageError(
      `no built-in function ${quote(arg)} (built-ins: ${builtinFunctions()
        .map((f) => f.name)
        .join(', ')})`,
    );
  }
  let fn: CostFunction;
  try {
    fn = parseExpression(arg, { source: '<expr>' });
  } catch (e) {
    if (e instanceof CostError) throw new UsageError(formatCostError(e));
    throw e;
  }
  return asTarget(fn, { kind: 'expression', text: arg }, [], overrides);
}

/** A cost function: run as it is, or with gradient noise as a data problem. */
function asTarget(
  fn: CostFunction,
  source: FunctionSource,
  files: readonly DataFile[],
  overrides: PlanOverrides,
): ResolvedTarget {
  if (overrides.batch !== undefined || overrides.epochs !== undefined)
    throw new UsageError(`--batch and --epochs belong to models over data; ${fn.name} is a cost function`);
  const sigma = overrides.noise ?? fn.noise ?? 0;
  if (sigma === 0) return { kind: 'function', fn, source };
  const problem = engine(() => functionProblem(fn, sigma));
  return { kind: 'data', problem, source: { fn: source, files, overrides }, fn };
}

function fromFile(path: string, name: string | undefined, overrides: PlanOverrides): ResolvedTarget {
  const text = readTextFile(path, MAX_COST_FILE_BYTES, '--fn');
  const files: DataFile[] = [];
  const parsed = parseCostFile(text, path, { readData: csvReader(path, files) });
  if (parsed.errors.length) throw new UsageError(fileErrors(parsed));
  const shown = shownPath(path);
  const names = [...parsed.functions.map((f) => f.name), ...parsed.models.map((f) => f.name)];
  const pick = <T extends { name: string }>(list: readonly T[]) =>
    name === undefined ? (names.length === 1 ? list[0] : undefined) : list.find((f) => f.name === name);
  const source: FunctionSource = { kind: 'file', text, name: '', path };
  const model: ModelProgram | undefined = pick(parsed.models);
  if (model) {
    const problem = engine(() => modelProblem(model, overrides));
    return { kind: 'data', problem, source: { fn: { ...source, name: model.name }, files, overrides } };
  }
  const fn = pick(parsed.functions);
  if (fn) return asTarget(fn, { ...source, name: fn.name }, files, overrides);
  if (name !== undefined)
    throw new UsageError(`${shown} has no function or model ${quote(name)} (it has: ${names.join(', ') || 'none'})`);
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const defined = [
    [parsed.functions, 'function'],
    [parsed.models, 'model'],
  ] as const;
  const what = defined
    .filter(([list]) => list.length)
    .map(([list, noun]) => `${plural(list.length, noun)} (${list.map((d) => d.name).join(', ')})`)
    .join(' and ');
  if (names.length === 0) throw new UsageError(`${shown} defines no function or model`);
  throw new UsageError(`${shown} defines ${what}: say which with ${shown}#name`);
}

/**
 * A file's errors, one per line: those located in a data file first (`data.csv:LINE:COL: …`), then the `.cost`
 * file's, without the `@data` lines' echoes of the former.
 */
function fileErrors(parsed: CostFile): string {
  const data = parsed.dataErrors.map(formatCostError);
  const echoes = new Set(data);
  return [...data, ...parsed.errors.filter((e) => !echoes.has(e.message)).map(formatCostError)].join('\n');
}

/** An engine check of the options (a batch past the limit…) as the user's mistake. */
function engine<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}
