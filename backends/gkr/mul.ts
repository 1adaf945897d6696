/**
 * mul (hadamard) layer: out[x] = a[x] b[x]. A claim out(r) = v is the sum over x of
 * eq(r, x) a(x) b(x): one degree-3 sumcheck over the output's variables (operands viewed in the
 * output's layout). It ends with a(rho) and b(rho), which the prover sends; the verifier checks
 * eq(r, rho) a(rho) b(rho) against the sumcheck's final value and passes on the two claims (moved
 * to each operand's own layout if it differs).
 *
 * Transcript: sumcheck · absorb [aEval, bEval] · [relayout a] · [relayout b].
 */
import type { PrimOf, LayerProver, LayerProverContext, LayerVerifier, LayerVerifierContext, LayerVerdict } from "./kernel.js";
import { Fr } from "../math/field.js";
import { eqEval } from "../math/mle.js";
import { eqTableFast as eqTable } from "../math/eq.js";
import { proveSumcheck, verifySumcheck } from "../math/sumcheck.js";
import { GKR_LABELS, isField, isRecord, type Claim, type MulProof } from "./messages.js";
import { proveRelayout, verifyRelayout } from "./relayout.js";

type MulPrim = PrimOf<"mul">;

export const mulProver: LayerProver<MulPrim> = {
  prove(p: MulPrim, claim: Claim, ctx: LayerProverContext): { proof: MulProof; claims: Claim[] } {
    const t = ctx.transcript;
    const shape = ctx.shapeOf(p.out);
    const eq = eqTable(claim.point);
    const sc = proveSumcheck(
      { polys: [eq, ctx.tableAs(p.a, shape), ctx.tableAs(p.b, shape)], terms: [{ coeff: 1n, factors: [0, 1, 2] }] },
      t,
      claim.value,
    );
    const aEval = sc.polyEvals[1]!;
    const bEval = sc.polyEvals[2]!;
    t.absorbFields(GKR_LABELS.mulEvals, [aEval, bEval]);
    const a = proveRelayout({ tensor: p.a, point: sc.point, value: aEval }, shape, ctx.shapeOf(p.a), () => ctx.table(p.a), t);
    const b = proveRelayout({ tensor: p.b, point: [...sc.point], value: bEval }, shape, ctx.shapeOf(p.b), () => ctx.table(p.b), t);
    return { proof: { kind: "mul", sumcheck: sc.proof, aEval, bEval, aRelayout: a.proof, bRelayout: b.proof }, claims: [a.claim, b.claim] };
  },
};

export const mulVerifier: LayerVerifier<MulPrim> = {
  verify(p: MulPrim, claim: Claim, proof: unknown, ctx: LayerVerifierContext): LayerVerdict {
    if (!isRecord(proof) || proof.kind !== "mul" || !isField(proof.aEval) || !isField(proof.bEval)) return { ok: false, reason: "malformed mul proof" };
    const t = ctx.transcript;
    const shape = ctx.shapeOf(p.out);
    const sc = verifySumcheck(claim.value, claim.point.length, 3, proof.sumcheck, t);
    if (!sc.ok) return { ok: false, reason: `mul sumcheck: ${sc.reason}` };
    const { aEval, bEval } = proof;
    t.absorbFields(GKR_LABELS.mulEvals, [aEval, bEval]);
    if (Fr.mul(Fr.mul(eqEval(claim.point, sc.point), aEval), bEval) !== sc.claimedEval) {
      return { ok: false, reason: "mul: final check fails (operand evaluations do not match the sumcheck)" };
    }
    const a = verifyRelayout({ tensor: p.a, point: sc.point, value: aEval }, shape, ctx.shapeOf(p.a), proof.aRelayout, t);
    if (!a.ok) return a;
    const b = verifyRelayout({ tensor: p.b, point: [...sc.point], value: bEval }, shape, ctx.shapeOf(p.b), proof.bRelayout, t);
    if (!b.ok) return b;
    return { ok: true, claims: [a.claim, b.claim] };
  },
};
