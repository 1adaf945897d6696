/**
 * BN254 base-field (Fq) kernels as an emitted WebAssembly module, for the verifier's point work:
 * the square roots of point decompression and the Montgomery conversion of MSM bases. Built from
 * the same Montgomery helpers as the Fr kernels (`fr-module.ts`, CIOS over 8 32-bit limbs; valid
 * for Fq too, whose top limb 0x30644e72 is Fr's).
 *
 * Memory: the first CONST_BYTES hold constants the loader writes once (`FQ_CONSTANTS`): R^2 mod p,
 * 3·R mod p (the curve's b in Montgomery form), 1 (to leave Montgomery form) and the exponent
 * (p+1)/4 as 8 limbs. Data starts at CONST_BYTES. Elements are 8 little-endian 32-bit limbs in
 * standard (not Montgomery) form, canonical (< p), at byte addresses.
 */
import { FnBuilder, I32, I64, Op, assembleModule } from "./emit.js";
import { countedLoop, load, modAdd, montMul, scratch, store, type WasmModulus } from "./fr-module.js";

/** p, the BN254 base field prime (coordinates of G1 points). */
export const FQ_PRIME = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

const toLimbs = (x: bigint): bigint[] => Array.from({ length: 8 }, (_, i) => (x >> BigInt(32 * i)) & 0xffffffffn);
function inverseMod2k(a: bigint, bits: bigint): bigint {
  // Newton iteration for a^-1 mod 2^bits (a odd)
  let x = 1n;
  for (let i = 0; i < 8; i++) x = (x * (2n - a * x)) & ((1n << bits) - 1n);
  return x;
}

/** Fq for the Montgomery helpers. */
export const FQ_WASM_MODULUS: WasmModulus = {
  limbs: toLimbs(FQ_PRIME),
  nInv32: (1n << 32n) - inverseMod2k(FQ_PRIME & 0xffffffffn, 32n),
};

/** Byte addresses of the constants, and where data may start. */
const R2_AT = 0;
const B_AT = 32;
const ONE_AT = 64;
const EXP_AT = 96;
export const CONST_BYTES = 128;
/** Module memory (64 KiB pages): 1 MiB, about 15,000 points per call. */
export const FQ_WASM_PAGES = 16;

/** The exponent of the square root: p = 3 mod 4, so a^((p+1)/4) is a root of a whenever one exists. */
const SQRT_EXPONENT = (FQ_PRIME + 1n) / 4n;
const SQRT_EXPONENT_BITS = SQRT_EXPONENT.toString(2).length;

/** The constants block (CONST_BYTES bytes) the loader writes at address 0. */
export function fqConstants(): Uint32Array {
  const r = 1n << 256n;
  const words = [toLimbs((r * r) % FQ_PRIME), toLimbs((3n * r) % FQ_PRIME), toLimbs(1n), toLimbs(SQRT_EXPONENT)].flat();
  return Uint32Array.from(words, Number);
}

/** out[i] = in[i] · R mod p (Montgomery form), by a Montgomery product with R^2. */
function buildToMont(): FnBuilder {
  const f = new FnBuilder([I32, I32, I32]);
  const [out, inp, n] = [0, 1, 2];
  const sc = scratch(f, FQ_WASM_MODULUS);
  const x = f.locals(I64, 8);
  const r2 = f.local(I32);
  f.i32(R2_AT).set(r2);
  countedLoop(f, n, [{ ptr: out, by: 32 }, { ptr: inp, by: 32 }], () => {
    load(f, x, inp);
    montMul(f, x, r2, sc);
    store(f, out, sc.t.slice(0, 8));
  });
  return f;
}

/**
 * sqrtRhs(out, ok, xs, n, tmp): for each x, a = x^3 + 3 and y = a^((p+1)/4) (standard form) into
 * out[i]; ok[i] (an i32) = 1 when y^2 = a, that is when x is the abscissa of a curve point, else 0.
 * tmp: 64 bytes of scratch memory.
 */
function buildSqrtRhs(): FnBuilder {
  const f = new FnBuilder([I32, I32, I32, I32, I32]);
  const [out, ok, xs, n, tmp] = [0, 1, 2, 3, 4];
  const sc = scratch(f, FQ_WASM_MODULUS);
  const x = f.locals(I64, 8);
  const y = f.locals(I64, 8);
  const aPtr = f.local(I32);
  const yPtr = f.local(I32);
  const bit = f.local(I32);
  const diff = f.local(I64);
  const constPtr = f.local(I32);
  const copy = (dst: number[], src: number[]) => src.forEach((s, j) => f.get(s).set(dst[j]!));
  f.get(tmp).set(aPtr);
  f.get(tmp).i32(32).op(Op.i32Add).set(yPtr);
  countedLoop(f, n, [{ ptr: out, by: 32 }, { ptr: ok, by: 4 }, { ptr: xs, by: 32 }], () => {
    // x in Montgomery form, then a = x·x·x + 3 (Montgomery)
    load(f, x, xs);
    f.i32(R2_AT).set(constPtr);
    montMul(f, x, constPtr, sc);
    copy(x, sc.t.slice(0, 8));
    store(f, yPtr, x);
    montMul(f, x, yPtr, sc);
    copy(y, sc.t.slice(0, 8));
    montMul(f, y, yPtr, sc);
    copy(y, sc.t.slice(0, 8));
    f.i32(B_AT).set(constPtr);
    load(f, x, constPtr);
    modAdd(f, x, y, x, sc);
    store(f, aPtr, x); // a (Montgomery)
    // y = a^e, square-and-multiply from the top bit (which is 1: y starts as a)
    copy(y, x);
    f.i32(SQRT_EXPONENT_BITS - 1).set(bit);
    f.op(Op.block, 0x40, Op.loop, 0x40);
    f.get(bit).op(Op.i32Eqz).op(Op.brIf, 1);
    f.get(bit).i32(1).op(Op.i32Sub).set(bit);
    store(f, yPtr, y);
    montMul(f, y, yPtr, sc);
    copy(y, sc.t.slice(0, 8));
    // bit `bit` of the exponent: word bit >> 5 of the constant, shifted by bit & 31
    f.get(bit).i32(5).op(Op.i32ShrU).i32(2).op(Op.i32Shl).mem(Op.i32Load, 2, EXP_AT);
    f.get(bit).i32(31).op(Op.i32And).op(Op.i32ShrU).i32(1).op(Op.i32And);
    f.op(Op.if, 0x40);
    montMul(f, y, aPtr, sc);
    copy(y, sc.t.slice(0, 8));
    f.op(Op.end);
    f.op(Op.br, 0, Op.end, Op.end);
    // ok = (y^2 == a)
    store(f, yPtr, y);
    montMul(f, y, yPtr, sc);
    load(f, x, aPtr);
    f.i64(0n).set(diff);
    for (let j = 0; j < 8; j++) f.get(diff).get(sc.t[j]!).get(x[j]!).op(Op.i64Xor).op(Op.i64Or).set(diff);
    f.get(ok).get(diff).op(Op.i64Eqz).mem(Op.i32Store, 2, 0);
    // leave Montgomery form: y · 1
    f.i32(ONE_AT).set(constPtr);
    montMul(f, y, constPtr, sc);
    store(f, out, sc.t.slice(0, 8));
  });
  return f;
}

/** The raw exports of the emitted module. */
export interface FqWasmExports {
  memory: WebAssembly.Memory;
  toMont(out: number, inp: number, n: number): void;
  sqrtRhs(out: number, ok: number, xs: number, n: number, tmp: number): void;
}

/** The module's bytes (deterministic). */
export function emitFqModule(): Uint8Array {
  return assembleModule(FQ_WASM_PAGES, [
    { name: "toMont", fn: buildToMont() },
    { name: "sqrtRhs", fn: buildSqrtRhs() },
  ]);
}

function ready(instance: WebAssembly.Instance): FqWasmExports {
  const x = instance.exports as unknown as FqWasmExports;
  new Uint32Array(x.memory.buffer, 0, CONST_BYTES / 4).set(fqConstants());
  return x;
}

/** Compile and instantiate synchronously; null where WebAssembly is missing or refuses (callers fall back to bigint). */
export function instantiateFqWasm(): FqWasmExports | null {
  try {
    if (typeof WebAssembly === "undefined") return null;
    return ready(new WebAssembly.Instance(new WebAssembly.Module(emitFqModule() as BufferSource), {}));
  } catch {
    return null;
  }
}

/** Compile and instantiate asynchronously (a browser main thread refuses synchronous compilation of larger modules). */
export async function instantiateFqWasmAsync(): Promise<FqWasmExports | null> {
  try {
    if (typeof WebAssembly === "undefined") return null;
    return ready(await WebAssembly.instantiate(await WebAssembly.compile(emitFqModule() as BufferSource), {}));
  } catch {
    return null;
  }
}
