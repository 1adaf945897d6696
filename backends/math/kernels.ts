/**
 * Batch kernels for BN254 Fr over a scratch heap of 32-bit words.
 *
 * An element is 8 little-endian 32-bit limbs in Montgomery form (R = 2^256), fully reduced, so
 * every representation is canonical and the two implementations here (emitted wasm, pure TS) give
 * bit-identical results. Kernels address the heap in *element* offsets (8 words each) except the
 * int32 operand of `mulSmall`, which is a *word* offset. Callers copy chunks in, run kernels, copy
 * results out; the heap is scratch owned by whichever synchronous call is running (never nest).
 *
 * Selection: wasm when WebAssembly compiles synchronously (Node, workers), else pure TS. On a
 * browser main thread (synchronous compilation of large modules is refused there) call
 * `await initKernels()` once before use to get the wasm kernels. `useKernels("ts")` forces the
 * fallback (tests compare the two).
 */
import { FR_MODULUS, MODULUS_LIMBS, modInverse } from "./fr-constants.js";
import { instantiateFrWasm, instantiateFrWasmAsync, type FrWasmExports } from "./wasm/fr-module.js";

/** Most terms of one `dotSmallInto` call (with factors below 2^16 the wasm sums stay exact). */
export const DOT_SMALL_MAX_TERMS = 4096;

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
  /** out[i] += a[i*aStep] * k[i] (same operands as mulSmall) */
  mulSmallAdd(out: number, a: number, aStep: 0 | 1, kWord: number, n: number): void;
  /** heap[acc] += sum of a[0..n) */
  sumInto(acc: number, a: number, n: number): void;
  /** heap[acc] += sum of a[i]*b[i] */
  dotInto(acc: number, a: number, b: number, n: number): void;
  /**
   * heap[acc] += sum of a[i]*k[i], k unsigned 32-bit words below 2^16 at heap *word* offset kWord,
   * n <= DOT_SMALL_MAX_TERMS (callers split longer sums)
   */
  dotSmallInto(acc: number, a: number, kWord: number, n: number): void;
  /** out[i] = lo[i] + r * (hi[i] - lo[i]) (r one element) */
  fold(out: number, lo: number, hi: number, r: number, n: number): void;
}

// ---------------------------------------------------------------------------------------------
// Pure TS. JS has no 32x32->64 integer multiply; measured on Node 20, bigint products per element
// beat a 16-bit-digit Montgomery loop in doubles (0.3 M/s), so the fallback's products go through
// bigint (REDC, no division). Additions stay on limbs.

const P32 = MODULUS_LIMBS;
const M64 = (1n << 64n) - 1n;
const M256 = (1n << 256n) - 1n;
/** -r^-1 mod 2^256 (REDC factor). */
const N_PRIME = (1n << 256n) - modInverse(FR_MODULUS, 1n << 256n);

/** dst -= r if dst >= r (8 words at di). */
function condSubWords(dst: Uint32Array, di: number): void {
  for (let j = 7; j >= 0; j--) {
    const w = dst[di + j]!;
    if (w > P32[j]!) break;
    if (w < P32[j]!) return;
  }
  let borrow = 0;
  for (let j = 0; j < 8; j++) {
    const s = dst[di + j]! - P32[j]! - borrow;
    borrow = s < 0 ? 1 : 0;
    dst[di + j] = s; // Uint32Array stores wrap mod 2^32
  }
}

function makeTsKernels(heapElements: number): FrKernels {
  // Two extra elements past the advertised capacity are private scratch.
  const heap = new Uint32Array((heapElements + 2) * 8);
  const heapI32 = new Int32Array(heap.buffer);
  const view = new DataView(heap.buffer);
  const T0 = heapElements;
  const T1 = heapElements + 1;
  const read = (e: number): bigint => {
    const o = e * 32;
    return (
      view.getBigUint64(o, true) |
      (view.getBigUint64(o + 8, true) << 64n) |
      (view.getBigUint64(o + 16, true) << 128n) |
      (view.getBigUint64(o + 24, true) << 192n)
    );
  };
  const write = (e: number, v: bigint): void => {
    const o = e * 32;
    view.setBigUint64(o, v & M64, true);
    view.setBigUint64(o + 8, (v >> 64n) & M64, true);
    view.setBigUint64(o + 16, (v >> 128n) & M64, true);
    view.setBigUint64(o + 24, v >> 192n, true);
  };
  /** Montgomery product x*y*R^-1 mod r by REDC on bigints: three products, no division. */
  const montMul = (out: number, x: number, y: number): void => {
    const t = read(x) * read(y);
    const m = ((t & M256) * N_PRIME) & M256;
    const u = (t + m * FR_MODULUS) >> 256n;
    write(out, u >= FR_MODULUS ? u - FR_MODULUS : u);
  };
  const add = (out: number, x: number, y: number): void => {
    let carry = 0;
    const [o, a, b] = [8 * out, 8 * x, 8 * y];
    for (let j = 0; j < 8; j++) {
      const s = heap[a + j]! + heap[b + j]! + carry;
      carry = s > 0xffffffff ? 1 : 0;
      heap[o + j] = s;
    }
    condSubWords(heap, o); // x + y < 2r < 2^256: no carry out
  };
  const sub = (out: number, x: number, y: number): void => {
    let borrow = 0;
    const [o, a, b] = [8 * out, 8 * x, 8 * y];
    for (let j = 0; j < 8; j++) {
      const s = heap[a + j]! - heap[b + j]! - borrow;
      borrow = s < 0 ? 1 : 0;
      heap[o + j] = s;
    }
    if (borrow) {
      let carry = 0;
      for (let j = 0; j < 8; j++) {
        const s = heap[o + j]! + P32[j]! + carry;
        carry = s > 0xffffffff ? 1 : 0;
        heap[o + j] = s;
      }
    }
  };
  return {
    kind: "ts",
    heap,
    heapElements,
    add(out, a, b, n) {
      for (let i = 0; i < n; i++) add(out + i, a + i, b + i);
    },
    sub(out, a, b, n) {
      for (let i = 0; i < n; i++) sub(out + i, a + i, b + i);
    },
    mul(out, a, b, n, bStep) {
      for (let i = 0; i < n; i++) montMul(out + i, a + i, b + i * bStep);
    },
    mulSmall(out, a, aStep, kWord, n) {
      for (let i = 0; i < n; i++) {
        const v = (read(a + i * aStep) * BigInt(heapI32[kWord + i]!)) % FR_MODULUS;
        write(out + i, v < 0n ? v + FR_MODULUS : v);
      }
    },
    mulSmallAdd(out, a, aStep, kWord, n) {
      for (let i = 0; i < n; i++) {
        const v = (read(a + i * aStep) * BigInt(heapI32[kWord + i]!)) % FR_MODULUS;
        write(T0, v < 0n ? v + FR_MODULUS : v);
        add(out + i, out + i, T0);
      }
    },
    sumInto(acc, a, n) {
      for (let i = 0; i < n; i++) add(acc, acc, a + i);
    },
    dotInto(acc, a, b, n) {
      for (let i = 0; i < n; i++) {
        montMul(T0, a + i, b + i);
        add(acc, acc, T0);
      }
    },
    dotSmallInto(acc, a, kWord, n) {
      let s = 0n;
      for (let i = 0; i < n; i++) s += read(a + i) * BigInt(heap[kWord + i]!);
      write(T0, s % FR_MODULUS);
      add(acc, acc, T0);
    },
    fold(out, lo, hi, r, n) {
      for (let i = 0; i < n; i++) {
        sub(T0, hi + i, lo + i);
        montMul(T1, T0, r);
        add(out + i, T1, lo + i);
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
    mulSmallAdd: (out, a, aStep, kWord, n) => x.mulSmallAdd(out * 32, a * 32, aStep * 32, kWord * 4, n),
    sumInto: (acc, a, n) => x.sumInto(acc * 32, a * 32, n),
    dotInto: (acc, a, b, n) => x.dotInto(acc * 32, a * 32, b * 32, n),
    dotSmallInto: (acc, a, kWord, n) => x.dotSmallInto(acc * 32, a * 32, kWord * 4, n),
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

/**
 * Make the wasm kernels available by compiling asynchronously (browser main threads), and select
 * them. Harmless where they already are.
 * @returns the kind now in use
 */
export async function initKernels(): Promise<"wasm" | "ts"> {
  if (!wasmKernels()) {
    const x = await instantiateFrWasmAsync();
    if (x) wasmKernelsInstance = makeWasmKernels(x);
  }
  return useKernels("wasm");
}

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
