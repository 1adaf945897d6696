/** Shared helpers of the zero-knowledge tests: batched verification, tampering, byte searches. */
import { G1, type G1Point } from "../../../backends/math/commit/curve.js";
import { verifyMsmChecks, type MsmCheck } from "../../../backends/math/commit/hyrax.js";
import { FR_MODULUS, Fr } from "../../../backends/math/field.js";
import { Transcript } from "../../../backends/math/transcript.js";

export type CheckOutcome = { ok: true; checks: MsmCheck[] } | { ok: false; reason: string };

/** Run a verifier on a fresh transcript (after `setup`), then its group equations: true iff both accept. */
export async function accepts(protocol: string, check: (t: Transcript) => CheckOutcome, setup?: (t: Transcript) => void): Promise<boolean> {
  const t = new Transcript(protocol);
  setup?.(t);
  const res = check(t);
  if (!res.ok) return false;
  return verifyMsmChecks(res.checks, t);
}

/** Every leaf (bigint or point) of a proof object, by path. */
export function leaves(x: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof x === "bigint" || x instanceof G1) return [path];
  if (Array.isArray(x)) return x.flatMap((v, i) => leaves(v, [...path, i]));
  if (typeof x === "object" && x !== null) return Object.entries(x).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [];
}

/** A deep copy of the proof with the leaf at `path` changed (a scalar + 1, a point + g). */
export function tamper<T>(proof: T, path: (string | number)[]): T {
  const copy = (v: unknown, at: number): unknown => {
    if (at === path.length) {
      if (typeof v === "bigint") return Fr.add(v, 1n);
      return (v as G1Point).add(G1.BASE);
    }
    const key = path[at]!;
    if (Array.isArray(v)) return v.map((e, i) => (i === key ? copy(e, at + 1) : e));
    return { ...(v as object), [key]: copy((v as Record<string, unknown>)[key as string], at + 1) };
  };
  return copy(proof, 0) as T;
}

/** True when `needle` occurs anywhere in `hay`. */
export function containsBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(hay).indexOf(Buffer.from(needle)) !== -1;
}

/** The 32-byte chunks of a proof's bytes, as hex strings. */
export function chunks(bytes: Uint8Array): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 32 <= bytes.length; i += 32) out.add(Buffer.from(bytes.subarray(i, i + 32)).toString("hex"));
  return out;
}

/** The canonical encoding of a (signed) integer as a field element. */
export function fieldBytes(v: bigint | number): Uint8Array {
  return Fr.toBytes(((BigInt(v) % FR_MODULUS) + FR_MODULUS) % FR_MODULUS);
}
