/** `--fn`: a built-in name, `path/file.cost#name` (or a file with one function), or an inline expression. */
import { readFileSync } from 'node:fs';
import {
  CostError,
  formatCostError,
  parseCostFile,
  parseExpression,
  type CostFunction,
} from '../engine/expr/costParser';
import { builtinFunctions, findBuiltin } from '../engine/library';
import { UsageError } from './usageError';

export function resolveFunction(arg: string): CostFunction {
  const builtin = findBuiltin(arg);
  if (builtin) return builtin;
  const m = /^(.*\.cost)(?:#([A-Za-z_][A-Za-z0-9_]*))?$/.exec(arg);
  if (m) return fromFile(m[1], m[2]);
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(arg) && !/^[a-z]$/.test(arg)) {
    throw new UsageError(
      `no built-in function '${arg}' (built-ins: ${builtinFunctions()
        .map((f) => f.name)
        .join(', ')})`,
    );
  }
  try {
    return parseExpression(arg, { source: '<expr>' });
  } catch (e) {
    if (e instanceof CostError) throw new UsageError(formatCostError(e));
    throw e;
  }
}

function fromFile(path: string, name: string | undefined): CostFunction {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${path}: cannot read: ${(e as Error).message}`);
  }
  const parsed = parseCostFile(text, path);
  if (parsed.errors.length) throw new UsageError(parsed.errors.map(formatCostError).join('\n'));
  const names = parsed.functions.map((f) => f.name);
  if (name === undefined) {
    if (parsed.functions.length === 1) return parsed.functions[0];
    throw new UsageError(
      `${path} defines ${names.length} functions (${names.join(', ')}): say which with ${path}#name`,
    );
  }
  const fn = parsed.functions.find((f) => f.name === name);
  if (!fn) throw new UsageError(`${path} has no function '${name}' (it has: ${names.join(', ') || 'none'})`);
  return fn;
}
