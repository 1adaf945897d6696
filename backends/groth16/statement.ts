/**
 * The contract between the linker (`compiler/plan/`, `runtime/prove.ts`, `runtime/verify.ts`) and
 * the Groth16 kernel code generator (`backends/groth16/codegen.ts`): what a Groth16 kernel circuit
 * proves and the exact order of its public signals (DESIGN §4.2, §4.3).
 *
 * ## What the circuit proves
 *
 * For a kernel with input tensors I_0..I_{a-1} and output tensors O_0..O_{b-1} (both in the order
 * of {@link Groth16KernelSpec.inputs} / {@link Groth16KernelSpec.outputs}), the circuit proves:
 * there are integer tensors I_j, O_k (as field elements, negative v -> r - |v|) such that
 *   1. Commit(I_j) = inCommit_j and Commit(O_k) = outCommit_k, where Commit is
 *      `poseidonCommitTensor` of `backends/math/poseidon.ts` over the flat row-major values
 *      (in-circuit: `commitTensor` of `backends/groth16/gadgets/poseidon.ts`);
 *   2. O = f(I), f = the kernel's primitives run with the exact semantics of
 *      `compiler/quant/semantics.ts` (every intermediate and remainder constrained, DESIGN §4.5);
 *   3. MLE(O_k)(outPoint_k) = outValue_k and MLE(I_j)(inPoint_j) = inValue_j, in the **GKR tensor
 *      layout** of `backends/math/mle.ts` (see "MLE convention" below).
 *
 * Params (public weights) that the primitives read are NOT kernel inputs: they are compiled into
 * the circuit as constants, so the verification key binds them and the manifest digest binds the
 * key. Intermediates produced and consumed inside the kernel are private wires.
 *
 * A kernel may have no primitives at all (a "commit kernel"): inputs = [T], outputs = []. It proves
 * Commit(T) = c and MLE(T)(p) = v; zkc uses it for `hashed` inputs and outputs (the Poseidon hash
 * is published, the claim links it to the GKR kernels).
 *
 * ## Public signals, in this order (snarkjs `publicSignals`, decimal strings of canonical residues)
 *
 * ```
 * inCommit_0, ..., inCommit_{a-1},
 * outCommit_0, ..., outCommit_{b-1},
 * for k in 0..b-1:  outPoint_k[0], ..., outPoint_k[n_k - 1], outValue_k
 * for j in 0..a-1:  inPoint_j[0], ..., inPoint_j[m_j - 1], inValue_j
 * binding
 * ```
 * where `binding` = {@link kernelBinding} of the kernel: a digest of its primitives, tensors and
 * weights that the circuit fixes as a constant, so the verification key proves exactly the kernel
 * the verifier rebuilds from program.json and weights.bin (editing either, even with the digests
 * in the manifest re-pointed, makes every proof fail).
 * with n_k, m_j the MLE variable counts of the tensors' shapes ({@link mleVarsOfShape}). The
 * codegen may declare these wires as snarkjs outputs or public inputs in any mix, as long as the
 * resulting `publicSignals` array has exactly this order; {@link groth16SignalCount} and
 * {@link groth16StatementSignals} fix it in code. The points are public *inputs* of the statement
 * (drawn by the linker from the bundle transcript at proving time), so the circuit structure must not
 * depend on them: `build()` without an assignment (setup) and with one (proving) must give
 * byte-identical `.r1cs` files.
 *
 * ## Why this is sound (DESIGN §4)
 * All commitments are absorbed into the bundle transcript before the first challenge; the points
 * are drawn afterwards; the verifier rebuilds the public signals from the absorbed commitments, the
 * transcript's points and the claimed values, then checks the Groth16 proof, then absorbs the
 * values. A claim on an output arrives from the consumer (or the verifier's own evaluation of a
 * public output); the claims on inputs go on to their producers (or are checked by the verifier
 * when the input is public). So the claim chain passes through the kernel.
 *
 * ## MLE convention (differs from the gadget's native one: mind the permutation)
 * A tensor of shape [d_0..d_{k-1}] is zero-padded on **every axis** to a power of two and laid out
 * row-major; variable 0 is the **most significant** bit of the padded index (axis 0 first). In
 * circuit terms, with `mleEvaluate(b, values, point)` of `backends/groth16/gadgets/mle.ts` (which
 * pads the flat vector at the end and treats point[j] as index bit j, LSB first):
 *   `padded[paddedPositions(shape)[i]] = T[i]` (others zero; `paddedPositions` in
 *   `backends/gkr/layout.ts`), then `mleEvaluate(b, padded, [...point].reverse())`.
 * Both are pure wiring (no constraints).
 *
 * ## Bounds
 * Kernel inputs produced by other kernels satisfy their `maxAbs` (the claim chain proves they are
 * the true values). Tensors of kind "input" (model inputs) are user data: if a gadget needs a
 * pre-bounded value, the circuit must range-check it (witness generation clamps nothing).
 */
import type { Prim, PrimOrigin, QTensor } from "../../compiler/quant/prim.js";
import { FR_MODULUS } from "../math/field.js";
import { sha256 } from "../math/sha256.js";
import type { BuiltCircuit } from "./r1cs.js";

/** A Groth16 kernel as the planner hands it to the code generator. */
export interface Groth16KernelSpec {
  /** stable kernel name (used in wire names and errors) */
  name: string;
  /** primitives in execution order (may be empty: a commit kernel) */
  prims: readonly Prim[];
  /** per primitive, the ONNX node it was lowered from (errors name it), when known */
  origins?: readonly PrimOrigin[];
  /** every tensor the primitives touch, plus the inputs/outputs; params carry `values` */
  tensors: ReadonlyMap<string, Pick<QTensor, "name" | "shape" | "scale" | "maxAbs" | "kind" | "values">>;
  /** tensors read from outside the kernel (not params), in statement order */
  inputs: readonly string[];
  /** tensors the kernel produces that are needed after it (or are program outputs), in statement order */
  outputs: readonly string[];
}

/** Values and points for proving. */
export interface Groth16KernelAssignment {
  /**
   * exact integers (Float64Array of safe integers) of at least every input; the circuit computes
   * the outputs and intermediates itself
   */
  values: ReadonlyMap<string, Float64Array>;
  /** one point per input, in `spec.inputs` order, canonical field elements (GKR layout) */
  inputPoints: readonly (readonly bigint[])[];
  /** one point per output, in `spec.outputs` order */
  outputPoints: readonly (readonly bigint[])[];
}

/** What `backends/groth16/codegen.ts` returns for a spec. */
export interface Groth16KernelCircuit {
  readonly spec: Groth16KernelSpec;
  /** = groth16SignalCount(spec) */
  readonly nPublic: number;
  /** number of constraints (for the cost model and the ptau power) */
  readonly nConstraints: number;
  /**
   * Build the circuit and its witness. Without an assignment: all-zero inputs and points, for
   * setup (the R1CS must be identical to the one built with any assignment).
   * @throws ZkcError (QUANTISATION / INPUT) when values violate the kernel's static bounds
   */
  build(assignment?: Groth16KernelAssignment): BuiltCircuit;
}

/**
 * Signature of the code generator's entry point:
 * `export function compileGroth16Kernel(spec: Groth16KernelSpec): Groth16KernelCircuit`.
 * @throws ZkcError UNSUPPORTED_OP for a primitive it cannot compile
 */
export type CompileGroth16Kernel = (spec: Groth16KernelSpec) => Groth16KernelCircuit;

/** The concrete statement of one Groth16 kernel proof (all canonical field elements). */
export interface Groth16Statement {
  inputCommitments: readonly bigint[];
  outputCommitments: readonly bigint[];
  outputClaims: readonly { point: readonly bigint[]; value: bigint }[];
  inputClaims: readonly { point: readonly bigint[]; value: bigint }[];
  /** {@link kernelBinding} of the kernel */
  binding: bigint;
}

/** Number of MLE variables of a tensor shape in the GKR layout (sum of ceil(log2(d)) per axis). */
export function mleVarsOfShape(shape: readonly number[]): number {
  let n = 0;
  for (const d of shape) {
    let k = 0;
    while (2 ** k < d) k++;
    n += k;
  }
  return n;
}

/** Total number of public signals of a kernel's circuit. */
export function groth16SignalCount(spec: Pick<Groth16KernelSpec, "inputs" | "outputs" | "tensors">): number {
  const vars = (t: string): number => {
    const info = spec.tensors.get(t);
    if (!info) throw new RangeError(`groth16SignalCount: no tensor "${t}" in the spec`);
    return mleVarsOfShape(info.shape);
  };
  let n = spec.inputs.length + spec.outputs.length + 1;
  for (const t of spec.outputs) n += vars(t) + 1;
  for (const t of spec.inputs) n += vars(t) + 1;
  return n;
}

/** The public signals of a statement, in the order documented above. */
export function groth16StatementSignals(s: Groth16Statement): bigint[] {
  return [
    ...s.inputCommitments,
    ...s.outputCommitments,
    ...s.outputClaims.flatMap((c) => [...c.point, c.value]),
    ...s.inputClaims.flatMap((c) => [...c.point, c.value]),
    s.binding,
  ];
}

/**
 * The binding of a kernel's circuit: SHA-256 (reduced mod r) of everything the circuit computes
 * from besides its public signals: the primitives (with their index maps and tables), every
 * tensor's name, shape, scale, bound and kind, and every param's integers. Builder and verifier
 * compute it from the same kernel spec, so a key is only usable for the kernel it was made for.
 */
export function kernelBinding(spec: Pick<Groth16KernelSpec, "prims" | "tensors" | "inputs" | "outputs">): bigint {
  const blobs: Uint8Array[] = [];
  const blob = (a: ArrayBufferView): { blob: number } => {
    blobs.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return { blob: blobs.length - 1 };
  };
  const tensors = [...spec.tensors.values()].map((t) => [t.name, [...t.shape], t.scale, t.maxAbs, t.kind, t.kind === "param" && t.values ? blob(t.values) : null]);
  const meta = JSON.stringify({ v: "zkc/groth16/binding/v1", inputs: spec.inputs, outputs: spec.outputs, tensors, prims: spec.prims }, (_k, v: unknown) => (ArrayBuffer.isView(v) ? blob(v) : v));
  const head = new TextEncoder().encode(meta);
  const all = new Uint8Array(head.length + blobs.reduce((n, b) => n + b.length, 0));
  all.set(head, 0);
  let at = head.length;
  for (const b of blobs) {
    all.set(b, at);
    at += b.length;
  }
  let x = 0n;
  for (const byte of sha256(all)) x = (x << 8n) | BigInt(byte);
  return x % FR_MODULUS;
}
