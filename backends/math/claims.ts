/**
 * Claim combination: several claims T(r_1) = v_1, ..., T(r_k) = v_k on one tensor (fan-out,
 * residual connections) become one claim T(rho) = e.
 *
 * - All points equal: the values must agree; nothing is sent and the transcript is untouched
 *   (both sides see the claims, so both take this branch).
 * - Otherwise: absorb the claims, draw c_1..c_k, and run one sumcheck of
 *   sum_x (sum_i c_i eq(r_i, x)) T(x) = sum_i c_i v_i (degree 2). The prover sends T(rho); the
 *   verifier checks claimedEval = (sum_i c_i eq(r_i, rho)) T(rho) itself, in O(k n).
 */
import { Fr, FrVector, vecAdd, vecScale } from "./field.js";
import { eqEval, numVarsOf } from "./mle.js";
import { eqTableFast as eqTable } from "./eq.js";
import { proveSumcheck, verifySumcheck } from "./sumcheck.js";
import type { Transcript } from "./transcript.js";
import type { SumcheckProof } from "./sumcheck.js";

/** "The MLE of `tensor` (in its own shape's layout) at `point` equals `value`." */
export interface Claim {
  tensor: string;
  /** canonical field elements, one per MLE variable of the tensor */
  point: bigint[];
  /** canonical field element */
  value: bigint;
}

/** Several claims on one tensor reduced to one: a sumcheck of sum_k c_k eq(r_k, x) T(x). */
export interface CombineProof {
  kind: "combine";
  sumcheck: SumcheckProof;
  /** T at the sumcheck's final point */
  eval: bigint;
}

/**
 * Transcript labels of claim combination. They keep their historical "gkr/" prefix: combination
 * started in the GKR backend, and renaming a label changes every proof's challenges.
 */
export const CLAIM_LABELS = {
  combineClaims: "gkr/combine/claims",
  combineCoeff: "gkr/combine/coeff",
  combineEval: "gkr/combine/eval",
} as const;

/** A plain object (not null, not an array). */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A canonical field element. */
export function isField(x: unknown): x is bigint {
  return typeof x === "bigint" && Fr.isValid(x);
}

/** True when every claim has the same point (no sumcheck needed). */
export function samePoints(claims: readonly Claim[]): boolean {
  const p0 = claims[0]!.point;
  return claims.every((c) => c.point.length === p0.length && c.point.every((x, i) => x === p0[i]));
}

function absorbClaims(transcript: Transcript, claims: readonly Claim[]): bigint[] {
  transcript.absorbFields(CLAIM_LABELS.combineClaims, claims.flatMap((c) => [...c.point, c.value]));
  return transcript.challenges(CLAIM_LABELS.combineCoeff, claims.length);
}

/**
 * Prover: combine claims on one tensor whose padded MLE table `table` gives (only called when a
 * sumcheck is needed).
 * @returns the combined claim and the proof (undefined when no sumcheck was needed)
 * @throws RangeError when the claims are inconsistent with `table` (a prover-side bug)
 */
export function proveCombine(claims: readonly Claim[], tableOf: FrVector | (() => FrVector), transcript: Transcript): { claim: Claim; proof: CombineProof | undefined } {
  if (claims.length === 0) throw new RangeError("proveCombine: expected at least one claim");
  const first = claims[0]!;
  if (samePoints(claims)) {
    if (!claims.every((c) => c.value === first.value)) {
      throw new RangeError(`proveCombine: claims on "${first.tensor}" at one point disagree`);
    }
    return { claim: { tensor: first.tensor, point: [...first.point], value: first.value }, proof: undefined };
  }
  const table = typeof tableOf === "function" ? tableOf() : tableOf;
  const coeffs = absorbClaims(transcript, claims);
  const n = numVarsOf(table);
  let weights = FrVector.zeros(table.length);
  claims.forEach((c, i) => {
    weights = vecAdd(weights, vecScale(eqTable(c.point), coeffs[i]!));
  });
  let total = 0n;
  claims.forEach((c, i) => (total = Fr.add(total, Fr.mul(coeffs[i]!, c.value))));
  if (n !== first.point.length) throw new RangeError(`proveCombine: table has ${n} variables, claims have ${first.point.length}`);
  const out = proveSumcheck({ polys: [weights, table], terms: [{ coeff: 1n, factors: [0, 1] }] }, transcript, total);
  const evalT = out.polyEvals[1]!;
  transcript.absorbField(CLAIM_LABELS.combineEval, evalT);
  return {
    claim: { tensor: first.tensor, point: out.point, value: evalT },
    proof: { kind: "combine", sumcheck: out.proof, eval: evalT },
  };
}

/** Verdict of a verifier step that yields one claim. */
export type ClaimVerdict = { ok: true; claim: Claim } | { ok: false; reason: string };

/**
 * Verifier: mirror of `proveCombine`. `proof` must be undefined exactly when all points agree.
 * Never throws on proof data.
 */
export function verifyCombine(claims: readonly Claim[], proof: unknown, transcript: Transcript): ClaimVerdict {
  if (claims.length === 0) return { ok: false, reason: "no claims to combine" };
  const first = claims[0]!;
  const tensor = first.tensor;
  if (samePoints(claims)) {
    if (proof !== undefined) return { ok: false, reason: `claims on "${tensor}" share one point: expected no combination proof` };
    const bad = claims.findIndex((c) => c.value !== first.value);
    if (bad >= 0) return { ok: false, reason: `claims on "${tensor}" at one point disagree (claim 0 and claim ${bad})` };
    return { ok: true, claim: { tensor, point: [...first.point], value: first.value } };
  }
  if (!isRecord(proof) || proof.kind !== "combine" || !isField(proof.eval)) {
    return { ok: false, reason: `combination of ${claims.length} claims on "${tensor}": malformed proof` };
  }
  const n = first.point.length;
  if (!claims.every((c) => c.point.length === n)) return { ok: false, reason: `claims on "${tensor}" have points of different lengths` };
  const coeffs = absorbClaims(transcript, claims);
  let total = 0n;
  claims.forEach((c, i) => (total = Fr.add(total, Fr.mul(coeffs[i]!, c.value))));
  const sc = verifySumcheck(total, n, 2, proof.sumcheck, transcript);
  if (!sc.ok) return { ok: false, reason: `combination of claims on "${tensor}": sumcheck: ${sc.reason}` };
  transcript.absorbField(CLAIM_LABELS.combineEval, proof.eval);
  let weight = 0n;
  claims.forEach((c, i) => (weight = Fr.add(weight, Fr.mul(coeffs[i]!, eqEval(c.point, sc.point)))));
  if (Fr.mul(weight, proof.eval) !== sc.claimedEval) {
    return { ok: false, reason: `combination of claims on "${tensor}": final check fails (the sent evaluation is wrong)` };
  }
  return { ok: true, claim: { tensor, point: sc.point, value: proof.eval } };
}

/** Claims waiting for their tensor's producer (or the boundary), in first-claimed order. */
export class PendingClaims {
  private readonly byTensor = new Map<string, Claim[]>();
  add(c: Claim): void {
    const list = this.byTensor.get(c.tensor);
    if (list) list.push(c);
    else this.byTensor.set(c.tensor, [c]);
  }
  take(tensor: string): Claim[] {
    const list = this.byTensor.get(tensor) ?? [];
    this.byTensor.delete(tensor);
    return list;
  }
  entries(): [string, Claim[]][] {
    return [...this.byTensor.entries()];
  }
}
