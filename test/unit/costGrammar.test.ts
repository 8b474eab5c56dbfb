// The TextMate grammar's rules for models, read as JavaScript regular expressions (the patterns used here are in
// the subset that Oniguruma and JavaScript read alike): which scope each piece of a model's lines gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MODEL_DIRECTIVES } from '../../src/engine/model';

interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  patterns?: Rule[];
}
const grammar = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../media/cost.tmLanguage.json'), 'utf8')) as {
  repository: Record<string, Rule>;
};
const repo = grammar.repository;

/** The scope of the first rule of `rules` that matches at the start of `text` (sticky, as a tokenizer tries them). */
function scopeAt(rules: Rule[], text: string): string | undefined {
  for (const r of rules) {
    if (!r.match) continue;
    const m = new RegExp(r.match, 'y').exec(text);
    if (m) return r.name ?? 'captures';
  }
  return undefined;
}

test('every data-section directive and @noise starts a directive; @metric has its own rule with an expression', () => {
  const begin = new RegExp(repo.directive.begin!);
  for (const d of [...MODEL_DIRECTIVES].filter((d) => d !== '@metric')) assert.match(`${d} x`, begin, d);
  for (const d of ['@domain', '@minimum', '@noise']) assert.match(`  ${d} 1`, begin, d);
  assert.doesNotMatch('@metric acc = 1', begin);
  const metric = new RegExp(repo.metric.begin!).exec('@metric accuracy = y > 0');
  assert.deepEqual(metric?.slice(1), ['@metric', 'accuracy', '=']);
});

test('expressions: row and its columns, elementwise operators, transpose, comparisons, tensor functions, end', () => {
  const rules = repo.expression.patterns!;
  const cases: [string, string][] = [
    ['row.sepal_length', 'captures'],
    ['row[1:4]', 'variable.language.row.cost'],
    ['.^2', 'keyword.operator.elementwise.cost'],
    ['.* y', 'keyword.operator.elementwise.cost'],
    ['./ n', 'keyword.operator.elementwise.cost'],
    ['== max(z)', 'keyword.operator.comparison.cost'],
    ['softmax(z)', 'support.function.tensor.cost'],
    ['logsumexp(z)', 'support.function.tensor.cost'],
    ['map(v, tanh)', 'support.function.tensor.cost'],
    ['tanh(z)', 'support.function.math.cost'],
    ['end]', 'keyword.other.end.cost'],
    [':10]', 'keyword.operator.range.cost'],
    ['rows', 'variable.other.cost'],
  ];
  for (const [text, scope] of cases) assert.equal(scopeAt(rules, text), scope, text);
  const transpose = rules.find((r) => r.name === 'keyword.operator.transpose.cost')!;
  assert.match("W'*x", new RegExp(transpose.match!));
  assert.match("(W*x)'", new RegExp(transpose.match!));
  assert.doesNotMatch("= 'a'", new RegExp(`^= ${transpose.match!}`));
});

test('directive arguments: file names, initializers, shapes, split and shuffle words', () => {
  const rules = repo.directive.patterns!;
  const cases: [string, string][] = [
    ['"teacher.csv"', 'string.quoted.double.cost'],
    ['uniform(-0.5, 0.5)', 'support.function.initializer.cost'],
    ['zeros', 'support.function.initializer.cost'],
    ['4x10', 'captures'],
    ['seed 1', 'keyword.other.option.cost'],
    ['ordered', 'keyword.other.option.cost'],
    ['replace', 'keyword.other.option.cost'],
    ['spiral(', 'variable.parameter.cost'],
  ];
  for (const [text, scope] of cases) assert.equal(scopeAt(rules, text), scope, text);
});
