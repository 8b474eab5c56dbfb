/**
 * `descent-lab report`: one self-contained HTML file of a run or a sweep — the webview's own chart code
 * (dist/report.js) and CSS inlined, the data embedded as JSON, a content security policy that allows nothing
 * but those inlined blocks (so the page cannot reach the network), and the command line that writes it again.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { version } from '../../package.json';
import type { CostFunction } from '../engine/expr/costParser';
import type { DataRunResult } from '../engine/run/dataRunner';
import { DEFAULT_INTERVAL, type Domain, type StartSpec } from '../engine/run/starts';
import type { RunResult } from '../engine/run/runner';
import type { SweepResult, SweepSpec } from '../engine/run/sweep';
import { formatNumber as num } from '../present/format';
import { boundsOf, landscapeMessage } from '../present/landscape';
import { paramSymbol } from '../present/params';
import type { ReportData, ReportMeta } from '../present/reportData';
import { runResultMessage } from '../present/runMessages';
import { sweepData } from '../present/sweepMessage';
import { BAIESI_FIG3, type PaperTable } from '../engine/library/papers';
import type { Precision } from '../engine/kernel/types';
import { defineCommand } from './command';
import type { DemoResult } from './demo';
import { checkWritable, writeTextFile } from './files';
import { domainFor } from './options';
import { onPool } from './poolJob';
import { runOptions, runRequest, type CliRun } from './runCommand';
import { SWEEP_OPTIONS, sweepRequest } from './sweepCommand';
import { shownPath, UsageError } from './usageError';

/** A paper table's title with the precision it was run in, for the demo's text and report. */
export const sprungerTitle = (t: PaperTable, precision: Precision) =>
  precision === 'f32' ? `${t.title} — in binary32 (--precision f32)` : t.title;

/** Trajectories drawn per optimizer on the report's landscape, unless --traces says otherwise. */
const REPORT_TRACES = 24;
/** Recorded steps per curve in a report. */
const REPORT_POINTS = 400;

/** A file shipped beside the CLI: dist/ and media/ next to dist/cli.js, or the repository's when run from source. */
function asset(rel: string): string {
  for (const base of [resolve(__dirname, '..'), resolve(__dirname, '../..')]) {
    const p = join(base, rel);
    if (existsSync(p)) return readFileSync(p, 'utf8');
  }
  throw new Error(`${rel} not found next to the CLI; build it with node esbuild.mjs`);
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');
const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The page: strict CSP with the hashes of the one script and the one style block; data as inert JSON. */
export function reportHtml(data: ReportData): string {
  const css = `${asset('media/lab.css')}\n${asset('media/report.css')}`;
  const js = asset('dist/report.js');
  // `<` escaped so the JSON cannot close its script element.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const csp = `default-src 'none'; script-src 'sha256-${sha256(js)}'; style-src 'sha256-${sha256(css)}'; img-src data:; font-src data:`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="Descent Lab ${escapeHtml(version)}">
<title>${escapeHtml(data.meta.title)}</title>
<style>${css}</style>
</head>
<body class="vscode-light report">
<div id="root"></div>
<script type="application/json" id="data">${json}</script>
<script>${js}</script>
</body>
</html>
`;
}

/** Checks before the work that the report can be written at `path` (its directories are created). */
export function checkReportPath(path: string): void {
  if (!/\.html?$/i.test(path)) throw new UsageError(`--out ${shownPath(path)}: a report is an .html file`);
  checkWritable(path, '--out', true);
}

/** Writes the report; returns its absolute path. */
export function writeReport(path: string, data: ReportData): string {
  writeTextFile(path, reportHtml(data), '--out');
  return resolve(path);
}

/** A shell-safe rendering of the command line. */
export function commandLine(argv: readonly string[]): string {
  return ['descent-lab', ...argv]
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

function startsText(s: StartSpec): string {
  const box = (d: Domain) => d.map(([a, b]) => `[${num(a)}, ${num(b)}]`).join(' × ');
  if (s.kind === 'random') return `${s.n} uniform random starts, seed ${s.seed}, in ${box(s.domain)}`;
  return s.kind === 'grid'
    ? `a ${s.perAxis}-per-axis grid of starts in ${box(s.domain)}`
    : `${s.points.length} listed starts`;
}

function meta(
  title: string,
  subtitle: string,
  argv: readonly string[],
  backend: string,
  settings: [string, string][],
  notes: string[] = [],
): ReportMeta {
  return {
    title,
    subtitle,
    command: commandLine(argv),
    version,
    backend,
    generated: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    settings,
    notes,
  };
}

export function runReport(fn: CostFunction, result: RunResult, argv: readonly string[], domain: Domain): ReportData {
  const landscape = landscapeMessage(fn, fn.name, domain.length === 2 ? boundsOf(domain) : undefined);
  const runMsg = runResultMessage(1, result);
  const backend = result.runs[0]?.backend ?? 'js';
  return {
    kind: 'run',
    meta: meta(
      `${fn.name}: ${result.runs.map((r) => r.label).join(', ')}`,
      `${result.starts.length} starts, ${result.steps} steps each; a start converges when f − f* ≤ ${num(Math.min(...result.targets))} (f* = ${num(result.fn.fStar)}).`,
      argv,
      backend,
      [
        [
          'Function',
          `${fn.name}(${fn.variables.join(', ')}) = ${fn.source.replace(/^[^=]*=\s*/, '').replace(/\s+/g, ' ')}`,
        ],
        [
          'Optimizers',
          result.runs
            .map(
              (r) =>
                `${r.optimizer}:${Object.entries(r.params)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(':')}`,
            )
            .join(', '),
        ],
        ['Starts', startsText(result.startSpec)],
        ['Steps', String(result.steps)],
        ['Targets', result.targets.map((v) => num(v)).join(', ')],
      ],
    ),
    landscape: landscape ?? null,
    result: runMsg,
  };
}

/**
 * The report of a data run: the training loss F in place of f (its curves and, for two parameters, the
 * trajectories over the function's landscape); a run without targets shows target 0 and no steps to it.
 */
export function dataRunReport(
  planned: Extract<CliRun, { kind: 'data' }>,
  result: DataRunResult,
  argv: readonly string[],
): ReportData {
  const { problem, fn } = planned;
  const domain = problem.domain ?? problem.variables.map(() => DEFAULT_INTERVAL);
  const landscape = fn && domain.length === 2 ? landscapeMessage(fn, fn.name, boundsOf(domain)) : undefined;
  const targets = result.targets.length ? result.targets : [0];
  const model = problem.kind === 'model';
  const { trainRows, testRows, batch, epochSteps, noise } = result.problem;
  return {
    kind: 'run',
    meta: meta(
      `${problem.name}: ${result.runs.map((r) => r.label).join(', ')}`,
      model
        ? `${result.starts.length} starts (initial parameters drawn from seed ${result.seed}), ${result.steps} steps each; the curves are the training loss F − f* (f* = ${num(problem.fStar)}).`
        : `${result.starts.length} starts, ${result.steps} steps each, with gradient noise σ = ${num(noise)} (seed ${result.seed}).`,
      argv,
      result.runs[0]?.backend ?? 'js',
      [
        [
          model ? 'Model' : 'Function',
          `${problem.name}(${model ? `${problem.variables.length} parameters` : problem.variables.join(', ')}) = ${problem.source.replace(/\s+/g, ' ')}`,
        ],
        ...(model
          ? ([
              [
                'Data',
                `${trainRows} training rows, ${testRows} test rows; batch ${batch}, ${epochSteps} steps per epoch`,
              ],
              ['Metrics', problem.metrics.join(', ') || 'none'],
            ] as [string, string][])
          : []),
        [
          'Optimizers',
          result.runs
            .map(
              (r) =>
                `${r.optimizer}:${Object.entries(r.params)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(':')}`,
            )
            .join(', '),
        ],
        ['Steps', String(result.steps)],
        ['Targets', result.targets.length ? result.targets.map((v) => num(v)).join(', ') : 'none'],
      ],
    ),
    landscape: landscape ?? null,
    result: runResultMessage(1, { ...result, targets }),
  };
}

export function sweepReport(
  spec: SweepSpec & { fn: { source: string } },
  result: SweepResult,
  argv: readonly string[],
): ReportData {
  const ids = spec.optimizers.map((o) => o.id);
  const axes = result.grid
    .map((a) => `${paramSymbol(a.name, ids)} ∈ {${a.values.map((v) => num(v)).join(', ')}}`)
    .join('; ');
  return {
    kind: 'sweep',
    meta: meta(
      `Sweep on ${result.fn.name}: ${[...new Set(result.cells.map((c) => c.label))].join(', ')}`,
      `Success fraction f_D of ${result.starts.length} starts within ${result.budgets.join(', ')} steps over ${axes}; converged when f − f* ≤ ${num(result.target)}.`,
      argv,
      result.backend,
      [
        [
          'Function',
          `${result.fn.name}(${result.fn.variables.join(', ')}) = ${spec.fn.source.replace(/^[^=]*=\s*/, '').replace(/\s+/g, ' ')}`,
        ],
        [
          'Optimizers',
          spec.optimizers
            .map((o) => [o.id, ...Object.entries(o.params ?? {}).map(([k, v]) => `${k}=${v}`)].join(':'))
            .join(', '),
        ],
        ['Grid', axes],
        ['Starts', startsText(result.startSpec)],
        ['Budgets', result.budgets.join(', ')],
        ['Target', num(result.target)],
      ],
    ),
    sweep: sweepData(result),
  };
}

/** The demo as a report: Baiesi Fig. 3 per function, Sprunger Tables 1–2 beside the paper (CONVENTIONS.md). */
export function demoReport(d: DemoResult, argv: readonly string[]): ReportData {
  const backend = [...new Set(d.fig3.map((r) => r.backend))].join(', ');
  return {
    kind: 'demo',
    meta: meta(
      'Descent Lab: the papers’ experiments, reproduced',
      'Baiesi 2019 (power-gradient descent), Fig. 3 protocol, and Sprunger 2020 (normalized adaptive SGD), Tables 1–2, run by this engine.',
      argv,
      backend,
      [
        ['Fig. 3 functions', `${BAIESI_FIG3.functions.join(', ')} on [−4, 4]², [−2, 2]², [−4.5, 4.5]²`],
        [
          'Fig. 3 optimizers',
          BAIESI_FIG3.optimizers
            .map((o) => [o.id, ...Object.entries(o.params).map(([k, v]) => `${k}=${v}`)].join(':'))
            .join(', '),
        ],
        [
          'Fig. 3 grid',
          `η ∈ {${BAIESI_FIG3.etas.map((v) => num(v)).join(', ')}}, budgets ${BAIESI_FIG3.budgets.join(', ')} steps, target V < ${num(BAIESI_FIG3.target)}`,
        ],
        ['Starts', `${BAIESI_FIG3.starts} uniform random starts per function, seed 1`],
        [
          'Fig. 3 wall time',
          `${d.fig3Seconds.toFixed(2)} s for ${num(d.fig3LaneSteps)} trajectory-steps (all three sweeps at once on a worker pool)`,
        ],
        ['Sprunger', 'one start per table, 200 000 steps at most, steps counted as k + 1 (iterates inclusively)'],
      ],
      [
        'Sprunger Table 1 is reproduced exactly in binary64, except the last thresholds of NaSGD α = 0.7: that run is chaotic, its late steps depend on the floating-point evaluation order.',
        'Sprunger Table 2 (Rosenbrock from (−3, −4)): the long SGD runs drift slightly in binary64 (e.g. 13630 against 13633) because the paper ran in binary32; run in binary32 (--precision f32) every SGD row is exact. NaSGD rows past the second threshold depend on evaluation order.',
      ],
    ),
    sweeps: d.fig3.map(sweepData),
    fig3Seconds: d.fig3Seconds,
    fig3LaneSteps: d.fig3LaneSteps,
    papers: d.sprunger.map(({ table, precision, rows }) => ({
      title: sprungerTitle(table, precision),
      thresholds: table.thresholds,
      rows,
    })),
  };
}

export const reportCommand = defineCommand({
  name: 'report',
  synopsis: '--fn F [--opt O,…] [--out FILE] [run options] | --sweep [sweep options]',
  summary: 'a self-contained HTML report of a run, or with --sweep of a sweep',
  options: {
    ...runOptions(REPORT_TRACES),
    ...SWEEP_OPTIONS,
    opt: {
      ...SWEEP_OPTIONS.opt,
      help: 'id[:param=value]…, comma-separated (default gd,adam; with --sweep nag,h-nag,adam,h-adam)',
    },
    sweep: { type: 'boolean', help: 'report a sweep (sweep options) instead of a run' },
    out: { type: 'string', arg: 'FILE', help: 'the HTML file (default report.html)' },
  },
  async run(values, io) {
    const path = values.out ?? 'report.html';
    let data: ReportData;
    if (values.sweep) {
      if (values.traces !== undefined || values.steps !== undefined || values.targets !== undefined)
        throw new UsageError('--traces, --steps and --targets describe a run: a sweep has --budgets and --target');
      const planned = sweepRequest(values);
      if (planned.kind === 'data')
        throw new UsageError(
          `a report of a sweep of ${planned.problem.name} is not available: report a run of it, or use sweep --json or --csv`,
        );
      const { request, fn, workers } = planned;
      checkReportPath(path);
      const result = await onPool(workers, io, 'sweep', (pool, job) => pool.sweep(request, job));
      data = sweepReport({ ...request, fn }, result, io.argv);
    } else {
      if (
        values.eta !== undefined ||
        values.H !== undefined ||
        values.param !== undefined ||
        values.budgets !== undefined ||
        values.target !== undefined
      ) {
        throw new UsageError('--eta, --H, --param, --budgets and --target describe a sweep: add --sweep');
      }
      const planned = runRequest(values, REPORT_TRACES);
      checkReportPath(path);
      if (planned.kind === 'data') {
        const { request, workers } = planned;
        const result = await onPool(workers, io, 'run', (pool, job) =>
          pool.runData({ ...request, maxPoints: REPORT_POINTS }, job),
        );
        data = dataRunReport(planned, result, io.argv);
      } else {
        const { request, fn, workers } = planned;
        const result = await onPool(workers, io, 'run', (pool, job) =>
          pool.run({ ...request, maxPoints: REPORT_POINTS }, job),
        );
        data = runReport(fn, result, io.argv, domainFor(values, fn.domain, fn.variables.length));
      }
    }
    await io.out(`wrote ${writeReport(path, data)}`);
  },
});
