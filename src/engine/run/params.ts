/** Hyperparameter values for a run: the registry's defaults, overridden by what the user gave, checked. */
import { rangeError } from '../optim/params';
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
    // A number may arrive as text (a setting, a URL); a choice is always compared as text.
    const value = p.kind === 'choice' ? String(v) : typeof v === 'number' ? v : v.trim() === '' ? NaN : Number(v);
    const why = rangeError(p, value);
    if (why !== null) throw new RangeError(`${optimizer.id}: ${why}`);
    out[p.name] = value;
  }
  return out;
}
