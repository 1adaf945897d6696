/**
 * One kernel of an independent plan (runtime/link/independent.ts), proven from what a worker can
 * hold: the model, the kernel's context (its tensors, its kernel transcript after `commit` or
 * `resumeCommit`), the backend's committed data and the root. The in-process walk of
 * runtime/prove.ts and the worker threads (runtime/pool/) both run this.
 */
import { ZkcError } from "../compiler/errors.js";
import { claimTargets, type Backend, type BackendRegistry, type Claim, type ProverContext } from "../backends/contract.js";
import { integerTable } from "../backends/math/layout.js";
import { evaluateMle } from "../backends/math/mle.js";
import { MemoryTensorStore, kernelJob, runKernelJob } from "./jobs.js";
import { INDEPENDENT_LABELS, freshPoint } from "./link/independent.js";
import type { LinkedModel } from "./link/model.js";

/** What one kernel gives the bundle. */
export interface KernelTaskResult {
  /** the backend's encoded proof section */
  section: Record<string, unknown>;
  /** the claims it leaves on its inputs */
  inputClaims: Claim[];
  /** its fresh claims on its claim targets; `opened`: on a boundary tensor (the value is sent) */
  fresh: { claim: Claim; opened: boolean }[];
  /** its kernel transcript's final state */
  digest: Uint8Array;
}

/**
 * Prove kernel `index` on `kc.transcript`, which stands after the kernel's pre-challenge messages.
 * @param opened whether a tensor is a boundary tensor (committed and opened) or public
 */
export async function proveKernelTask(
  model: LinkedModel,
  registry: BackendRegistry<Backend>,
  index: number,
  kc: ProverContext,
  committed: unknown,
  root: Uint8Array,
  opened: (tensor: string) => boolean,
): Promise<KernelTaskResult> {
  const k = model.kernels[index]!;
  const kt = kc.transcript;
  const shapeOf = (t: string) => model.program.tensors.get(t)!.shape;
  kt.absorbBytes(INDEPENDENT_LABELS.root, root);
  const fresh = claimTargets(k.spec).map((t) => {
    const point = freshPoint(kt, t, shapeOf(t));
    const value = evaluateMle(integerTable(kc.valueOf(t), shapeOf(t)), point);
    const o = opened(t);
    if (o) kt.absorbField(INDEPENDENT_LABELS.claimValue, value);
    return { claim: { tensor: t, point, value }, opened: o };
  });
  const store = new MemoryTensorStore();
  const job = kernelJob(model, index, fresh.map((f) => f.claim), kc.values, store, kt);
  const r = await runKernelJob(job, model, registry, store, kc, committed);
  for (const c of r.inputClaims) {
    // claims on public tensors: the verifier evaluates them
    if (!opened(c.tensor) && !kc.publicInputs.has(c.tensor) && !kc.publicOutputs.has(c.tensor)) {
      throw new ZkcError("INTERNAL", `internal error: kernel ${k.entry.name} left a claim on "${c.tensor}", which is neither committed nor public`);
    }
  }
  return { section: r.section, inputClaims: r.inputClaims, fresh, digest: kt.digest() };
}
