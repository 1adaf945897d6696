/**
 * BN254 scalar field Fr (snarkjs's bn128 Fr):
 * r = 21888242871839275222246405745257275088548364400416034343698204186575808495617.
 *
 * Two representations, named apart:
 * - **scalars** are `bigint` in standard form, canonical in [0, r). `Fr` (a `Field`) does scalar
 *   arithmetic; fine for rare operations (challenges, claims, round messages).
 * - **vectors** (`FrVector`) are `Uint32Array`s of 8 little-endian 32-bit limbs per element in
 *   Montgomery form (x·2^256 mod r), fully reduced. Batch operations (`vecAdd`, `vecMul`,
 *   `vecMulSmall`, `innerProduct`, `batchInvert`, ...) run on them through the kernels of
 *   `kernels.ts` (emitted wasm, or pure TS where wasm is unavailable; identical results).
 *
 * Conversions: signed JS integers / Int32Array / Float64Array of integers -> field (negative v maps
 * to r - |v|), field -> signed (for values in (-r/2, r/2]), bigint, and bytes (32-byte little-endian
 * canonical standard form per element, as snarkjs writes witnesses).
 */
import { FR_MODULUS, LIMBS, R2_MOD, R_INV, R_MOD, modInverse } from "./fr-constants.js";
import { kernels, type FrKernels } from "./kernels.js";

export { FR_MODULUS } from "./fr-constants.js";

/** Scalar arithmetic of a prime field on canonical bigints. */
export interface Field {
  /** The prime. */
  readonly modulus: bigint;
  /** Bytes of a canonical encoding. */
  readonly byteLength: number;
  readonly zero: bigint;
  readonly one: bigint;
  /** True when a is a canonical element (0 <= a < modulus). */
  isValid(a: bigint): boolean;
  add(a: bigint, b: bigint): bigint;
  sub(a: bigint, b: bigint): bigint;
  neg(a: bigint): bigint;
  mul(a: bigint, b: bigint): bigint;
  /** @throws RangeError for 0 */
  inv(a: bigint): bigint;
  pow(a: bigint, e: bigint): bigint;
  /** Any integer (number must be a safe integer) reduced into the field; -1 -> modulus - 1. */
  fromSigned(v: number | bigint): bigint;
  /** The representative in (-modulus/2, modulus/2]. */
  toSigned(a: bigint): bigint;
  /** Canonical little-endian encoding. */
  toBytes(a: bigint): Uint8Array;
  /** @throws RangeError unless `bytes` is exactly byteLength long and canonical */
  fromBytes(bytes: Uint8Array): bigint;
  /** Little-endian bytes of any length, reduced modulo the prime (used for wide reduction). */
  fromBytesWide(bytes: Uint8Array): bigint;
}

function makePrimeField(p: bigint, byteLength: number): Field {
  const half = p >> 1n;
  const mod = (x: bigint): bigint => {
    const m = x % p;
    return m < 0n ? m + p : m;
  };
  const field: Field = {
    modulus: p,
    byteLength,
    zero: 0n,
    one: 1n,
    isValid: (a) => typeof a === "bigint" && a >= 0n && a < p,
    add: (a, b) => {
      const s = a + b;
      return s >= p ? s - p : s;
    },
    sub: (a, b) => {
      const s = a - b;
      return s < 0n ? s + p : s;
    },
    neg: (a) => (a === 0n ? 0n : p - a),
    mul: (a, b) => (a * b) % p,
    inv: (a) => {
      if (mod(a) === 0n) throw new RangeError("Fr.inv: expected a non-zero element, got 0");
      return modInverse(a, p);
    },
    pow: (a, e) => {
      if (e < 0n) throw new RangeError(`Fr.pow: expected a non-negative exponent, got ${e}`);
      let result = 1n;
      let base = mod(a);
      let k = e;
      while (k > 0n) {
        if (k & 1n) result = (result * base) % p;
        base = (base * base) % p;
        k >>= 1n;
      }
      return result;
    },
    fromSigned: (v) => {
      if (typeof v === "number" && !Number.isSafeInteger(v)) {
        throw new RangeError(`Fr.fromSigned: expected a safe integer, got ${v}`);
      }
      return mod(BigInt(v));
    },
    toSigned: (a) => (a > half ? a - p : a),
    toBytes: (a) => {
      const out = new Uint8Array(byteLength);
      writeBigintLE(out, 0, a, byteLength);
      return out;
    },
    fromBytes: (bytes) => {
      if (bytes.length !== byteLength) {
        throw new RangeError(`Fr.fromBytes: expected ${byteLength} bytes, got ${bytes.length}`);
      }
      const v = bytesToBigintLE(bytes);
      if (v >= p) throw new RangeError("Fr.fromBytes: expected a canonical element (< r), got a larger value");
      return v;
    },
    fromBytesWide: (bytes) => bytesToBigintLE(bytes) % p,
  };
  return Object.freeze(field);
}

const M64 = (1n << 64n) - 1n;

/** Little-endian integer of bytes (64-bit words first: a handful of bigint operations, not one per byte). */
function bytesToBigintLE(bytes: Uint8Array): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = Math.floor(bytes.length / 8);
  let v = 0n;
  for (let i = bytes.length - 1; i >= 8 * words; i--) v = (v << 8n) | BigInt(bytes[i]!);
  for (let w = words - 1; w >= 0; w--) v = (v << 64n) | view.getBigUint64(8 * w, true);
  return v;
}

/**
 * Write the low `byteLength` bytes of a non-negative `v` little-endian at `at` (64-bit words, then
 * single bytes).
 */
export function writeBigintLE(out: Uint8Array, at: number, v: bigint, byteLength: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let i = 0;
  for (; i + 8 <= byteLength; i += 8) {
    view.setBigUint64(at + i, v & M64, true);
    v >>= 64n;
  }
  for (; i < byteLength; i++) {
    out[at + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** The BN254 scalar field. */
export const Fr: Field = makePrimeField(FR_MODULUS, 32);

// ---------------------------------------------------------------------------------------------
// Montgomery limbs <-> bigint for single elements

/** Montgomery limbs of the canonical scalar `v` into `dst` at word offset `di`. */
export function writeMont(dst: Uint32Array, di: number, v: bigint): void {
  let x = (v * R_MOD) % FR_MODULUS;
  for (let j = 0; j < LIMBS; j++) {
    dst[di + j] = Number(x & 0xffffffffn);
    x >>= 32n;
  }
}

/** The canonical scalar held as Montgomery limbs at word offset `si` of `src`. */
export function readMont(src: Uint32Array, si: number): bigint {
  let x = 0n;
  for (let j = LIMBS - 1; j >= 0; j--) x = (x << 32n) | BigInt(src[si + j]!);
  return (x * R_INV) % FR_MODULUS;
}

// ---------------------------------------------------------------------------------------------
// Vectors

/** A vector of Fr elements: 8 Montgomery limbs per element in one Uint32Array. */
export class FrVector {
  /** Number of elements. */
  readonly length: number;
  /** Element i occupies words [8i, 8i+8); Montgomery form, fully reduced. */
  readonly limbs: Uint32Array;

  /**
   * @param lengthOrLimbs element count (zero-filled) or existing limbs (used, not copied)
   * @throws RangeError when the limbs length is not a multiple of 8
   */
  constructor(lengthOrLimbs: number | Uint32Array) {
    if (typeof lengthOrLimbs === "number") {
      if (!Number.isSafeInteger(lengthOrLimbs) || lengthOrLimbs < 0) {
        throw new RangeError(`FrVector: expected a non-negative integer length, got ${lengthOrLimbs}`);
      }
      this.limbs = new Uint32Array(lengthOrLimbs * LIMBS);
    } else {
      if (lengthOrLimbs.length % LIMBS !== 0) {
        throw new RangeError(`FrVector: expected a multiple of ${LIMBS} limbs, got ${lengthOrLimbs.length}`);
      }
      this.limbs = lengthOrLimbs;
    }
    this.length = this.limbs.length / LIMBS;
  }

  /** n zeros. */
  static zeros(n: number): FrVector {
    return new FrVector(n);
  }

  /** n copies of one scalar. */
  static filled(n: number, v: bigint): FrVector {
    const out = new FrVector(n);
    if (n > 0) {
      writeMont(out.limbs, 0, checkScalar(v, "FrVector.filled"));
      for (let i = 1; i < n; i++) out.limbs.copyWithin(i * LIMBS, 0, LIMBS);
    }
    return out;
  }

  /**
   * From canonical scalars.
   * @throws RangeError for a value outside [0, r)
   */
  static fromBigints(values: readonly bigint[]): FrVector {
    const raw = new Uint32Array(values.length * LIMBS);
    values.forEach((v, i) => {
      let x = checkScalar(v, "FrVector.fromBigints");
      for (let j = 0; j < LIMBS; j++) {
        raw[i * LIMBS + j] = Number(x & 0xffffffffn);
        x >>= 32n;
      }
    });
    return rawToMont(raw);
  }

  /** From signed 32-bit integers (negative v -> r - |v|), batched. */
  static fromInt32(values: Int32Array | readonly number[]): FrVector {
    const k = values instanceof Int32Array ? values : Int32Array.from(values);
    return mulSmallImpl(montOne(), 0, k);
  }

  /**
   * From integers held as doubles (quantised tensors): each must be a safe integer.
   * @throws RangeError naming the first non-integer index
   */
  static fromIntegers(values: Float64Array | readonly number[]): FrVector {
    const n = values.length;
    const small = new Int32Array(n);
    const wide: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (!Number.isSafeInteger(v)) {
        throw new RangeError(`FrVector.fromIntegers: expected a safe integer at index ${i}, got ${v}`);
      }
      if ((v | 0) === v) small[i] = v;
      else wide.push(i);
    }
    const out = FrVector.fromInt32(small);
    for (const i of wide) out.set(i, Fr.fromSigned(values[i]!));
    return out;
  }

  /**
   * From 32-byte little-endian canonical encodings, concatenated.
   * @throws RangeError for a length not a multiple of 32 or a non-canonical element
   */
  static fromBytes(bytes: Uint8Array): FrVector {
    if (bytes.length % 32 !== 0) {
      throw new RangeError(`FrVector.fromBytes: expected a multiple of 32 bytes, got ${bytes.length}`);
    }
    const n = bytes.length / 32;
    const raw = new Uint32Array(n * LIMBS);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let w = 0; w < raw.length; w++) raw[w] = view.getUint32(4 * w, true);
    for (let i = 0; i < n; i++) {
      if (!wordsBelowModulus(raw, i * LIMBS)) {
        throw new RangeError(`FrVector.fromBytes: expected canonical elements (< r), element ${i} is not`);
      }
    }
    return rawToMont(raw);
  }

  /** Element i as a canonical scalar. */
  get(i: number): bigint {
    return readMont(this.limbs, this.index(i) * LIMBS);
  }

  /** Set element i from a canonical scalar. */
  set(i: number, v: bigint): void {
    writeMont(this.limbs, this.index(i) * LIMBS, checkScalar(v, "FrVector.set"));
  }

  /** All elements as canonical scalars. */
  toBigints(): bigint[] {
    const raw = montToRaw(this);
    const out: bigint[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) {
      let x = 0n;
      for (let j = LIMBS - 1; j >= 0; j--) x = (x << 32n) | BigInt(raw[i * LIMBS + j]!);
      out[i] = x;
    }
    return out;
  }

  /** All elements as signed representatives in (-r/2, r/2]. */
  toSignedBigints(): bigint[] {
    return this.toBigints().map((v) => Fr.toSigned(v));
  }

  /**
   * All elements as signed numbers.
   * @throws RangeError when a representative is not a safe integer
   */
  toSignedNumbers(): Float64Array {
    const out = new Float64Array(this.length);
    this.toSignedBigints().forEach((v, i) => {
      const n = Number(v);
      if (!Number.isSafeInteger(n)) {
        throw new RangeError(`FrVector.toSignedNumbers: element ${i} (${v}) is not a safe integer`);
      }
      out[i] = n;
    });
    return out;
  }

  /** 32-byte little-endian canonical encodings, concatenated. */
  toBytes(): Uint8Array {
    const raw = montToRaw(this);
    const out = new Uint8Array(this.length * 32);
    const view = new DataView(out.buffer);
    for (let w = 0; w < raw.length; w++) view.setUint32(4 * w, raw[w]!, true);
    return out;
  }

  /** A copy of elements [start, end). */
  slice(start = 0, end = this.length): FrVector {
    return new FrVector(this.limbs.slice(start * LIMBS, end * LIMBS));
  }

  /** A view (shared limbs) of elements [start, end). */
  subarray(start = 0, end = this.length): FrVector {
    return new FrVector(this.limbs.subarray(start * LIMBS, end * LIMBS));
  }

  clone(): FrVector {
    return new FrVector(this.limbs.slice());
  }

  /** True when both hold the same elements. */
  equals(other: FrVector): boolean {
    if (other.length !== this.length) return false;
    for (let w = 0; w < this.limbs.length; w++) if (this.limbs[w] !== other.limbs[w]) return false;
    return true;
  }

  private index(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new RangeError(`FrVector: index ${i} out of range [0, ${this.length})`);
    }
    return i;
  }
}

function checkScalar(v: bigint, where: string): bigint {
  if (typeof v !== "bigint" || v < 0n || v >= FR_MODULUS) {
    throw new RangeError(`${where}: expected a canonical field element (bigint in [0, r)), got ${String(v)}`);
  }
  return v;
}

function wordsBelowModulus(words: Uint32Array, wi: number): boolean {
  const p = MOD_WORDS;
  for (let j = LIMBS - 1; j >= 0; j--) {
    if (words[wi + j]! < p[j]!) return true;
    if (words[wi + j]! > p[j]!) return false;
  }
  return false;
}

const MOD_WORDS = (() => {
  const w = new Uint32Array(LIMBS);
  let x = FR_MODULUS;
  for (let j = 0; j < LIMBS; j++) {
    w[j] = Number(x & 0xffffffffn);
    x >>= 32n;
  }
  return w;
})();

/** A single element holding the raw (non-Montgomery) limbs of `v`. */
function rawLimbs(v: bigint): Uint32Array {
  const w = new Uint32Array(LIMBS);
  for (let j = 0; j < LIMBS; j++) {
    w[j] = Number(v & 0xffffffffn);
    v >>= 32n;
  }
  return w;
}

// Montgomery multiplication by R^2 maps standard -> Montgomery; by raw 1 maps Montgomery -> standard.
const RAW_R2 = rawLimbs(R2_MOD);
const RAW_ONE = rawLimbs(1n);
const RAW_R = rawLimbs(R_MOD);

function montOne(): Uint32Array {
  return RAW_R;
}

/** Elements per chunk copied through the kernel heap (the TS heap holds 2^16 elements). */
const CHUNK = 4096;

/**
 * Run `op` over [0, n) in chunks: inputs are copied to heap regions 0, C, 2C, ..., the output
 * region follows them and is copied back into `out`.
 */
function chunked(
  n: number,
  inputs: Uint32Array[],
  out: Uint32Array,
  op: (k: FrKernels, outOff: number, inOffs: number[], m: number) => void,
): void {
  const k = kernels();
  const outOff = inputs.length * CHUNK;
  const inOffs = inputs.map((_, i) => i * CHUNK);
  for (let s = 0; s < n; s += CHUNK) {
    const m = Math.min(CHUNK, n - s);
    inputs.forEach((a, i) => k.heap.set(a.subarray(s * LIMBS, (s + m) * LIMBS), inOffs[i]! * LIMBS));
    op(k, outOff, inOffs, m);
    out.set(k.heap.subarray(outOff * LIMBS, (outOff + m) * LIMBS), s * LIMBS);
  }
}

/** Multiply every element by one constant element given as raw limbs (Montgomery product). */
function mulByConstLimbs(a: Uint32Array, n: number, constant: Uint32Array): Uint32Array {
  const out = new Uint32Array(n * LIMBS);
  const cOff = 2 * CHUNK;
  chunked(n, [a], out, (kk, o, [x], m) => {
    kk.heap.set(constant, cOff * LIMBS); // the slot sits past the regions chunked() uses
    kk.mul(o, x!, cOff, m, 0);
  });
  return out;
}

/** Standard-form limbs (each < r) -> Montgomery vector. */
function rawToMont(raw: Uint32Array): FrVector {
  return new FrVector(mulByConstLimbs(raw, raw.length / LIMBS, RAW_R2));
}

/** Montgomery vector -> standard-form limbs. */
function montToRaw(v: FrVector): Uint32Array {
  return mulByConstLimbs(v.limbs, v.length, RAW_ONE);
}

function checkSameLength(a: FrVector, b: { length: number }, where: string): void {
  if (a.length !== b.length) {
    throw new RangeError(`${where}: expected vectors of equal length, got ${a.length} and ${b.length}`);
  }
}

function outFor(n: number, out: FrVector | undefined, where: string): FrVector {
  if (!out) return new FrVector(n);
  if (out.length !== n) throw new RangeError(`${where}: expected an output of length ${n}, got ${out.length}`);
  return out;
}

/** a + b elementwise (into `out` if given; out may be a or b). */
export function vecAdd(a: FrVector, b: FrVector, out?: FrVector): FrVector {
  checkSameLength(a, b, "vecAdd");
  const o = outFor(a.length, out, "vecAdd");
  chunked(a.length, [a.limbs, b.limbs], o.limbs, (k, oo, [x, y], m) => k.add(oo, x!, y!, m));
  return o;
}

/** a - b elementwise. */
export function vecSub(a: FrVector, b: FrVector, out?: FrVector): FrVector {
  checkSameLength(a, b, "vecSub");
  const o = outFor(a.length, out, "vecSub");
  chunked(a.length, [a.limbs, b.limbs], o.limbs, (k, oo, [x, y], m) => k.sub(oo, x!, y!, m));
  return o;
}

/** a * b elementwise (Hadamard product). */
export function vecMul(a: FrVector, b: FrVector, out?: FrVector): FrVector {
  checkSameLength(a, b, "vecMul");
  const o = outFor(a.length, out, "vecMul");
  chunked(a.length, [a.limbs, b.limbs], o.limbs, (k, oo, [x, y], m) => k.mul(oo, x!, y!, m, 1));
  return o;
}

/** s * a for a scalar s. */
export function vecScale(a: FrVector, s: bigint, out?: FrVector): FrVector {
  const o = outFor(a.length, out, "vecScale");
  const sl = new Uint32Array(LIMBS);
  writeMont(sl, 0, checkScalar(s, "vecScale"));
  o.limbs.set(mulByConstLimbs(a.limbs, a.length, sl));
  return o;
}

/** a[i] * k[i] for signed 32-bit integers k (the quantised-weight case): no full field product. */
export function vecMulSmall(a: FrVector, k: Int32Array, out?: FrVector): FrVector {
  checkSameLength(a, k, "vecMulSmall");
  return mulSmallImpl(a.limbs, 1, k, outFor(a.length, out, "vecMulSmall"));
}

/** s * k[i] for one scalar s and signed 32-bit integers k. */
export function vecScaleInts(s: bigint, k: Int32Array): FrVector {
  const sl = new Uint32Array(LIMBS);
  writeMont(sl, 0, checkScalar(s, "vecScaleInts"));
  return mulSmallImpl(sl, 0, k);
}

/**
 * acc[i] += s * k[i] in place, for one scalar s and signed 32-bit integers k: the row-by-row step
 * of contracting an integer matrix with a field vector (e.g. sum_i eq(r, i) * W[i, :]).
 * @returns acc
 */
export function vecAddScaledInts(acc: FrVector, s: bigint, k: Int32Array): FrVector {
  checkSameLength(acc, k, "vecAddScaledInts");
  const kern = kernels();
  const heapI32 = new Int32Array(kern.heap.buffer, kern.heap.byteOffset, kern.heap.length);
  // heap: acc chunk [0, C), s at 2C, ints from word 8(2C+1)
  const sOff = 2 * CHUNK;
  const kWord = (2 * CHUNK + 1) * LIMBS;
  writeMont(kern.heap, sOff * LIMBS, checkScalar(s, "vecAddScaledInts"));
  for (let start = 0; start < k.length; start += CHUNK) {
    const m = Math.min(CHUNK, k.length - start);
    kern.heap.set(acc.limbs.subarray(start * LIMBS, (start + m) * LIMBS), 0);
    heapI32.set(k.subarray(start, start + m), kWord);
    kern.mulSmallAdd(0, sOff, 0, kWord, m);
    acc.limbs.set(kern.heap.subarray(0, m * LIMBS), start * LIMBS);
  }
  return acc;
}

/** Shared by vecMulSmall (aStep 1) and the int conversions / vecScaleInts (aStep 0). */
function mulSmallImpl(a: Uint32Array, aStep: 0 | 1, k: Int32Array, into?: FrVector): FrVector {
  const n = k.length;
  const out = into ?? new FrVector(n);
  const kern = kernels();
  const heapI32 = new Int32Array(kern.heap.buffer, kern.heap.byteOffset, kern.heap.length);
  const aOff = 0;
  const outOff = CHUNK;
  const kWord = 2 * CHUNK * LIMBS;
  if (aStep === 0) kern.heap.set(a.subarray(0, LIMBS), aOff * LIMBS);
  for (let s = 0; s < n; s += CHUNK) {
    const m = Math.min(CHUNK, n - s);
    if (aStep === 1) kern.heap.set(a.subarray(s * LIMBS, (s + m) * LIMBS), aOff * LIMBS);
    heapI32.set(k.subarray(s, s + m), kWord);
    kern.mulSmall(outOff, aOff, aStep, kWord, m);
    out.limbs.set(kern.heap.subarray(outOff * LIMBS, (outOff + m) * LIMBS), s * LIMBS);
  }
  return out;
}

/** Sum of a[i] * b[i]. */
export function innerProduct(a: FrVector, b: FrVector): bigint {
  checkSameLength(a, b, "innerProduct");
  const k = kernels();
  const acc = 2 * CHUNK;
  k.heap.fill(0, acc * LIMBS, (acc + 1) * LIMBS);
  for (let s = 0; s < a.length; s += CHUNK) {
    const m = Math.min(CHUNK, a.length - s);
    k.heap.set(a.limbs.subarray(s * LIMBS, (s + m) * LIMBS), 0);
    k.heap.set(b.limbs.subarray(s * LIMBS, (s + m) * LIMBS), CHUNK * LIMBS);
    k.dotInto(acc, 0, CHUNK, m);
  }
  return readMont(k.heap, acc * LIMBS);
}

/** Sum of all elements. */
export function vecSum(a: FrVector): bigint {
  const k = kernels();
  const acc = CHUNK;
  k.heap.fill(0, acc * LIMBS, (acc + 1) * LIMBS);
  for (let s = 0; s < a.length; s += CHUNK) {
    const m = Math.min(CHUNK, a.length - s);
    k.heap.set(a.limbs.subarray(s * LIMBS, (s + m) * LIMBS), 0);
    k.sumInto(acc, 0, m);
  }
  return readMont(k.heap, acc * LIMBS);
}

/**
 * Elementwise inverses by Montgomery's trick (one scalar inversion, 3(n-1) products).
 * Zeros have no inverse: they map to zero (callers that need non-zero inputs check first).
 */
export function batchInvert(a: FrVector, out?: FrVector): FrVector {
  const n = a.length;
  const o = outFor(n, out, "batchInvert");
  const k = kernels();
  const h = k.heap;
  // heap slots: 0 = running product, 1 = current element, 2 = product result
  const isZero = (i: number): boolean => {
    for (let j = 0; j < LIMBS; j++) if (a.limbs[i * LIMBS + j] !== 0) return false;
    return true;
  };
  const prefix = new Uint32Array(n * LIMBS); // exclusive prefix products of the non-zero elements
  h.set(RAW_R, 0); // Montgomery 1
  for (let i = 0; i < n; i++) {
    prefix.set(h.subarray(0, LIMBS), i * LIMBS);
    if (isZero(i)) continue;
    h.set(a.limbs.subarray(i * LIMBS, (i + 1) * LIMBS), LIMBS);
    k.mul(0, 0, 1, 1, 1);
  }
  const total = readMont(h, 0);
  writeMont(h, 0, modInverse(total, FR_MODULUS)); // inverse of the running product
  const aCopy = a.limbs.slice(); // `out` may alias `a`
  for (let i = n - 1; i >= 0; i--) {
    let zero = true;
    for (let j = 0; j < LIMBS; j++) if (aCopy[i * LIMBS + j] !== 0) zero = false;
    if (zero) {
      o.limbs.fill(0, i * LIMBS, (i + 1) * LIMBS);
      continue;
    }
    h.set(prefix.subarray(i * LIMBS, (i + 1) * LIMBS), LIMBS);
    k.mul(2, 0, 1, 1, 1); // inv(a_i) = inv(prefix_{i+1}) * prefix_i
    h.set(aCopy.subarray(i * LIMBS, (i + 1) * LIMBS), LIMBS);
    k.mul(0, 0, 1, 1, 1); // inv(prefix_i) = inv(prefix_{i+1}) * a_i
    o.limbs.set(h.subarray(2 * LIMBS, 3 * LIMBS), i * LIMBS);
  }
  return o;
}
