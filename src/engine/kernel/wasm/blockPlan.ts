/**
 * The blocks of one call of a blocked-layout kernel (blockedLayout.ts), planned by the session before each call:
 * runs of consecutive groups (W lane pairs each) whose running lanes all hold, bit for bit, the shared values —
 * hyperparameters and uniform states — of a reference lane, so that what depends on those alone is computed once
 * per block and step. A group with no running lane is left out; a group whose running lanes differ from one
 * another is a block of its own that reads each pair's own values (reference −1).
 */
import { BLOCK_ENTRY } from './blockedLayout';

export interface BlockLanes {
  /** Lanes per group (2W). */
  readonly groupLanes: number;
  /** Most groups per block. */
  readonly blockGroups: number;
  /** Stop step per lane (−1: running), stride lanes. */
  readonly stopStep: Int32Array;
  /** Each shared component's lane array as 32-bit words (two per lane), stride lanes: compared bit for bit. */
  readonly shared: readonly Int32Array[];
}

/** Fills `table` (BLOCK_ENTRY i32s per block: first group, groups, reference lane) and returns the block count. */
export function planBlocks(lanes: BlockLanes, table: Int32Array): number {
  const { groupLanes, blockGroups, stopStep, shared } = lanes;
  const groups = stopStep.length / groupLanes;
  const same = (a: number, b: number) =>
    shared.every((words) => words[2 * a] === words[2 * b] && words[2 * a + 1] === words[2 * b + 1]);
  /** −1 if group g has no running lane, 1 if all its running lanes agree with `ref`, 0 otherwise. */
  const agrees = (g: number, ref: number) => {
    let running = false;
    for (let lane = g * groupLanes; lane < (g + 1) * groupLanes; lane++) {
      if (stopStep[lane] >= 0) continue;
      running = true;
      if (!same(lane, ref)) return 0;
    }
    return running ? 1 : -1;
  };
  let count = 0;
  const push = (first: number, length: number, ref: number) => {
    table.set([first, length, ref], BLOCK_ENTRY * count++);
  };
  for (let g = 0; g < groups;) {
    let ref = g * groupLanes;
    while (ref < (g + 1) * groupLanes && stopStep[ref] >= 0) ref++;
    if (ref === (g + 1) * groupLanes) {
      g++;
      continue;
    }
    if (agrees(g, ref) === 0) {
      push(g, 1, -1);
      g++;
      continue;
    }
    let end = g + 1;
    while (end < groups && end - g < blockGroups && agrees(end, ref) === 1) end++;
    push(g, end - g, ref);
    g = end;
  }
  return count;
}
