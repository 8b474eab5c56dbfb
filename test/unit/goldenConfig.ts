/** golden.json (test/fixtures) and the mapping of its configurations onto the registry's ids and names. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GoldenIterate {
  readonly theta: number[];
  readonly f: number;
}
export interface GoldenOptimizer {
  readonly name: string;
  readonly kind: string;
  readonly hyperparameters: Readonly<Record<string, number | string | boolean | { H0: number; beta3: number }>>;
  readonly rule: string;
  readonly runs: Readonly<Record<string, GoldenIterate[]>>;
}
export interface Golden {
  readonly problems: readonly { key: string; start: number[] }[];
  readonly optimizers: readonly GoldenOptimizer[];
}

export const golden = JSON.parse(readFileSync(join(__dirname, '../fixtures/golden.json'), 'utf8')) as Golden;

export interface Config {
  readonly id: string;
  readonly numbers: Record<string, number>;
  readonly choices: Record<string, string>;
}

/** golden.json's names → the registry's (CONVENTIONS' names; PowerSGD's γ is our H). */
export function configFor(o: GoldenOptimizer): Config {
  const hp = o.hyperparameters;
  const numbers: Record<string, number> = {};
  const choices: Record<string, string> = {};
  let id: string;
  switch (o.kind) {
    case 'hnag':
      id = hp.H === 1 ? 'nag' : 'h-nag';
      break;
    case 'hadam':
      id = hp.Hsched !== undefined ? 'ht-adam' : hp.H === 1 ? 'adam' : 'h-adam';
      break;
    case 'hamsgrad':
      id = hp.shat === 'running' ? 'amsgrad-max' : hp.H === 1 ? 'amsgrad' : 'h-amsgrad';
      break;
    case 'rprop':
      id = hp.variant === 'irprop-' ? 'irprop' : 'rprop';
      break;
    case 'powersgd':
      id = 'pbsgd';
      break;
    case 'powersgdm':
      id = 'pbsgdm';
      break;
    case 'hgd':
      id = 'h-gd';
      break;
    default:
      id = o.kind;
  }
  for (const [name, value] of Object.entries(hp)) {
    if (name === 'variant' || name === 'shat') continue;
    if (name === 'H' && value === 1 && !id.startsWith('h-')) continue;
    if (typeof value === 'object') Object.assign(numbers, value);
    else if (typeof value === 'boolean') choices[name] = value ? '1' : '0';
    else if (typeof value === 'string') choices[name] = value;
    else if (name === 'lr') numbers.eta = value;
    else if (name === 'gamma' && id.startsWith('pbsgd')) numbers.H = value;
    else numbers[name] = value;
  }
  return { id, numbers, choices };
}
