/** The CLI's shared options, parsed with node:util parseArgs and checked into typed values. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BackendChoice } from '../engine/kernel/types';
import { DEFAULT_INTERVAL, type Domain, type StartSpec } from '../engine/run/starts';
import { UsageError } from './usageError';

export const COMMON_OPTIONS = {
  fn: { type: 'string' },
  opt: { type: 'string' },
  from: { type: 'string' },
  starts: { type: 'string' },
  'starts-file': { type: 'string' },
  domain: { type: 'string' },
  seed: { type: 'string' },
  steps: { type: 'string' },
  targets: { type: 'string' },
  traces: { type: 'string' },
  json: { type: 'boolean' },
  backend: { type: 'string' },
  eta: { type: 'string' },
  H: { type: 'string' },
  param: { type: 'string', multiple: true },
  budgets: { type: 'string' },
  target: { type: 'string' },
  csv: { type: 'string' },
  out: { type: 'string' },
  sweep: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type Values = ReturnType<typeof parse>['values'];

/** Joins `--from -1.5,2` into `--from=-1.5,2`: parseArgs would otherwise take a negative number for an option. */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : undefined;
    const spec = name !== undefined ? (COMMON_OPTIONS as Record<string, { type: string }>)[name] : undefined;
    if (spec?.type === 'string' && i + 1 < argv.length && /^-[\d.]/.test(argv[i + 1])) {
      out.push(`${argv[i]}=${argv[++i]}`);
    } else {
      out.push(argv[i]);
    }
  }
  return out;
}

export function parse(argv: string[]) {
  try {
    return parseArgs({
      args: joinNegativeValues(argv),
      options: COMMON_OPTIONS,
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function integer(
  text: string | undefined,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isInteger(v) || v < min || v > max)
    throw new UsageError(`--${name} must be an integer in ${min}…${max}, not '${text}'`);
  return v;
}

export function numberList(text: string, name: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const values = parts.map(Number);
  const bad = parts.findIndex((s, i) => s === '' || !Number.isFinite(values[i]));
  if (bad >= 0) throw new UsageError(`--${name}: '${parts[bad]}' is not a number`);
  return values;
}

export function backend(text: string | undefined): BackendChoice {
  const v = text ?? 'auto';
  if (v !== 'auto' && v !== 'js' && v !== 'wasm-simd')
    throw new UsageError(`--backend must be auto, js or wasm-simd, not '${v}'`);
  return v;
}

/** `"[-4.5,4.5]x[-4.5,4.5]"`: one interval per variable. */
export function parseDomain(text: string, dim: number): Domain {
  const intervals = text.split(/\]\s*[x×]\s*\[/).map((s) => s.replace(/^\s*\[|\]\s*$/g, ''));
  const domain = intervals.map((s) => {
    const [lo, hi, ...rest] = s.split(',').map((v) => Number(v.trim()));
    if (rest.length || !Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
      throw new UsageError(`--domain: '[${s}]' is not an interval [lo, hi] with lo < hi`);
    }
    return [lo, hi] as const;
  });
  if (domain.length !== dim)
    throw new UsageError(`--domain has ${domain.length} intervals; the function has ${dim} variables`);
  return domain;
}

export function domainFor(values: Values, fnDomain: Domain | undefined, dim: number): Domain {
  if (values.domain !== undefined) return parseDomain(values.domain, dim);
  return fnDomain ?? Array.from({ length: dim }, () => DEFAULT_INTERVAL);
}

export function point(text: string, dim: number, name: string): number[] {
  const p = numberList(text, name);
  if (p.length !== dim)
    throw new UsageError(`--${name} has ${p.length} coordinates; the function has ${dim} variables`);
  return p;
}

export const MAX_CLI_STARTS = 1_000_000;

export function startSpec(values: Values, domain: Domain, dim: number, defaultN: number): StartSpec {
  if (values['starts-file'] !== undefined) {
    if (values.starts !== undefined) throw new UsageError('give --starts or --starts-file, not both');
    return { kind: 'list', points: readStartsFile(values['starts-file'], dim) };
  }
  const n = integer(values.starts, 'starts', defaultN, 1, MAX_CLI_STARTS);
  return { kind: 'random', n, seed: integer(values.seed, 'seed', 1, 0, 2 ** 32 - 1), domain };
}

function readStartsFile(path: string, dim: number): number[][] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--starts-file ${path}: ${(e as Error).message}`);
  }
  if (!Array.isArray(data) || data.length === 0 || data.length > MAX_CLI_STARTS) {
    throw new UsageError(`--starts-file ${path}: expected a JSON array of 1…${MAX_CLI_STARTS} points`);
  }
  return data.map((p, i) => {
    if (!Array.isArray(p) || p.length !== dim || !p.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new UsageError(`--starts-file ${path}: point ${i} is not an array of ${dim} finite numbers`);
    }
    return p as number[];
  });
}
