/** `descent-lab`: the engine from a terminal. Exit 0 on success, 2 on bad input (message on stderr), 1 on a bug. */
import { setEngineLog } from '../engine/kernel/compile';
import { bench, benchTable } from './bench';
import { functionsCommand, optimizersCommand, runCommand, traceCommand } from './commands';
import { sweepCommand } from './sweepCommand';
import { demoText, runDemo } from './demo';
import { demoReport, reportCommand, writeReport } from './report';
import { backend, parse, type Values } from './options';
import { UsageError } from './usageError';

const COMMANDS = {
  functions: functionsCommand,
  optimizers: optimizersCommand,
  trace: traceCommand,
  run: runCommand,
  sweep: sweepCommand,
  bench: benchCommand,
  demo: demoCommand,
  report: reportCommand,
} as const;

/** The papers' experiments in the terminal, and as demo-report/index.html (or --out). */
async function demoCommand(values: Values, out: (s: string) => void, argv: readonly string[]): Promise<void> {
  const demo = await runDemo(backend(values.backend));
  out(demoText(demo));
  out(`\nReport: ${writeReport(values.out ?? 'demo-report/index.html', demoReport(demo, ['demo', ...argv]))}`);
}

async function benchCommand(values: Values, out: (s: string) => void): Promise<void> {
  const cases = await bench({ log: values.json ? undefined : (s) => process.stderr.write(`${s}\n`) });
  out(values.json ? JSON.stringify({ cases }) : benchTable(cases));
}

const USAGE = `usage: descent-lab <command> [options]

commands:
  functions                 list the built-in cost functions (--fn NAME also prints its gradient)
  optimizers                list optimizers and their hyperparameters
  trace --fn F --opt O      iterates of one optimizer from one start (--from x,y)
  run --fn F --opt O,...    many starts, per-optimizer convergence statistics
  sweep --fn F --eta G ...  success fraction within step budgets over a grid of η, H or any hyperparameter
  bench [--json]            trajectory-steps/s of h-Adam on Beale, V4, Rosenbrock per backend
  demo                      the papers' experiments: Baiesi Fig. 3, Sprunger Tables 1–2 (+ demo-report/index.html)
  report --fn F --opt ...   a self-contained HTML report of a run (run options), or with --sweep of a sweep

options:
  --fn F            built-in name, path/file.cost#name, or an expression such as "(1-x)^2+100*(y-x^2)^2"
  --opt LIST        id[:param=value]..., comma-separated, e.g. gd:eta=0.1156,h-adam:eta=0.01:H=0.5
  --from x,y        start point (trace)
  --starts N        N uniform random starts in the domain (run; default 100)
  --starts-file F   a JSON array of start points
  --domain D        e.g. "[-4.5,4.5]x[-4.5,4.5]" (default: the function's @domain, else [-5,5] per variable)
  --seed S          seed of the random starts (default 1)
  --steps T         step budget (trace 100, run 1000)
  --targets LIST    f - f* thresholds, e.g. 1e-2,1e-4 (default 1e-4)
  --traces K        run --json: include trajectories of the first K lanes
  --backend B       auto | js | wasm-simd
  --eta G, --H G    sweep grids: lo:hi:n (η log-spaced, H linear) or a list a,b,c
  --param name=G    a grid over any hyperparameter (repeatable)
  --budgets LIST    sweep step budgets (default 100,1000,10000); --target τ (default 1e-4)
  --csv FILE        sweep: also write the cells as CSV
  --sweep           report: report a sweep (sweep options) instead of a run
  --out FILE        report: the HTML file (default report.html); demo: default demo-report/index.html
  --json            machine-readable output
`;

export async function main(
  argv: string[],
  out = (s: string) => process.stdout.write(s + '\n'),
  err = (s: string) => process.stderr.write(s + '\n'),
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return command === undefined ? 2 : 0;
  }
  setEngineLog((message) => err(`descent-lab: ${message}`));
  const handler = COMMANDS[command as keyof typeof COMMANDS];
  try {
    if (!handler) throw new UsageError(`unknown command '${command}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
    const { values } = parse(rest);
    if (values.help) {
      out(USAGE);
      return 0;
    }
    await handler(values, out, rest);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(e.message.includes(':') && /^\S+:\d+/.test(e.message) ? e.message : `descent-lab: ${e.message}`);
      return 2;
    }
    err(`descent-lab: internal error: ${(e as Error).stack ?? e}`);
    return 1;
  }
}

if (require.main === module)
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
