/**
 * Addresses of a lane pair's elements in a session's structure-of-arrays buffers (types.ts): f64 arrays hold
 * `stride` lanes per component, so a pair is one v128 at base + component·stride·8 + laneOff; i32 arrays are half
 * as wide. `laneOff` is the pair's byte offset in an f64 array, `stride` an i32 local holding n·8.
 */
import type { FunctionBuilder } from './encoder';

export class LaneMemory {
  constructor(
    private readonly f: FunctionBuilder,
    private readonly stride: number,
  ) {}

  loadV(laneOff: number, base: number, component: number, local: number): void {
    this.vAddr(laneOff, base, component);
    this.f.v128Load().set(local);
  }

  storeV(laneOff: number, base: number, component: number, local: number): void {
    this.vAddr(laneOff, base, component);
    this.f.get(local).v128Store();
  }

  /** Pushes the address of an i32 element: base + (component·n + lane index)·4. */
  i32Addr(laneOff: number, base: number, component: number, lane: number): void {
    const { f } = this;
    f.get(base).get(laneOff).i32(1).op('i32.shr_u').op('i32.add');
    if (component > 0) f.get(this.stride).i32(1).op('i32.shr_u').i32(component).op('i32.mul').op('i32.add');
    if (lane > 0) f.i32(4 * lane).op('i32.add');
  }

  /** Loads both lanes of a pair's i32 element into two i32 locals. */
  loadI32Lanes(laneOff: number, base: number, component: number, l0: number, l1: number): void {
    this.i32Addr(laneOff, base, component, 0);
    this.f.mem('i32.load').set(l0);
    this.i32Addr(laneOff, base, component, 1);
    this.f.mem('i32.load').set(l1);
  }

  /** Pushes the address of an f64 element pair: base + component·stride + laneOff. */
  private vAddr(laneOff: number, base: number, component: number): void {
    const { f } = this;
    f.get(base).get(laneOff).op('i32.add');
    if (component > 0) f.get(this.stride).i32(component).op('i32.mul').op('i32.add');
  }
}
