/**
 * `--fn`: a built-in name, `path/file.cost#name` (or a file with one function), or an inline expression. The
 * function is parsed here, for its variables, domain and the errors' positions, and also kept as the source text
 * the worker pool sends to its threads.
 */
import {
  CostError,
  formatCostError,
  parseCostFile,
  parseExpression,
  type CostFunction,
} from '../engine/expr/costParser';
import { builtinFunctions, findBuiltin } from '../engine/library';
import type { FunctionSource } from '../engine/run/request';
import { MAX_COST_FILE_BYTES, readTextFile } from './files';
import { quote, shownPath, UsageError } from './usageError';

export interface ResolvedFunction {
  readonly fn: CostFunction;
  readonly source: FunctionSource;
}

export function resolveFunction(arg: string | undefined): ResolvedFunction {
  if (arg === undefined) throw new UsageError('--fn is required (a built-in name, file.cost#name, or an expression)');
  const builtin = findBuiltin(arg);
  if (builtin) return { fn: builtin, source: { kind: 'builtin', name: builtin.name } };
  const m = /^(.*\.cost)(?:#([A-Za-z_][A-Za-z0-9_]*))?$/s.exec(arg);
  if (m) return fromFile(m[1], m[2]);
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(arg) && !/^[a-z]$/.test(arg)) {
    throw new UsageError(
      `no built-in function ${quote(arg)} (built-ins: ${builtinFunctions()
        .map((f) => f.name)
        .join(', ')})`,
    );
  }
  try {
    return { fn: parseExpression(arg, { source: '<expr>' }), source: { kind: 'expression', text: arg } };
  } catch (e) {
    if (e instanceof CostError) throw new UsageError(formatCostError(e));
    throw e;
  }
}

function fromFile(path: string, name: string | undefined): ResolvedFunction {
  const text = readTextFile(path, MAX_COST_FILE_BYTES, '--fn');
  const parsed = parseCostFile(text, path);
  if (parsed.errors.length) throw new UsageError(parsed.errors.map(formatCostError).join('\n'));
  const names = parsed.functions.map((f) => f.name);
  const shown = shownPath(path);
  const fn =
    name === undefined
      ? parsed.functions.length === 1
        ? parsed.functions[0]
        : undefined
      : parsed.functions.find((f) => f.name === name);
  if (fn) return { fn, source: { kind: 'file', text, name: fn.name, path } };
  if (name !== undefined)
    throw new UsageError(`${shown} has no function ${quote(name)} (it has: ${names.join(', ') || 'none'})`);
  throw new UsageError(
    `${shown} defines ${names.length} functions (${names.join(', ')}): say which with ${shown}#name`,
  );
}
