/**
 * BN254 Fr kernels as a WebAssembly module emitted from this file at load time.
 *
 * Elements are 8 little-endian 32-bit limbs in Montgomery form (R = 2^256), fully reduced (< r),
 * exactly as in the pure-TS kernels, so both give bit-identical results. Products use wasm's i64
 * multiply on 32-bit halves (32x32 -> 64 bits); the Montgomery product is CIOS, fully unrolled by
 * the generator below. Every function takes byte addresses into the module's own memory and a count;
 * outputs may alias inputs (all inputs of an element are read before its output is stored).
 */
import { FR_MODULUS as MODULUS, MODULUS_LIMBS, N_INV_32 } from "../fr-constants.js";
import { FnBuilder, I32, I64, Op, assembleModule } from "./emit.js";

const M32 = 0xffffffffn;
const P = MODULUS_LIMBS.map((x) => BigInt(x));

/** Memory of the emitted module (pages of 64 KiB). 256 pages = 16 MiB of scratch. */
export const WASM_PAGES = 256;

/** Load 8 limbs at `ptr` (+ byte offset) into i64 locals. */
export function load(f: FnBuilder, dst: number[], ptr: number, offset = 0): void {
  for (let j = 0; j < 8; j++) f.get(ptr).mem(Op.i64Load32U, 2, offset + 4 * j).set(dst[j]!);
}

/** Store 8 i64 locals (each < 2^32) as limbs at `ptr`. */
export function store(f: FnBuilder, ptr: number, src: number[]): void {
  for (let j = 0; j < 8; j++) f.get(ptr).get(src[j]!).mem(Op.i64Store32, 2, 4 * j);
}

/** A modulus the Montgomery helpers work in: 8 little-endian 32-bit limbs, top limb below 2^30. */
export interface WasmModulus {
  limbs: readonly bigint[];
  /** -m^-1 mod 2^32 */
  nInv32: bigint;
}

/** BN254 Fr, the modulus of this module's kernels. */
export const FR_WASM_MODULUS: WasmModulus = { limbs: P, nInv32: BigInt(N_INV_32) };

/** Locals every helper below shares, and the modulus they reduce by. */
export interface Scratch {
  mod: WasmModulus;
  t: number[]; // 10 accumulator words
  d: number[]; // 8 words for the trial subtraction
  c: number; // carry / borrow
  s: number; // 64-bit partial sum
  m: number; // Montgomery quotient word
}

export function scratch(f: FnBuilder, mod: WasmModulus = FR_WASM_MODULUS): Scratch {
  return { mod, t: f.locals(I64, 10), d: f.locals(I64, 8), c: f.local(I64), s: f.local(I64), m: f.local(I64) };
}

/** x := x - r if x >= r (x in 8 locals, x < 2r). Branch-free via select. */
export function condSubP(f: FnBuilder, x: number[], sc: Scratch): void {
  f.i64(0n).set(sc.c);
  for (let j = 0; j < 8; j++) {
    // s = x_j - p_j - borrow; d_j = s mod 2^32; borrow = sign bit of s
    f.get(x[j]!).i64(sc.mod.limbs[j]!).op(Op.i64Sub).get(sc.c).op(Op.i64Sub).set(sc.s);
    f.get(sc.s).i64(M32).op(Op.i64And).set(sc.d[j]!);
    f.get(sc.s).i64(63n).op(Op.i64ShrU).set(sc.c);
  }
  // borrow == 0 means x >= r: take d.
  for (let j = 0; j < 8; j++) {
    f.get(sc.d[j]!).get(x[j]!).get(sc.c).op(Op.i64Eqz).op(Op.select).set(x[j]!);
  }
}

/**
 * out := a * b * R^-1 mod r: CIOS with the multiply and reduce passes merged ("no-carry" variant,
 * valid because r's top limb 0x30644e72 < (2^32 - 1)/2 - 1, so the accumulator never needs a
 * ninth word). `a` holds 8 limbs in locals; b is read from memory at `bPtr`. Result in sc.t[0..7].
 */
export function montMul(f: FnBuilder, a: number[], bPtr: number, sc: Scratch): void {
  const t = sc.t;
  const bi = sc.d[0]!; // the trial-subtraction words are free until the final condSubP
  const carryA = sc.d[1]!;
  for (let i = 0; i < 8; i++) {
    f.get(bPtr).mem(Op.i64Load32U, 2, 4 * i).set(bi);
    // j = 0: s = t_0 + a_0 b_i (t is all zero in the first iteration)
    f.get(a[0]!).get(bi).op(Op.i64Mul);
    if (i > 0) f.get(t[0]!).op(Op.i64Add);
    f.set(sc.s);
    f.get(sc.s).i64(32n).op(Op.i64ShrU).set(carryA);
    f.get(sc.s).i64(M32).op(Op.i64And).set(t[0]!);
    f.get(t[0]!).i64(sc.mod.nInv32).op(Op.i64Mul).i64(M32).op(Op.i64And).set(sc.m);
    f.get(sc.m).i64(sc.mod.limbs[0]!).op(Op.i64Mul).get(t[0]!).op(Op.i64Add).i64(32n).op(Op.i64ShrU).set(sc.c);
    for (let j = 1; j < 8; j++) {
      // (A, t_j) = t_j + a_j b_i + A
      f.get(a[j]!).get(bi).op(Op.i64Mul);
      if (i > 0) f.get(t[j]!).op(Op.i64Add);
      f.get(carryA).op(Op.i64Add).set(sc.s);
      f.get(sc.s).i64(32n).op(Op.i64ShrU).set(carryA);
      // (C, t_{j-1}) = low(s) + m p_j + C
      f.get(sc.s).i64(M32).op(Op.i64And).get(sc.m).i64(sc.mod.limbs[j]!).op(Op.i64Mul).op(Op.i64Add).get(sc.c).op(Op.i64Add).set(sc.s);
      f.get(sc.s).i64(32n).op(Op.i64ShrU).set(sc.c);
      f.get(sc.s).i64(M32).op(Op.i64And).set(t[j - 1]!);
    }
    f.get(sc.c).get(carryA).op(Op.i64Add).set(t[7]!);
  }
  // The result is < r·(1 + r/2^256) < 2r: one conditional subtraction, skipped (a predictable
  // branch, most products) when the top limb alone shows the value is below r.
  f.get(t[7]!).i64(sc.mod.limbs[7]!).op(Op.i64GeU).op(Op.if, 0x40);
  condSubP(f, t.slice(0, 8), sc);
  f.op(Op.end);
}

/** z := x + y mod r (all in locals; z may alias x or y). */
export function modAdd(f: FnBuilder, z: number[], x: number[], y: number[], sc: Scratch): void {
  f.i64(0n).set(sc.c);
  for (let j = 0; j < 8; j++) {
    f.get(x[j]!).get(y[j]!).op(Op.i64Add).get(sc.c).op(Op.i64Add).set(sc.s);
    f.get(sc.s).i64(M32).op(Op.i64And).set(z[j]!);
    f.get(sc.s).i64(32n).op(Op.i64ShrU).set(sc.c);
  }
  // x + y < 2r < 2^256: no carry out, one conditional subtraction.
  condSubP(f, z, sc);
}

/** z := x - y mod r (all in locals; z may alias x or y). */
export function modSub(f: FnBuilder, z: number[], x: number[], y: number[], sc: Scratch): void {
  f.i64(0n).set(sc.c);
  for (let j = 0; j < 8; j++) {
    f.get(x[j]!).get(y[j]!).op(Op.i64Sub).get(sc.c).op(Op.i64Sub).set(sc.s);
    f.get(sc.s).i64(M32).op(Op.i64And).set(z[j]!);
    f.get(sc.s).i64(63n).op(Op.i64ShrU).set(sc.c);
  }
  // On borrow add r back: z += borrow * r (the carry out of the top limb is dropped).
  f.get(sc.c).set(sc.m);
  f.i64(0n).set(sc.c);
  for (let j = 0; j < 8; j++) {
    f.get(z[j]!).get(sc.m).i64(sc.mod.limbs[j]!).op(Op.i64Mul).op(Op.i64Add).get(sc.c).op(Op.i64Add).set(sc.s);
    f.get(sc.s).i64(M32).op(Op.i64And).set(z[j]!);
    f.get(sc.s).i64(32n).op(Op.i64ShrU).set(sc.c);
  }
}

/**
 * Emit `block loop (if n == 0 break) body; ptr_k += step_k; n -= 1; continue end end`.
 * `steps` pairs a pointer local with its byte stride (a local or a constant).
 */
export function countedLoop(
  f: FnBuilder,
  n: number,
  steps: { ptr: number; by: number | { local: number } }[],
  body: () => void,
): void {
  f.op(Op.block, 0x40, Op.loop, 0x40);
  f.get(n).op(Op.i32Eqz).op(Op.brIf, 1);
  body();
  for (const { ptr, by } of steps) {
    f.get(ptr);
    if (typeof by === "number") f.i32(by);
    else f.get(by.local);
    f.op(Op.i32Add).set(ptr);
  }
  f.get(n).i32(1).op(Op.i32Sub).set(n);
  f.op(Op.br, 0, Op.end, Op.end);
}

/** mul(out, a, b, n, bStep): out[i] = a[i] * b[i*bStep/32] (bStep 32 for vectors, 0 for a scalar). */
function buildMul(): FnBuilder {
  const f = new FnBuilder([I32, I32, I32, I32, I32]);
  const [out, a, b, n, bStep] = [0, 1, 2, 3, 4];
  const sc = scratch(f);
  const x = f.locals(I64, 8);
  countedLoop(f, n, [{ ptr: out, by: 32 }, { ptr: a, by: 32 }, { ptr: b, by: { local: bStep } }], () => {
    load(f, x, a);
    montMul(f, x, b, sc);
    store(f, out, sc.t.slice(0, 8));
  });
  return f;
}

function buildAddSub(kind: "add" | "sub"): FnBuilder {
  const f = new FnBuilder([I32, I32, I32, I32]);
  const [out, a, b, n] = [0, 1, 2, 3];
  const sc = scratch(f);
  const x = f.locals(I64, 8);
  const y = f.locals(I64, 8);
  countedLoop(f, n, [{ ptr: out, by: 32 }, { ptr: a, by: 32 }, { ptr: b, by: 32 }], () => {
    load(f, x, a);
    load(f, y, b);
    if (kind === "add") modAdd(f, x, x, y, sc);
    else modSub(f, x, x, y, sc);
    store(f, out, x);
  });
  return f;
}

/** sumInto(acc, a, n): acc += sum of a[0..n). */
function buildSumInto(): FnBuilder {
  const f = new FnBuilder([I32, I32, I32]);
  const [acc, a, n] = [0, 1, 2];
  const sc = scratch(f);
  const s = f.locals(I64, 8);
  const x = f.locals(I64, 8);
  load(f, s, acc);
  countedLoop(f, n, [{ ptr: a, by: 32 }], () => {
    load(f, x, a);
    modAdd(f, s, s, x, sc);
  });
  store(f, acc, s);
  return f;
}

/** dotInto(acc, a, b, n): acc += sum of a[i]*b[i]. */
function buildDotInto(): FnBuilder {
  const f = new FnBuilder([I32, I32, I32, I32]);
  const [acc, a, b, n] = [0, 1, 2, 3];
  const sc = scratch(f);
  const s = f.locals(I64, 8);
  const x = f.locals(I64, 8);
  load(f, s, acc);
  countedLoop(f, n, [{ ptr: a, by: 32 }, { ptr: b, by: 32 }], () => {
    load(f, x, a);
    montMul(f, x, b, sc);
    modAdd(f, s, s, sc.t.slice(0, 8), sc);
  });
  store(f, acc, s);
  return f;
}

/** fold(out, lo, hi, r, n): out[i] = lo[i] + r * (hi[i] - lo[i]). */
function buildFold(): FnBuilder {
  const f = new FnBuilder([I32, I32, I32, I32, I32]);
  const [out, lo, hi, r, n] = [0, 1, 2, 3, 4];
  const sc = scratch(f);
  const x = f.locals(I64, 8);
  const y = f.locals(I64, 8);
  countedLoop(f, n, [{ ptr: out, by: 32 }, { ptr: lo, by: 32 }, { ptr: hi, by: 32 }], () => {
    load(f, x, hi);
    load(f, y, lo);
    modSub(f, x, x, y, sc);
    montMul(f, x, r, sc);
    modAdd(f, x, sc.t.slice(0, 8), y, sc);
    store(f, out, x);
  });
  return f;
}

/**
 * 2^224 / r as a double, nudged up by 2^-50 (relative): turns the top 64 bits of a product into a
 * quotient estimate. The nudge makes the rare "one too many" case happen for products just below a
 * multiple of r, so the correction path below is reachable and covered by tests.
 */
const INV_P_224 = (Number((1n << 352n) / MODULUS) / 2 ** 128) * (1 + 2 ** -50);

/**
 * Reduce the 9-limb value x (locals x[0..8], x < 2^31 * r) modulo r into x[0..7].
 * q = floor(top64(x) * 2^224/r), computed in doubles (relative error < 2^-48), is floor(x / r)
 * or one more (only when x / r is within 2^-17 below an integer): x - q*r lies in [-r, 1.0001 r).
 * The rare negative case adds r back; one conditional subtraction finishes.
 */
function reduceSmallProduct(f: FnBuilder, x: number[], q: number, mc: number, sc: Scratch): void {
  f.get(x[8]!).i64(32n).op(Op.i64Shl).get(x[7]!).op(Op.i64Or).op(Op.f64ConvertI64U);
  f.f64(INV_P_224).op(Op.f64Mul).op(Op.i64TruncF64U).set(q);
  f.i64(0n).set(sc.c).i64(0n).set(mc);
  for (let j = 0; j < 8; j++) {
    // prod = q * p_j + mulCarry; x_j -= low(prod) + borrow
    f.get(q).i64(sc.mod.limbs[j]!).op(Op.i64Mul).get(mc).op(Op.i64Add).set(sc.s);
    f.get(sc.s).i64(32n).op(Op.i64ShrU).set(mc);
    f.get(x[j]!).get(sc.s).i64(M32).op(Op.i64And).op(Op.i64Sub).get(sc.c).op(Op.i64Sub).set(sc.s);
    f.get(sc.s).i64(M32).op(Op.i64And).set(x[j]!);
    f.get(sc.s).i64(63n).op(Op.i64ShrU).set(sc.c);
  }
  // Overshot by one r (x went negative): add r back, dropping the carry out of the top limb.
  f.get(x[8]!).get(mc).op(Op.i64Sub).get(sc.c).op(Op.i64Sub).i64(0n).op(Op.i64LtS).op(Op.if, 0x40);
  f.i64(0n).set(sc.c);
  for (let j = 0; j < 8; j++) {
    f.get(x[j]!).i64(sc.mod.limbs[j]!).op(Op.i64Add).get(sc.c).op(Op.i64Add).set(sc.s);
    f.get(sc.s).i64(M32).op(Op.i64And).set(x[j]!);
    f.get(sc.s).i64(32n).op(Op.i64ShrU).set(sc.c);
  }
  f.op(Op.end);
  // Now 0 <= x < 1.0001 r < 2^256: the ninth limb is zero and is dropped.
  condSubP(f, x.slice(0, 8), sc);
}

/**
 * mulSmall(out, a, aStep, k, n): out[i] = a[i*aStep/32] * k[i] where k is an Int32 array
 * (mulSmallAdd: out[i] += that product).
 * Montgomery form is linear, so multiplying the Montgomery limbs by the plain integer k and reducing
 * mod r gives the Montgomery form of the product: 8 word products instead of a full Montgomery mul.
 */
function buildMulSmall(accumulate: boolean): FnBuilder {
  const f = new FnBuilder([I32, I32, I32, I32, I32]);
  const [out, a, aStep, k, n] = [0, 1, 2, 3, 4];
  const sc = scratch(f);
  const x = f.locals(I64, 9);
  const kv = f.local(I64);
  const neg = f.local(I32);
  const q = f.local(I64);
  const mc = f.local(I64);
  const av = f.locals(I64, 8);
  countedLoop(f, n, [{ ptr: out, by: 32 }, { ptr: a, by: { local: aStep } }, { ptr: k, by: 4 }], () => {
    // |k| and its sign
    f.get(k).mem(Op.i64Load32S, 2, 0).set(kv);
    f.get(kv).i64(0n).op(Op.i64LtS).set(neg);
    f.i64(0n).get(kv).op(Op.i64Sub).get(kv).get(neg).op(Op.select).set(kv);
    // a' = (k < 0) ? r - a : a, so that a' * |k| = a * k mod r (a = 0 gives r * |k|, reduced to 0)
    load(f, av, a);
    f.i64(0n).set(sc.c);
    for (let j = 0; j < 8; j++) {
      f.i64(sc.mod.limbs[j]!).get(av[j]!).op(Op.i64Sub).get(sc.c).op(Op.i64Sub).set(sc.s);
      f.get(sc.s).i64(M32).op(Op.i64And).get(av[j]!).get(neg).op(Op.select).set(av[j]!);
      f.get(sc.s).i64(63n).op(Op.i64ShrU).set(sc.c);
    }
    // x = a' * |k|  (9 limbs)
    f.i64(0n).set(sc.c);
    for (let j = 0; j < 8; j++) {
      f.get(av[j]!).get(kv).op(Op.i64Mul).get(sc.c).op(Op.i64Add).set(sc.s);
      f.get(sc.s).i64(M32).op(Op.i64And).set(x[j]!);
      f.get(sc.s).i64(32n).op(Op.i64ShrU).set(sc.c);
    }
    f.get(sc.c).set(x[8]!);
    reduceSmallProduct(f, x, q, mc, sc);
    if (accumulate) {
      // out[i] += product (av is free again)
      load(f, av, out);
      modAdd(f, av, av, x.slice(0, 8), sc);
      store(f, out, av);
    } else {
      store(f, out, x.slice(0, 8));
    }
  });
  return f;
}

/**
 * dotSmallInto(acc, a, k, n): acc += sum_j a[j] * k[j] with k unsigned 32-bit words below 2^16 and
 * n <= 2^12 (the caller's contract). Montgomery form is linear, so the small factors multiply the
 * limbs directly: eight 64-bit column sums of limb x k products (each below 2^60), one carry pass
 * to 9 limbs (below r * 2^28 < 2^31 * r), one `reduceSmallProduct`: 8 word products per term
 * instead of a Montgomery product and a reduction.
 */
function buildDotSmallInto(): FnBuilder {
  const f = new FnBuilder([I32, I32, I32, I32]);
  const [acc, a, k, n] = [0, 1, 2, 3];
  const sc = scratch(f);
  const cols = f.locals(I64, 8);
  const x = f.locals(I64, 9);
  const kv = f.local(I64);
  const q = f.local(I64);
  const mc = f.local(I64);
  for (const c of cols) f.i64(0n).set(c);
  countedLoop(f, n, [{ ptr: a, by: 32 }, { ptr: k, by: 4 }], () => {
    f.get(k).mem(Op.i64Load32U, 2, 0).set(kv);
    for (let j = 0; j < 8; j++) f.get(cols[j]!).get(a).mem(Op.i64Load32U, 2, 4 * j).get(kv).op(Op.i64Mul).op(Op.i64Add).set(cols[j]!);
  });
  // carry pass: x = sum_j cols[j] * 2^(32 j) as 9 limbs
  f.i64(0n).set(sc.c);
  for (let j = 0; j < 8; j++) {
    f.get(cols[j]!).get(sc.c).op(Op.i64Add).set(sc.s);
    f.get(sc.s).i64(M32).op(Op.i64And).set(x[j]!);
    f.get(sc.s).i64(32n).op(Op.i64ShrU).set(sc.c);
  }
  f.get(sc.c).set(x[8]!);
  reduceSmallProduct(f, x, q, mc, sc);
  const s = cols; // free again
  load(f, s, acc);
  modAdd(f, s, s, x.slice(0, 8), sc);
  store(f, acc, s);
  return f;
}

/** The raw exports of the emitted module. */
export interface FrWasmExports {
  memory: WebAssembly.Memory;
  mul(out: number, a: number, b: number, n: number, bStep: number): void;
  add(out: number, a: number, b: number, n: number): void;
  sub(out: number, a: number, b: number, n: number): void;
  sumInto(acc: number, a: number, n: number): void;
  dotInto(acc: number, a: number, b: number, n: number): void;
  fold(out: number, lo: number, hi: number, r: number, n: number): void;
  mulSmall(out: number, a: number, aStep: number, k: number, n: number): void;
  mulSmallAdd(out: number, a: number, aStep: number, k: number, n: number): void;
  dotSmallInto(acc: number, a: number, k: number, n: number): void;
}

/** The module's bytes (deterministic). */
export function emitFrModule(): Uint8Array {
  return assembleModule(WASM_PAGES, [
    { name: "mul", fn: buildMul() },
    { name: "add", fn: buildAddSub("add") },
    { name: "sub", fn: buildAddSub("sub") },
    { name: "sumInto", fn: buildSumInto() },
    { name: "dotInto", fn: buildDotInto() },
    { name: "fold", fn: buildFold() },
    { name: "mulSmall", fn: buildMulSmall(false) },
    { name: "mulSmallAdd", fn: buildMulSmall(true) },
    { name: "dotSmallInto", fn: buildDotSmallInto() },
  ]);
}

/**
 * Compile and instantiate synchronously. Returns null when WebAssembly is missing or refuses
 * (e.g. a browser main thread that limits synchronous compilation); callers fall back to TS.
 */
export function instantiateFrWasm(): FrWasmExports | null {
  try {
    if (typeof WebAssembly === "undefined") return null;
    const module = new WebAssembly.Module(emitFrModule() as BufferSource);
    const instance = new WebAssembly.Instance(module, {});
    return instance.exports as unknown as FrWasmExports;
  } catch {
    return null;
  }
}

/**
 * Compile and instantiate asynchronously: works on a browser main thread, where synchronous
 * compilation of a module this size (about 20 KB) is refused. Resolves to null without WebAssembly.
 */
export async function instantiateFrWasmAsync(): Promise<FrWasmExports | null> {
  try {
    if (typeof WebAssembly === "undefined") return null;
    const module = await WebAssembly.compile(emitFrModule() as BufferSource);
    const instance = await WebAssembly.instantiate(module, {});
    return instance.exports as unknown as FrWasmExports;
  } catch {
    return null;
  }
}
