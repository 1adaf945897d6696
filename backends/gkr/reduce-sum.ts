/**
 * reduceSum layer: in viewed as [outer, reduce, inner] -> out [outer, inner]. Linear, and with no
 * prover message: for a multilinear f, the sum of f over the hypercube of the reduced variables is
 * 2^v f(1/2, ..., 1/2), and padding entries are zero, so a claim out(r_o, r_i) = v becomes the claim
 * in(r_o, 1/2.., r_i) = v / 2^v.
 *
 * When the input's own shape splits into axis groups of sizes outer | reduce | inner, the reduced
 * variables are those of the middle group and the output is viewed as the outer and inner groups;
 * otherwise the views are [outer, reduce, inner] and [outer, inner], and the claims are moved
 * between layouts (`relayout.ts`).
 *
 * Transcript: [relayout out] · [relayout in].
 */
import type { PrimOf, LayerProver, LayerProverContext, LayerVerifier, LayerVerifierContext, LayerVerdict } from "./kernel.js";
import { Fr } from "../math/field.js";
import { HALF, numVarsOfShape, sizeOfShape } from "../math/layout.js";
import { isRecord, type Claim, type ReduceSumProof } from "./messages.js";
import { proveRelayout, verifyRelayout } from "./relayout.js";

type ReducePrim = PrimOf<"reduceSum">;

/** Views: the input shape, its [prefix | middle | suffix] split, and the output view. */
export interface ReduceViews {
  inShape: number[];
  outShape: number[];
  /** variables before the reduced ones, and the number of reduced variables */
  prefixVars: number;
  reducedVars: number;
}

export function reduceViews(p: ReducePrim, shapeOf: (t: string) => readonly number[]): ReduceViews {
  const own = shapeOf(p.in);
  for (let i = 0; i <= own.length; i++) {
    if (sizeOfShape(own.slice(0, i)) !== p.outer) continue;
    for (let j = i; j <= own.length; j++) {
      if (sizeOfShape(own.slice(i, j)) === p.reduce && sizeOfShape(own.slice(j)) === p.inner) {
        return { inShape: [...own], outShape: [...own.slice(0, i), ...own.slice(j)], prefixVars: numVarsOfShape(own.slice(0, i)), reducedVars: numVarsOfShape(own.slice(i, j)) };
      }
    }
  }
  return { inShape: [p.outer, p.reduce, p.inner], outShape: [p.outer, p.inner], prefixVars: numVarsOfShape([p.outer]), reducedVars: numVarsOfShape([p.reduce]) };
}

function inputClaim(p: ReducePrim, v: ReduceViews, outClaim: Claim): Claim {
  const pt = outClaim.point;
  const point = [...pt.slice(0, v.prefixVars), ...new Array<bigint>(v.reducedVars).fill(HALF), ...pt.slice(v.prefixVars)];
  const value = Fr.mul(outClaim.value, Fr.pow(HALF, BigInt(v.reducedVars)));
  return { tensor: p.in, point, value };
}

export const reduceSumProver: LayerProver<ReducePrim> = {
  prove(p: ReducePrim, claim: Claim, ctx: LayerProverContext): { proof: ReduceSumProof; claims: Claim[] } {
    const v = reduceViews(p, ctx.shapeOf);
    const t = ctx.transcript;
    const out = proveRelayout(claim, ctx.shapeOf(p.out), v.outShape, () => ctx.tableAs(p.out, v.outShape), t);
    const inn = proveRelayout(inputClaim(p, v, out.claim), v.inShape, ctx.shapeOf(p.in), () => ctx.table(p.in), t);
    return { proof: { kind: "reduceSum", outRelayout: out.proof, inRelayout: inn.proof }, claims: [inn.claim] };
  },
};

export const reduceSumVerifier: LayerVerifier<ReducePrim> = {
  verify(p: ReducePrim, claim: Claim, proof: unknown, ctx: LayerVerifierContext): LayerVerdict {
    if (!isRecord(proof) || proof.kind !== "reduceSum") return { ok: false, reason: "malformed reduceSum proof" };
    const v = reduceViews(p, ctx.shapeOf);
    const t = ctx.transcript;
    const out = verifyRelayout(claim, ctx.shapeOf(p.out), v.outShape, proof.outRelayout, t);
    if (!out.ok) return out;
    const inn = verifyRelayout(inputClaim(p, v, out.claim), v.inShape, ctx.shapeOf(p.in), proof.inRelayout, t);
    if (!inn.ok) return inn;
    return { ok: true, claims: [inn.claim] };
  },
};
