/**
 * The one validation toolkit for everything that crosses a boundary: webview ↔ host messages, host ↔ worker jobs
 * and replies, saved state and files the extension reads. A `Check<T>` takes an unknown value and the path it was
 * found at, and returns it typed or throws a CheckError that names the path, what was expected and what came
 * (`runResult.optimizers[1].curves.q1[3]: expected a finite number, got NaN`). Every array, string and record has
 * a size bound, checked before its items are read. Only own properties are read, so `__proto__` or `constructor`
 * never reach a caller. Imports nothing: the engine, the host and the webview all use it.
 */

/** A value that does not have the expected shape; the message starts with the path of the offending field. */
export class CheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckError';
  }
}

export type Check<T> = (v: unknown, path: string) => T;

/** A short description of a value for an error message: never the whole of a long string or array. */
export function describe(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (typeof v === 'string') return v.length > 30 ? `a string of length ${v.length}` : JSON.stringify(v);
  return Array.isArray(v) ? `an array of length ${v.length}` : `a ${typeof v}`;
}

export function fail(path: string, want: string, v: unknown): never {
  throw new CheckError(`${path}: expected ${want}, got ${describe(v)}`);
}

/** Fails with a message of its own (a relation between fields rather than one field's type). */
export function invalid(path: string, what: string): never {
  throw new CheckError(`${path}: ${what}`);
}

export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An own property of `v`, or undefined: inherited names (`constructor`, `__proto__`) are never read. */
export const field = (v: Record<string, unknown>, key: string): unknown =>
  Object.prototype.hasOwnProperty.call(v, key) ? v[key] : undefined;

export const str =
  (max = 200, min = 0): Check<string> =>
  (v, p) =>
    typeof v === 'string' && v.length <= max && v.length >= min
      ? v
      : fail(p, `a string of ${min ? `${min} to ${max}` : `at most ${max}`} characters`, v);

export interface NumOpts {
  readonly min?: number;
  readonly max?: number;
  readonly int?: boolean;
}

/** A finite number (JSON has no NaN or ∞; they travel as null where a field allows it), optionally bounded. */
export const num =
  (o: NumOpts = {}): Check<number> =>
  (v, p) => {
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (!o.int || Number.isInteger(v)) &&
      (o.min === undefined || v >= o.min) &&
      (o.max === undefined || v <= o.max);
    if (ok) return v;
    const bounds = `${o.min !== undefined ? ` ≥ ${o.min}` : ''}${o.max !== undefined ? ` ≤ ${o.max}` : ''}`;
    return fail(p, `a finite ${o.int ? 'integer' : 'number'}${bounds}`, v);
  };

export const int = (min: number, max: number): Check<number> => num({ min, max, int: true });
export const count = (max = Number.MAX_SAFE_INTEGER): Check<number> => int(0, max);
export const bool: Check<boolean> = (v, p) => (typeof v === 'boolean' ? v : fail(p, 'a boolean', v));

export const nullable =
  <T>(c: Check<T>): Check<T | null> =>
  (v, p) =>
    v === null ? null : c(v, p);

/** `fallback` when the field is absent. */
export const optional =
  <T, F>(c: Check<T>, fallback: F): Check<T | F> =>
  (v, p) =>
    v === undefined ? fallback : c(v, p);

export const literal =
  <T extends string>(...values: T[]): Check<T> =>
  (v, p) =>
    values.includes(v as T) ? (v as T) : fail(p, values.map((x) => `'${x}'`).join(' or '), v);

/** An array of at most `max` items (refused before any item is read), each checked at `path[i]`. */
export const arr =
  <T>(item: Check<T>, max: number, min = 0): Check<T[]> =>
  (v, p) => {
    if (!Array.isArray(v)) return fail(p, `an array of at most ${max} items`, v);
    if (v.length > max) return invalid(p, `${v.length} items, more than the limit of ${max}`);
    if (v.length < min) return invalid(p, `${v.length} items, at least ${min} needed`);
    return v.map((x, i) => item(x, `${p}[${i}]`));
  };

/** An object with exactly these fields checked (others are dropped); `path.field` in messages. */
export const obj =
  <T>(shape: { [K in keyof T]-?: Check<T[K]> }): Check<T> =>
  (v, p) => {
    if (!isObj(v)) return fail(p, 'an object', v);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape) as (keyof T & string)[]) out[key] = shape[key](field(v, key), `${p}.${key}`);
    return out as T;
  };

/** A record of at most `max` own entries with short keys; values checked at `path.key`. */
export const record =
  <V>(value: Check<V>, max: number, keyMax = 64): Check<Record<string, V>> =>
  (v, p) => {
    if (!isObj(v)) return fail(p, 'an object', v);
    const keys = Object.keys(v);
    if (keys.length > max) return invalid(p, `${keys.length} entries, more than the limit of ${max}`);
    // fromEntries defines own properties: a key named `__proto__` stays a plain key.
    return Object.fromEntries(keys.map((k) => [str(keyMax)(k, `${p} key`), value(v[k], `${p}.${k}`)]));
  };

/** A number or a short string (a hyperparameter's value: numeric, or a choice). */
export const numOrStr =
  (max = 64): Check<number | string> =>
  (v, p) =>
    typeof v === 'string' ? str(max)(v, p) : num()(v, p);

/** An instance of a typed-array class with at most `max` elements. */
export const typed =
  <T extends Float64Array | Int32Array>(ctor: new (n: number) => T, max: number): Check<T> =>
  (v, p) =>
    v instanceof ctor && v.length <= max ? (v as T) : fail(p, `${ctor.name} of at most ${max} elements`, v);

/**
 * A Float64Array of at most `max` values, every one finite; with `nan`, NaN is allowed too and means "no value"
 * (typed arrays carry the bulk of trajectories, where JSON's null is not available). ±∞ is never accepted.
 */
export const floats =
  (max: number, nan = false): Check<Float64Array> =>
  (v, p) => {
    const a = typed(Float64Array, max)(v, p);
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (!Number.isFinite(x) && !(nan && Number.isNaN(x)))
        invalid(`${p}[${i}]`, `expected a finite number${nan ? ' or NaN' : ''}, got ${x}`);
    }
    return a;
  };

/** An Int32Array of at most `max` values, each in [min, hi]. */
export const ints =
  (max: number, min: number, hi: number): Check<Int32Array> =>
  (v, p) => {
    const a = typed(Int32Array, max)(v, p);
    for (let i = 0; i < a.length; i++)
      if (a[i] < min || a[i] > hi) invalid(`${p}[${i}]`, `expected an integer in [${min}, ${hi}], got ${a[i]}`);
    return a;
  };

/** Strictly increasing (grid axes, step budgets). */
export function ascending(p: string, xs: ArrayLike<number>): void {
  for (let i = 1; i < xs.length; i++) if (!(xs[i] > xs[i - 1])) invalid(`${p}[${i}]`, 'must be strictly increasing');
}

/** Arrays that index one grid or series must agree in length. */
export function sameLength(p: string, a: readonly unknown[], b: readonly unknown[], what: string): void {
  if (a.length !== b.length) invalid(p, `${what} has ${b.length} items, expected ${a.length}`);
}

function pick<T>(table: Readonly<Record<string, Check<T>>>, v: unknown, path: string, key: string, noun: string) {
  if (!isObj(v)) return fail(path, 'an object', v);
  const tag = field(v, key);
  if (typeof tag !== 'string' || !Object.prototype.hasOwnProperty.call(table, tag))
    return invalid(
      `${path}.${key}`,
      `unknown ${noun} ${describe(tag)}; expected one of ${Object.keys(table).join(', ')}`,
    );
  return table[tag];
}

/** A discriminated union inside a value, by its `key` field: one checker per tag; paths go on from `path`. */
export const union =
  <T>(key: string, table: Readonly<Record<string, Check<T>>>): Check<T> =>
  (v, p) =>
    pick(table, v, p, key, key)(v, p);

/** A whole message, by its `type`: one checker per type, and the type is the root of its paths (`addStart.x`). */
export function dispatch<T>(table: Readonly<Record<string, Check<T>>>, v: unknown): T {
  return pick(table, v, 'message', 'type', 'message type')(v, (v as { type: string }).type);
}

/** The value checked, or undefined when it does not check out: saved state from another version is ignored. */
export function tryCheck<T>(check: Check<T>, v: unknown, path = 'value'): T | undefined {
  try {
    return check(v, path);
  } catch (e) {
    if (e instanceof CheckError) return undefined;
    throw e;
  }
}
