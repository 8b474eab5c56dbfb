// Writes test/fixtures/recordedRun.json: one real engine run (Beale, GD and h-Adam, 8 random starts) turned
// into the protocol's messages by the presentation layer the host uses (src/present), so the
// webview tests draw exactly what the host would send, landscape grid and gradient arrows included.
// Trajectories are typed arrays, written as typedJson.ts does (the tests read them back with fromJsonValue).
// Reproduce with: node --import tsx test/webview/makeFixture.ts
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtinFunctions, findBuiltin } from '../../src/engine/library';
import { run } from '../../src/engine/run/runner';
import { functionInfo, optimizerMetas } from '../../src/present/labInit';
import { landscapeMessage } from '../../src/present/landscape';
import { resultConfig } from '../../src/present/runConfig';
import { runResultMessage } from '../../src/present/runMessages';
import { fromJsonValue, toJsonValue } from '../../src/shared/typedJson';
import type { LabSettings } from '../../src/shared/runShapes';
import { parseHostMessage, type HostToWebview } from '../../src/shared/webviewProtocol';

const FN = 'beale';

function main(): void {
  const fn = findBuiltin(FN);
  if (!fn || !fn.domain) throw new Error(`built-in ${FN} with a domain is missing`);
  const settings: LabSettings = {
    fn: FN,
    steps: 1000,
    target: 1e-6,
    optimizers: [
      { id: 'gd', params: { eta: 1e-3 } },
      { id: 'h-adam', params: { eta: 0.1, H: 0.5 } },
    ],
    starts: { kind: 'random', n: 8, seed: 7 },
  };
  const result = run({
    fn,
    optimizers: settings.optimizers,
    steps: settings.steps,
    targets: [settings.target],
    traces: 8,
    // Fewer recorded steps than a Lab run would have (tracePlan): a smaller file, and decimated traces drawn.
    maxPoints: 400,
    starts: { kind: 'random', n: 8, seed: 7, domain: fn.domain },
    backend: 'js',
  });
  const landscape = landscapeMessage(
    fn,
    FN,
    { xMin: fn.domain[0][0], xMax: fn.domain[0][1], yMin: fn.domain[1][0], yMax: fn.domain[1][1] },
    121,
  );
  if (!landscape) throw new Error('no landscape for a two-variable function');
  const messages: Record<string, HostToWebview> = {
    init: {
      type: 'init',
      settings,
      optimizers: optimizerMetas(),
      functions: builtinFunctions()
        .filter((f) => f.variables.length === 2)
        .map((f) => functionInfo(f, 'builtin')),
      liveLimit: 2e7,
    },
    // Six significant digits are plenty for colours and contours, and keep the fixture small.
    landscape: { ...landscape, values: landscape.values.map((v) => (v === null ? null : Number(v.toPrecision(6)))) },
    runResult: runResultMessage(1, result, { config: resultConfig(result) }),
  };
  // The fixture must pass the validators after the round trip through its file.
  const json = JSON.stringify(toJsonValue(messages));
  for (const m of Object.values(fromJsonValue(JSON.parse(json)) as Record<string, unknown>)) parseHostMessage(m);
  const out = resolve(import.meta.dirname, '../fixtures/recordedRun.json');
  writeFileSync(out, `${json}\n`);
  console.log(
    `wrote ${out}: ${result.runs.map((r) => `${r.optimizer} ${r.converged}/${r.n} converged, ${r.diverged} diverged`).join('; ')}`,
  );
}

main();
