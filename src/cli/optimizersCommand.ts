/** `descent-lab optimizers`: the registry's optimizers, hyperparameters, defaults (and ranges with --json). */
import { listModifiers, listOptimizers, optimizersJson, parseOptimizerList } from '../engine/optim/registry';
import type { OptimizerConfig } from '../engine/optim/types';
import { table } from '../present/textTable';
import { defineCommand } from './command';
import { JSON_OPTION } from './options';
import { UsageError } from './usageError';

export const optimizersCommand = defineCommand({
  name: 'optimizers',
  synopsis: '[--json]',
  summary: 'optimizers, hyperparameters and defaults (with --json, also their ranges)',
  options: JSON_OPTION,
  async run(values, io) {
    if (values.json) {
      await io.out(JSON.stringify(optimizersJson(), null, 2));
      return;
    }
    await io.out(
      table(
        ['id', 'optimizer', 'source', 'hyperparameters (defaults)'],
        listOptimizers().map((o) => [o.id, o.label, o.paper, o.params.map((p) => `${p.name}=${p.default}`).join(' ')]),
      ),
    );
    await io.out(
      '\nAn optimizer that reads the gradient value also takes the power transform as h-<id> (e.g. h-rmsprop:H=0.5).',
    );
    const chained = listModifiers().map((t) => `${t.id}:${t.params.map((p) => `${p.name}=${p.default}`).join(':')}`);
    await io.out(`Transforms chain onto it with +: ${chained.join(', ')} (e.g. adam:eta=0.001+clip-norm:maxNorm=1).`);
  },
});

/** `--opt`, or the command's default list. */
export function optimizerList(text: string | undefined, fallback: string): OptimizerConfig[] {
  try {
    return parseOptimizerList(text ?? fallback);
  } catch (e) {
    throw new UsageError(`--opt: ${(e as Error).message}`);
  }
}
