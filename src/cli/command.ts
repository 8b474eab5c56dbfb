/**
 * What a `descent-lab` command is: a name, its own options (node:util parseArgs, one table per command) and an
 * action. An option the command does not take, a missing value or a stray argument is a UsageError, answered
 * with that command's usage.
 */
import { parseArgs } from 'node:util';
import { quote, UsageError } from './usageError';

export interface OptionDef {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** The value's placeholder in the usage (`--steps T`). */
  readonly arg?: string;
  readonly help: string;
}

export type OptionTable = Readonly<Record<string, OptionDef>>;

type ValueOf<D extends OptionDef> = D extends { type: 'boolean' }
  ? boolean
  : D extends { multiple: true }
    ? string[]
    : string;

export type Values<T extends OptionTable> = { -readonly [K in keyof T]?: ValueOf<T[K]> };

/** What a command may touch: stdout, stderr and the signal that stops its work. */
export interface Io {
  /** One line on stdout; rejects with OutputClosed once stdout is closed (`… | head`). */
  out(text: string): Promise<void>;
  err(text: string): void;
  /** Aborted on Ctrl-C (reason Interrupted) or a closed stdout (reason OutputClosed). */
  readonly signal: AbortSignal;
  /** stderr is a terminal: progress bars may be drawn. */
  readonly progress: boolean;
  /** The command line after `descent-lab`, for reports that say how to make them again. */
  readonly argv: readonly string[];
}

/** stdout was closed by its reader: the command ends quietly, exit 0. */
export class OutputClosed extends Error {
  constructor() {
    super('standard output closed');
  }
}

/** Ctrl-C. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

export interface Command {
  readonly name: string;
  /** What follows the name in the usage line, e.g. `--fn F --opt O [options]`. */
  readonly synopsis: string;
  readonly summary: string;
  readonly options: OptionTable;
  run(argv: readonly string[], io: Io): Promise<void>;
}

const HELP = { help: { type: 'boolean', short: 'h', help: 'this help' } } as const satisfies OptionTable;

export function defineCommand<T extends OptionTable>(c: {
  name: string;
  synopsis: string;
  summary: string;
  options: T;
  run(values: Values<T>, io: Io): Promise<void> | void;
}): Command {
  const options = { ...c.options, ...HELP };
  return {
    ...c,
    options,
    run: async (argv, io) => {
      const values = parseOptions(options, argv);
      if (values.help) return io.out(usage({ ...c, options }));
      await c.run(values as Values<T>, io);
    },
  };
}

/** An argument-level mistake: main prints the command's usage after the message. */
export class OptionError extends UsageError {}

/**
 * Every option of `options` in `argv`. A string option always takes the next argument as its value, even one
 * starting with '-' (`--fn -x^2+y^2`, `--from -1,2`), unless that argument is itself one of the command's
 * options (`--fn --opt gd`: --fn has no value). Options may appear once, except those marked multiple.
 */
export function parseOptions<T extends OptionTable>(options: T, argv: readonly string[]): Values<T> {
  const { tokens } = parseArgs({
    args: [...argv],
    // parseArgs refuses keys it does not know (arg, help) and keys set to undefined.
    options: Object.fromEntries(
      Object.entries(options).map(([name, { type, multiple, short }]) => [
        name,
        { type, ...(multiple ? { multiple } : {}), ...(short ? { short } : {}) },
      ]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const isOption = (arg: string) => {
    const m = /^--([^=]+)/.exec(arg);
    return m !== null && Object.hasOwn(options, m[1]);
  };
  const values: Record<string, string | boolean | string[]> = {};
  for (const token of tokens) {
    if (token.kind === 'positional') throw new OptionError(`unexpected argument ${quote(token.value)}`);
    if (token.kind === 'option-terminator') continue;
    const def = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!def) throw new OptionError(`unknown option ${quote(token.rawName)}`);
    const flag = `--${token.name}`;
    if (def.type === 'boolean') {
      if (token.value !== undefined) throw new OptionError(`${flag} takes no value`);
      values[token.name] = true;
      continue;
    }
    if (token.value === undefined || (!token.inlineValue && isOption(token.value)))
      throw new OptionError(`${flag} needs a value`);
    if (def.multiple) values[token.name] = [...((values[token.name] as string[] | undefined) ?? []), token.value];
    else if (Object.hasOwn(values, token.name)) throw new OptionError(`${flag} is given twice`);
    else values[token.name] = token.value;
  }
  return values as Values<T>;
}

/** `usage: descent-lab run --fn F [options]`, the summary, and one line per option. */
export function usage(c: Pick<Command, 'name' | 'synopsis' | 'summary' | 'options'>): string {
  const entries = Object.entries(c.options).map(([name, d]) => [
    `${d.short ? `-${d.short}, ` : ''}--${name}${d.arg ? ` ${d.arg}` : ''}${d.multiple ? ' …' : ''}`,
    d.help,
  ]);
  const width = Math.max(...entries.map(([left]) => left.length)) + 2;
  return [
    `usage: descent-lab ${c.name} ${c.synopsis}`.trimEnd(),
    '',
    c.summary,
    '',
    'options:',
    ...entries.map(([left, help]) => `  ${left.padEnd(width)}${help}`),
  ].join('\n');
}
