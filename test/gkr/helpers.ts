/** Shared helpers for the GKR tests: seeded integer tensors, kernels from primitives, end-to-end prove/verify. */
import type { Prim } from "../../compiler/quant/prim.js";
import { evalPrim } from "../../compiler/quant/semantics.js";
import { evaluateMle } from "../../backends/math/mle.js";
import { Transcript } from "../../backends/math/transcript.js";
import { integerTable, numVarsOfShape } from "../../backends/math/layout.js";
import { proveKernel, verifyKernel, type Kernel, type KernelProof, type KernelTensor } from "../../backends/gkr/kernel.js";
import type { Claim } from "../../backends/gkr/messages.js";
import { makeRng } from "../math/rng.js";

export { makeRng };

/** Seeded signed integers in [-bound, bound]. */
export function randomInts(rng: ReturnType<typeof makeRng>, n: number, bound: number): Float64Array {
  return Float64Array.from({ length: n }, () => rng.below(2 * bound + 1) - bound);
}

/** Tensor declarations: name -> shape, with `values` for params. */
export type Decl = Record<string, { shape: number[]; values?: Float64Array }>;

/** A kernel over `prims` with the declared tensors. */
export function makeKernel(name: string, prims: Prim[], decl: Decl, publicValues?: Map<string, Float64Array>): Kernel {
  const tensors = new Map<string, KernelTensor>(Object.entries(decl));
  return { name, prims, tensors, ...(publicValues ? { publicValues } : {}) };
}

/** Run the primitives with the shared integer semantics (the oracle for every value). */
export function runPrims(prims: readonly Prim[], inputs: Map<string, Float64Array>): Map<string, Float64Array> {
  const env = new Map(inputs);
  for (const p of prims) env.set(p.out, evalPrim(p, env));
  return env;
}

/** The true claim on a tensor at a point drawn from a seeded rng. */
export function trueClaim(tensor: string, shape: readonly number[], values: Float64Array, seed: number): Claim {
  const rng = makeRng(seed);
  const point = Array.from({ length: numVarsOfShape(shape) }, () => rng.field());
  return { tensor, point, value: evaluateMle(integerTable(values, shape), point) };
}

/** The MLE of the tensor's true values at the claim's point equals the claim. */
export function claimHolds(c: Claim, kernel: Kernel, values: ReadonlyMap<string, Float64Array>): boolean {
  const shape = kernel.tensors.get(c.tensor)!.shape;
  return evaluateMle(integerTable(values.get(c.tensor)!, shape), c.point) === c.value;
}

export const PROTOCOL = "zkc/test/gkr";

/** Prove with a fresh transcript (after an optional prefix absorb). */
export function prove(kernel: Kernel, values: Map<string, Float64Array>, claims: Claim[], prefix = "bundle-1") {
  const t = new Transcript(PROTOCOL);
  t.absorbBytes("test/prefix", new TextEncoder().encode(prefix));
  return proveKernel(kernel, values, claims, t, { checkClaims: true });
}

/** Verify with a fresh transcript (after an optional prefix absorb). */
export function verify(kernel: Kernel, proof: unknown, claims: Claim[], prefix = "bundle-1") {
  const t = new Transcript(PROTOCOL);
  t.absorbBytes("test/prefix", new TextEncoder().encode(prefix));
  return verifyKernel(kernel, proof, claims, t);
}

/** Deep copy of a proof (bigints kept) so tests can tamper with it. */
export function cloneProof<T>(p: T): T {
  return structuredClone(p);
}

export type { KernelProof };
