/**
 * A test-only proof system, to show that the backend contract is enough: "plain" proves a kernel
 * of element-wise primitives by revealing its input tensors. The verifier recomputes the outputs
 * with the shared integer semantics and checks the claims on them; the revealed inputs are then
 * bound to their producers by claims at fresh points, drawn after the revealed values are
 * absorbed. Sound, not zero-knowledge, and it lives here: nothing in compiler/, runtime/ or the
 * shipped backends knows it.
 */
import type { Backend, BackendVerifier, Claim, KernelSpec, ProofSection } from "../../backends/contract.js";
import { isRecord } from "../../backends/math/claims.js";
import { Fr } from "../../backends/math/field.js";
import { integerTable, numVarsOfShape, sizeOfShape } from "../../backends/math/layout.js";
import { evaluateMle } from "../../backends/math/mle.js";
import type { Transcript } from "../../backends/math/transcript.js";
import type { PrimOp } from "../../compiler/quant/prim.js";
import { evalPrim } from "../../compiler/quant/semantics.js";

/** Primitives whose output element i depends on element i of the inputs only. */
const ELEMENTWISE: ReadonlySet<PrimOp> = new Set<PrimOp>(["add", "sub", "mul", "scale", "max", "clamp", "rescale", "divide", "lookup"]);

const LABELS = { reveal: "plain/reveal", point: "plain/input-point" } as const;

/** Absorb the revealed inputs, then one claim per input at a fresh point. */
function inputClaims(kernel: KernelSpec, revealed: ReadonlyMap<string, Float64Array>, transcript: Transcript): Claim[] {
  for (const t of kernel.inputs) transcript.absorbFields(`${LABELS.reveal}/${t}`, Array.from(revealed.get(t)!, (v) => Fr.fromSigned(v)));
  return kernel.inputs.map((t) => {
    const shape = kernel.tensors.get(t)!.shape;
    const point = transcript.challenges(LABELS.point, numVarsOfShape(shape));
    return { tensor: t, point, value: evaluateMle(integerTable(revealed.get(t)!, shape), point) };
  });
}

export const plainVerifier: BackendVerifier<undefined> = {
  name: "plain",
  boundary: "claims",
  wholeModel: false,
  parseArtifacts: () => undefined,
  verifierFiles: () => [],
  decode(fields) {
    if (!isRecord(fields.inputs) || Object.keys(fields).length !== 1) return { ok: false, reason: "expected {inputs}" };
    return { ok: true, section: { inputs: fields.inputs } };
  },
  async verify(kernel, _a, section, claims, ctx) {
    const sent = section.inputs as Record<string, unknown>;
    const env = new Map<string, Float64Array>();
    for (const t of kernel.params) env.set(t, kernel.tensors.get(t)!.values!);
    for (const t of kernel.inputs) {
      const v = sent[t];
      const n = sizeOfShape(kernel.tensors.get(t)!.shape);
      if (!Array.isArray(v) || v.length !== n || !v.every((x) => Number.isSafeInteger(x))) return { ok: false, reason: `input "${t}": expected ${n} integers` };
      env.set(t, Float64Array.from(v as number[]));
    }
    if (Object.keys(sent).length !== kernel.inputs.length) return { ok: false, reason: "unexpected revealed tensors" };
    for (const p of kernel.prims) env.set(p.out, evalPrim(p, env));
    for (const [t, list] of claims) {
      const table = integerTable(env.get(t)!, kernel.tensors.get(t)!.shape);
      for (const c of list) if (evaluateMle(table, c.point) !== c.value) return { ok: false, reason: `a claim on output "${t}" is false` };
    }
    return { ok: true, inputClaims: inputClaims(kernel, env, ctx.transcript) };
  },
};

export const plainBackend: Backend<undefined> = {
  ...plainVerifier,
  summary: "reveals element-wise kernels (tests only)",
  costDefaults: { plainNs: 5 },
  supports: (kernel) =>
    kernel.kind === "prims" && kernel.prims.every((p) => ELEMENTWISE.has(p.op)) ? { ok: true } : { ok: false, reason: "plain proves element-wise kernels only" },
  estimate: (kernel, costs) => ({ proveSeconds: (kernel.prims.length * Number(costs.plainNs ?? 5)) / 1e9, memoryBytes: 1e6, proofBytes: 8 * kernel.inputs.length }),
  async build() {
    return { files: new Map() };
  },
  proverFiles: () => [],
  async prove(kernel, _a, _claims, ctx) {
    const revealed = new Map(kernel.inputs.map((t) => [t, ctx.valueOf(t)] as const));
    const section: ProofSection = { inputs: Object.fromEntries([...revealed].map(([t, v]) => [t, Array.from(v)])) };
    return { section, inputClaims: inputClaims(kernel, revealed, ctx.transcript) };
  },
  encode: (section) => ({ inputs: section.inputs }),
};
