/**
 * The public parsing API: inline expressions here, `.cost` files in costFile.ts. User text is parsed by
 * mathjs and lowered to the IR; it is never evaluated.
 */
import { parseDefinition, type CostFunction } from './definition';
import { INLINE_SOURCE, LineMap } from './sourceMap';

export { parseCostFile, type CostFile, type CostFileOptions } from './costFile';
export { type CostFunction, MAX_AST_NODES, MAX_VARIABLES } from './definition';
export { CostError, formatCostError, type SourceRange } from './sourceMap';

/** Parses one definition or bare expression; throws CostError. A bare expression is named 'f'. */
export function parseExpression(
  text: string,
  opts: { source?: string; constants?: Record<string, number> } = {},
): CostFunction {
  const map = new LineMap(text, opts.source ?? INLINE_SOURCE);
  const def = parseDefinition(
    map,
    { start: 0, end: text.length },
    { constants: new Map(Object.entries(opts.constants ?? {})), defined: new Map() },
  );
  if (def.kind === 'constant')
    throw map.error(`'${def.name} = …' defines a constant, not a cost function`, def.nameSpan);
  return def.fn;
}
