/**
 * A minimal WebAssembly binary writer: just enough of the format (types, functions, one exported
 * memory, exports, code with i32/i64 integer ops and structured loops) to emit the field kernels in
 * `fr-module.ts` from TypeScript at load time. Emitting the bytes here means no wasm binary is
 * committed and no build tool is needed; the module is reproducible from this source.
 *
 * Spec: WebAssembly Core Specification 1.0, chapter 5 (binary format).
 */

/** Value types used by the kernels. */
export const I32 = 0x7f;
export const I64 = 0x7e;

/** Opcodes (numeric instructions and control) used by the kernels. */
export const Op = {
  block: 0x02,
  if: 0x04,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i64Load32S: 0x34,
  i64Load32U: 0x35,
  i64Store32: 0x3e,
  i32Const: 0x41,
  i64Const: 0x42,
  i32Eqz: 0x45,
  i64Eqz: 0x50,
  i64Ne: 0x52,
  i64LtS: 0x53,
  i64GeU: 0x5a,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32And: 0x71,
  i64Add: 0x7c,
  i64Sub: 0x7d,
  i64Mul: 0x7e,
  i64DivU: 0x80,
  i64And: 0x83,
  i64Or: 0x84,
  i64Shl: 0x86,
  i64ShrU: 0x88,
  i32WrapI64: 0xa7,
  i64TruncF64U: 0xb1,
  f64ConvertI64U: 0xba,
  f64Const: 0x44,
  f64Mul: 0xa2,
  i64GtS: 0x55,
  i32Store: 0x36,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  i64Xor: 0x85,
} as const;

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of an arbitrary integer (i32.const / i64.const immediates). */
export function sleb(value: bigint): number[] {
  const out: number[] = [];
  let v = value;
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n; // arithmetic shift on bigint
    const signBit = (byte & 0x40) !== 0;
    if ((v === 0n && !signBit) || (v === -1n && signBit)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A function body under construction: locals are allocated on demand, code is a byte list. */
export class FnBuilder {
  readonly code: number[] = [];
  private readonly localTypes: number[] = [];

  /** @param params types of the parameters (they are locals 0..params.length-1) */
  constructor(
    readonly params: number[],
    readonly results: number[] = [],
  ) {}

  /** A fresh local of the given type; returns its index. */
  local(type: number): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  /** Several fresh locals. */
  locals(type: number, count: number): number[] {
    return Array.from({ length: count }, () => this.local(type));
  }

  op(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }
  get(l: number): this {
    return this.op(Op.localGet, ...uleb(l));
  }
  set(l: number): this {
    return this.op(Op.localSet, ...uleb(l));
  }
  tee(l: number): this {
    return this.op(Op.localTee, ...uleb(l));
  }
  i32(v: number): this {
    return this.op(Op.i32Const, ...sleb(BigInt(v)));
  }
  i64(v: bigint): this {
    // i64.const immediates are signed: map values >= 2^63 to their two's complement.
    const signed = v >= 1n << 63n ? v - (1n << 64n) : v;
    return this.op(Op.i64Const, ...sleb(signed));
  }
  f64(v: number): this {
    const bytes = new Uint8Array(new Float64Array([v]).buffer); // IEEE 754, little-endian
    return this.op(Op.f64Const, ...bytes);
  }
  /** A memory access with natural alignment hint `align` (log2 bytes) and byte `offset`. */
  mem(opcode: number, align: number, offset: number): this {
    return this.op(opcode, ...uleb(align), ...uleb(offset));
  }

  /** Encoded body: locals declaration (one run per local), code, end. */
  encode(): number[] {
    const decls: number[] = [...uleb(this.localTypes.length)];
    for (const t of this.localTypes) decls.push(...uleb(1), t);
    const body = [...decls, ...this.code, Op.end];
    return [...uleb(body.length), ...body];
  }
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

/**
 * Assemble a module with one memory of `memoryPages` 64 KiB pages exported as "memory", and the
 * given functions exported under their names.
 */
export function assembleModule(memoryPages: number, fns: { name: string; fn: FnBuilder }[]): Uint8Array {
  const types: number[] = [...uleb(fns.length)];
  for (const { fn } of fns) {
    types.push(0x60, ...uleb(fn.params.length), ...fn.params, ...uleb(fn.results.length), ...fn.results);
  }
  const funcs: number[] = [...uleb(fns.length)];
  fns.forEach((_, i) => funcs.push(...uleb(i)));
  const memory = [...uleb(1), 0x00, ...uleb(memoryPages)];
  const exports: number[] = [...uleb(fns.length + 1), ...name("memory"), 0x02, ...uleb(0)];
  fns.forEach(({ name: n }, i) => exports.push(...name(n), 0x00, ...uleb(i)));
  const code: number[] = [...uleb(fns.length)];
  for (const { fn } of fns) code.push(...fn.encode());
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(3, funcs),
    ...section(5, memory),
    ...section(7, exports),
    ...section(10, code),
  ]);
}
