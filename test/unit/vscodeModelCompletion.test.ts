// Completion in .cost files with models, without VS Code: what the line before the cursor asks for, and that
// every item, once inserted, is accepted by the engine (initializers, directives) or matches what the engine
// knows (datasets, tensor functions and their arities, a CSV's header).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_DATASETS, builtinDataset, SHUFFLE_MODES } from '../../src/engine/data';
import { parseCostFile } from '../../src/engine/expr/costParser';
import { MODEL_FUNCTION_NAMES, tensorFunction } from '../../src/engine/model/modelFunctions';
import {
  columnEntries,
  completionContext,
  datasetEntries,
  directiveEntries,
  initializerEntries,
  modelCompletions,
  shuffleEntries,
} from '../../src/vscode/costCompletions';

test('completionContext: what to offer, and where the replaced word starts', () => {
  const cases: [string, string, number?][] = [
    ['@', 'directive', 0],
    ['  @pa', 'directive', 2],
    ['@data ', 'dataset', 6],
    ['@data  sp', 'dataset', 7],
    ['@data "', 'none'],
    ['@param W 4x10 ', 'initializer', 14],
    ['@param W 4 x 10 uni', 'initializer', 16],
    ['@param b 4 ', 'initializer', 11],
    ['@param W ', 'none'],
    ['@shuffle o', 'shuffle', 9],
    ['@split 0.8 ', 'none'],
    ['@metric acc = row.', 'column', 18],
    ['y = row.la', 'column', 8],
    ['x = [row . x', 'column', 11],
    ['f(w) = dot(w, x) + sig', 'expression', 19],
    ['f(w) = w + 2', 'expression', 12],
    ['# row.', 'none'],
    ['f(w) = w # @', 'none'],
  ];
  for (const [before, kind, from] of cases) {
    const c = completionContext(before);
    assert.equal(c.kind, kind, before);
    if (from !== undefined) assert.equal((c as { from: number }).from, from, before);
  }
});

test('directives: those of data sections inside one, those of functions outside; each snippet parses where offered', () => {
  const names = (inSection: boolean) => directiveEntries(inSection).map((d) => d.name);
  assert.deepEqual(names(false), ['@domain', '@minimum', '@noise', '@data']);
  assert.deepEqual(names(true), [
    '@minimum',
    '@noise',
    '@data',
    '@split',
    '@param',
    '@batch',
    '@shuffle',
    '@epochs',
    '@metric',
  ]);
  // Each snippet with its defaults, in its place in a file: the engine accepts it.
  const fill = (snippet: string) =>
    snippet.replace(/\$\{\d+\|([^,|]+)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1');
  const head = '@data iris\nx = row[1:4]\ny = row[5:7]\n@param W 3x4 zeros\n@param b 3 zeros\n';
  const model = 'm(W, b) = sum((W*x + b - y).^2)\n';
  for (const d of directiveEntries(true)) {
    const line = fill(d.insert).replace(/= expr$/, '= norm(W*x + b - y)');
    // @split goes above the first model, @param above its model, the others after it.
    const text =
      d.name === '@split'
        ? `@data iris\n${line}\n${head.slice('@data iris\n'.length)}${model}`
        : d.name === '@param'
          ? `@data iris\n${line}\nm(W) = sum(W)\n`
          : `${head}${model}${line}\n`;
    assert.deepEqual(
      parseCostFile(text, 't.cost').errors.map((e) => e.message),
      [],
      `${d.name}: ${text}`,
    );
  }
  for (const d of directiveEntries(false)) {
    const text = `f(x, y) = x^2 + y^2\n${fill(d.insert)}\n`;
    assert.deepEqual(
      parseCostFile(text, 't.cost').errors.map((e) => e.message),
      [],
      `${d.name}: ${text}`,
    );
  }
});

test('initializers and shuffle modes: each inserted into a @param or @shuffle line parses', () => {
  const fill = (s: string) => s.replace(/\$\{\d+:([^}]*)\}/g, '$1');
  assert.deepEqual(
    initializerEntries().map((c) => c.name),
    ['zeros', 'ones', 'const', 'uniform', 'normal'],
  );
  for (const c of initializerEntries()) {
    const text = `@data iris\nx = row[1:4]\n@param W 2x4 ${fill(c.insert)}\nm(W) = sum(W*x)\n`;
    assert.deepEqual(parseCostFile(text, 't.cost').errors, [], c.insert);
  }
  assert.deepEqual(
    shuffleEntries().map((c) => c.name),
    [...SHUFFLE_MODES],
  );
});

test('datasets: every built-in, each name a reference the engine reads; columns: the header, in order', () => {
  const entries = datasetEntries();
  assert.deepEqual(
    entries.map((d) => d.name),
    [...BUILTIN_DATASETS.keys()],
  );
  for (const d of entries) assert.ok(builtinDataset(d.insert).ok, d.name);
  const spiral = entries.find((d) => d.name === 'spiral')!;
  assert.equal(spiral.signature, 'spiral(n=500, noise=0, seed=0)');
  const iris = builtinDataset('iris');
  assert.ok(iris.ok);
  assert.deepEqual(
    columnEntries(iris.dataset).map((c) => [c.name, c.doc]),
    iris.dataset.columns.map((name, j) => [name, `column ${j + 1} of iris`]),
  );
});

test('tensor functions: every name a model knows, with a signature whose argument count the engine accepts', () => {
  const functions = modelCompletions().filter((c) => c.kind === 'function');
  assert.deepEqual(functions.map((c) => c.name).sort(), [...MODEL_FUNCTION_NAMES].sort());
  for (const c of functions) {
    const args = c.signature.slice(c.name.length + 1, -1).split(', ');
    const required = args.filter((a) => !a.endsWith('?') && a !== '…').length;
    const fn = tensorFunction(c.name);
    if (c.name === 'map') continue; // map takes a function name, and is read apart
    assert.ok(fn, c.name);
    assert.ok(required >= fn.minArgs && required <= fn.maxArgs, `${c.signature}: ${fn.minArgs}…${fn.maxArgs}`);
  }
  for (const name of ['sigmoid', 'relu', 'softplus', 'logsumexp', 'softmax', 'map', 'sum', 'mean', 'dot', 'norm'])
    assert.ok(
      functions.some((c) => c.name === name),
      name,
    );
  assert.ok(modelCompletions().some((c) => c.name === 'row' && c.kind === 'keyword'));
});
