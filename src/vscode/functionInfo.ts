/** Readable facts about a cost function for hovers and the Show Gradient command: ∇f, domain, known minima. */
import { gradient } from '../engine/expr/autodiff';
import type { CostFunction } from '../engine/expr/costParser';
import { printGradient } from '../engine/expr/prettyPrint';
import { valueAt } from '../engine/run/pointEval';
import { DEFAULT_INTERVAL } from '../engine/run/starts';
import { formatNumber } from '../present/format';

export function gradientText(fn: CostFunction): string {
  return printGradient(fn.graph, gradient(fn.graph, fn.output, fn.inputs), fn.variables);
}

/** Coordinates as precise as a @minimum line would want them. */
const num = (v: number): string => formatNumber(v, { digits: 8 });

export function domainText(fn: CostFunction): string {
  return fn.domain
    ? fn.domain.map(([a, b]) => `[${num(a)}, ${num(b)}]`).join(' × ')
    : `not given (runs sample [${num(DEFAULT_INTERVAL[0])}, ${num(DEFAULT_INTERVAL[1])}] per variable)`;
}

export function minimaText(fn: CostFunction): string[] {
  return fn.minima.map((m) => `(${m.map(num).join(', ')}), f = ${num(valueAt(fn, m))}`);
}

/** Markdown for a hover on a function's name. */
export function hoverMarkdown(fn: CostFunction): string {
  const minima = minimaText(fn);
  return [
    `**${fn.name}**(${fn.variables.join(', ')}) = \`${fn.source.replace(/\s+/g, ' ')}\``,
    '',
    '```',
    gradientText(fn),
    '```',
    '',
    `**Domain:** ${domainText(fn)}`,
    '',
    minima.length ? `**Known minima:** ${minima.join('; ')}` : '**Known minima:** none given (f* = 0 is assumed)',
  ].join('\n');
}

/** Plain text for the output channel (Show Gradient). */
export function gradientReport(fn: CostFunction): string {
  const minima = minimaText(fn);
  return [
    `${fn.name}(${fn.variables.join(', ')}) = ${fn.source.replace(/\s+/g, ' ')}`,
    gradientText(fn),
    `domain: ${domainText(fn)}`,
    `known minima: ${minima.length ? minima.join('; ') : 'none'}`,
  ].join('\n');
}
