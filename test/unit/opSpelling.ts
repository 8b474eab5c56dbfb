/** How a test writes an IR operation in a cost expression, from the lowering tables (mathFunctions.ts). */
import type { Lowering } from '../../src/engine/expr/mathFunctions';

/** mathjs's operator fns as written in a cost expression. */
const OPERATOR_SYMBOL: Readonly<Record<string, string>> = {
  unaryMinus: '-',
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  pow: '^',
};

/** The op named `name` applied to argument texts, or undefined for an internal op (no spelling). */
export function spelling(lowering: Lowering, name: string, args: readonly string[]): string | undefined {
  switch (lowering.kind) {
    case 'function':
      return `${name}(${args.join(', ')})`;
    case 'operator': {
      const symbol = OPERATOR_SYMBOL[lowering.fn];
      if (symbol === undefined) throw new Error(`no symbol known for the operator ${lowering.fn}`);
      return args.length === 1 ? `${symbol}(${args[0]})` : `(${args[0]}) ${symbol} (${args[1]})`;
    }
    case 'internal':
      return undefined;
  }
}
