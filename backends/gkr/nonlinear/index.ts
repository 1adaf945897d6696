/**
 * Non-linear GKR layers: rescale, lookup, clamp, max (ReLU = max with zeros) and divide, proven by
 * committed witness (Hyrax), element-wise relations and logUp lookups (`relation.ts`, `ops.ts`).
 * Importing this module registers the layers with the kernel driver (`../kernel.ts`).
 *
 * Use: `commitNonlinearWitness` before the kernel's first challenge, `proveKernel`, and on the
 * verifier side `absorbNonlinearCommitments`, `verifyKernel`, `finishNonlinearVerification`
 * (or the `*WithCommitments` wrappers). See `session.ts` and docs/commitments.md.
 */
import { registerLayer, type LayerPlugin } from "../kernel.js";
import type { Claim } from "../messages.js";
import { NONLINEAR_OPS, type NonlinearOp } from "./ops.js";
import { proveRelation, verifyRelation } from "./relation.js";
import { deferChecks, proverRelation, verifierRelation } from "./session.js";

export { NONLINEAR_OPS, auxWitness, relationSpec, type NonlinearOp, type NonlinearPrim } from "./ops.js";
export { limbWidths, type RelationProof, type RelationSpec } from "./relation.js";
export {
  absorbNonlinearCommitments,
  commitNonlinearWitness,
  finishNonlinearVerification,
  isNonlinearPrim,
  proveKernelWithCommitments,
  verifyKernelWithCommitments,
  type CommitWitnessOptions,
  type CommittedKernelProof,
  type NonlinearCommitments,
} from "./session.js";

function plugin<O extends NonlinearOp>(op: O): LayerPlugin<O> {
  return {
    op,
    prover: {
      prove(prim, claim, ctx) {
        const rel = proverRelation(ctx.transcript, prim);
        const { proof, claims } = proveRelation(rel, claim, (t) => ctx.table(t), ctx.transcript);
        return { proof, claims: claims as Claim[] };
      },
    },
    verifier: {
      verify(prim, claim, proof, ctx) {
        const rel = verifierRelation(ctx.transcript, prim);
        if (!rel) return { ok: false, reason: "no commitments were absorbed for this primitive (call absorbNonlinearCommitments first)" };
        const v = verifyRelation(rel, claim, proof, ctx.transcript);
        if (!v.ok) return v;
        deferChecks(ctx.transcript, v.checks);
        return { ok: true, claims: v.claims as Claim[] };
      },
    },
  };
}

for (const op of NONLINEAR_OPS) registerLayer(plugin(op));
