// The Lab's inline edit, written back: what checkWrite accepts is exactly what the .cost parser then reads as the
// edited function (checked by parsing the written text again, and by mathjs on the new expression); what it
// refuses would break the file, and its diagnostics point into the text the Lab sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from 'mathjs';
import { parseCostFile } from '../../src/engine/expr/costParser';
import { valueAt } from '../../src/engine/run/pointEval';
import { parseHostMessage } from '../../src/shared/webviewProtocol';
import {
  analyzeCostText,
  builtinCopy,
  expressionRange,
  replaceRange,
  type CostDefinition,
} from '../../src/vscode/costDocument';
import { checkEdit, checkWrite, type EditOk } from '../../src/vscode/editCheck';

const DOC = [
  'a = 2',
  'bowl(x, y) = (x - a)^2 + y^2',
  '@domain [-3, 3] x [-3, 3]',
  '',
  '# another function, broken: its error is not the edit’s business',
  'broken(x) = foo(x)',
  '',
].join('\n');

const bowl = (): CostDefinition => analyzeCostText(DOC, 'w.cost').definitions.find((d) => d.fn.name === 'bowl')!;

function edit(text: string): EditOk {
  const check = checkEdit(bowl().fn, text, { a: 2 });
  assert.ok(check.ok, `${text} parses on its own`);
  return check;
}

/** Writes the edit as the panel does: the right-hand side when the variables stay, else the whole definition. */
function write(text: string) {
  const e = edit(text);
  const same = e.variables.join() === bowl().fn.variables.join();
  const range = same ? expressionRange(DOC, bowl())! : bowl().range;
  const replacement = same ? e.expression : e.definition;
  return { e, check: checkWrite(e, 'bowl', DOC, range, replacement), written: replaceRange(DOC, range, replacement) };
}

test('an expression with a blank line parses alone but breaks the file: refused, positions in the sent text', () => {
  const text = '(x +\n\n y)^2';
  const { check, written } = write(text);
  // The reference: the file parser on the text that would have been written.
  const reread = parseCostFile(written, 'w.cost');
  assert.ok(!reread.functions.some((f) => f.name === 'bowl'), 'written, the file no longer defines bowl');
  assert.equal(check.ok, false);
  if (check.ok) return;
  const lines = text.split('\n');
  assert.ok(check.diagnostics.length >= 1);
  for (const d of check.diagnostics) {
    assert.match(d.message, /^written to the \.cost file: /);
    assert.ok(d.range.line >= 1 && d.range.line <= lines.length, JSON.stringify(d.range));
    assert.ok(d.range.column >= 1 && d.range.column <= lines[d.range.line - 1].length + 1, JSON.stringify(d.range));
  }
  // The first line's bracket is never closed on it: the file's error sits on the edit's first line.
  assert.equal(check.diagnostics[0].range.line, 1);
  // What the panel is sent passes the protocol.
  parseHostMessage({ type: 'functionValidation', text, ok: false, diagnostics: check.diagnostics });
});

test('a good edit is written as the file will read it, whatever is broken elsewhere in the file', () => {
  for (const text of ['(x - 1)^2 + 3*y^2', 'bowl(x, y) = ((x - 1)^2 +\n   3*y^2)', '  (x - 1)^2 + 3*y^2  ']) {
    const { check } = write(text);
    assert.ok(check.ok, text);
    if (!check.ok) continue;
    const reread = parseCostFile(check.text, 'w.cost');
    assert.equal(reread.errors.length, 1, 'only broken()’s own error remains');
    const fn = reread.functions.find((f) => f.name === 'bowl')!;
    assert.deepEqual(fn.domain, [
      [-3, 3],
      [-3, 3],
    ]);
    assert.equal(valueAt(fn, [0.5, -2]), evaluate('(x - 1)^2 + 3*y^2', { x: 0.5, y: -2 }));
  }
});

test('new variables rewrite the whole definition, still read back by the file parser', () => {
  const { check } = write('bowl(u, v) = u^4 + a*v^2');
  assert.ok(check.ok);
  if (!check.ok) return;
  const fn = parseCostFile(check.text, 'w.cost').functions.find((f) => f.name === 'bowl')!;
  assert.deepEqual(fn.variables, ['u', 'v']);
  assert.equal(valueAt(fn, [2, 3]), 16 + 2 * 9);
});

test('an edited built-in becomes a copy that the file parser reads; a breaking edit of it is refused', () => {
  const copy = builtinCopy('beale')!;
  assert.ok(parseCostFile(copy.text).functions.some((f) => f.name === 'beale'));
  const beale = copy.definition.fn;
  const good = checkEdit(beale, 'x^2 + y^2');
  assert.ok(good.ok);
  if (!good.ok) return;
  const written = checkWrite(good, 'beale', copy.text, copy.definition.range, good.definition);
  assert.ok(written.ok);
  if (!written.ok) return;
  const fn = parseCostFile(written.text).functions.find((f) => f.name === 'beale')!;
  assert.equal(valueAt(fn, [3, 4]), 25);
  assert.deepEqual(fn.domain, beale.domain, 'the directives stay');
  const bad = checkEdit(beale, '(x +\n\n y)');
  assert.ok(bad.ok);
  if (!bad.ok) return;
  const refused = checkWrite(bad, 'beale', copy.text, copy.definition.range, bad.definition);
  assert.equal(refused.ok, false);
});
