/**
 * Messages shared by the GKR provers and verifiers: claims, and the proof of every built-in layer.
 * Provers build these objects; verifiers receive them as `unknown` (proof data is untrusted) and
 * check their shape with the guards below before reading a field.
 *
 * Transcript labels are collected in `GKR_LABELS` so that one place fixes what is absorbed under
 * which name (every prover message is absorbed before the next challenge is drawn).
 */
import { Fr } from "../math/field.js";
import type { SumcheckProof } from "../math/sumcheck.js";

import { CLAIM_LABELS, isField, isRecord, type Claim } from "../math/claims.js";

export { isField, isRecord, type Claim, type CombineProof } from "../math/claims.js";

/**
 * A claim moved through a public index map (gather, or a change of layout between two shapes of
 * the same data): per source a partial sum and a sumcheck of sum_y W_s(y) S_s(y).
 */
export interface IndexMapProof {
  kind: "indexmap";
  /** per active source (in source order): its share of the claimed value */
  partials: bigint[];
  sumchecks: SumcheckProof[];
  /** per active source: S_s at its sumcheck's final point */
  evals: bigint[];
}

/** Relayout of a claim between two layouts of one tensor; omitted (undefined) when the layouts agree. */
export type RelayoutProof = IndexMapProof | undefined;

/** matmul: one sumcheck over the inner dimension. */
export interface MatmulProof {
  kind: "matmul";
  /** output claim moved from C's own layout to [batch.., m, n] (when they differ) */
  outRelayout: RelayoutProof;
  sumcheck: SumcheckProof;
  /** A(r_b, r_i, rho) and B(r_b?, rho, r_j) */
  aEval: bigint;
  bEval: bigint;
  aRelayout: RelayoutProof;
  bRelayout: RelayoutProof;
}

/** mul (hadamard): sumcheck of eq(r, x) a(x) b(x). */
export interface MulProof {
  kind: "mul";
  sumcheck: SumcheckProof;
  aEval: bigint;
  bEval: bigint;
  aRelayout: RelayoutProof;
  bRelayout: RelayoutProof;
}

/** add / sub / scale: the operands' values at the claim's point (in the output's layout). */
export interface LinearProof {
  kind: "linear";
  /** [a(r), b(r)] for add and sub, [x(r)] for scale */
  evals: bigint[];
  relayouts: RelayoutProof[];
}

/** reduceSum: nothing but the layout moves (the claim on the input follows by a public rule). */
export interface ReduceSumProof {
  kind: "reduceSum";
  outRelayout: RelayoutProof;
  inRelayout: RelayoutProof;
}

/** gather: the index-map proof of the primitive's own map; "free" for a free map (`indexmap.ts`). */
export interface GatherProof {
  kind: "gather";
  map: IndexMapProof | "free";
}

/** Transcript labels (one place fixes the absorb schedule's names). */
export const GKR_LABELS = {
  kernel: "gkr/kernel",
  outputClaims: "gkr/kernel/output-claims",
  layer: "gkr/layer",
  ...CLAIM_LABELS,
  mapPartials: "gkr/indexmap/partials",
  mapEval: "gkr/indexmap/eval",
  matmulEvals: "gkr/matmul/evals",
  mulEvals: "gkr/mul/evals",
  linearEvals: "gkr/linear/evals",
  batch: "gkr/batch",
} as const;

// ---------------------------------------------------------------------------------------------
// Guards for untrusted proof data (never throw)

/** An array of exactly `n` canonical field elements. */
export function isFieldArray(x: unknown, n: number): x is bigint[] {
  return Array.isArray(x) && x.length === n && x.every(isField);
}

/** A claim with canonical values and `numVars` coordinates (the tensor name is checked by the caller). */
export function isClaim(x: unknown, numVars?: number): x is Claim {
  if (!isRecord(x) || typeof x.tensor !== "string" || !isField(x.value) || !Array.isArray(x.point)) return false;
  return (numVars === undefined || x.point.length === numVars) && x.point.every(isField);
}

/** Number of field elements in a proof object (proof size = 32 bytes each). */
export function countFieldElements(x: unknown): number {
  if (typeof x === "bigint") return 1;
  if (Array.isArray(x)) return x.reduce((n: number, e) => n + countFieldElements(e), 0);
  if (isRecord(x)) return Object.values(x).reduce((n: number, e) => n + countFieldElements(e), 0);
  return 0;
}
