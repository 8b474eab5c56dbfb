// The .cost editor helpers: definitions with their name ranges, diagnostics in 0-based editor coordinates,
// the definition under the cursor, and the expression range an inline edit replaces. Positions are counted by
// hand from the text below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from 'mathjs';
import {
  analyzeCostText,
  definitionAt,
  definitionNameAt,
  definitionText,
  expressionRange,
  runnableText,
} from '../../src/vscode/costDocument';
import { costCompletions } from '../../src/vscode/costCompletions';
import { parseExpression } from '../../src/engine/expr/costParser';
import { BUILTINS } from '../../src/engine/expr/mathFunctions';
import { BUILTINS_COST } from '../../src/engine/library/builtins';
import { valueAt } from '../../src/engine/run/pointEval';

const TEXT = [
  '# header', // 0
  'k = 3', // 1
  'bowl(x, y) = k*x^2 + y^2', // 2
  '@domain [-1, 1] x [-2, 2]', // 3
  '# about wave', // 4
  '  wave(t) = (sin(t) +', // 5
  '     cos(2*t))', // 6
  '@minimum (3)', // 7
  'bad(x) = x + foo(x)', // 8
  'cut(x, y) = (x +', // 9
].join('\n');

test('definitions: name ranges, whole ranges, blocks through their directives', () => {
  const info = analyzeCostText(TEXT, 't.cost');
  assert.deepEqual(
    info.definitions.map((d) => d.fn.name),
    ['bowl', 'wave'],
  );
  const [bowl, wave] = info.definitions;
  assert.deepEqual(bowl.nameRange, { startLine: 2, startChar: 0, endLine: 2, endChar: 4 });
  assert.deepEqual(bowl.range, { startLine: 2, startChar: 0, endLine: 2, endChar: 24 });
  assert.equal(bowl.blockEndLine, 4);
  assert.deepEqual(wave.nameRange, { startLine: 5, startChar: 2, endLine: 5, endChar: 6 });
  assert.deepEqual(wave.range, { startLine: 5, startChar: 2, endLine: 6, endChar: 14 });
  assert.equal(wave.blockEndLine, 9);
  assert.deepEqual(info.constants, { k: 3 });
});

test('diagnostics: exact 0-based ranges; an error at the end of a line is still one character wide', () => {
  const { diagnostics } = analyzeCostText(TEXT, 't.cost');
  assert.equal(diagnostics.length, 2);
  assert.match(diagnostics[0].message, /unknown function 'foo'/);
  assert.deepEqual(diagnostics[0].range, { startLine: 8, startChar: 13, endLine: 8, endChar: 16 });
  assert.equal(TEXT.split('\n')[8].slice(13, 16), 'foo');
  const cut = diagnostics[1].range;
  assert.equal(cut.startLine, 9);
  assert.ok(cut.endChar - cut.startChar >= 1, JSON.stringify(cut));
});

test('the definition under the cursor, and the one whose name is hovered', () => {
  const { definitions } = analyzeCostText(TEXT, 't.cost');
  assert.equal(definitionAt(definitions, 0), undefined);
  assert.equal(definitionAt(definitions, 2)?.fn.name, 'bowl');
  assert.equal(definitionAt(definitions, 3)?.fn.name, 'bowl');
  assert.equal(definitionAt(definitions, 6)?.fn.name, 'wave');
  assert.equal(definitionAt(definitions, 7)?.fn.name, 'wave');
  assert.equal(definitionNameAt(definitions, 5, 4)?.fn.name, 'wave');
  assert.equal(definitionNameAt(definitions, 5, 1), undefined);
  assert.equal(definitionNameAt(definitions, 2, 9), undefined);
});

test('expressionRange: the right-hand side an inline edit replaces, also across lines', () => {
  const { definitions } = analyzeCostText(TEXT, 't.cost');
  const lines = TEXT.split('\n');
  assert.deepEqual(expressionRange(TEXT, definitions[0]), { startLine: 2, startChar: 13, endLine: 2, endChar: 24 });
  assert.equal(lines[2].slice(13, 24), 'k*x^2 + y^2');
  const r = expressionRange(TEXT, definitions[1])!;
  assert.deepEqual(r, { startLine: 5, startChar: 12, endLine: 6, endChar: 14 });
  assert.equal(lines[5].slice(12), '(sin(t) +');
});

test('definitionText: a built-in with its directives, which parses back to the same function', () => {
  const def = analyzeCostText(BUILTINS_COST, 'builtins.cost').definitions.find((d) => d.fn.name === 'himmelblau')!;
  const text = definitionText(BUILTINS_COST, def);
  assert.match(text, /^himmelblau\(x, y\) = /);
  assert.equal(text.match(/@minimum/g)?.length, 4);
  const again = analyzeCostText(text, 'copy.cost');
  assert.deepEqual(again.diagnostics, []);
  assert.deepEqual(again.definitions[0].fn.minima, def.fn.minima);
});

test('completions: every engine built-in is described, and each inserted call has an arity the engine accepts and mathjs agrees with', () => {
  const entries = costCompletions();
  const functions = entries.filter((c) => c.kind === 'function');
  assert.deepEqual(functions.map((c) => c.name).sort(), [...BUILTINS.keys()].sort());
  for (const c of functions) {
    // The snippet with every placeholder set to 0.7, against mathjs's own evaluation of the same call.
    const call = c.insert.replace(/\$\{\d+:[^}]*\}/g, '0.7');
    const fn = parseExpression(`g(x) = x + ${call}`);
    assert.equal(valueAt(fn, [0]), Number(evaluate(call)), c.name);
    assert.match(c.signature, new RegExp(`^${c.name}\\(.+\\)$`));
  }
  assert.deepEqual(
    entries
      .filter((c) => c.kind === 'constant')
      .map((c) => c.name)
      .sort(),
    ['e', 'pi'],
  );
  assert.deepEqual(
    entries.filter((c) => c.kind === 'directive').map((c) => c.name),
    ['@domain', '@minimum', '@noise', '@data'],
  );
});

test("runnableText: a function of a file with errors elsewhere runs with the file's constants and its own directives", () => {
  const text = [
    'k = 2.5',
    'ok(x) = k*x^2',
    '@minimum (0)',
    '# note',
    'bad(x) = (x +',
    '  foo(x)',
    '',
    'j = 1/3',
    'typo(x) = x + ',
    'last(y) = j*y',
    '@domain [-1, 1]',
  ].join('\n');
  assert.ok(analyzeCostText(text, 't.cost').diagnostics.length > 0);
  const ok = runnableText(text, 't.cost', 'ok')!;
  assert.equal(ok, 'k = 2.5\nj = 0.3333333333333333\nok(x) = k*x^2\n@minimum (0)\n# note\n');
  const parsed = analyzeCostText(ok, 'r.cost');
  assert.deepEqual(parsed.diagnostics, []);
  assert.equal(valueAt(parsed.definitions[0].fn, [2]), 10);
  const last = analyzeCostText(runnableText(text, 't.cost', 'last')!, 'r.cost');
  assert.deepEqual(last.definitions[0].fn.domain, [[-1, 1]]);
  assert.equal(valueAt(last.definitions[0].fn, [3]), 1);
  assert.equal(runnableText(text, 't.cost', 'bad'), undefined);
});
