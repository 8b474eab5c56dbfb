/**
 * Readable facts about models over data for the `.cost` hovers, without `vscode`: a model's parameters (shapes,
 * counts, initializers), its dataset and split, its training plan and ∇ℓ; a `@data` line's summary (describe());
 * the columns a binding or a `row[…]` reads. Text from files (column names, paths) is escaped, since the hover's
 * Markdown is trusted to run the preview command.
 */
import {
  describe,
  paramSize,
  type ColumnSummary,
  type Dataset,
  type DatasetSummary,
  type ParamInit,
  type SplitSpec,
} from '../engine/data';
import { printGradient } from '../engine/expr/prettyPrint';
import type { ModelParam, ModelProgram } from '../engine/model';
import { formatNumber } from '../present/format';
import type { DataSection, DataSource } from './costDataSections';

/** ∇ℓ is printed in full up to this many parameters (circle-logistic has 5, iris-softmax 15)… */
export const FULL_GRADIENT_MAX_PARAMS = 16;
/** …and while it stays this short; past either, one entry per parameter is shown; past this again, a summary. */
export const GRADIENT_MAX_CHARS = 2000;
/** A hover lists at most this many columns by name; the preview shows them all. */
const MAX_LISTED_COLUMNS = 20;

/** Markdown punctuation backslash-escaped: a column named `[x](command:…)` stays text. */
export const escapeMarkdown = (s: string): string => s.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`);

/** A name from a file as inline code: no backtick can end the span, no pipe can end a table cell. */
export const code = (s: string): string => `\`${s.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;

const num = (v: number) => formatNumber(v);
const plural = (n: number, noun: string) => `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;

export function shapeText(shape: readonly number[]): string {
  if (shape.length === 0) return 'scalar';
  if (shape.length === 1) return `vector of ${shape[0]}`;
  return `${shape[0]}×${shape[1]} matrix`;
}

export function initText(init: ParamInit): string {
  switch (init.kind) {
    case 'zeros':
    case 'ones':
      return init.kind;
    case 'const':
      return `const(${num(init.value)})`;
    case 'uniform':
      return `uniform(${num(init.lo)}, ${num(init.hi)})`;
    case 'normal':
      return `normal(${num(init.mu)}, ${num(init.sigma)})`;
  }
}

export function sourceText(source: DataSource | undefined, dataset: Dataset): string {
  if (source?.kind === 'file') return `${escapeMarkdown(source.path)} (CSV file)`;
  return `${escapeMarkdown(dataset.name)} (built-in)`;
}

/** The split in words (plain text). */
export function splitWords(summary: DatasetSummary, split: SplitSpec | undefined): string {
  const s = summary.split;
  if ('problem' in s) return `split: ${s.problem}`;
  if (!split) return `no @split: all ${plural(s.train, 'row')} train`;
  const how = split.ordered ? 'in file order' : `shuffled with split seed ${split.seed ?? 0}`;
  return `split: ${s.train.toLocaleString('en')} train, ${s.test.toLocaleString('en')} test (${how})`;
}

/** `a, b, …, z (n in all)` for long lists. */
function listNames(names: readonly string[]): string {
  const shown =
    names.length > MAX_LISTED_COLUMNS
      ? [...names.slice(0, MAX_LISTED_COLUMNS - 2), '…', names[names.length - 1]]
      : names;
  return shown.map((n) => (n === '…' ? n : code(n))).join(', ');
}

/** Input names of θ's nodes (`W[1,2]`, `b[3]`, `c`), as the model's graph writes them. */
function thetaName(model: ModelProgram, i: number): string {
  const n = model.graph.node(model.theta[i]);
  return n.kind === 'input' ? n.name : `θ${i + 1}`;
}

const asLoss = (text: string) => text.replace(/^∂f\/∂/gm, '∂ℓ/∂');

/**
 * ∇ℓ of one row "as far as it is readable": every component for small models; for larger ones the first entry
 * of each parameter (the others have the same form, shifted); past GRADIENT_MAX_CHARS only what it is made of.
 */
export function modelGradientText(model: ModelProgram): { text: string; note: string } {
  const P = model.parameterCount;
  if (P <= FULL_GRADIENT_MAX_PARAMS) {
    const full = printGradient(
      model.graph,
      model.gradient,
      model.theta.map((_, i) => thetaName(model, i)),
    );
    if (full.length <= GRADIENT_MAX_CHARS) return { text: asLoss(full), note: `all ${P} components` };
  }
  const firsts = model.params.map((p) => p.offset);
  const some = printGradient(
    model.graph,
    firsts.map((i) => model.gradient[i]),
    firsts.map((i) => thetaName(model, i)),
  );
  if (some.length <= GRADIENT_MAX_CHARS) {
    return {
      text: asLoss(some),
      note: `the first entry of each parameter; ${P.toLocaleString('en')} components in all`,
    };
  }
  return {
    text: `∇ℓ: ${P.toLocaleString('en')} components, ${model.graph.size.toLocaleString('en')} IR nodes per row for ℓ, ∇ℓ and the metrics together`,
    note: 'too long to print',
  };
}

function paramRow(p: ModelParam): string {
  return `| ${code(p.name)} | ${shapeText(p.shape)} | ${paramSize(p).toLocaleString('en')} | ${initText(p.init)} |`;
}

function planText(model: ModelProgram): string {
  const parts = [
    model.batch === undefined ? 'full batch' : `batch ${model.batch}`,
    model.epochs === undefined ? 'epochs: the run’s step budget' : plural(model.epochs, 'epoch'),
    `shuffle ${model.shuffle}`,
  ];
  if (model.noise !== undefined) parts.push(`gradient noise σ = ${num(model.noise)}`);
  parts.push(`f* = ${num(model.fStar)}`);
  return parts.join(' · ');
}

/** Markdown for a hover on a model's name; `previewLink` is a command URI that opens the dataset preview. */
export function modelHoverMarkdown(
  model: ModelProgram,
  section: DataSection | undefined,
  previewLink?: string,
): string {
  const data = model.data.dataset;
  const summary = describe(data, model.data.split);
  const gradient = modelGradientText(model);
  const columns = model.columns.map((c) => `row[${c.index + 1}] = ${code(c.name)}`);
  const lines = [
    `**${model.name}**(${model.params.map((p) => p.name).join(', ')}): a model over data, **P = ${model.parameterCount.toLocaleString('en')}** parameters`,
    '',
    '| parameter | shape | count | initial |',
    '|---|---|---|---|',
    ...model.params.map(paramRow),
    '',
    `**Data:** ${sourceText(section?.source, data)}: ${plural(data.rows, 'row')} × ${plural(data.columns.length, 'column')}; ${escapeMarkdown(splitWords(summary, model.data.split))}` +
      (previewLink ? ` — [Preview dataset](${previewLink})` : ''),
    '',
    `**Training:** ${planText(model)}`,
  ];
  if (model.metrics.length)
    lines.push('', `**Metrics** (on the test rows): ${model.metrics.map((m) => `\`${m.name}\``).join(', ')}`);
  if (columns.length)
    lines.push(
      '',
      `**Reads:** ${columns.length > MAX_LISTED_COLUMNS ? `${columns.length} columns` : columns.join(', ')}`,
    );
  lines.push(
    '',
    `**∇ℓ of one row** (${gradient.note}; a step uses its mean over the batch):`,
    '',
    '```',
    gradient.text,
    '```',
  );
  return lines.join('\n');
}

function columnRow(c: ColumnSummary, j: number): string {
  const group = c.group ? ` (columns ${c.group[0] + 1}–${c.group[1] + 1})` : '';
  return `| ${j + 1} | ${code(c.name)} | ${c.kind}${group} | ${num(c.min)} … ${num(c.max)} | ${num(c.mean)} |`;
}

/** Markdown for a hover on a `@data` line: the file's or built-in's summary. */
export function dataHoverMarkdown(section: DataSection, summary: DatasetSummary, previewLink?: string): string {
  const data = section.dataset!;
  const shown = summary.columns.slice(0, MAX_LISTED_COLUMNS);
  return [
    `**${sourceText(section.source, data)}**: ${plural(data.rows, 'row')} × ${plural(data.columns.length, 'column')}; ${escapeMarkdown(splitWords(summary, section.split))}` +
      (previewLink ? ` — [Preview dataset](${previewLink})` : ''),
    '',
    '| # | column | kind | range | mean |',
    '|---|---|---|---|---|',
    ...shown.map(columnRow),
    ...(summary.columns.length > shown.length ? [`| … | ${summary.columns.length - shown.length} more | | | |`] : []),
  ].join('\n');
}

/** Markdown for a hover on a binding or a `row[…]`: the columns it reads. */
export function columnsHoverMarkdown(what: string, columns: readonly number[], dataset: Dataset): string {
  const names = columns.map((j) => dataset.columns[j]);
  const contiguous = columns.every((j, k) => k === 0 || j === columns[k - 1] + 1);
  const where =
    columns.length === 1
      ? `column ${columns[0] + 1}`
      : contiguous
        ? `columns ${columns[0] + 1}–${columns[columns.length - 1] + 1}`
        : plural(columns.length, 'column');
  return `${code(what)} reads ${where} of ${escapeMarkdown(dataset.name)}: ${listNames(names)}`;
}
