/**
 * Pedersen generators with unknown discrete logarithms, by hash-to-curve (try-and-increment).
 *
 * Generator i of the family `label`:
 *   for counter c = 0, 1, 2, ...:
 *     h  = SHA256("zkc/g1-generator/v1" ‖ u32 len(label) ‖ label ‖ u32 i ‖ u32 c ‖ 0x00)
 *        ‖ SHA256(same ‖ 0x01)                           (512 bits, little-endian integer)
 *     x  = h mod p;  a = x^3 + 3
 *     y  = a^((p+1)/4) mod p                             (p = 3 mod 4, so this is a square root when one exists)
 *     if y^2 = a: the point is (x, y') with y' the even one of {y, p - y}; stop.
 * All integers are little-endian. Half of all x succeed, so about two tries per point.
 * BN254's G1 has cofactor 1, so every curve point is in the group; nobody knows a discrete-log
 * relation between points derived from hash outputs (that would need inverting SHA-256's output
 * distribution on the curve).
 */
import { sha256 } from "../sha256.js";
import { FQ_MODULUS, G1, curveRhsSqrts, type G1Point } from "./curve.js";

const encoder = new TextEncoder();
const DOMAIN = encoder.encode("zkc/g1-generator/v1");
const SQRT_EXP = (FQ_MODULUS + 1n) / 4n;

function powMod(a: bigint, e: bigint, p: bigint): bigint {
  let result = 1n;
  let base = a % p;
  while (e > 0n) {
    if (e & 1n) result = (result * base) % p;
    base = (base * base) % p;
    e >>= 1n;
  }
  return result;
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n >>> 0, true);
  return out;
}

function leBigint(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

/**
 * Generator `index` of the family `label` (see the module header for the exact derivation).
 * @throws RangeError for a negative or non-integer index, or an empty label
 */
export function hashToG1(label: string, index: number): G1Point {
  checkLabelIndex(label, index);
  const lab = encoder.encode(label);
  for (let c = 0; ; c++) {
    const x = candidateX(lab, index, c);
    const a = (x * x * x + 3n) % FQ_MODULUS;
    const y = powMod(a, SQRT_EXP, FQ_MODULUS);
    if ((y * y) % FQ_MODULUS !== a) continue;
    const yEven = y % 2n === 0n ? y : FQ_MODULUS - y;
    return G1.fromAffine({ x, y: yEven });
  }
}

function checkLabelIndex(label: string, index: number): void {
  if (typeof label !== "string" || label.length === 0) throw new RangeError("hashToG1: expected a non-empty label");
  if (!Number.isSafeInteger(index) || index < 0 || index >= 2 ** 32) {
    throw new RangeError(`hashToG1: expected an index in [0, 2^32), got ${index}`);
  }
}

/** The candidate abscissa of generator `index` at counter `c` (see the module header). */
function candidateX(lab: Uint8Array, index: number, c: number): bigint {
  const msg = new Uint8Array(DOMAIN.length + 4 + lab.length + 9);
  msg.set(DOMAIN, 0);
  msg.set(u32(lab.length), DOMAIN.length);
  msg.set(lab, DOMAIN.length + 4);
  msg.set(u32(index), DOMAIN.length + 4 + lab.length);
  msg.set(u32(c), DOMAIN.length + 8 + lab.length);
  const wide = new Uint8Array(64);
  msg[msg.length - 1] = 0;
  wide.set(sha256(msg), 0);
  msg[msg.length - 1] = 1;
  wide.set(sha256(msg), 32);
  return leBigint(wide) % FQ_MODULUS;
}

/**
 * Generators [from, to) of a family: `hashToG1` for each, with the square roots of one counter
 * round taken for all pending indices at once (`curveRhsSqrts`, wasm), instead of a bigint
 * exponentiation per candidate.
 */
function hashToG1Batch(label: string, from: number, to: number): G1Point[] {
  checkLabelIndex(label, from);
  if (to > from) checkLabelIndex(label, to - 1);
  const lab = encoder.encode(label);
  const out: G1Point[] = new Array(to - from);
  let pending = Array.from({ length: to - from }, (_, i) => from + i);
  for (let c = 0; pending.length > 0; c++) {
    const xs = pending.map((index) => candidateX(lab, index, c));
    const roots = curveRhsSqrts(xs);
    const next: number[] = [];
    pending.forEach((index, i) => {
      const y = roots[i];
      if (y === null || y === undefined) return void next.push(index);
      const yEven = y % 2n === 0n ? y : FQ_MODULUS - y;
      out[index - from] = G1.fromAffine({ x: xs[i]!, y: yEven });
    });
    pending = next;
  }
  return out;
}

const cache = new Map<string, G1Point[]>();

/**
 * The first n generators of a family (cached; extending a family keeps its prefix).
 * @throws RangeError for a bad count
 */
export function generators(label: string, n: number): readonly G1Point[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`generators: expected a non-negative count, got ${n}`);
  let list = cache.get(label);
  if (!list) {
    list = [];
    cache.set(label, list);
  }
  if (list.length < n) list.push(...hashToG1Batch(label, list.length, n));
  return list.slice(0, n);
}
