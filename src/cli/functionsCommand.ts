/** `descent-lab functions`: the built-in cost functions; with --fn, also ∇f of one function, readably. */
import { gradient } from '../engine/expr/autodiff';
import { printGradient } from '../engine/expr/prettyPrint';
import { builtinFunctions } from '../engine/library';
import { formatNumber as num } from '../present/format';
import { table } from '../present/textTable';
import { defineCommand } from './command';
import { resolveFunction } from './functionArg';
import { FN_OPTION, JSON_OPTION } from './options';

export const functionsCommand = defineCommand({
  name: 'functions',
  synopsis: '[--fn F] [--json]',
  summary: 'the built-in cost functions, domains and minima (with --fn F, also ∇F)',
  options: { ...FN_OPTION, ...JSON_OPTION },
  async run(values, io) {
    const fns = builtinFunctions();
    if (values.json) {
      await io.out(
        JSON.stringify(
          {
            functions: fns.map((f) => ({
              name: f.name,
              variables: f.variables,
              expression: f.source,
              domain: f.domain ?? null,
              minima: f.minima,
              fStar: f.fStar ?? null,
            })),
          },
          null,
          2,
        ),
      );
      return;
    }
    await io.out(
      table(
        ['name', 'f', 'domain', 'minima'],
        fns.map((f) => [
          `${f.name}(${f.variables.join(', ')})`,
          f.source.replace(/\s+/g, ' '),
          f.domain ? f.domain.map(([a, b]) => `[${a}, ${b}]`).join('×') : '–',
          f.minima.map((m) => `(${m.map((v) => num(v)).join(', ')})`).join(' '),
        ]),
      ),
    );
    if (values.fn !== undefined) {
      const { fn } = resolveFunction(values.fn);
      await io.out(
        `\n∇${fn.name}:\n${printGradient(fn.graph, gradient(fn.graph, fn.output, fn.inputs), fn.variables)}`,
      );
    }
  },
});
