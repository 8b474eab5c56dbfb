/**
 * The demo's data experiments (Sprunger §3, Powerball) at a reduced size on real worker threads, with the backend
 * the demo takes (auto): they run on the wasm-simd data kernel and give the JS data kernel's numbers. The dense
 * layer: every per-epoch and final figure of every cell within 1e−9 relative (tanh through the SIMD math, within
 * an ulp of Math's). Powerball: γ = 0 and γ = 1 bit for bit (sign, and pow(|g|, 1) = |g|), other γ through the
 * SIMD pow (within its ulps) within 1e−6 for η ≤ 0.1; at η = 1 some lanes are chaotic — an ulp grows to O(1) in
 * 120 steps, as it does between any two implementations (the data-fit peers' README: μ = 0.9, η = 0.1) — and
 * are not compared. wasmData.test.ts holds the kernels to the last bit on rational models.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runDense, type DenseResult } from '../../src/cli/demoDense';
import { runPowerball, type PowerballResult } from '../../src/cli/demoPowerball';
import { WorkerPool } from '../../src/engine/run/pool/workerPool';

let pool: WorkerPool;
const results: { js?: [DenseResult, PowerballResult]; auto?: [DenseResult, PowerballResult] } = {};

before(async () => {
  pool = new WorkerPool({ workerScript: join(__dirname, '../../dist/worker.js'), size: 2 });
  for (const backend of ['js', 'auto'] as const)
    results[backend] = [
      await runDense(pool, backend, { starts: 4, epochs: 3 }),
      await runPowerball(pool, backend, { starts: 2, epochs: 3 }),
    ];
});
after(() => pool.dispose());

/** The first place where two results' numbers differ beyond `tolerance` (relative), timings and backends aside. */
function firstDifference(a: unknown, b: unknown, tolerance: number, path = ''): string | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Object.is(a, b) || Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b))) return undefined;
    return `${path}: ${a} vs ${b}`;
  }
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null)
    return a === b ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (key === 'timing' || key === 'backend' || key === 'seconds') continue;
    const d = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      tolerance,
      `${path}.${key}`,
    );
    if (d !== undefined) return d;
  }
  return undefined;
}

test('the demo with backend auto runs its data sweeps on the wasm-simd data kernel', () => {
  const [dense, powerball] = results.auto!;
  const cells = [...dense.families.flatMap((f) => f.sweep.cells), ...powerball.sweep.cells];
  assert.ok(cells.length > 0);
  for (const cell of cells) assert.equal(cell.backend, 'wasm-simd');
  for (const cell of results.js![0].families.flatMap((f) => f.sweep.cells)) assert.equal(cell.backend, 'js');
});

test("Sprunger §3 and Powerball: the wasm-simd kernel's numbers are the JS kernel's", () => {
  const [denseJs, powerballJs] = results.js!;
  const [denseWasm, powerballWasm] = results.auto!;
  denseJs.families.forEach((f, i) =>
    assert.equal(firstDifference(f.sweep, denseWasm.families[i].sweep, 1e-9), undefined, f.family.title),
  );
  powerballJs.sweep.cells.forEach((cell, i) => {
    const { eta, H } = cell.params as { eta: number; H: number };
    const tolerance = H === 0 || H === 1 ? 0 : eta <= 0.1 ? 1e-6 : undefined;
    if (tolerance === undefined) return;
    const d = firstDifference(cell, powerballWasm.sweep.cells[i], tolerance);
    assert.equal(d, undefined, `Powerball ${cell.label} η = ${eta}, γ = ${H}`);
  });
});
