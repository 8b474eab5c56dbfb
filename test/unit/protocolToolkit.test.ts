// The shared validation toolkit and the request/reply helper, on their own: paths in messages, size bounds checked
// before items are read, inherited names never read, unions by tag; requests settled by id, failed by an error
// reply or a timeout, refused when a reply names no pending request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arr, CheckError, int, literal, num, obj, record, str, tryCheck, typed, union } from '../../src/shared/check';
import { Requests } from '../../src/shared/requests';

test('paths name the offending field; arrays over their bound are refused before any item is read', () => {
  const point = obj({ x: num(), tags: arr(str(3), 2) });
  assert.throws(() => point({ x: 1, tags: ['ok', 'long'] }, 'p'), /^CheckError: p\.tags\[1\]: expected a string/);
  let read = 0;
  const counting = (v: unknown) => (read++, v);
  assert.throws(() => arr(counting, 2)([1, 2, 3], 'a'), /a: 3 items, more than the limit of 2/);
  assert.equal(read, 0);
  assert.throws(() => arr(num(), 4, 2)([1], 'a'), /a: 1 items, at least 2 needed/);
  assert.throws(() => int(0, 10)(10.5, 'k'), /k: expected a finite integer ≥ 0 ≤ 10, got 10\.5/);
  assert.throws(() => str(5)('x'.repeat(40), 's'), /got a string of length 40/);
});

test('only own properties are read; a record keeps a `__proto__` key as a plain key', () => {
  const shape = obj({ constructor: (v: unknown) => v, toString: (v: unknown) => v });
  assert.deepEqual(shape({}, 'o'), { constructor: undefined, toString: undefined });
  const params = record(num(), 4)(JSON.parse('{"__proto__": 1, "eta": 0.1}'), 'params');
  assert.equal(Object.getPrototypeOf(params), Object.prototype);
  assert.deepEqual(Object.keys(params), ['__proto__', 'eta']);
  assert.throws(() => record(num(), 1)({ a: 1, b: 2 }, 'r'), /r: 2 entries, more than the limit of 1/);
});

test('unions pick their checker by tag and keep the path; an unknown tag names the valid ones', () => {
  const shape = union<{ kind: 'a'; n: number } | { kind: 'b'; s: string }>('kind', {
    a: obj({ kind: literal('a'), n: num() }),
    b: obj({ kind: literal('b'), s: str() }),
  });
  assert.deepEqual(shape({ kind: 'b', s: 'x', extra: 1 }, 'v'), { kind: 'b', s: 'x' });
  assert.throws(() => shape({ kind: 'a', n: 'x' }, 'v'), /^CheckError: v\.n: expected a finite number/);
  assert.throws(() => shape({ kind: 'toString' }, 'v'), /v\.kind: unknown kind "toString"; expected one of a, b/);
});

test('typed arrays by class and size; tryCheck gives undefined for a value that does not check out', () => {
  assert.ok(typed(Int32Array, 4)(new Int32Array(4), 't') instanceof Int32Array);
  assert.throws(() => typed(Int32Array, 4)([1, 2], 't'), /t: expected Int32Array of at most 4 elements/);
  assert.throws(() => typed(Float64Array, 2)(new Float64Array(3), 't'), /Float64Array/);
  assert.equal(tryCheck(num(), 'x'), undefined);
  assert.equal(tryCheck(num(), 2), 2);
  assert.throws(() =>
    tryCheck(() => {
      throw new TypeError('a bug, not a bad value');
    }, 1),
  );
});

test('requests: a reply settles its own request; an error reply fails it; strangers and kinds are refused', async () => {
  const sent: number[] = [];
  const requests = new Requests<{ png: string; csv: string }>(60_000, (kind) => `no ${String(kind)}`);
  const first = requests.request('png', (id) => sent.push(id));
  const second = requests.request('png', (id) => sent.push(id));
  const third = requests.request('csv', (id) => sent.push(id));
  assert.equal(sent.length, 3);
  assert.equal(new Set(sent).size, 3, 'each request has its own id');
  assert.equal(requests.resolve(sent[2], 'png', 'wrong kind'), false);
  assert.equal(requests.resolve(sent[1], 'png', 'second'), true);
  assert.equal(requests.resolve(sent[1], 'png', 'again'), false, 'a request is settled once');
  assert.equal(requests.resolve(999, 'png', 'stranger'), false);
  assert.equal(await second, 'second');
  assert.equal(requests.reject(sent[0], 'the Lab shows no landscape'), true);
  await assert.rejects(first, /^Error: the Lab shows no landscape$/);
  requests.resend();
  assert.deepEqual(sent.slice(3), [sent[2]], 'only what is still pending is sent again, with its id');
  requests.dispose('closed');
  await assert.rejects(third, /closed/);
});

test('requests: one without an answer fails with what was asked', async () => {
  const requests = new Requests<{ png: string }>(1, () => 'the Lab did not send its landscape');
  await assert.rejects(
    requests.request('png', () => {}),
    /the Lab did not send its landscape: no answer within 0\.001 s/,
  );
});

test('errors thrown are CheckErrors with the path first', () => {
  assert.throws(
    () => obj({ a: obj({ b: num() }) })({ a: { b: 'x' } }, 'root'),
    (e: unknown) => e instanceof CheckError && e.message.startsWith('root.a.b: '),
  );
});
