/**
 * Groth16 proving and verification through snarkjs.
 *
 * The prover refuses a witness that does not satisfy the circuit (snarkjs itself would silently
 * produce a proof that fails to verify) and a circuit the keys were not made for. The verifier
 * never throws on proof data: it validates shapes, ranges and curve/subgroup membership itself,
 * then asks snarkjs, and returns `{ok: false, reason}` for anything wrong.
 */
import { bn254 } from "@noble/curves/bn254.js";
import * as snarkjs from "snarkjs";
import { ZkcError } from "../../compiler/errors.js";
import { FIELD_MODULUS } from "./field.js";
import { sha256Hex, writeR1cs, writeWtns } from "./formats.js";
import type { Groth16Keys } from "./keys.js";
import { checkWitness, type R1cs } from "./r1cs.js";

/** A Groth16 proof in snarkjs's JSON shape (decimal strings, projective with z = 1). */
export type Groth16Proof = snarkjs.Groth16Proof;

/** Proof plus the public signals (outputs, then public inputs) as decimal strings. */
export interface ProofWithPublic {
  proof: Groth16Proof;
  publicSignals: string[];
}

/** Options for {@link proveGroth16}. */
export interface ProveOptions {
  /** evaluate every constraint before proving (default true; costs one pass over the R1CS) */
  checkWitness?: boolean;
}

/**
 * Proves that `witness` satisfies `r1cs` with the given keys.
 * @throws ZkcError INTERNAL when the witness does not satisfy the circuit or the keys belong to
 * another circuit (both are bugs upstream, not user errors).
 */
export async function proveGroth16(r1cs: R1cs, witness: readonly bigint[], keys: Pick<Groth16Keys, "zkey" | "r1csDigest">, options: ProveOptions = {}): Promise<ProofWithPublic> {
  if (sha256Hex(writeR1cs(r1cs)) !== keys.r1csDigest) {
    throw new ZkcError("INTERNAL", "the proving key was made for a different circuit", {
      expected: `circuit digest ${keys.r1csDigest.slice(0, 16)}…`,
      hint: "run setup again for this circuit (the circuit structure changed since the keys were made)",
    });
  }
  if (options.checkWitness ?? true) {
    const check = checkWitness(r1cs, witness);
    if (!check.ok) {
      throw new ZkcError("INTERNAL", `the witness does not satisfy the circuit: ${check.reason}`, {
        node: check.name || undefined,
        hint: "this is a bug in zkc's witness generation; please report it",
      });
    }
  }
  const { proof, publicSignals } = await snarkjs.groth16.prove(keys.zkey, writeWtns(witness));
  return { proof, publicSignals };
}

/** Outcome of {@link verifyGroth16}. */
export type VerifyResult = { ok: true } | { ok: false; reason: string };

const BN254_Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

function decimal(v: unknown, bound: bigint, what: string): bigint {
  if (typeof v === "bigint") {
    if (v < 0n || v >= bound) throw new Error(`${what} out of range`);
    return v;
  }
  if (typeof v !== "string" || !/^[0-9]{1,80}$/.test(v)) throw new Error(`${what} is not a decimal string`);
  const x = BigInt(v);
  if (x >= bound) throw new Error(`${what} is not reduced`);
  return x;
}

function g1(v: unknown, what: string): void {
  if (!Array.isArray(v) || v.length !== 3) throw new Error(`${what} must be [x, y, "1"]`);
  const [x, y, z] = v.map((c, i) => decimal(c, BN254_Q, `${what}[${i}]`));
  if (z !== 1n) throw new Error(`${what} is not in affine form (z must be 1)`);
  bn254.G1.Point.fromAffine({ x: x!, y: y! }).assertValidity();
}

function g2(v: unknown, what: string): void {
  if (!Array.isArray(v) || v.length !== 3 || !v.every((c) => Array.isArray(c) && c.length === 2)) {
    throw new Error(`${what} must be [[x0, x1], [y0, y1], ["1", "0"]]`);
  }
  const c = (v as unknown[][]).map((pair, i) => pair.map((e, j) => decimal(e, BN254_Q, `${what}[${i}][${j}]`)));
  if (c[2]![0] !== 1n || c[2]![1] !== 0n) throw new Error(`${what} is not in affine form (z must be 1)`);
  const Fp2 = bn254.fields.Fp2;
  // assertValidity checks the curve equation and, for G2, membership in the prime-order subgroup
  // (snarkjs checks only the curve equation).
  bn254.G2.Point.fromAffine({ x: Fp2.fromBigTuple([c[0]![0]!, c[0]![1]!]), y: Fp2.fromBigTuple([c[1]![0]!, c[1]![1]!]) }).assertValidity();
}

/**
 * Verifies a Groth16 proof. Never throws: malformed keys, signals or proofs give `{ok: false}`
 * with the reason.
 */
export async function verifyGroth16(vkey: unknown, publicSignals: unknown, proof: unknown): Promise<VerifyResult> {
  try {
    const vk = vkey as Partial<snarkjs.VerificationKey> | null;
    if (!vk || typeof vk !== "object" || vk.protocol !== "groth16" || !Array.isArray(vk.IC)) {
      return { ok: false, reason: "verification key is not a snarkjs groth16 key" };
    }
    if (!Array.isArray(publicSignals) || publicSignals.length !== vk.IC.length - 1) {
      return { ok: false, reason: `expected ${vk.IC.length - 1} public signals, got ${Array.isArray(publicSignals) ? publicSignals.length : typeof publicSignals}` };
    }
    publicSignals.forEach((s, i) => decimal(s, FIELD_MODULUS, `public signal ${i}`));
    const p = proof as Partial<Groth16Proof> | null;
    if (!p || typeof p !== "object") return { ok: false, reason: "proof is not an object" };
    if (p.protocol !== undefined && p.protocol !== "groth16") return { ok: false, reason: `proof protocol is ${String(p.protocol)}, not groth16` };
    g1(p.pi_a, "pi_a");
    g2(p.pi_b, "pi_b");
    g1(p.pi_c, "pi_c");
    const errors: string[] = [];
    const quiet = () => {};
    const logger: snarkjs.Logger = { debug: quiet, info: quiet, warn: (m) => errors.push(m), error: (m) => errors.push(m) };
    const signals = publicSignals.map((s) => (typeof s === "bigint" ? s.toString() : s));
    const ok = await snarkjs.groth16.verify(vk, signals, { pi_a: p.pi_a, pi_b: p.pi_b, pi_c: p.pi_c, protocol: "groth16", curve: "bn128" }, logger);
    return ok ? { ok: true } : { ok: false, reason: errors.join("; ") || "pairing check failed" };
  } catch (e) {
    return { ok: false, reason: `malformed proof data: ${(e as Error).message}` };
  }
}
