/**
 * `descent-lab bench --peers DIR`: the performance peers (a folder like `../shared/perf-peers`, README there) — a
 * hand-written f64x2 WebAssembly kernel of Beale and a JS closure of the same h-Adam step — run as child processes
 * between the bench's own cases, on the same workload (h-Adam with H = ½, the peers' constants, every lane all
 * T steps), and the ratios of our medians to theirs. The project never depends on that folder: it is found at
 * run time by path, and a missing or uninstalled one is a clear message.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { median } from '../engine/run/statistics';
import { formatNumber as num } from '../present/format';
import { UsageError, shownPath } from './usageError';

/** One peer workload: the script, its name for the function and ours. */
export interface PeerCase {
  readonly impl: 'wasm_beale.js' | 'js_closure.js';
  readonly fn: string;
  readonly steps: number;
}

const PEER_FN: Readonly<Record<string, string>> = { beale: 'beale', baiesi_v4: 'v4', rosenbrock: 'rosenbrock' };
/** Repetitions inside one peer process; it prints their median (the first includes V8's tier-up). */
export const PEER_REPS = 3;

/** A ratio the issue asks for (issue 13): our backend over a peer, at least `min`. */
export interface RatioTarget {
  readonly backend: string;
  readonly impl: PeerCase['impl'];
  readonly fn: string;
  readonly min: number;
}

export const RATIO_TARGETS: readonly RatioTarget[] = [
  { backend: 'wasm-simd', impl: 'wasm_beale.js', fn: 'beale', min: 1.0 },
  { backend: 'wasm-simd', impl: 'js_closure.js', fn: 'beale', min: 3.5 },
  { backend: 'wasm-simd', impl: 'js_closure.js', fn: 'baiesi_v4', min: 2.7 },
  { backend: 'js', impl: 'js_closure.js', fn: 'beale', min: 1 / 1.3 },
  { backend: 'js', impl: 'js_closure.js', fn: 'baiesi_v4', min: 1 / 1.3 },
];

/** The peers' folder, checked: both scripts there and wabt installed beside them (their `npm install`). */
export function peersDir(dir: string): string {
  const at = resolve(dir);
  const missing = ['wasm_beale.js', 'js_closure.js', 'common.js'].filter((f) => !existsSync(join(at, f)));
  if (missing.length)
    throw new UsageError(
      `--peers ${shownPath(dir)}: no ${missing.join(', ')} there (the perf-peers folder: wasm_beale.js, js_closure.js)`,
    );
  try {
    createRequire(join(at, 'package.json')).resolve('wabt');
  } catch {
    throw new UsageError(
      `--peers ${shownPath(dir)}: wabt is not installed there; run 'npm install --no-audit --no-fund' in that ` +
        'folder (or in a copy of it) first',
    );
  }
  return at;
}

/** Our function name in the peers' spelling, or undefined where no peer has it. */
export function peerFn(fn: string): string | undefined {
  return PEER_FN[fn];
}

/** A peer's own report line, `impl fn N T steps_per_s checksum converged`: its steps per second. */
export function parsePeerLine(text: string): number {
  const line = text.trim().split('\n').at(-1) ?? '';
  const rate = Number(line.split(/\s+/)[4]);
  if (!(rate > 0)) throw new Error(`a peer printed '${line}', not 'impl fn N T steps_per_s checksum converged'`);
  return rate;
}

/** One run of a peer (a process of its own), N lanes: its median steps per second over PEER_REPS repetitions. */
export function runPeer(dir: string, peer: PeerCase, n: number, signal?: AbortSignal): Promise<number> {
  const args = [join(dir, peer.impl), PEER_FN[peer.fn], String(n), String(peer.steps), String(PEER_REPS)];
  return new Promise((done, fail) => {
    execFile(process.execPath, args, { cwd: dir, signal }, (error, stdout, stderr) => {
      if (error) fail(new Error(`${peer.impl} ${args.slice(1).join(' ')} failed: ${stderr.trim() || error.message}`));
      else {
        try {
          done(parsePeerLine(stdout));
        } catch (e) {
          fail(e);
        }
      }
    });
  });
}

/** Rates of one case, one per round (own cases and peers alternate round by round). */
export interface Measured {
  readonly label: string;
  readonly fn: string;
  readonly steps: number;
  readonly rates: readonly number[];
}

export interface Ratio {
  readonly ours: string;
  readonly peer: string;
  readonly fn: string;
  readonly steps: number;
  /** median(ours) / median(peer). */
  readonly ratio: number;
  /** max(ours) / max(peer): the rounds least disturbed by other work on the machine. */
  readonly best: number;
  /** The lowest and highest ratio of one round's own rate to the same round's peer rate. */
  readonly range: readonly [number, number];
  readonly min: number | null;
}

/** Each own case over each peer case of the same function and T, with the target where it sets one. */
export function peerRatios(
  ours: readonly (Measured & { readonly backend: string })[],
  peers: readonly (Measured & { readonly impl: PeerCase['impl'] })[],
): Ratio[] {
  return ours.flatMap((o) =>
    peers
      .filter((p) => p.fn === o.fn && p.steps === o.steps)
      .map((p) => {
        const perRound = o.rates.map((r, i) => r / p.rates[i]).filter(Number.isFinite);
        const target = RATIO_TARGETS.find((t) => t.backend === o.backend && t.impl === p.impl && t.fn === o.fn);
        return {
          ours: o.label,
          peer: p.label,
          fn: o.fn,
          steps: o.steps,
          ratio: median(o.rates)! / median(p.rates)!,
          best: Math.max(...o.rates) / Math.max(...p.rates),
          range: [Math.min(...perRound), Math.max(...perRound)] as const,
          min: target?.min ?? null,
        };
      }),
  );
}

/**
 * `beale T=2000: wasm-simd / wasm_beale.js = 1.08× (rounds 1.02–1.15×, best rounds 1.10×), target ≥ 1.00×: met`,
 * one per ratio; the target is judged on the ratio of medians.
 */
export function ratioLines(ratios: readonly Ratio[]): string[] {
  const x = (v: number) => `${v.toFixed(2)}×`;
  return ratios.map((r) => {
    const target = r.min === null ? '' : `, target ≥ ${x(r.min)}: ${r.ratio >= r.min ? 'met' : 'NOT met'}`;
    return `${r.fn} T=${r.steps}: ${r.ours} / ${r.peer} = ${x(r.ratio)} (rounds ${r.range[0].toFixed(2)}–${x(r.range[1])}, best rounds ${x(r.best)})${target}`;
  });
}

/** `label T: median (min–max) steps/s`, for the log while the bench runs. */
export function rateLine(m: Measured): string {
  const sorted = [...m.rates].sort((a, b) => a - b);
  return `${m.fn} T=${m.steps} ${m.label}: ${num(median(sorted))} (${num(sorted[0])}–${num(sorted.at(-1))}) steps/s`;
}
