/**
 * Trajectories travel as typed arrays: VS Code posts them to a webview as binary buffers, where the same numbers as
 * JSON would take ~10 MB and most of a second to write and read. Where a message must be JSON (the feed's file,
 * a webview's saved state, a report page) each typed array is written as `{ "$typed": "Float64Array", "values":
 * […] }` (NaN as null) and read back here; the result is then checked like any message. Imports nothing.
 */

const TAG = '$typed';
/** Deeper than any message of the protocol: a file nested further is not one this extension wrote. */
const MAX_DEPTH = 32;

interface Encoded {
  readonly [TAG]: 'Float64Array' | 'Int32Array';
  readonly values: readonly (number | null)[];
}

/** A copy of `v` that JSON.stringify writes without loss: typed arrays become tagged plain arrays. */
export function toJsonValue(v: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new RangeError('a value nested too deeply to save');
  if (v instanceof Float64Array || v instanceof Int32Array) {
    const values = Array.from(v, (x) => (Number.isNaN(x) ? null : x));
    return { [TAG]: v instanceof Float64Array ? 'Float64Array' : 'Int32Array', values } satisfies Encoded;
  }
  if (Array.isArray(v)) return v.map((x) => toJsonValue(x, depth + 1));
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonValue(x, depth + 1)]));
  return v;
}

/**
 * `toJsonValue` undone: tagged arrays become typed arrays again. Anything else is copied as it is; a tag with
 * values that are not numbers is left as an object, which the message checks then refuse.
 */
export function fromJsonValue(v: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return undefined;
  if (Array.isArray(v)) return v.map((x) => fromJsonValue(x, depth + 1));
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  const values = o.values;
  if (
    Object.keys(o).length === 2 &&
    Array.isArray(values) &&
    values.every((x) => x === null || typeof x === 'number')
  ) {
    if (o[TAG] === 'Float64Array') return Float64Array.from(values as (number | null)[], (x) => x ?? NaN);
    if (o[TAG] === 'Int32Array' && values.every((x) => Number.isInteger(x))) return Int32Array.from(values as number[]);
  }
  // fromEntries defines own properties: a key named `__proto__` stays a plain key.
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fromJsonValue(x, depth + 1)]));
}
