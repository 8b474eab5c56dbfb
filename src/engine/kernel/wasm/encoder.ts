// A small WebAssembly binary encoder (MVP + multi-value + fixed-width SIMD), written for the SIMD backend.
// Layout and opcodes follow the WebAssembly core spec (binary format, §5) and the SIMD proposal's
// BinarySIMD.md: every SIMD instruction is the 0xFD prefix followed by a LEB128 (u32) sub-opcode.

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof I64 | typeof F32 | typeof F64 | typeof V128;

/** Unsigned LEB128 of a non-negative integer below 2^53. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** Signed LEB128 of an integer (number within ±2^53, or bigint for the full i64 range). */
export function sleb(value: number | bigint): number[] {
  let n = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    const done = (n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/** UTF-8 bytes of a name (the engine has no TextEncoder in its lib). */
function utf8(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}
const name = (s: string): number[] => {
  const b = utf8(s);
  return [...uleb(b.length), ...b];
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** Single-byte instructions without immediates (core spec §5.4). */
export const OP = {
  unreachable: 0x00,
  nop: 0x01,
  else: 0x05,
  end: 0x0b,
  return: 0x0f,
  drop: 0x1a,
  select: 0x1b,
  'i32.eqz': 0x45,
  'i32.eq': 0x46,
  'i32.ne': 0x47,
  'i32.lt_s': 0x48,
  'i32.lt_u': 0x49,
  'i32.gt_s': 0x4a,
  'i32.gt_u': 0x4b,
  'i32.le_s': 0x4c,
  'i32.le_u': 0x4d,
  'i32.ge_s': 0x4e,
  'i32.ge_u': 0x4f,
  'i64.eqz': 0x50,
  'i64.eq': 0x51,
  'i64.ne': 0x52,
  'i64.lt_s': 0x53,
  'i64.lt_u': 0x54,
  'i64.gt_s': 0x55,
  'i64.gt_u': 0x56,
  'i64.le_s': 0x57,
  'i64.le_u': 0x58,
  'i64.ge_s': 0x59,
  'i64.ge_u': 0x5a,
  'f64.eq': 0x61,
  'f64.ne': 0x62,
  'f64.lt': 0x63,
  'f64.gt': 0x64,
  'f64.le': 0x65,
  'f64.ge': 0x66,
  'i32.clz': 0x67,
  'i32.ctz': 0x68,
  'i32.add': 0x6a,
  'i32.sub': 0x6b,
  'i32.mul': 0x6c,
  'i32.div_s': 0x6d,
  'i32.div_u': 0x6e,
  'i32.rem_s': 0x6f,
  'i32.rem_u': 0x70,
  'i32.and': 0x71,
  'i32.or': 0x72,
  'i32.xor': 0x73,
  'i32.shl': 0x74,
  'i32.shr_s': 0x75,
  'i32.shr_u': 0x76,
  'i64.clz': 0x79,
  'i64.ctz': 0x7a,
  'i64.add': 0x7c,
  'i64.sub': 0x7d,
  'i64.mul': 0x7e,
  'i64.div_s': 0x7f,
  'i64.div_u': 0x80,
  'i64.rem_s': 0x81,
  'i64.rem_u': 0x82,
  'i64.and': 0x83,
  'i64.or': 0x84,
  'i64.xor': 0x85,
  'i64.shl': 0x86,
  'i64.shr_s': 0x87,
  'i64.shr_u': 0x88,
  'f64.abs': 0x99,
  'f64.neg': 0x9a,
  'f64.ceil': 0x9b,
  'f64.floor': 0x9c,
  'f64.trunc': 0x9d,
  'f64.nearest': 0x9e,
  'f64.sqrt': 0x9f,
  'f64.add': 0xa0,
  'f64.sub': 0xa1,
  'f64.mul': 0xa2,
  'f64.div': 0xa3,
  'f64.min': 0xa4,
  'f64.max': 0xa5,
  'f64.copysign': 0xa6,
  'i32.wrap_i64': 0xa7,
  'i32.trunc_f64_s': 0xaa,
  'i64.extend_i32_s': 0xac,
  'i64.extend_i32_u': 0xad,
  'i64.trunc_f64_s': 0xb0,
  'f64.convert_i32_s': 0xb7,
  'f64.convert_i64_s': 0xb9,
  'f64.promote_f32': 0xbb,
  'i64.reinterpret_f64': 0xbd,
  'f64.reinterpret_i64': 0xbf,
} as const;
export type Op = keyof typeof OP;

/** SIMD sub-opcodes without immediates (BinarySIMD.md). */
export const SIMD = {
  'i8x16.swizzle': 0x0e,
  'i32x4.splat': 0x11,
  'i64x2.splat': 0x12,
  'f32x4.splat': 0x13,
  'f64x2.splat': 0x14,
  'i32x4.eq': 0x37,
  'i32x4.ne': 0x38,
  'i32x4.lt_s': 0x39,
  'i32x4.gt_s': 0x3b,
  'i32x4.le_s': 0x3d,
  'i32x4.ge_s': 0x3f,
  'f32x4.eq': 0x41,
  'f32x4.ne': 0x42,
  'f32x4.lt': 0x43,
  'f32x4.gt': 0x44,
  'f32x4.le': 0x45,
  'f32x4.ge': 0x46,
  'f64x2.eq': 0x47,
  'f64x2.ne': 0x48,
  'f64x2.lt': 0x49,
  'f64x2.gt': 0x4a,
  'f64x2.le': 0x4b,
  'f64x2.ge': 0x4c,
  'v128.not': 0x4d,
  'v128.and': 0x4e,
  'v128.andnot': 0x4f,
  'v128.or': 0x50,
  'v128.xor': 0x51,
  'v128.bitselect': 0x52,
  'v128.any_true': 0x53,
  'f32x4.demote_f64x2_zero': 0x5e,
  'f64x2.promote_low_f32x4': 0x5f,
  'f32x4.trunc': 0x69,
  'f64x2.ceil': 0x74,
  'f64x2.floor': 0x75,
  'f64x2.trunc': 0x7a,
  'f64x2.nearest': 0x94,
  'i32x4.abs': 0xa0,
  'i32x4.neg': 0xa1,
  'i32x4.all_true': 0xa3,
  'i32x4.bitmask': 0xa4,
  'i32x4.shl': 0xab,
  'i32x4.shr_s': 0xac,
  'i32x4.shr_u': 0xad,
  'i32x4.add': 0xae,
  'i32x4.sub': 0xb1,
  'i32x4.mul': 0xb5,
  'i32x4.min_s': 0xb6,
  'i32x4.max_s': 0xb8,
  'i64x2.abs': 0xc0,
  'i64x2.neg': 0xc1,
  'i64x2.all_true': 0xc3,
  'i64x2.bitmask': 0xc4,
  'i64x2.extend_low_i32x4_s': 0xc7,
  'i64x2.extend_high_i32x4_s': 0xc8,
  'i64x2.shl': 0xcb,
  'i64x2.shr_s': 0xcc,
  'i64x2.shr_u': 0xcd,
  'i64x2.add': 0xce,
  'i64x2.sub': 0xd1,
  'i64x2.mul': 0xd5,
  'i64x2.eq': 0xd6,
  'i64x2.ne': 0xd7,
  'i64x2.lt_s': 0xd8,
  'i64x2.gt_s': 0xd9,
  'i64x2.le_s': 0xda,
  'i64x2.ge_s': 0xdb,
  'f32x4.abs': 0xe0,
  'f32x4.neg': 0xe1,
  'f32x4.sqrt': 0xe3,
  'f32x4.add': 0xe4,
  'f32x4.sub': 0xe5,
  'f32x4.mul': 0xe6,
  'f32x4.div': 0xe7,
  'f32x4.min': 0xe8,
  'f32x4.max': 0xe9,
  'f64x2.abs': 0xec,
  'f64x2.neg': 0xed,
  'f64x2.sqrt': 0xef,
  'f64x2.add': 0xf0,
  'f64x2.sub': 0xf1,
  'f64x2.mul': 0xf2,
  'f64x2.div': 0xf3,
  'f64x2.min': 0xf4,
  'f64x2.max': 0xf5,
  'f64x2.pmin': 0xf6,
  'f64x2.pmax': 0xf7,
  'i32x4.trunc_sat_f64x2_s_zero': 0xfc,
  'f64x2.convert_low_i32x4_s': 0xfe,
} as const;
export type SimdOp = keyof typeof SIMD;

/** Memory access instructions: core opcode, or SIMD sub-opcode when `simd` (natural alignment as log2 bytes). */
const MEM = {
  'i32.load': [0x28, 2],
  'i64.load': [0x29, 3],
  'f32.load': [0x2a, 2],
  'f64.load': [0x2b, 3],
  'i32.load8_u': [0x2d, 0],
  'i32.store': [0x36, 2],
  'i64.store': [0x37, 3],
  'f32.store': [0x38, 2],
  'f64.store': [0x39, 3],
} as const;
export type MemOp = keyof typeof MEM;

export type BlockType = 'void' | ValType;

/** Builds one function body: locals are declared on demand; instructions are appended in order. */
export class FunctionBuilder {
  readonly bytes: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(
    readonly index: number,
    readonly params: readonly ValType[],
    readonly results: readonly ValType[],
  ) {}

  /** Locals declared so far (not counting parameters). */
  get localCount(): number {
    return this.locals.length;
  }

  /** Declares a new local and returns its index (parameters come first). */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  /** Appends the unsigned LEB128 of n: no array per instruction (a big kernel has millions of them). */
  private uleb(n: number): this {
    while (n >= 128) {
      this.bytes.push((n % 128) | 0x80);
      n = Math.floor(n / 128);
    }
    this.bytes.push(n);
    return this;
  }

  /** Appends the signed LEB128 of a 32-bit integer. */
  private sleb32(v: number): this {
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.bytes.push(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  op(name: Op): this {
    this.bytes.push(OP[name]);
    return this;
  }
  simd(name: SimdOp): this {
    this.bytes.push(0xfd);
    return this.uleb(SIMD[name]);
  }

  block(type: BlockType = 'void'): this {
    return this.structured(0x02, type);
  }
  loop(type: BlockType = 'void'): this {
    return this.structured(0x03, type);
  }
  if(type: BlockType = 'void'): this {
    return this.structured(0x04, type);
  }
  else(): this {
    return this.op('else');
  }
  end(): this {
    return this.op('end');
  }
  br(depth: number): this {
    this.bytes.push(0x0c);
    return this.uleb(depth);
  }
  brIf(depth: number): this {
    this.bytes.push(0x0d);
    return this.uleb(depth);
  }
  return(): this {
    return this.op('return');
  }
  call(funcIndex: number): this {
    this.bytes.push(0x10);
    return this.uleb(funcIndex);
  }

  get(local: number): this {
    this.bytes.push(0x20);
    return this.uleb(local);
  }
  globalGet(global: number): this {
    this.bytes.push(0x23);
    return this.uleb(global);
  }
  set(local: number): this {
    this.bytes.push(0x21);
    return this.uleb(local);
  }
  tee(local: number): this {
    this.bytes.push(0x22);
    return this.uleb(local);
  }

  i32(value: number): this {
    this.bytes.push(0x41);
    return this.sleb32(value | 0);
  }
  i64(value: number | bigint): this {
    this.bytes.push(0x42, ...sleb(BigInt.asIntN(64, BigInt(value))));
    return this;
  }
  /** f32.const (the value rounded to float, as Math.fround). */
  f32(value: number): this {
    this.bytes.push(0x43, ...new Uint8Array(Float32Array.of(value).buffer));
    return this;
  }
  f64(value: number): this {
    this.bytes.push(0x44, ...new Uint8Array(Float64Array.of(value).buffer));
    return this;
  }
  /** v128.const from 16 raw little-endian bytes. */
  v128(bytes: Uint8Array): this {
    this.bytes.push(0xfd, 0x0c, ...bytes);
    return this;
  }
  f64x2(lane0: number, lane1 = lane0): this {
    return this.v128(new Uint8Array(Float64Array.of(lane0, lane1).buffer));
  }
  i64x2(lane0: bigint, lane1 = lane0): this {
    return this.v128(new Uint8Array(BigInt64Array.of(BigInt.asIntN(64, lane0), BigInt.asIntN(64, lane1)).buffer));
  }
  /** v128.const of four binary32 lanes (each value rounded to float, as Math.fround). */
  f32x4(lane0: number, lane1 = lane0, lane2 = lane0, lane3 = lane0): this {
    return this.v128(new Uint8Array(Float32Array.of(lane0, lane1, lane2, lane3).buffer));
  }
  /** i8x16.shuffle: byte i of the result is byte lanes[i] of a‖b (0–15 from the first operand, 16–31 the second). */
  i8x16Shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16 || lanes.some((l) => !(l >= 0 && l < 32)))
      throw new Error('i8x16.shuffle takes 16 lanes < 32');
    this.bytes.push(0xfd, 0x0d, ...lanes);
    return this;
  }

  /** Scalar load/store; `offset` is the static byte offset added to the i32 address on the stack. */
  mem(name: MemOp, offset = 0): this {
    const [code, align] = MEM[name];
    this.bytes.push(code, align);
    return this.uleb(offset);
  }
  /** v128.load / v128.store (alignment hint 16 bytes; unaligned addresses still work). */
  v128Load(offset = 0): this {
    this.bytes.push(0xfd, 0x00, 4);
    return this.uleb(offset);
  }
  v128Store(offset = 0): this {
    this.bytes.push(0xfd, 0x0b, 4);
    return this.uleb(offset);
  }
  /** v128.load64_splat: the f64 at the address in both lanes. */
  v128Load64Splat(offset = 0): this {
    this.bytes.push(0xfd, 0x0a, 3);
    return this.uleb(offset);
  }
  /** v128.load64_lane: (address, v) → v with one lane replaced by the f64 at the address. */
  v128Load64Lane(lane: 0 | 1, offset = 0): this {
    this.bytes.push(0xfd, 0x57, 3);
    this.uleb(offset);
    this.bytes.push(lane);
    return this;
  }

  f64x2ExtractLane(lane: 0 | 1): this {
    this.bytes.push(0xfd, 0x21, lane);
    return this;
  }
  f64x2ReplaceLane(lane: 0 | 1): this {
    this.bytes.push(0xfd, 0x22, lane);
    return this;
  }
  i64x2ExtractLane(lane: 0 | 1): this {
    this.bytes.push(0xfd, 0x1d, lane);
    return this;
  }
  i64x2ReplaceLane(lane: 0 | 1): this {
    this.bytes.push(0xfd, 0x1e, lane);
    return this;
  }
  i32x4ExtractLane(lane: 0 | 1 | 2 | 3): this {
    this.bytes.push(0xfd, 0x1b, lane);
    return this;
  }
  f32x4ExtractLane(lane: 0 | 1 | 2 | 3): this {
    this.bytes.push(0xfd, 0x1f, lane);
    return this;
  }
  f32x4ReplaceLane(lane: 0 | 1 | 2 | 3): this {
    this.bytes.push(0xfd, 0x20, lane);
    return this;
  }

  /**
   * Code section entry: size, run-length-encoded locals, body, `end` — copied once into a typed array (spreading a
   * big kernel's millions of bytes into new arrays took most of its generation time).
   */
  encode(): Uint8Array {
    const groups: number[][] = [];
    for (let i = 0; i < this.locals.length;) {
      let j = i;
      while (j < this.locals.length && this.locals[j] === this.locals[i]) j++;
      groups.push([...uleb(j - i), this.locals[i]]);
      i = j;
    }
    const locals = vec(groups);
    const size = uleb(locals.length + this.bytes.length + 1);
    const out = new Uint8Array(size.length + locals.length + this.bytes.length + 1);
    out.set(size);
    out.set(locals, size.length);
    out.set(this.bytes, size.length + locals.length);
    out[out.length - 1] = OP.end;
    return out;
  }

  private structured(code: number, type: BlockType): this {
    this.bytes.push(code, type === 'void' ? 0x40 : type);
    return this;
  }
}

export interface MemorySpec {
  min: number;
  max?: number;
  import?: { module: string; name: string };
}

/**
 * Builds a module: function types are deduplicated; functions are numbered in creation order (there are
 * no imported functions, so that is their index); memory 0 is either imported or defined.
 * Constant tables go into `staticData`, laid out from `dataBase` upwards as active data segments.
 */
export class ModuleBuilder {
  private readonly types: string[] = [];
  private readonly funcs: FunctionBuilder[] = [];
  private readonly exports: number[][] = [];
  private readonly data: { offset: number; bytes: Uint8Array }[] = [];
  private readonly globals: number[][] = [];
  private memory: MemorySpec | undefined;
  private dataTop: number;

  constructor(readonly dataBase = 0) {
    this.dataTop = dataBase;
  }

  /** Index of the function type (params) -> (results), added on first use. */
  type(params: readonly ValType[], results: readonly ValType[]): number {
    const key = `${params.join(',')}>${results.join(',')}`;
    const i = this.types.indexOf(key);
    return i >= 0 ? i : this.types.push(key) - 1;
  }

  setMemory(spec: MemorySpec): void {
    this.memory = spec;
  }

  /** A new function; fill its body through the returned builder before `encode()`. */
  func(params: readonly ValType[], results: readonly ValType[]): FunctionBuilder {
    this.type(params, results);
    const f = new FunctionBuilder(this.funcs.length, params, results);
    this.funcs.push(f);
    return f;
  }

  /**
   * A new immutable global holding a v128 constant (16 little-endian bytes); returns its index (there are no
   * imported globals). V8 reads an immutable global with a plain load it may schedule freely, unlike a memory load.
   */
  constV128(bytes: Uint8Array): number {
    if (bytes.length !== 16) throw new Error('constV128 takes 16 bytes');
    this.globals.push([V128, 0x00, 0xfd, 0x0c, ...bytes, OP.end]);
    return this.globals.length - 1;
  }

  exportFunc(field: string, index: number): void {
    this.exports.push([...name(field), 0x00, ...uleb(index)]);
  }
  exportMemory(field: string): void {
    this.exports.push([...name(field), 0x02, 0]);
  }

  /** Places constant bytes in memory (8-byte aligned) and returns their address. */
  staticData(bytes: Uint8Array): number {
    const offset = Math.ceil(this.dataTop / 8) * 8;
    this.data.push({ offset, bytes });
    this.dataTop = offset + bytes.length;
    return offset;
  }
  /** First byte after the constant tables: the code generator's buffers start at or after it. */
  get dataEnd(): number {
    return this.dataTop;
  }

  encode(): Uint8Array<ArrayBuffer> {
    const parts: ArrayLike<number>[] = [[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]];
    const out = (bytes: ArrayLike<number>) => parts.push(bytes);
    const typeBytes = this.types.map((key) => {
      const [p, r] = key.split('>').map((s) => (s ? s.split(',').map(Number) : []));
      return [0x60, ...vec(p.map((t) => [t])), ...vec(r.map((t) => [t]))];
    });
    out(section(1, vec(typeBytes)));
    const limits = (m: MemorySpec) =>
      m.max === undefined ? [0x00, ...uleb(m.min)] : [0x01, ...uleb(m.min), ...uleb(m.max)];
    if (this.memory?.import) {
      out(
        section(
          2,
          vec([[...name(this.memory.import.module), ...name(this.memory.import.name), 0x02, ...limits(this.memory)]]),
        ),
      );
    }
    out(section(3, vec(this.funcs.map((f) => uleb(this.type(f.params, f.results))))));
    if (this.memory && !this.memory.import) out(section(5, vec([limits(this.memory)])));
    if (this.globals.length) out(section(6, vec(this.globals)));
    if (this.exports.length) out(section(7, vec(this.exports)));
    const bodies = this.funcs.map((f) => f.encode());
    const count = uleb(bodies.length);
    out([10, ...uleb(bodies.reduce((n, b) => n + b.length, count.length)), ...count]);
    bodies.forEach(out);
    if (this.data.length) {
      out(
        section(
          11,
          vec(this.data.map((d) => [0x00, 0x41, ...sleb(d.offset), 0x0b, ...uleb(d.bytes.length), ...d.bytes])),
        ),
      );
    }
    const result = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (result.set(p, at), at + p.length), 0);
    return result;
  }
}
