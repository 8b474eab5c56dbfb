/** Hyperparameter values for a run: the registry's defaults, overridden by what the user gave, checked. */
import type { Optimizer } from '../optim/types';

export function resolveParams(
  optimizer: Optimizer,
  given: Readonly<Record<string, number | string>>,
): Record<string, number | string> {
  const known = new Set(optimizer.params.map((p) => p.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      throw new RangeError(
        `${optimizer.id} has no hyperparameter '${name}' (it has: ${[...known].join(', ') || 'none'})`,
      );
    }
  }
  const out: Record<string, number | string> = {};
  for (const p of optimizer.params) {
    const v = given[p.name] ?? p.default;
    if (p.kind === 'choice') {
      const s = String(v);
      if (!p.choices.includes(s))
        throw new RangeError(`${optimizer.id}: ${p.name} must be one of ${p.choices.join('|')}, not '${s}'`);
      out[p.name] = s;
    } else {
      const x = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(x)) throw new RangeError(`${optimizer.id}: ${p.name} must be a finite number, not '${v}'`);
      out[p.name] = x;
    }
  }
  return out;
}
