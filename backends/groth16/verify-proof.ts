/**
 * Browser-safe Groth16 verification for the bundle verifier: shape and curve checks, then
 * snarkjs's `groth16.verify` (which runs in browsers). `backends/groth16/prove.ts` has the same
 * service but sits next to Node-only code (its module imports `node:crypto` through formats.ts),
 * so the verifier entry point uses this one.
 */
import { bn254 } from "@noble/curves/bn254.js";
import * as snarkjs from "snarkjs";
import { FR_MODULUS } from "../math/field.js";

const BN254_Q = bn254.G1.Point.Fp.ORDER;

function coord(v: unknown, bound: bigint, what: string): bigint {
  if (typeof v !== "string" || !/^(0|[1-9][0-9]{0,79})$/.test(v)) throw new Error(`${what} is not a canonical decimal string`);
  const x = BigInt(v);
  if (x >= bound) throw new Error(`${what} is not reduced`);
  return x;
}

function checkG1(v: unknown, what: string): void {
  if (!Array.isArray(v) || v.length !== 3) throw new Error(`${what} must be [x, y, "1"]`);
  const [x, y, z] = v.map((c, i) => coord(c, BN254_Q, `${what}[${i}]`));
  if (z !== 1n) throw new Error(`${what} is not affine`);
  bn254.G1.Point.fromAffine({ x: x!, y: y! }).assertValidity();
}

function checkG2(v: unknown, what: string): void {
  if (!Array.isArray(v) || v.length !== 3 || !v.every((c) => Array.isArray(c) && c.length === 2)) throw new Error(`${what} must be [[x0, x1], [y0, y1], ["1", "0"]]`);
  const c = (v as unknown[][]).map((pair, i) => pair.map((e, j) => coord(e, BN254_Q, `${what}[${i}][${j}]`)));
  if (c[2]![0] !== 1n || c[2]![1] !== 0n) throw new Error(`${what} is not affine`);
  const Fp2 = bn254.fields.Fp2;
  // noble checks subgroup membership for G2 as well (snarkjs checks only the curve equation)
  bn254.G2.Point.fromAffine({ x: Fp2.fromBigTuple([c[0]![0]!, c[0]![1]!]), y: Fp2.fromBigTuple([c[1]![0]!, c[1]![1]!]) }).assertValidity();
}

/** Verify a snarkjs Groth16 proof. Never throws: anything malformed is `{ok: false, reason}`. */
export async function verifyGroth16Proof(vkey: unknown, publicSignals: readonly bigint[], proof: unknown): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const vk = vkey as Partial<snarkjs.VerificationKey> | null;
    if (!vk || typeof vk !== "object" || vk.protocol !== "groth16" || !Array.isArray(vk.IC)) return { ok: false, reason: "the verification key is not a snarkjs groth16 key" };
    if (publicSignals.length !== vk.IC.length - 1) return { ok: false, reason: `the key expects ${vk.IC.length - 1} public signals, the statement has ${publicSignals.length}` };
    if (!publicSignals.every((s) => s >= 0n && s < FR_MODULUS)) return { ok: false, reason: "a public signal is not a field element" };
    const p = proof as { pi_a?: unknown; pi_b?: unknown; pi_c?: unknown } | null;
    if (!p || typeof p !== "object") return { ok: false, reason: "the Groth16 proof is not an object" };
    checkG1(p.pi_a, "pi_a");
    checkG2(p.pi_b, "pi_b");
    checkG1(p.pi_c, "pi_c");
    const quiet = (): void => {};
    const logger: snarkjs.Logger = { debug: quiet, info: quiet, warn: quiet, error: quiet };
    const ok = await snarkjs.groth16.verify(
      vk as snarkjs.VerificationKey,
      publicSignals.map((s) => s.toString()),
      { pi_a: p.pi_a, pi_b: p.pi_b, pi_c: p.pi_c, protocol: "groth16", curve: "bn128" } as snarkjs.Groth16Proof,
      logger,
    );
    return ok ? { ok: true } : { ok: false, reason: "the Groth16 pairing check fails" };
  } catch (e) {
    return { ok: false, reason: `malformed Groth16 proof: ${(e as Error).message}` };
  }
}
