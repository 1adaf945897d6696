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
import { FQ_MODULUS, G1, type G1Point } from "./curve.js";

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
  if (typeof label !== "string" || label.length === 0) throw new RangeError("hashToG1: expected a non-empty label");
  if (!Number.isSafeInteger(index) || index < 0 || index >= 2 ** 32) {
    throw new RangeError(`hashToG1: expected an index in [0, 2^32), got ${index}`);
  }
  const lab = encoder.encode(label);
  const prefix = new Uint8Array(DOMAIN.length + 4 + lab.length + 8);
  prefix.set(DOMAIN, 0);
  prefix.set(u32(lab.length), DOMAIN.length);
  prefix.set(lab, DOMAIN.length + 4);
  prefix.set(u32(index), DOMAIN.length + 4 + lab.length);
  const msg = new Uint8Array(prefix.length + 1);
  msg.set(prefix);
  for (let c = 0; ; c++) {
    msg.set(u32(c), prefix.length - 4);
    msg[prefix.length] = 0;
    const h0 = sha256(msg);
    msg[prefix.length] = 1;
    const h1 = sha256(msg);
    const wide = new Uint8Array(64);
    wide.set(h0, 0);
    wide.set(h1, 32);
    const x = leBigint(wide) % FQ_MODULUS;
    const a = (x * x * x + 3n) % FQ_MODULUS;
    const y = powMod(a, SQRT_EXP, FQ_MODULUS);
    if ((y * y) % FQ_MODULUS !== a) continue;
    const yEven = y % 2n === 0n ? y : FQ_MODULUS - y;
    return G1.fromAffine({ x, y: yEven });
  }
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
  while (list.length < n) list.push(hashToG1(label, list.length));
  return list.slice(0, n);
}
