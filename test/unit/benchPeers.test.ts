/**
 * `bench --peers DIR`: the ratios and their report from plain numbers, the peers' output line, and the argument
 * handling through the built binary. The peers themselves need their own `npm install` (wabt), which a test
 * cannot count on, and their figures are timings: they are measured by `npm run bench`, never asserted here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parsePeerLine, peerRatios, peersDir, ratioLines } from '../../src/cli/benchPeers';
import { UsageError } from '../../src/cli/usageError';
import { cli, NO_STACK } from './cliHarness';

test('ratios: median over median, the range of same-round ratios, the issue’s targets', () => {
  const ratios = peerRatios(
    [
      { label: 'wasm-simd', backend: 'wasm-simd', fn: 'beale', steps: 2000, rates: [2e8, 4e8, 3e8] },
      { label: 'wasm-simd', backend: 'wasm-simd', fn: 'beale', steps: 20000, rates: [1e8, 1e8, 1e8] },
      { label: 'wasm-simd', backend: 'wasm-simd', fn: 'baiesi_v4', steps: 2000, rates: [2e7, 2e7, 2e7] },
      { label: 'js', backend: 'js', fn: 'beale', steps: 2000, rates: [8e7, 8e7, 8e7] },
    ],
    [
      { label: 'wasm_beale.js', impl: 'wasm_beale.js', fn: 'beale', steps: 2000, rates: [1e8, 2e8, 4e8] },
      { label: 'js_closure.js', impl: 'js_closure.js', fn: 'beale', steps: 2000, rates: [1e8, 1e8, 1e8] },
      { label: 'js_closure.js', impl: 'js_closure.js', fn: 'baiesi_v4', steps: 2000, rates: [1e7, 1e7, 1e7] },
    ],
  );
  // 3e8 / 2e8; rounds 2e8/1e8, 4e8/2e8, 3e8/4e8
  assert.deepEqual(ratios[0], {
    ours: 'wasm-simd',
    peer: 'wasm_beale.js',
    fn: 'beale',
    steps: 2000,
    ratio: 1.5,
    best: 1,
    range: [0.75, 2],
    min: 1,
  });
  // no peer ran at T = 20000: no ratio for that case
  assert.deepEqual(
    ratios.map((r) => [r.ours, r.peer, r.fn, r.steps, r.ratio]),
    [
      ['wasm-simd', 'wasm_beale.js', 'beale', 2000, 1.5],
      ['wasm-simd', 'js_closure.js', 'beale', 2000, 3],
      ['wasm-simd', 'js_closure.js', 'baiesi_v4', 2000, 2],
      ['js', 'wasm_beale.js', 'beale', 2000, 8e7 / 2e8],
      ['js', 'js_closure.js', 'beale', 2000, 0.8],
    ],
  );
  assert.deepEqual(ratioLines(ratios), [
    'beale T=2000: wasm-simd / wasm_beale.js = 1.50× (rounds 0.75–2.00×, best rounds 1.00×), target ≥ 1.00×: met',
    'beale T=2000: wasm-simd / js_closure.js = 3.00× (rounds 2.00–4.00×, best rounds 4.00×), target ≥ 3.50×: NOT met',
    'baiesi_v4 T=2000: wasm-simd / js_closure.js = 2.00× (rounds 2.00–2.00×, best rounds 2.00×), target ≥ 2.70×: NOT met',
    'beale T=2000: js / wasm_beale.js = 0.40× (rounds 0.20–0.80×, best rounds 0.20×)',
    'beale T=2000: js / js_closure.js = 0.80× (rounds 0.80–0.80×, best rounds 0.80×), target ≥ 0.77×: met',
  ]);
});

test('a peer’s report line gives its steps per second; anything else is an error', () => {
  assert.equal(parsePeerLine('wasm_simd beale 4096 2000 1.5434e+8 -12425.7911603 2322\n'), 1.5434e8);
  assert.equal(parsePeerLine('(node warning)\njs_closure v4 4096 2000 9.5750e+6 1.0 3\n'), 9.575e6);
  assert.throws(() => parsePeerLine('Error: wabt\n'), /not 'impl fn N T steps_per_s/);
});

test('--peers: a folder without the peers, or without their npm install, is a clear message', () => {
  const empty = mkdtempSync(join(tmpdir(), 'descent-lab-peers-'));
  assert.throws(
    () => peersDir(join(empty, 'absent')),
    (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /no wasm_beale\.js, js_closure\.js, common\.js there/);
      return true;
    },
  );
  for (const file of ['wasm_beale.js', 'js_closure.js', 'common.js']) writeFileSync(join(empty, file), '');
  assert.throws(() => peersDir(empty), /wabt is not installed there; run 'npm install --no-audit --no-fund'/);

  const refused = (args: string[], message: RegExp) => {
    const r = cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}, ${r.err}`);
    assert.match(r.err, message);
    assert.doesNotMatch(r.err, NO_STACK);
    assert.equal(r.out, '');
  };
  refused(['bench', '--peers', join(empty, 'absent')], /--peers .*absent: no wasm_beale\.js/);
  refused(['bench', '--peers', empty], /wabt is not installed there/);
  refused(['bench', '--peers', empty, '--rounds', '0'], /--rounds/);
  refused(['bench', '--fn', 'beale', '--peers', empty], /--peers is for the function bench, not --fn/);
  refused(['bench', '--steps', '5'], /--steps describes the workload of --fn/);
});
