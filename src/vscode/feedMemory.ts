/**
 * What the webviews are shown again when they open: the latest run's messages and the latest sweep's, in the order
 * they happened, and the finished part of them that survives a window reload (as JSON, trajectories included:
 * typedJson.ts). No vscode import (unit-tested).
 */
import { arr, invalid, literal, obj, type Check } from '../shared/check';
import { fromJsonValue, toJsonValue } from '../shared/typedJson';
import { parseHostMessage, type HostMessage, type HostToWebview } from '../shared/webviewProtocol';

export interface Kept {
  readonly run: readonly HostToWebview[];
  readonly sweep: readonly HostToWebview[];
  /** Which of the two came last: it is replayed last, so a reopened panel shows it on top. */
  readonly last: 'run' | 'sweep';
}

const RUN_TYPES: ReadonlySet<HostToWebview['type']> = new Set(['runStarted', 'progress', 'runResult', 'runError']);
const SWEEP_TYPES: ReadonlySet<HostToWebview['type']> = new Set([
  'sweepStarted',
  'sweepProgress',
  'sweepResult',
  'runError',
]);

export class FeedMemory {
  private kept: Kept = { run: [], sweep: [], last: 'run' };
  /** A sweep's errors come as runError with the sweep's id: they belong to the sweep. */
  private sweepId: number | undefined;

  /** Keeps `msg` if it is part of a run or a sweep; true when it finished one (the moment to save). */
  post(msg: HostToWebview): boolean {
    const k = this.kept;
    switch (msg.type) {
      case 'runStarted':
        this.kept = { ...k, run: [msg], last: 'run' };
        return false;
      case 'sweepStarted':
        this.kept = { ...k, sweep: [msg], last: 'sweep' };
        this.sweepId = msg.sweepId;
        return false;
      case 'runError':
        if (msg.runId !== null && msg.runId === this.sweepId) this.kept = { ...k, sweep: [k.sweep[0], msg] };
        else if (k.run.length) this.kept = { ...k, run: [k.run[0], msg] };
        return false;
      case 'progress':
      case 'runResult':
        if (k.run.length) this.kept = { ...k, run: [k.run[0], msg] };
        return msg.type === 'runResult';
      case 'sweepProgress':
      case 'sweepResult':
        if (k.sweep.length) this.kept = { ...k, sweep: [k.sweep[0], msg] };
        return msg.type === 'sweepResult';
      default:
        return false;
    }
  }

  /** The older of the latest run and the latest sweep first. */
  replay(): HostToWebview[] {
    const { run, sweep, last } = this.kept;
    return last === 'sweep' ? [...run, ...sweep] : [...sweep, ...run];
  }

  /** The latest run's result, when its latest message is one. */
  latestResult(): HostMessage<'runResult'> | undefined {
    const last = this.kept.run.at(-1);
    return last?.type === 'runResult' ? last : undefined;
  }

  /**
   * Only finished results are kept across reloads: a run cut off by the reload is not coming back. As a JSON
   * value: typed arrays are written tagged.
   */
  saved(): unknown {
    const done = (msgs: readonly HostToWebview[], type: HostToWebview['type']) =>
      msgs.some((m) => m.type === type) ? msgs : [];
    const kept: Kept = {
      run: done(this.kept.run, 'runResult'),
      sweep: done(this.kept.sweep, 'sweepResult'),
      last: this.kept.last,
    };
    return toJsonValue(kept);
  }

  /**
   * What an earlier session saved, validated like any message that crosses a boundary (it comes from a file);
   * throws a CheckError for a bad file. Whatever this session already posted is newer and wins.
   */
  restore(data: unknown): void {
    const { run, sweep, last } = savedFeed(fromJsonValue(data), 'saved feed');
    const k = this.kept;
    if (k.run.length || k.sweep.length) {
      this.kept = { run: k.run.length ? k.run : run, sweep: k.sweep.length ? k.sweep : sweep, last: k.last };
    } else {
      this.kept = { run, sweep, last };
    }
  }
}

/** Messages of the given types only: a saved run holds run messages, a saved sweep sweep messages. */
const messagesOf =
  (types: ReadonlySet<string>): Check<HostToWebview> =>
  (v, p) => {
    const msg = parseHostMessage(v);
    return types.has(msg.type) ? msg : invalid(p, `a ${msg.type} message does not belong here`);
  };

/** A run and a sweep are each kept as their start and their latest message (progress, result or error). */
const savedFeed = obj<Kept>({
  run: arr(messagesOf(RUN_TYPES), 2),
  sweep: arr(messagesOf(SWEEP_TYPES), 2),
  last: literal('run', 'sweep'),
});
