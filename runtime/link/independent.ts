/**
 * Independent kernel proofs (manifest `linking: "independent"`, DESIGN §4.8): every kernel proves
 * on a transcript of its own, derived from one root, so kernels can be proven in any order, on any
 * core or machine, and the bundle stays one statement.
 *
 * Schedule (prover and verifier alike):
 * 1. The bundle transcript opens as in the chained mode (manifest digest, public I/O, Poseidon
 *    commitments), then absorbs a Hyrax commitment of every *boundary tensor*: a tensor some
 *    kernel takes claims on (a kernel output, or a hashed input) whose values the verifier does
 *    not know (not a public input or output).
 * 2. Kernel i's transcript K_i starts from the manifest digest and the kernel's index and name;
 *    the backend's pre-challenge messages (`commit`) go into K_i, and K_i's digest into the bundle
 *    transcript. Its digest after that is the *root*: every commitment of the bundle is in it.
 * 3. Each kernel: K_i absorbs the root; a fresh claim on each of its claim targets is drawn from
 *    K_i (public outputs: the verifier evaluates it; otherwise the prover sends the value, and the
 *    claim joins the tensor's openings); the backend proves its claims down to claims on its
 *    inputs, which join their tensor's openings (or, on public inputs, the verifier evaluates them).
 * 4. The bundle transcript absorbs every K_i's final digest (kernel order), then, per boundary
 *    tensor, the claims on it are combined into one (`proveCombine`) and its commitment opened
 *    there; the verifier checks every opening in one MSM.
 *
 * Costs against the chain: one Hyrax commitment per boundary tensor (MSM work linear in the
 * activations that cross kernels) and one opening each; docs/parallel-proving.md has numbers.
 * Browser-safe.
 */
import type { Claim } from "../../backends/math/claims.js";
import { paddedPositions, numVarsOfShape } from "../../backends/math/layout.js";
import { Transcript } from "../../backends/math/transcript.js";
import { claimTargets } from "../../backends/contract.js";
import type { LinkedModel } from "./model.js";
import { BUNDLE_LABELS, absorbKernelName } from "./transcript.js";

/** Transcript labels of independent linking. */
export const INDEPENDENT_LABELS = {
  boundary: "bundle/boundary",
  kernelCommitted: "bundle/kernel-committed",
  root: "bundle/root",
  claimPoint: "bundle/claim-point",
  claimValue: "bundle/claim-value",
  kernelDone: "bundle/kernel-done",
} as const;

/** The protocol label of kernel transcripts. */
const KERNEL_PROTOCOL = "zkc/bundle/kernel/v1";

/**
 * Boundary tensors, in a fixed order: claim targets of the kernels (kernel order, then target
 * order) that are not public model inputs or outputs.
 */
export function boundaryTensors(model: LinkedModel): string[] {
  const q = model.manifest.quantisation;
  const isPublic = new Set([...q.inputs, ...q.outputs].filter((e) => e.visibility === "public").map((e) => e.name));
  const out: string[] = [];
  for (const k of model.kernels) for (const t of claimTargets(k.spec)) if (!isPublic.has(t) && !out.includes(t)) out.push(t);
  return out;
}

/** Kernel i's own transcript, before its backend's pre-challenge messages. */
export function kernelTranscript(model: LinkedModel, index: number): Transcript {
  const t = new Transcript(KERNEL_PROTOCOL);
  t.absorbBytes(BUNDLE_LABELS.manifest, model.digest);
  absorbKernelName(t, index, model.kernels[index]!.entry.name);
  return t;
}

/** The padded MLE table of a tensor as integers (zeros in the padding), for a Hyrax commitment. */
export function paddedIntegers(values: Float64Array, shape: readonly number[]): { table: Float64Array; numVars: number } {
  const numVars = numVarsOfShape(shape);
  const table = new Float64Array(2 ** numVars);
  const pos = paddedPositions(shape);
  for (let i = 0; i < pos.length; i++) table[pos[i]!] = values[i]!;
  return { table, numVars };
}

/** A fresh claim's point on kernel transcript K_i (the value follows from the public values or the prover). */
export function freshPoint(t: Transcript, tensor: string, shape: readonly number[]): bigint[] {
  return t.challenges(`${INDEPENDENT_LABELS.claimPoint}/${tensor}`, numVarsOfShape(shape));
}

/** Claims on each boundary tensor, gathered in kernel order (a kernel's fresh claims, then its input claims). */
export class OpeningClaims {
  private readonly byTensor = new Map<string, Claim[][]>();
  constructor(readonly tensors: readonly string[], readonly kernels: number) {
    for (const t of tensors) this.byTensor.set(t, Array.from({ length: kernels }, () => []));
  }
  has(tensor: string): boolean {
    return this.byTensor.has(tensor);
  }
  add(kernel: number, c: Claim): void {
    this.byTensor.get(c.tensor)![kernel]!.push(c);
  }
  /** Every claim on a tensor, in kernel order. */
  of(tensor: string): Claim[] {
    return this.byTensor.get(tensor)!.flat();
  }
}
