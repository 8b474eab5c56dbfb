// What a reopened or reloaded webview is shown: the latest run and the latest sweep, the newer one last; only
// finished results are saved; a saved file is validated and never overrides what this session already did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeRequest } from '../../src/engine/run/request';
import { sweep } from '../../src/engine/run/sweep';
import { parseExpression } from '../../src/engine/expr/costParser';
import { resultConfig } from '../../src/present/runConfig';
import { runResultMessage } from '../../src/present/runMessages';
import { sweepData } from '../../src/present/sweepMessage';
import { fromJsonValue, toJsonValue } from '../../src/shared/typedJson';
import type { HostMessage, HostToWebview } from '../../src/shared/webviewProtocol';
import { FeedMemory } from '../../src/vscode/feedMemory';
import { asPosted } from './helpers';

const fn = parseExpression('q(x, y) = x^2 + 4*y^2');
const starts = {
  kind: 'random' as const,
  n: 4,
  seed: 1,
  domain: [
    [-1, 1],
    [-1, 1],
  ] as const,
};
const runResult = (runId: number) =>
  runResultMessage(
    runId,
    executeRequest({
      fn: { kind: 'expression', text: fn.source },
      optimizers: [{ id: 'gd', params: { eta: 0.1 } }],
      starts,
      steps: 50,
      targets: [1e-4],
      traces: 2,
      backend: 'js',
    }),
  );
const sweepResult = (sweepId: number): HostToWebview => ({
  type: 'sweepResult',
  sweepId,
  config: resultConfig(
    executeRequest({
      fn: { kind: 'expression', text: fn.source },
      optimizers: [{ id: 'gd', params: {} }],
      starts,
      steps: 100,
      targets: [1e-4],
    }),
    'q',
  ),
  sweep: sweepData(
    sweep({
      fn,
      optimizers: [{ id: 'gd', params: {} }],
      grid: [{ name: 'eta', values: [0.01, 0.1] }],
      starts,
      budgets: [10, 100],
      target: 1e-4,
      backend: 'js',
    }),
  ),
});
const started = (runId: number): HostToWebview => ({
  type: 'runStarted',
  runId,
  config: (runResult(runId) as HostMessage<'runResult'>).config,
  n: 4,
  live: true,
});
const sweepStarted = (sweepId: number): HostToWebview => ({ type: 'sweepStarted', sweepId, fn: 'q', cells: 2, n: 4 });
const types = (msgs: readonly HostToWebview[]) =>
  msgs.map((m) => `${m.type}:${'runId' in m ? m.runId : 'sweepId' in m ? m.sweepId : ''}`);

test('replay: the latest run and the latest sweep, the newer one last; progress is replaced by the result', () => {
  const m = new FeedMemory();
  assert.equal(m.post(started(1)), false);
  assert.equal(m.post({ type: 'progress', runId: 1, step: 10, steps: 50, curves: [] }), false);
  assert.deepEqual(types(m.replay()), ['runStarted:1', 'progress:1']);
  assert.equal(m.post(runResult(1)), true);
  m.post(sweepStarted(2));
  m.post({ type: 'sweepProgress', sweepId: 2, fraction: 0.5 });
  assert.deepEqual(types(m.replay()), ['runStarted:1', 'runResult:1', 'sweepStarted:2', 'sweepProgress:2']);
  assert.equal(m.post(sweepResult(2)), true);
  m.post(started(3));
  assert.deepEqual(types(m.replay()), ['sweepStarted:2', 'sweepResult:2', 'runStarted:3']);
  // A sweep's error belongs to the sweep, a run's to the run; theme and landscape messages are not kept.
  m.post({ type: 'runError', runId: 2, message: 'Sweep cancelled.' });
  m.post({ type: 'runError', runId: 3, message: 'Run cancelled.' });
  m.post({ type: 'theme' });
  assert.deepEqual(types(m.replay()), ['sweepStarted:2', 'runError:2', 'runStarted:3', 'runError:3']);
});

test('saved: only finished results; restored in a new session after validation', () => {
  const m = new FeedMemory();
  m.post(started(1));
  m.post(runResult(1));
  m.post(sweepStarted(2));
  const saved = fromJsonValue(m.saved()) as { run: HostToWebview[]; sweep: HostToWebview[] };
  assert.deepEqual(types(saved.run), ['runStarted:1', 'runResult:1']);
  assert.deepEqual(saved.sweep, []);
  const file = JSON.parse(JSON.stringify(m.saved()));
  const next = new FeedMemory();
  next.restore(file);
  assert.deepEqual(types(next.replay()), ['runStarted:1', 'runResult:1']);
  // The trajectories come back as the typed arrays they were.
  assert.deepEqual(next.replay()[1], asPosted(m.replay()[1]));
  assert.ok((next.latestResult()?.optimizers[0].traces.theta.length ?? 0) > 0);
});

test('a bad saved file is refused with a reason; a newer run of this session wins over the file', () => {
  const m = new FeedMemory();
  assert.throws(() => m.restore(null), /saved feed: expected an object, got null/);
  assert.throws(() => m.restore({ run: [], sweep: [], last: 'later' }), /saved feed\.last: expected 'run' or 'sweep'/);
  assert.throws(
    () => m.restore({ run: [started(1), runResult(1), runResult(1)], sweep: [], last: 'run' }),
    /saved feed\.run: 3 items, more than the limit of 2/,
  );
  assert.throws(() => m.restore({ run: [{ ...started(1), n: -1 }], sweep: [], last: 'run' }), /runStarted\.n/);
  assert.throws(
    () => m.restore({ run: [sweepResult(1)], sweep: [], last: 'run' }),
    /run\[0\]: a sweepResult message does not belong here/,
  );
  assert.deepEqual(m.replay(), []);
  const saved = { run: [started(1), runResult(1)], sweep: [sweepStarted(2), sweepResult(2)], last: 'sweep' };
  const fresh = new FeedMemory();
  fresh.post(started(7));
  fresh.restore(JSON.parse(JSON.stringify(toJsonValue(saved))));
  assert.deepEqual(types(fresh.replay()), ['sweepStarted:2', 'sweepResult:2', 'runStarted:7']);
});
