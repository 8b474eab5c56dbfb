/**
 * `descent-lab`: the engine from a terminal. Exit 0 on success and when stdout is closed by its reader
 * (`… | head`), 2 on bad input (a message on stderr, never a stack trace), 130 on Ctrl-C, 1 on a bug.
 */
import { setEngineLog } from '../engine/kernel/compile';
import { benchCommand } from './bench';
import { Interrupted, OptionError, OutputClosed, usage, type Command, type Io } from './command';
import { dataCommand } from './dataCommand';
import { demoCommand } from './demo';
import { functionsCommand } from './functionsCommand';
import { optimizersCommand } from './optimizersCommand';
import { reportCommand } from './report';
import { runCommand } from './runCommand';
import { sweepCommand } from './sweepCommand';
import { traceCommand } from './traceCommand';
import { quote, shortenMessage, UsageError } from './usageError';

const COMMANDS: readonly Command[] = [
  functionsCommand,
  optimizersCommand,
  traceCommand,
  runCommand,
  sweepCommand,
  dataCommand,
  benchCommand,
  demoCommand,
  reportCommand,
];

const USAGE = `usage: descent-lab <command> [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(12)}${c.summary}`).join('\n')}

descent-lab <command> --help lists the command's options.`;

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(USAGE);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const of = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    await io.out(of ? usage(of) : USAGE);
    return 0;
  }
  setEngineLog((message) => io.err(`descent-lab: ${message}`));
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`descent-lab: unknown command ${quote(name)}\n\n${USAGE}`);
    return 2;
  }
  try {
    await command.run(rest, io);
    return 0;
  } catch (e) {
    const reason: unknown = io.signal.aborted ? io.signal.reason : undefined;
    if (e instanceof OutputClosed || reason instanceof OutputClosed) return 0;
    // After Ctrl-C whatever ended the work (a cancelled job, most often) is the interruption.
    if (e instanceof Interrupted || reason instanceof Interrupted) {
      io.err('descent-lab: interrupted');
      return 130;
    }
    if (e instanceof UsageError) {
      // Messages that start with a position (file:line:col, <expr>:col) stand alone.
      const message = shortenMessage(/^\S+:\d+/.test(e.message) ? e.message : `descent-lab ${name}: ${e.message}`);
      io.err(e instanceof OptionError ? `${message}\n\n${usage(command)}` : message);
      return 2;
    }
    io.err(`descent-lab: internal error: ${(e as Error).stack ?? e}`);
    return 1;
  }
}

/** stdout, stderr, Ctrl-C and a closed stdout as an Io; the first Ctrl-C cancels the work, a second one kills. */
function processIo(argv: readonly string[]): Io {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Interrupted()));
  // Without a listener a write error is thrown as an uncaught 'error' event (EPIPE under `| head`).
  process.stdout.on('error', (e) => controller.abort(outputError(e)));
  process.stderr.on('error', () => {});
  return {
    out: (text) =>
      new Promise((resolve, reject) => {
        if (controller.signal.aborted) return reject(controller.signal.reason);
        process.stdout.write(`${text}\n`, (e) => (e ? reject(outputError(e)) : resolve()));
      }),
    err: (text) => process.stderr.write(`${text}\n`),
    signal: controller.signal,
    progress: process.stderr.isTTY === true,
    argv,
  };
}

/** EPIPE: the reader is gone, which ends the command quietly; anything else (a full disk) is said. */
function outputError(e: Error & { code?: string }): Error {
  return e.code === 'EPIPE' ? new OutputClosed() : new UsageError(`cannot write to standard output: ${e.message}`);
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  void main(argv, processIo(argv)).then((code) => {
    process.exitCode = code;
  });
}
