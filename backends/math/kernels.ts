/**
 * Batch kernels for BN254 Fr over a scratch heap of 32-bit words.
 *
 * An element is 8 little-endian 32-bit limbs in Montgomery form (R = 2^256), fully reduced, so
 * every representation is canonical and the two implementations here (emitted wasm, pure TS) give
 * bit-identical results. Kernels address the heap in *element* offsets (8 words each) except the
 * int32 operand of `mulSmall`, which is a *word* offset. Callers copy chunks in, run kernels, copy
 * results out; the heap is scratch owned by whichever synchronous call is running (never nest).
 *
 * Selection: wasm when WebAssembly compiles synchronously (Node, workers), else pure TS.
 * `useKernels("ts")` forces the fallback (tests compare the two).
 */
import { FR_MODULUS, MODULUS_LIMBS, N_INV_16 } from "./fr-constants.js";
import { instantiateFrWasm, type FrWasmExports } from "./wasm/fr-module.js";

/** The batch operations every implementation provides (offsets in elements unless noted). */
export interface FrKernels {
  readonly kind: "wasm" | "ts";
  /** Scratch memory: element e occupies words [8e, 8e+8). */
  readonly heap: Uint32Array;
  /** Capacity of the heap in elements. */
  readonly heapElements: number;
  /** out[i] = a[i] + b[i] */
  add(out: number, a: number, b: number, n: number): void;
  /** out[i] = a[i] - b[i] */
  sub(out: number, a: number, b: number, n: number): void;
  /** out[i] = a[i] * b[i*bStep], bStep 1 (vector) or 0 (scalar at b) */
  mul(out: number, a: number, b: number, n: number, bStep: 0 | 1): void;
  /** out[i] = a[i*aStep] * k[i], k signed int32 at heap *word* offset kWord */
  mulSmall(out: number, a: number, aStep: 0 | 1, kWord: number, n: number): void;
  /** heap[acc] += sum of a[0..n) */
  sumInto(acc: number, a: number, n: number): void;
  /** heap[acc] += sum of a[i]*b[i] */
  dotInto(acc: number, a: number, b: number, n: number): void;
  /** out[i] = lo[i] + r * (hi[i] - lo[i]) (r one element) */
  fold(out: number, lo: number, hi: number, r: number, n: number): void;
}

// ---------------------------------------------------------------------------------------------
// Pure TS: 16-bit digits in doubles for the product (JS has no 32x32->64 integer multiply).

const P32 = MODULUS_LIMBS;
const P16 = new Float64Array(16);
for (let j = 0; j < 8; j++) {
  P16[2 * j] = P32[j]! & 0xffff;
  P16[2 * j + 1] = P32[j]! >>> 16;
}
const A16 = new Float64Array(16);
const B16 = new Float64Array(16);
const T16 = new Float64Array(18);

/** dst[di..] = x[xi..] * y[yi..] * R^-1 mod r (word offsets). */
export function montMulWords(dst: Uint32Array, di: number, x: Uint32Array, xi: number, y: Uint32Array, yi: number): void {
  for (let j = 0; j < 8; j++) {
    const u = x[xi + j]!;
    const v = y[yi + j]!;
    A16[2 * j] = u & 0xffff;
    A16[2 * j + 1] = u >>> 16;
    B16[2 * j] = v & 0xffff;
    B16[2 * j + 1] = v >>> 16;
  }
  T16.fill(0);
  for (let i = 0; i < 16; i++) {
    const bi = B16[i]!;
    let c = 0;
    for (let j = 0; j < 16; j++) {
      const s = T16[j]! + A16[j]! * bi + c; // < 2^34: exact in a double
      const lo = s & 0xffff; // ToInt32 keeps the low 32 bits of an exact integer
      T16[j] = lo;
      c = (s - lo) / 65536;
    }
    let s = T16[16]! + c;
    let lo = s & 0xffff;
    T16[16] = lo;
    T16[17] = (s - lo) / 65536;
    const m = (T16[0]! * N_INV_16) & 0xffff;
    s = T16[0]! + m * P16[0]!;
    c = (s - (s & 0xffff)) / 65536;
    for (let j = 1; j < 16; j++) {
      s = T16[j]! + m * P16[j]! + c;
      lo = s & 0xffff;
      T16[j - 1] = lo;
      c = (s - lo) / 65536;
    }
    s = T16[16]! + c;
    lo = s & 0xffff;
    T16[15] = lo;
    T16[16] = T16[17]! + (s - lo) / 65536;
  }
  for (let j = 0; j < 8; j++) dst[di + j] = (T16[2 * j]! + T16[2 * j + 1]! * 65536) >>> 0;
  condSubWords(dst, di);
}

/** dst[di..] -= r if dst >= r. */
function condSubWords(dst: Uint32Array, di: number): void {
  for (let j = 7; j >= 0; j--) {
    const w = dst[di + j]!;
    if (w > P32[j]!) break;
    if (w < P32[j]!) return;
  }
  let borrow = 0;
  for (let j = 0; j < 8; j++) {
    let s = dst[di + j]! - P32[j]! - borrow;
    borrow = s < 0 ? 1 : 0;
    if (s < 0) s += 0x100000000;
    dst[di + j] = s;
  }
}

/** dst = x + y mod r (word offsets; dst may alias). */
export function addWords(dst: Uint32Array, di: number, x: Uint32Array, xi: number, y: Uint32Array, yi: number): void {
  let carry = 0;
  for (let j = 0; j < 8; j++) {
    const s = x[xi + j]! + y[yi + j]! + carry;
    carry = s > 0xffffffff ? 1 : 0;
    dst[di + j] = s; // Uint32Array store wraps mod 2^32
  }
  condSubWords(dst, di);
}

/** dst = x - y mod r (word offsets; dst may alias). */
export function subWords(dst: Uint32Array, di: number, x: Uint32Array, xi: number, y: Uint32Array, yi: number): void {
  let borrow = 0;
  for (let j = 0; j < 8; j++) {
    const s = x[xi + j]! - y[yi + j]! - borrow;
    borrow = s < 0 ? 1 : 0;
    dst[di + j] = s; // wraps mod 2^32
  }
  if (borrow) {
    let carry = 0;
    for (let j = 0; j < 8; j++) {
      const s = dst[di + j]! + P32[j]! + carry;
      carry = s > 0xffffffff ? 1 : 0;
      dst[di + j] = s;
    }
  }
}

function wordsToBigint(x: Uint32Array, xi: number): bigint {
  let v = 0n;
  for (let j = 7; j >= 0; j--) v = (v << 32n) | BigInt(x[xi + j]!);
  return v;
}

function bigintToWords(dst: Uint32Array, di: number, v: bigint): void {
  for (let j = 0; j < 8; j++) {
    dst[di + j] = Number(v & 0xffffffffn);
    v >>= 32n;
  }
}

const TMP = new Uint32Array(16);

function makeTsKernels(heapElements: number): FrKernels {
  const heap = new Uint32Array(heapElements * 8);
  const heapI32 = new Int32Array(heap.buffer);
  return {
    kind: "ts",
    heap,
    heapElements,
    add(out, a, b, n) {
      for (let i = 0; i < n; i++) addWords(heap, 8 * (out + i), heap, 8 * (a + i), heap, 8 * (b + i));
    },
    sub(out, a, b, n) {
      for (let i = 0; i < n; i++) subWords(heap, 8 * (out + i), heap, 8 * (a + i), heap, 8 * (b + i));
    },
    mul(out, a, b, n, bStep) {
      for (let i = 0; i < n; i++) montMulWords(heap, 8 * (out + i), heap, 8 * (a + i), heap, 8 * (b + i * bStep));
    },
    mulSmall(out, a, aStep, kWord, n) {
      // Rare in the fallback's users (browsers verify, they do not prove): bigint is enough.
      for (let i = 0; i < n; i++) {
        const v = (wordsToBigint(heap, 8 * (a + i * aStep)) * BigInt(heapI32[kWord + i]!)) % FR_MODULUS;
        bigintToWords(heap, 8 * (out + i), v < 0n ? v + FR_MODULUS : v);
      }
    },
    sumInto(acc, a, n) {
      for (let i = 0; i < n; i++) addWords(heap, 8 * acc, heap, 8 * acc, heap, 8 * (a + i));
    },
    dotInto(acc, a, b, n) {
      for (let i = 0; i < n; i++) {
        montMulWords(TMP, 0, heap, 8 * (a + i), heap, 8 * (b + i));
        addWords(heap, 8 * acc, heap, 8 * acc, TMP, 0);
      }
    },
    fold(out, lo, hi, r, n) {
      for (let i = 0; i < n; i++) {
        subWords(TMP, 0, heap, 8 * (hi + i), heap, 8 * (lo + i));
        montMulWords(TMP, 8, TMP, 0, heap, 8 * r);
        addWords(heap, 8 * (out + i), TMP, 8, heap, 8 * (lo + i));
      }
    },
  };
}

function makeWasmKernels(x: FrWasmExports): FrKernels {
  const heap = new Uint32Array(x.memory.buffer); // the memory never grows, so this view stays valid
  return {
    kind: "wasm",
    heap,
    heapElements: heap.length / 8,
    add: (out, a, b, n) => x.add(out * 32, a * 32, b * 32, n),
    sub: (out, a, b, n) => x.sub(out * 32, a * 32, b * 32, n),
    mul: (out, a, b, n, bStep) => x.mul(out * 32, a * 32, b * 32, n, bStep * 32),
    mulSmall: (out, a, aStep, kWord, n) => x.mulSmall(out * 32, a * 32, aStep * 32, kWord * 4, n),
    sumInto: (acc, a, n) => x.sumInto(acc * 32, a * 32, n),
    dotInto: (acc, a, b, n) => x.dotInto(acc * 32, a * 32, b * 32, n),
    fold: (out, lo, hi, r, n) => x.fold(out * 32, lo * 32, hi * 32, r * 32, n),
  };
}

let tsKernelsInstance: FrKernels | null = null;
let wasmKernelsInstance: FrKernels | null | undefined;

/** The pure-TS kernels (always available). */
export function tsKernels(): FrKernels {
  tsKernelsInstance ??= makeTsKernels(1 << 16);
  return tsKernelsInstance;
}

/** The wasm kernels, or null where WebAssembly cannot be compiled synchronously. */
export function wasmKernels(): FrKernels | null {
  if (wasmKernelsInstance === undefined) {
    const x = instantiateFrWasm();
    wasmKernelsInstance = x ? makeWasmKernels(x) : null;
  }
  return wasmKernelsInstance;
}

let active: FrKernels | null = null;

/** The kernels in use: wasm if available, else TS (or whatever `useKernels` chose). */
export function kernels(): FrKernels {
  active ??= wasmKernels() ?? tsKernels();
  return active;
}

/**
 * Choose the implementation. "wasm" falls back to TS (and returns "ts") where wasm is unavailable.
 * @returns the kind now in use
 */
export function useKernels(kind: "wasm" | "ts"): "wasm" | "ts" {
  active = kind === "wasm" ? (wasmKernels() ?? tsKernels()) : tsKernels();
  return active.kind;
}
