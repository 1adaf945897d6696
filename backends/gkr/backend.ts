/**
 * The GKR / sumcheck backend behind the contract (backends/contract.ts): kernels of regular,
 * data-parallel primitives, proven by the kernel driver (`kernel.ts`) with claims flowing
 * backward; non-linear primitives commit their witness (Hyrax) before the first challenge and are
 * opened in one batched MSM when the bundle is verified (`nonlinear/`). GKR keeps no artifacts:
 * the kernel spec and the weights in the program are all it needs. Browser-safe.
 */
import { ZkcError } from "../../compiler/errors.js";
import type { KernelSpec } from "../../compiler/plan/backend.js";
import type { Backend, BackendVerifier, BundleContext, ClaimsByTensor, ProofSection } from "../contract.js";
import type { Claim } from "../math/claims.js";
import { FrVector } from "../math/field.js";
import { proveSumcheck } from "../math/sumcheck.js";
import { Transcript } from "../math/transcript.js";
import { commit } from "../math/commit/index.js";
import { GKR_COST_DEFAULTS, gkrEstimateOf, gkrFeatures } from "./estimate.js";
import { proveKernel, registeredOps, verifyKernel, type Kernel } from "./kernel.js";
import { absorbNonlinearCommitments, commitNonlinearWitness, finishNonlinearVerification, type NonlinearCommitments } from "./nonlinear/index.js";

/** The driver's kernel for a spec, with the public inputs it reads (claims on them end in the kernel). */
function driverKernel(spec: KernelSpec, publicInputs: ReadonlyMap<string, Float64Array>): Kernel {
  const base: Kernel = { name: spec.name, prims: spec.prims, tensors: spec.tensors, ...(spec.origins ? { origins: spec.origins } : {}) };
  const publicValues = new Map<string, Float64Array>();
  for (const [t, v] of publicInputs) if (spec.tensors.has(t)) publicValues.set(t, v);
  return publicValues.size ? { ...base, publicValues } : base;
}

/** Claims on the kernel's outputs as one list, in output order (what the driver takes). */
const flatClaims = (claims: ClaimsByTensor): Claim[] => [...claims.values()].flat();

const SECTION_FIELDS = ["commitments", "proof"] as const;

/** The verifying half (also the base of `gkrBackend`). */

/**
 * Every field name of a GKR proof message (messages.ts, the non-linear layers, sumcheck, claims,
 * Hyrax openings). The layer guards read the fields they know and would ignore others, so an
 * added field is refused here: a proof has one encoding (found by the mutation campaign, test/fuzz).
 */
const MESSAGE_FIELDS = new Set([
  "aEval", "aRelayout", "bEval", "bRelayout", "body", "children", "combine", "combined", "commitments", "eval", "evals",
  "fractions", "hooks", "index", "inRelayout", "inputEvals", "inputs", "kind", "layers", "logup", "lookup", "map",
  "multiplicities", "op", "opening", "outRelayout", "partials", "points", "prims", "proof", "relayouts", "roots", "rounds",
  "sumcheck", "sumchecks", "values", "multiplicityClaims", "linearEvals", "mapEval", "mapPartials", "matmulEvals", "mulEvals", "polyEvals",
]);

/** The first object key anywhere in `x` that no GKR message has. */
function unknownKey(x: unknown): string | undefined {
  const stack = [x];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (typeof v === "object" && v !== null && !(v instanceof Uint8Array)) {
      for (const [k, c] of Object.entries(v)) {
        // "proof" is a field of an opening (beside its values) only
        if (!MESSAGE_FIELDS.has(k) || (k === "proof" && !("values" in v))) return k;
        stack.push(c);
      }
    }
  }
  return undefined;
}

export const gkrVerifier: BackendVerifier<undefined> = {
  name: "gkr",
  boundary: "claims",
  wholeModel: false,
  parseArtifacts(kernel, artifacts, field) {
    if (artifacts !== undefined) {
      throw new ZkcError("MODEL_FORMAT", `malformed manifest: field ${field}`, { node: kernel.name, expected: "no section for a GKR kernel", hint: "compile the model again (zkc compile)" });
    }
    return undefined;
  },
  verifierFiles: () => [],
  decode(fields) {
    for (const k of Object.keys(fields)) if (!(SECTION_FIELDS as readonly string[]).includes(k)) return { ok: false, reason: `unexpected field "${k}" in a GKR kernel proof` };
    const stray = unknownKey(fields.commitments) ?? unknownKey(fields.proof);
    if (stray !== undefined) return { ok: false, reason: `unexpected field "${stray}" in a GKR kernel proof` };
    return { ok: true, section: { commitments: fields.commitments, proof: fields.proof } };
  },
  absorbCommitments(kernel, _artifacts, section, ctx) {
    const r = absorbNonlinearCommitments(driverKernel(kernel, ctx.publicInputs), section.commitments, ctx.transcript);
    return r.ok ? r : { ok: false, reason: `non-linear commitments: ${r.reason}` };
  },
  async verify(kernel, _artifacts, section, claims, ctx) {
    const driver = driverKernel(kernel, ctx.publicInputs);
    const v = verifyKernel(driver, section.proof, flatClaims(claims), ctx.transcript);
    if (!v.ok) return v;
    for (const c of v.inputClaims) if (!driver.tensors.has(c.tensor)) return { ok: false, reason: `a claim on auxiliary tensor "${c.tensor}" is left undischarged` };
    return v;
  },
  finish: (ctx: BundleContext) => finishNonlinearVerification(ctx.transcript),
};

/** The GKR backend. */
export const gkrBackend: Backend<undefined> = {
  ...gkrVerifier,
  summary: "GKR/sumcheck wherever it can (regular, data-parallel work)",
  costDefaults: GKR_COST_DEFAULTS,
  supports(kernel) {
    if (kernel.kind !== "prims") return { ok: false, reason: "a hashed tensor needs its Poseidon hash proven in a circuit, which GKR has no layer for" };
    const ops = registeredOps();
    const missing = [...new Set(kernel.prims.map((p) => p.op))].filter((op) => !ops.has(op));
    return missing.length ? { ok: false, reason: `${missing.join(", ")} has no GKR layer` } : { ok: true };
  },
  estimate: (kernel, costs) => gkrEstimateOf(gkrFeatures(kernel), costs),
  async calibrate() {
    // fieldNs: a degree-2 sumcheck over 2^14 entries; commitNs: a Hyrax commitment of 2^12 16-bit values
    const n = 14;
    const table = (seed: number): FrVector => {
      let a = seed >>> 0;
      const v = new Float64Array(2 ** n);
      for (let i = 0; i < v.length; i++) {
        a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
        v[i] = (a % 65536) - 32768;
      }
      return FrVector.fromIntegers(v);
    };
    const a = table(1);
    const b = table(2);
    const run = () => proveSumcheck({ polys: [a, b], terms: [{ coeff: 1n, factors: [0, 1] }] }, new Transcript("zkc/calibrate"));
    run(); // warm-up
    let t0 = performance.now();
    run();
    const fieldNs = ((performance.now() - t0) * 1e6) / 2 ** n;
    const values = new Float64Array(2 ** 12).map((_, i) => (i * 7919) % 65536);
    await commit(values.subarray(0, 256), 8); // warm-up (generators)
    t0 = performance.now();
    await commit(values, 12);
    const commitNs = ((performance.now() - t0) * 1e6) / values.length;
    return { fieldNs, commitNs };
  },
  async build() {
    return { files: new Map() };
  },
  proverFiles: () => [],
  commit: (kernel, _artifacts, ctx) => commitNonlinearWitness(driverKernel(kernel, ctx.publicInputs), ctx.values, ctx.transcript),
  async resumeCommit(kernel, _artifacts, committed, ctx) {
    const known = committed as NonlinearCommitments;
    if (typeof known !== "object" || known === null || known.kind !== "nonlinear-commitments") throw new ZkcError("INTERNAL", `internal error: kernel ${kernel.name}: not a commitment message to resume from`);
    await commitNonlinearWitness(driverKernel(kernel, ctx.publicInputs), ctx.values, ctx.transcript, { known });
  },
  async prove(kernel, _artifacts, claims, ctx, committed) {
    const driver = driverKernel(kernel, ctx.publicInputs);
    const r = proveKernel(driver, ctx.values, flatClaims(claims), ctx.transcript);
    for (const c of r.inputClaims) {
      if (!driver.tensors.has(c.tensor)) throw new ZkcError("INTERNAL", `internal error: kernel ${kernel.name} left a claim on auxiliary tensor "${c.tensor}" undischarged`);
    }
    return { section: { commitments: committed, proof: r.proof }, inputClaims: r.inputClaims };
  },
  encode: (section: ProofSection) => ({ commitments: section.commitments, proof: section.proof }),
};
