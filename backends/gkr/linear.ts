/**
 * add, sub and scale layers (linear, no sumcheck): for a claim out(r) = v the prover sends the
 * operands' values at r in the output's layout (a(r), b(r) for add/sub; x(r) for scale), the
 * verifier checks a + b = v, a - b = v or factor * x = v, and the operand values become claims at
 * the same point (moved to an operand's own layout when it differs).
 *
 * Transcript: absorb evals · [relayout of each operand, in order].
 */
import type { PrimOf, LayerProver, LayerProverContext, LayerVerifier, LayerVerifierContext, LayerVerdict } from "./kernel.js";
import { Fr } from "../math/field.js";
import { evaluateMle } from "../math/mle.js";
import { GKR_LABELS, isFieldArray, isRecord, type Claim, type LinearProof, type RelayoutProof } from "./messages.js";
import { proveRelayout, verifyRelayout } from "./relayout.js";

type LinearPrim = PrimOf<"add"> | PrimOf<"sub"> | PrimOf<"scale">;

/** The operands whose values the output depends on (none for a scale by 0: its output is 0). */
function operands(p: LinearPrim): string[] {
  if (p.op === "scale") return p.factor === 0 ? [] : [p.in];
  return [p.a, p.b];
}

/** The value the operand evaluations must give. */
function combine(p: LinearPrim, evals: readonly bigint[]): bigint {
  if (p.op === "add") return Fr.add(evals[0]!, evals[1]!);
  if (p.op === "sub") return Fr.sub(evals[0]!, evals[1]!);
  return p.factor === 0 ? 0n : Fr.mul(Fr.fromSigned(p.factor), evals[0]!);
}

export const linearProver: LayerProver<LinearPrim> = {
  prove(p: LinearPrim, claim: Claim, ctx: LayerProverContext): { proof: LinearProof; claims: Claim[] } {
    const t = ctx.transcript;
    const shape = ctx.shapeOf(p.out);
    const names = operands(p);
    const evals = names.map((name) => evaluateMle(ctx.tableAs(name, shape), claim.point));
    if (evals.length > 0) t.absorbFields(GKR_LABELS.linearEvals, evals);
    const relayouts: RelayoutProof[] = [];
    const claims = names.map((name, i) => {
      const r = proveRelayout({ tensor: name, point: [...claim.point], value: evals[i]! }, shape, ctx.shapeOf(name), () => ctx.table(name), t);
      relayouts.push(r.proof);
      return r.claim;
    });
    return { proof: { kind: "linear", evals, relayouts }, claims };
  },
};

export const linearVerifier: LayerVerifier<LinearPrim> = {
  verify(p: LinearPrim, claim: Claim, proof: unknown, ctx: LayerVerifierContext): LayerVerdict {
    const names = operands(p);
    if (!isRecord(proof) || proof.kind !== "linear" || !isFieldArray(proof.evals, names.length) || !Array.isArray(proof.relayouts) || proof.relayouts.length !== names.length) {
      return { ok: false, reason: `malformed ${p.op} proof` };
    }
    const t = ctx.transcript;
    const shape = ctx.shapeOf(p.out);
    const evals = proof.evals;
    if (evals.length > 0) t.absorbFields(GKR_LABELS.linearEvals, evals);
    if (combine(p, evals) !== claim.value) return { ok: false, reason: `${p.op}: the operand values do not give the claimed output value` };
    const claims: Claim[] = [];
    for (let i = 0; i < names.length; i++) {
      const r = verifyRelayout({ tensor: names[i]!, point: [...claim.point], value: evals[i]! }, shape, ctx.shapeOf(names[i]!), proof.relayouts[i], t);
      if (!r.ok) return r;
      claims.push(r.claim);
    }
    return { ok: true, claims };
  },
};
