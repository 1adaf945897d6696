/**
 * Compressed bytes of a snarkjs Groth16 proof's points, for the binary proof file (browser-safe).
 *
 * snarkjs writes points as decimal strings of affine coordinates (`[x, y, "1"]`, G2 as
 * `[[x0, x1], [y0, y1], ["1", "0"]]`, x = x0 + x1·u): about 900 bytes of JSON for a proof that
 * holds 128 bytes of information. Compressed, little-endian, flags in the two top bits of the last
 * byte (p < 2^254 leaves them free):
 * - G1 (pi_a, pi_c): 32 bytes, `compressPoint` of the commitments (x; bit 255 = y odd; bit 254 alone = identity);
 * - G2 (pi_b): 64 bytes, x0 ‖ x1; bit 511 = the sign of y (parity of y1, or of y0 when y1 = 0);
 *   bit 510 alone = identity.
 * Decompression checks everything a verifier needs: canonical coordinates, a point on the curve,
 * and for G2 the prime-order subgroup (the twist has a large cofactor and snarkjs checks only the
 * curve equation); it gives the decimal form back, so the transcript absorbs what the prover did.
 */
import { bn254 } from "@noble/curves/bn254.js";
import { COMPRESSED_POINT_BYTES, G1, compressPoint, decompressPoint, readLE, writeLE } from "../math/commit/curve.js";

/** pi_a ‖ pi_b ‖ pi_c */
export const GROTH16_PROOF_BYTES = 2 * COMPRESSED_POINT_BYTES + 64;

const G2 = bn254.G2.Point;
const Fp = bn254.fields.Fp;
const Fp2 = bn254.fields.Fp2;
const Q = Fp.ORDER;
const TWIST_B = G2.CURVE().b;

type Fp2Value = { c0: bigint; c1: bigint };


const decimal = (x: unknown, what: string): bigint => {
  if (typeof x !== "string" || !/^(0|[1-9][0-9]{0,79})$/.test(x)) throw new RangeError(`${what} is not a canonical decimal string`);
  const v = BigInt(x);
  if (v >= Q) throw new RangeError(`${what} is not reduced`);
  return v;
};

const sign2 = (y: Fp2Value): boolean => (y.c1 !== 0n ? (y.c1 & 1n) === 1n : (y.c0 & 1n) === 1n);

function compressG2(x: Fp2Value, y: Fp2Value, identity: boolean, out: Uint8Array, at: number): void {
  out.fill(0, at, at + 64);
  if (identity) {
    out[at + 63] = 0x40;
    return;
  }
  writeLE(out, at, x.c0);
  writeLE(out, at + 32, x.c1);
  if (sign2(y)) out[at + 63]! |= 0x80;
}

function decompressG2(bytes: Uint8Array, at: number): { x: Fp2Value; y: Fp2Value } | string {
  const last = bytes[at + 63]!;
  if (last & 0x40) {
    if (last !== 0x40 || bytes.subarray(at, at + 63).some((b) => b !== 0)) return "a malformed identity encoding";
    return "the identity (not a valid proof element)";
  }
  const body = new Uint8Array(bytes.subarray(at, at + 64)); // a copy, also for a Node Buffer
  body[63] = last & 0x7f;
  const x = { c0: readLE(body, 0), c1: readLE(body, 32) };
  if (x.c0 >= Q || x.c1 >= Q) return "a coordinate is not below the base field modulus";
  let y: Fp2Value;
  try {
    y = Fp2.sqrt(Fp2.add(Fp2.mul(Fp2.sqr(x), x), TWIST_B)) as Fp2Value;
  } catch {
    return "not on the curve (x has no point)";
  }
  if (sign2(y) !== ((last & 0x80) !== 0)) y = Fp2.neg(y) as Fp2Value;
  if (Fp2.is0(y) && last & 0x80) return "a non-canonical sign bit";
  const p = G2.fromAffine({ x: Fp2.create(x), y });
  try {
    p.assertValidity();
  } catch {
    return "not in the prime-order subgroup";
  }
  return { x, y };
}

/**
 * The 128 compressed bytes of a snarkjs proof's pi_a, pi_b, pi_c.
 * @throws RangeError for a proof that is not affine canonical decimal points
 */
export function packGroth16Proof(proof: unknown): Uint8Array {
  const p = proof as { pi_a?: unknown[]; pi_b?: unknown[][]; pi_c?: unknown[] } | null;
  if (!p || !Array.isArray(p.pi_a) || !Array.isArray(p.pi_b) || !Array.isArray(p.pi_c)) throw new RangeError("packGroth16Proof: not a snarkjs proof");
  const out = new Uint8Array(GROTH16_PROOF_BYTES);
  const g1 = (v: unknown[], what: string, at: number): void => {
    if (v.length !== 3 || v[2] !== "1") throw new RangeError(`${what} is not affine`);
    const pt = G1.fromAffine({ x: decimal(v[0], `${what}[0]`), y: decimal(v[1], `${what}[1]`) });
    pt.assertValidity();
    compressPoint(pt, out, at);
  };
  g1(p.pi_a, "pi_a", 0);
  const b = p.pi_b;
  if (b.length !== 3 || !Array.isArray(b[2]) || b[2][0] !== "1" || b[2][1] !== "0" || !Array.isArray(b[0]) || !Array.isArray(b[1])) throw new RangeError("pi_b is not affine");
  const x = { c0: decimal(b[0][0], "pi_b[0][0]"), c1: decimal(b[0][1], "pi_b[0][1]") };
  const y = { c0: decimal(b[1][0], "pi_b[1][0]"), c1: decimal(b[1][1], "pi_b[1][1]") };
  G2.fromAffine({ x: Fp2.create(x), y: Fp2.create(y) }).assertValidity();
  compressG2(x, y, false, out, COMPRESSED_POINT_BYTES);
  g1(p.pi_c, "pi_c", COMPRESSED_POINT_BYTES + 64);
  return out;
}

/** Inverse of `packGroth16Proof`: the snarkjs decimal form, or the reason the bytes are not a proof. */
export function unpackGroth16Proof(bytes: unknown): { ok: true; proof: { pi_a: string[]; pi_b: string[][]; pi_c: string[] } } | { ok: false; reason: string } {
  if (!(bytes instanceof Uint8Array) || bytes.length !== GROTH16_PROOF_BYTES) return { ok: false, reason: `groth16: expected ${GROTH16_PROOF_BYTES} bytes (pi_a, pi_b, pi_c compressed)` };
  const g1 = (at: number, what: string): string[] | string => {
    const pt = decompressPoint(bytes, at);
    if (!pt) return `groth16.${what}: not a canonical compressed point of the curve`;
    if (pt.is0()) return `groth16.${what}: the identity (not a valid proof element)`;
    const a = pt.toAffine();
    return [a.x.toString(), a.y.toString(), "1"];
  };
  const a = g1(0, "pi_a");
  if (typeof a === "string") return { ok: false, reason: a };
  const b = decompressG2(bytes, COMPRESSED_POINT_BYTES);
  if (typeof b === "string") return { ok: false, reason: `groth16.pi_b: ${b}` };
  const c = g1(COMPRESSED_POINT_BYTES + 64, "pi_c");
  if (typeof c === "string") return { ok: false, reason: c };
  const pi_b = [
    [b.x.c0.toString(), b.x.c1.toString()],
    [b.y.c0.toString(), b.y.c1.toString()],
    ["1", "0"],
  ];
  return { ok: true, proof: { pi_a: a, pi_b, pi_c: c } };
}
