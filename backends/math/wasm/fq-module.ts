/**
 * BN254 base-field (Fq) kernels as an emitted WebAssembly module, for the verifier's point work:
 * the square roots of point decompression and the Montgomery conversion of MSM bases. Built from
 * the same Montgomery helpers as the Fr kernels (`fr-module.ts`, CIOS over 8 32-bit limbs; valid
 * for Fq too, whose top limb 0x30644e72 is Fr's).
 *
 * Memory: the first CONST_BYTES hold constants the loader writes once (`FQ_CONSTANTS`): R^2 mod p,
 * 3·R mod p (the curve's b in Montgomery form), 1 (to leave Montgomery form) and the square
 * root's sliding-window schedule over the exponent (p+1)/4. Data starts at CONST_BYTES. Elements are 8 little-endian 32-bit limbs in
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

/** The exponent of the square root: p = 3 mod 4, so a^((p+1)/4) is a root of a whenever one exists. */
const SQRT_EXPONENT = (FQ_PRIME + 1n) / 4n;

/** Width of the sliding window over the exponent: a table of the odd powers a^1, a^3, ..., a^15. */
const WINDOW_BITS = 4;
const ODD_POWERS = 1 << (WINDOW_BITS - 1);

/**
 * The exponent cut into left-to-right sliding windows (each ends in a 1 bit): y = a^first, then
 * for each step `squarings` squarings and, when `power` > 0, a multiplication by a^power. 252
 * squarings and 50 multiplications (plus 8 for the table) instead of 109 by bits.
 */
export function windowSchedule(e: bigint): { first: number; steps: { squarings: number; power: number }[] } {
  const bits = e.toString(2);
  const windowAt = (i: number): string => {
    let w = bits.slice(i, i + WINDOW_BITS);
    while (!w.endsWith("1")) w = w.slice(0, -1);
    return w;
  };
  const head = windowAt(0);
  const steps: { squarings: number; power: number }[] = [];
  let squarings = 0;
  for (let i = head.length; i < bits.length; ) {
    if (bits[i] === "0") {
      squarings++;
      i++;
      continue;
    }
    const w = windowAt(i);
    steps.push({ squarings: squarings + w.length, power: parseInt(w, 2) });
    squarings = 0;
    i += w.length;
  }
  if (squarings > 0) steps.push({ squarings, power: 0 });
  return { first: parseInt(head, 2), steps };
}
const SQRT_SCHEDULE = windowSchedule(SQRT_EXPONENT);

/** Byte addresses of the constants, and where data may start. */
const R2_AT = 0;
const B_AT = 32;
const ONE_AT = 64;
/** the schedule's steps: two i32 each, the squarings and (the table entry's byte offset + 1, or 0) */
const SCHEDULE_AT = 96;
export const CONST_BYTES = Math.ceil((SCHEDULE_AT + 8 * SQRT_SCHEDULE.steps.length) / 32) * 32;
/** Scratch bytes `sqrtRhs` needs at `tmp`: a, the squaring operand, a^2 and the odd powers. */
export const SQRT_TMP_BYTES = 32 * (3 + ODD_POWERS);
/** Module memory (64 KiB pages): 1 MiB, about 15,000 points per call. */
export const FQ_WASM_PAGES = 16;

/** The constants block (CONST_BYTES bytes) the loader writes at address 0. */
export function fqConstants(): Uint32Array {
  const r = 1n << 256n;
  const words = [toLimbs((r * r) % FQ_PRIME), toLimbs((3n * r) % FQ_PRIME), toLimbs(1n)].flat().map(Number);
  for (const { squarings, power } of SQRT_SCHEDULE.steps) words.push(squarings, power > 0 ? 32 * (power >> 1) + 1 : 0);
  const out = new Uint32Array(CONST_BYTES / 4);
  out.set(words);
  return out;
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
 * tmp: SQRT_TMP_BYTES of scratch memory.
 */
function buildSqrtRhs(): FnBuilder {
  const f = new FnBuilder([I32, I32, I32, I32, I32]);
  const [out, ok, xs, n, tmp] = [0, 1, 2, 3, 4];
  const sc = scratch(f, FQ_WASM_MODULUS);
  const x = f.locals(I64, 8);
  const y = f.locals(I64, 8);
  const aPtr = f.local(I32);
  const yPtr = f.local(I32);
  const a2Ptr = f.local(I32);
  const tablePtr = f.local(I32);
  const entryPtr = f.local(I32);
  const stepPtr = f.local(I32);
  const steps = f.local(I32);
  const squarings = f.local(I32);
  const diff = f.local(I64);
  const constPtr = f.local(I32);
  const copy = (dst: number[], src: number[]) => src.forEach((s, j) => f.get(s).set(dst[j]!));
  const square = () => {
    store(f, yPtr, y);
    montMul(f, y, yPtr, sc);
    copy(y, sc.t.slice(0, 8));
  };
  f.get(tmp).set(aPtr);
  f.get(tmp).i32(32).op(Op.i32Add).set(yPtr);
  f.get(tmp).i32(64).op(Op.i32Add).set(a2Ptr);
  f.get(tmp).i32(96).op(Op.i32Add).set(tablePtr);
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
    // the odd powers a, a^3, ..., a^15 (table entry k = a^(2k+1))
    store(f, tablePtr, x);
    montMul(f, x, aPtr, sc);
    store(f, a2Ptr, sc.t.slice(0, 8));
    f.get(tablePtr).set(entryPtr);
    for (let k = 1; k < ODD_POWERS; k++) {
      load(f, y, entryPtr);
      montMul(f, y, a2Ptr, sc);
      f.get(entryPtr).i32(32).op(Op.i32Add).set(entryPtr);
      store(f, entryPtr, sc.t.slice(0, 8));
    }
    // y = a^e by the window schedule
    load(f, y, tablePtr, 32 * (SQRT_SCHEDULE.first >> 1));
    f.i32(SCHEDULE_AT).set(stepPtr);
    f.i32(SQRT_SCHEDULE.steps.length).set(steps);
    countedLoop(f, steps, [{ ptr: stepPtr, by: 8 }], () => {
      f.get(stepPtr).mem(Op.i32Load, 2, 0).set(squarings);
      countedLoop(f, squarings, [], square);
      f.get(stepPtr).mem(Op.i32Load, 2, 4).set(entryPtr);
      f.get(entryPtr).op(Op.if, 0x40);
      f.get(entryPtr).get(tablePtr).op(Op.i32Add).i32(1).op(Op.i32Sub).set(entryPtr);
      montMul(f, y, entryPtr, sc);
      copy(y, sc.t.slice(0, 8));
      f.op(Op.end);
    });
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
