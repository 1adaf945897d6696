/**
 * BN254 G1 for commitments: the point type, a canonical byte encoding, and multi-scalar
 * multiplication (MSM) engines.
 *
 * Points are @noble/curves' projective `G1Point` (plain TS, works everywhere). Encoding: 64 bytes,
 * affine x ‖ y, each 32-byte little-endian canonical in [0, p); the identity is 64 zero bytes
 * ((0, 0) is not on y^2 = x^3 + 3, so the encoding is unambiguous). Decoding checks canonicity and
 * curve membership (G1 has cofactor 1, so on-curve means in the group). Commitments in proofs use the
 * 32-byte compressed form (`compressPoint`: x and the parity of y).
 *
 * Engines (same results, tests compare them):
 * - `"ffjavascript"`: iden3's wasm MSM with worker threads (the curve snarkjs uses, shared through
 *   `globalThis.curve_bn128`). About 10x faster than noble's pippenger. Its workers keep the
 *   process alive until `terminateCurve()`. In a browser it needs Web Workers and wasm.
 * - `"noble"`: pure TS (noble's pippenger for full scalars, a bucket method for small scalars).
 */
import { bn254 } from "@noble/curves/bn254.js";
import { pippenger } from "@noble/curves/abstract/curve.js";
import { FR_MODULUS } from "../field.js";
import { CONST_BYTES, FQ_PRIME, FQ_WASM_PAGES, SQRT_TMP_BYTES, instantiateFqWasm, instantiateFqWasmAsync, type FqWasmExports } from "../wasm/fq-module.js";

/** A G1 point (projective, @noble/curves). */
export const G1 = bn254.G1.Point;
export type G1Point = InstanceType<typeof bn254.G1.Point>;

/** The base field prime p of BN254 (coordinates of G1 points). */
export const FQ_MODULUS: bigint = bn254.G1.Point.Fp.ORDER;
if (FQ_MODULUS !== FQ_PRIME) throw new Error("internal error: the base field of @noble/curves' bn254 is not the wasm kernels' prime");

/** Bytes of one encoded point. */
export const POINT_BYTES = 64;

/** Write a 256-bit value as 32 little-endian bytes at `at`. */
export function writeLE(out: Uint8Array, at: number, v: bigint): void {
  write256(new DataView(out.buffer, out.byteOffset, out.byteLength), at, v);
}

/** Read 32 little-endian bytes at `at`. */
export function readLE(bytes: Uint8Array, at: number): bigint {
  let v = 0n;
  for (let i = 31; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]!);
  return v;
}

/** Encode a point (see the module header). */
export function encodePoint(p: G1Point, out = new Uint8Array(POINT_BYTES), at = 0): Uint8Array {
  if (p.is0()) {
    out.fill(0, at, at + POINT_BYTES);
    return out;
  }
  const { x, y } = p.toAffine();
  writeLE(out, at, x);
  writeLE(out, at + 32, y);
  return out;
}

/** Decode a point; null (never a throw) for a bad length, non-canonical coordinates or a point off the curve. */
export function decodePoint(bytes: Uint8Array, at = 0): G1Point | null {
  if (!(bytes instanceof Uint8Array) || bytes.length < at + POINT_BYTES) return null;
  const x = readLE(bytes, at);
  const y = readLE(bytes, at + 32);
  if (x === 0n && y === 0n) return G1.ZERO;
  if (x >= FQ_MODULUS || y >= FQ_MODULUS) return null;
  if ((y * y - (x * x * x + 3n)) % FQ_MODULUS !== 0n) return null;
  return G1.fromAffine({ x, y });
}

/** Bytes of one compressed point (`compressPoint`). */
export const COMPRESSED_POINT_BYTES = 32;

/** Flag bits in the last byte of a compressed point (p < 2^254 leaves the top two bits of x free). */
const FLAG_ODD_Y = 0x80;
const FLAG_INFINITY = 0x40;

/**
 * Compressed encoding (32 bytes): x little-endian, with bit 255 set when y is odd; the identity is
 * bit 254 alone (x = 0 is a point of the curve, y^2 = 3 has roots, so zero bytes would be ambiguous).
 * Proof files and the transcript carry this form: half the bytes of `encodePoint`.
 */
export function compressPoint(p: G1Point, out = new Uint8Array(COMPRESSED_POINT_BYTES), at = 0): Uint8Array {
  out.fill(0, at, at + COMPRESSED_POINT_BYTES);
  if (p.is0()) {
    out[at + 31] = FLAG_INFINITY;
    return out;
  }
  const { x, y } = p.toAffine();
  writeLE(out, at, x);
  if (y & 1n) out[at + 31]! |= FLAG_ODD_Y;
  return out;
}

/**
 * Inverse of `compressPoint`; null (never a throw) for a bad length, x >= p, stray flag bits or an
 * x with no point on the curve. Every accepted encoding is the one `compressPoint` writes, and
 * every result is in the group (G1 has cofactor 1).
 */
export function decompressPoint(bytes: Uint8Array, at = 0): G1Point | null {
  if (!(bytes instanceof Uint8Array) || bytes.length < at + COMPRESSED_POINT_BYTES) return null;
  const last = bytes[at + 31]!;
  const flags = last & (FLAG_ODD_Y | FLAG_INFINITY);
  if (flags & FLAG_INFINITY) {
    if (flags !== FLAG_INFINITY) return null;
    for (let i = 0; i < 31; i++) if (bytes[at + i] !== 0) return null;
    return (last & ~FLAG_INFINITY) === 0 ? G1.ZERO : null;
  }
  // a copy (not `slice`: on a Node Buffer that is a view, and clearing the flag would edit the proof)
  const body = new Uint8Array(bytes.subarray(at, at + 32));
  body[31] = last & ~FLAG_ODD_Y;
  const x = readLE(body, 0);
  if (x >= FQ_MODULUS) return null;
  const Fp = G1.Fp;
  let y: bigint;
  try {
    y = Fp.sqrt(Fp.add(Fp.mul(Fp.sqr(x), x), 3n));
  } catch {
    return null; // x^3 + 3 is not a square: no point has this x
  }
  if (((y & 1n) === 1n) !== ((flags & FLAG_ODD_Y) !== 0)) y = Fp.neg(y);
  // y = 0 would make the sign bit meaningless; x^3 = -3 has no root in Fp for this curve, but check anyway
  if (y === 0n && flags !== 0) return null;
  return G1.fromAffine({ x, y });
}

// ---------------------------------------------------------------------------------------------
// Base-field wasm: batched square roots (decompression) and Montgomery conversion (MSM bases)

let fqWasm: FqWasmExports | null | undefined;
/** The Fq kernels, or null where WebAssembly cannot be compiled synchronously (bigint fallback). */
function fqKernels(): FqWasmExports | null {
  if (fqWasm === undefined) fqWasm = instantiateFqWasm();
  return fqWasm;
}

/**
 * Compile the base-field wasm asynchronously: a browser main thread refuses synchronous
 * compilation of all but tiny modules, so verifiers call this once before decoding points there.
 */
export async function initCurveWasm(): Promise<boolean> {
  if (fqWasm === undefined) fqWasm = instantiateFqWasm() ?? (await instantiateFqWasmAsync());
  return fqWasm !== null;
}

/** Use the bigint paths only (false) or the wasm ones where they load (true): tests compare both. */
export function useCurveWasm(on: boolean): void {
  fqWasm = on ? undefined : null;
}

/** Points per wasm call: x, y (32 bytes each) and a flag word per point, within the module's memory. */
const FQ_CHUNK = Math.floor((FQ_WASM_PAGES * 65536 - CONST_BYTES - SQRT_TMP_BYTES) / 68);

function read256(view: DataView, at: number): bigint {
  return view.getBigUint64(at, true) | (view.getBigUint64(at + 8, true) << 64n) | (view.getBigUint64(at + 16, true) << 128n) | (view.getBigUint64(at + 24, true) << 192n);
}

/**
 * `count` consecutive compressed points from `at`, as `decompressPoint` decodes each (same
 * points, same refusals); null when any is malformed. The square roots run in one wasm call per
 * chunk instead of one bigint exponentiation per point.
 */
export function decompressPoints(bytes: Uint8Array, at: number, count: number): G1Point[] | null {
  if (!(bytes instanceof Uint8Array) || !Number.isSafeInteger(count) || count < 0 || bytes.length < at + count * COMPRESSED_POINT_BYTES) return null;
  const fq = fqKernels();
  const out: G1Point[] = new Array(count);
  if (!fq) {
    for (let i = 0; i < count; i++) {
      const p = decompressPoint(bytes, at + i * COMPRESSED_POINT_BYTES);
      if (!p) return null;
      out[i] = p;
    }
    return out;
  }
  for (let start = 0; start < count; start += FQ_CHUNK) {
    const m = Math.min(FQ_CHUNK, count - start);
    const mem = new Uint8Array(fq.memory.buffer);
    const view = new DataView(fq.memory.buffer);
    const xsAt = CONST_BYTES;
    const ysAt = xsAt + 32 * m;
    const okAt = ysAt + 32 * m;
    const tmpAt = okAt + 4 * m;
    const xs: bigint[] = new Array(m);
    const flagsOf = new Uint8Array(m);
    for (let i = 0; i < m; i++) {
      const src = at + (start + i) * COMPRESSED_POINT_BYTES;
      const last = bytes[src + 31]!;
      const flags = last & (FLAG_ODD_Y | FLAG_INFINITY);
      const dst = xsAt + 32 * i;
      if (flags & FLAG_INFINITY) {
        if (flags !== FLAG_INFINITY || last !== FLAG_INFINITY) return null;
        for (let j = 0; j < 31; j++) if (bytes[src + j] !== 0) return null;
        mem.fill(0, dst, dst + 32);
        flagsOf[i] = FLAG_INFINITY;
        continue;
      }
      mem.set(bytes.subarray(src, src + 32), dst);
      mem[dst + 31] = last & ~FLAG_ODD_Y;
      const x = read256(view, dst);
      if (x >= FQ_MODULUS) return null;
      xs[i] = x;
      flagsOf[i] = flags;
    }
    fq.sqrtRhs(ysAt, okAt, xsAt, m, tmpAt);
    for (let i = 0; i < m; i++) {
      const flags = flagsOf[i]!;
      if (flags & FLAG_INFINITY) {
        out[start + i] = G1.ZERO;
        continue;
      }
      if (view.getUint32(okAt + 4 * i, true) !== 1) return null; // x^3 + 3 is not a square
      let y = read256(view, ysAt + 32 * i);
      if (((y & 1n) === 1n) !== ((flags & FLAG_ODD_Y) !== 0)) y = y === 0n ? 0n : FQ_MODULUS - y;
      if (y === 0n && flags !== 0) return null;
      out[start + i] = G1.fromAffine({ x: xs[i]!, y });
    }
  }
  return out;
}

/**
 * For each canonical x (0 <= x < p): a square root of x^3 + 3, or null when it has none (no
 * curve point has abscissa x). Batched through the wasm kernels when they load.
 */
export function curveRhsSqrts(xs: readonly bigint[]): (bigint | null)[] {
  const fq = fqKernels();
  const Fp = G1.Fp;
  if (!fq) {
    return xs.map((x) => {
      try {
        return Fp.sqrt(Fp.add(Fp.mul(Fp.sqr(x), x), 3n));
      } catch {
        return null;
      }
    });
  }
  const out: (bigint | null)[] = new Array(xs.length);
  for (let start = 0; start < xs.length; start += FQ_CHUNK) {
    const m = Math.min(FQ_CHUNK, xs.length - start);
    const view = new DataView(fq.memory.buffer);
    const xsAt = CONST_BYTES;
    const ysAt = xsAt + 32 * m;
    const okAt = ysAt + 32 * m;
    for (let i = 0; i < m; i++) {
      const x = xs[start + i]!;
      if (x < 0n || x >= FQ_MODULUS) throw new RangeError("curveRhsSqrts: expected coordinates in [0, p)");
      write256(view, xsAt + 32 * i, x);
    }
    fq.sqrtRhs(ysAt, okAt, xsAt, m, okAt + 4 * m);
    for (let i = 0; i < m; i++) out[start + i] = view.getUint32(okAt + 4 * i, true) === 1 ? read256(view, ysAt + 32 * i) : null;
  }
  return out;
}

/**
 * x·2^256 mod p for each x, as 32-byte little-endian words written at `out + 64·i + offset`
 * (ffjavascript's affine Montgomery layout), through the wasm kernels when they load.
 */
function writeMontgomeryFq(values: readonly bigint[], out: Uint8Array, stride: number, offset: number): void {
  const fq = fqKernels();
  if (!fq) {
    values.forEach((v, i) => writeLE(out, i * stride + offset, (v << 256n) % FQ_MODULUS));
    return;
  }
  const chunk = Math.floor((FQ_WASM_PAGES * 65536 - CONST_BYTES) / 64);
  for (let start = 0; start < values.length; start += chunk) {
    const m = Math.min(chunk, values.length - start);
    const view = new DataView(fq.memory.buffer);
    const inAt = CONST_BYTES;
    const outAt = inAt + 32 * m;
    for (let i = 0; i < m; i++) write256(view, inAt + 32 * i, values[start + i]!);
    fq.toMont(outAt, inAt, m);
    const mem = new Uint8Array(fq.memory.buffer);
    for (let i = 0; i < m; i++) out.set(mem.subarray(outAt + 32 * i, outAt + 32 * i + 32), (start + i) * stride + offset);
  }
}

const M64 = (1n << 64n) - 1n;
function write256(view: DataView, at: number, v: bigint): void {
  view.setBigUint64(at, v & M64, true);
  view.setBigUint64(at + 8, (v >> 64n) & M64, true);
  view.setBigUint64(at + 16, (v >> 128n) & M64, true);
  view.setBigUint64(at + 24, v >> 192n, true);
}

/** True for a well-formed point object on the curve (used by verifiers on untrusted input). */
export function isG1Point(p: unknown): p is G1Point {
  if (!(p instanceof G1)) return false;
  try {
    (p as G1Point).assertValidity();
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Prepared point sets

/**
 * A list of base points prepared for repeated MSMs (the ffjavascript engine caches its wasm
 * buffer here, so generators are converted once).
 */
export class PointSet {
  readonly points: readonly G1Point[];
  private lem: Uint8Array | undefined;

  constructor(points: readonly G1Point[]) {
    this.points = points;
  }

  get length(): number {
    return this.points.length;
  }

  /** 64-byte affine little-endian Montgomery buffers (ffjavascript's input format), cached. */
  lemBytes(): Uint8Array {
    if (!this.lem) {
      const out = new Uint8Array(this.points.length * POINT_BYTES);
      // (0, 0) is ffjavascript's affine identity, and 0 stays 0 in Montgomery form
      const affine = this.points.map((p) => (p.is0() ? { x: 0n, y: 0n } : p.toAffine()));
      writeMontgomeryFq(affine.map((a) => a.x), out, POINT_BYTES, 0);
      writeMontgomeryFq(affine.map((a) => a.y), out, POINT_BYTES, 32);
      this.lem = out;
    }
    return this.lem;
  }
}

// ---------------------------------------------------------------------------------------------
// Engines

/** Multi-scalar multiplication over G1. */
export interface MsmEngine {
  readonly kind: "ffjavascript" | "noble";
  /**
   * sum_i scalars[i] * points[i] for canonical scalars in [0, r).
   * @throws RangeError when the lengths differ
   */
  msm(points: PointSet, scalars: readonly bigint[]): Promise<G1Point>;
  /**
   * sum_i scalars[i] * points[i] for small non-negative integer scalars below 2^bits (bits <= 32).
   * @throws RangeError when the lengths differ or bits is out of range
   */
  msmSmall(points: PointSet, scalars: Uint32Array, bits: number): Promise<G1Point>;
}

function checkLengths(points: PointSet, n: number, where: string): void {
  if (points.length !== n) throw new RangeError(`${where}: expected ${points.length} scalars (one per point), got ${n}`);
}

function checkBits(bits: number, where: string): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > 32) throw new RangeError(`${where}: expected 1 <= bits <= 32, got ${bits}`);
}

/** Bucket MSM for small scalars in pure TS: windows of c bits, running sums per window. */
function bucketMsm(points: readonly G1Point[], scalars: Uint32Array, bits: number): G1Point {
  const n = points.length;
  const c = Math.max(1, Math.min(bits, Math.floor(Math.log2(Math.max(2, n))) - 2));
  const windows = Math.ceil(bits / c);
  let acc = G1.ZERO;
  for (let w = windows - 1; w >= 0; w--) {
    for (let d = 0; d < c; d++) acc = acc.double();
    const buckets: (G1Point | null)[] = new Array(2 ** c).fill(null);
    const shift = w * c;
    const mask = 2 ** c - 1;
    for (let i = 0; i < n; i++) {
      const digit = Math.floor(scalars[i]! / 2 ** shift) & mask;
      if (digit === 0) continue;
      const b = buckets[digit];
      buckets[digit] = b ? b.add(points[i]!) : points[i]!;
    }
    // sum_d d * bucket[d] = sum over d of (bucket[top] + ... + bucket[d])
    let running = G1.ZERO;
    let sum = G1.ZERO;
    for (let d = 2 ** c - 1; d >= 1; d--) {
      const b = buckets[d];
      if (b) running = running.add(b);
      sum = sum.add(running);
    }
    acc = acc.add(sum);
  }
  return acc;
}

/** Pure-TS engine (@noble/curves). */
export const nobleEngine: MsmEngine = Object.freeze({
  kind: "noble" as const,
  async msm(points: PointSet, scalars: readonly bigint[]): Promise<G1Point> {
    checkLengths(points, scalars.length, "nobleEngine.msm");
    if (scalars.length === 0) return G1.ZERO;
    for (const s of scalars) if (s < 0n || s >= FR_MODULUS) throw new RangeError(`nobleEngine.msm: expected scalars in [0, r), got ${s}`);
    // noble's pippenger rejects the identity as a base: drop those terms (they add nothing)
    const ps: G1Point[] = [];
    const ss: bigint[] = [];
    points.points.forEach((p, i) => {
      if (!p.is0() && scalars[i] !== 0n) {
        ps.push(p);
        ss.push(scalars[i]!);
      }
    });
    return ps.length === 0 ? G1.ZERO : pippenger(G1, ps, ss);
  },
  async msmSmall(points: PointSet, scalars: Uint32Array, bits: number): Promise<G1Point> {
    checkLengths(points, scalars.length, "nobleEngine.msmSmall");
    checkBits(bits, "nobleEngine.msmSmall");
    return bucketMsm(points.points, scalars, bits);
  },
});

interface WasmCurve {
  G1: {
    multiExpAffine(bases: Uint8Array, scalars: Uint8Array): Promise<Uint8Array>;
    isZero(p: Uint8Array): boolean;
    toAffine(p: Uint8Array): Uint8Array;
    toObject(p: Uint8Array): bigint[];
  };
  terminate(): Promise<void>;
}

/**
 * One curve per process: concurrent first calls to `buildBn128()` would each start their own
 * worker pool before ffjavascript caches one, and only the cached pool is ever terminated.
 */
let curvePromise: Promise<WasmCurve> | null = null;
let builtCurve: WasmCurve | null = null;
function wasmCurve(): Promise<WasmCurve> {
  // ffjavascript's terminate() clears globalThis.curve_bn128: a built curve that is no longer the
  // global one was terminated elsewhere (e.g. by snarkjs users), so build a fresh one.
  const g = globalThis as { curve_bn128?: unknown };
  if (builtCurve && g.curve_bn128 !== builtCurve) {
    builtCurve = null;
    curvePromise = null;
  }
  curvePromise ??= import("ffjavascript").then(async (ff) => {
    const curve = (await ff.buildBn128()) as unknown as WasmCurve;
    builtCurve = curve;
    return curve;
  });
  return curvePromise;
}

function fromWasmPoint(curve: WasmCurve, p: Uint8Array): G1Point {
  if (curve.G1.isZero(p)) return G1.ZERO;
  const [x, y] = curve.G1.toObject(curve.G1.toAffine(p));
  return G1.fromAffine({ x: x!, y: y! });
}

/** ffjavascript's wasm MSM (worker threads; call `terminateCurve()` before the process should exit). */
export const ffjavascriptEngine: MsmEngine = Object.freeze({
  kind: "ffjavascript" as const,
  async msm(points: PointSet, scalars: readonly bigint[]): Promise<G1Point> {
    checkLengths(points, scalars.length, "ffjavascriptEngine.msm");
    if (scalars.length === 0) return G1.ZERO;
    const buf = new Uint8Array(32 * scalars.length);
    scalars.forEach((s, i) => {
      if (s < 0n || s >= FR_MODULUS) throw new RangeError(`ffjavascriptEngine.msm: expected scalars in [0, r), got ${s}`);
      writeLE(buf, 32 * i, s);
    });
    const curve = await wasmCurve();
    return fromWasmPoint(curve, await curve.G1.multiExpAffine(points.lemBytes(), buf));
  },
  async msmSmall(points: PointSet, scalars: Uint32Array, bits: number): Promise<G1Point> {
    checkLengths(points, scalars.length, "ffjavascriptEngine.msmSmall");
    checkBits(bits, "ffjavascriptEngine.msmSmall");
    if (scalars.length === 0) return G1.ZERO;
    const width = Math.ceil(bits / 8);
    const buf = new Uint8Array(width * scalars.length);
    for (let i = 0; i < scalars.length; i++) {
      let v = scalars[i]!;
      for (let b = 0; b < width; b++) {
        buf[i * width + b] = v & 0xff;
        v >>>= 8;
      }
    }
    const curve = await wasmCurve();
    return fromWasmPoint(curve, await curve.G1.multiExpAffine(points.lemBytes(), buf));
  },
});

let defaultEngine: MsmEngine = ffjavascriptEngine;

/** The engine used when a caller names none (ffjavascript unless changed). */
export function getMsmEngine(): MsmEngine {
  return defaultEngine;
}

/** Choose the default engine (e.g. `nobleEngine` in a browser without workers). */
export function setMsmEngine(engine: MsmEngine): void {
  defaultEngine = engine;
}

/** Stop ffjavascript's worker threads (shared with snarkjs) so the process can exit. Safe to call twice. */
export async function terminateCurve(): Promise<void> {
  const pending = curvePromise;
  curvePromise = null;
  builtCurve = null;
  if (pending) await (await pending).terminate();
  const g = globalThis as { curve_bn128?: { terminate(): Promise<void> } | null };
  await g.curve_bn128?.terminate();
}
