/**
 * Groth16 code generation: compiles runs of zkc primitives (compiler/quant/prim.ts) into lean,
 * fully constrained R1CS with the builder and gadgets of this backend. See docs/groth16.md,
 * "Circuits from primitives".
 *
 * - {@link circuitFromPrims}: the core, on a caller's builder (inputs as signals with bounds).
 * - {@link buildWholeModelCircuit}: a whole `QProgram` as one circuit (public inputs = quantised
 *   graph inputs, public outputs = integer outputs), with setup/prove/verify helpers.
 * - {@link compileGroth16Kernel}: a kernel of a partitioned plan with the public statement of
 *   backends/groth16/statement.ts (Poseidon commitments, MLE claims).
 * - {@link checkCodegenCircuit}: the under-constraint check with the divide assumptions.
 */
import type { Prim } from "../../compiler/quant/prim.js";
import type { R1csBuilder, Signal } from "./r1cs.js";
import { compilePrims, compileState, type Assumption, type CircuitTensor, type PrimCost, type TensorInfo } from "./codegen/compile.js";

export { bitLength, signOf, type Assumption, type CircuitTensor, type PrimCost, type TensorInfo } from "./codegen/compile.js";
export { bestSplit, eqVector, splitCost, tableAtBits } from "./codegen/table.js";
export { checkCodegenCircuit, finalAssumptions, type CodegenCheckReport, type FinalAssumption } from "./codegen/check.js";
export {
  buildWholeModelCircuit,
  checkPublicInputs,
  countWholeModel,
  outputsFromSignals,
  proveWholeModel,
  setupWholeModel,
  verifyWholeModel,
  type CircuitStats,
  type PublicLayout,
  type PublicTensor,
  type WholeModelCircuit,
  type WholeModelOptions,
  type WholeModelProof,
  type WholeModelWitness,
} from "./codegen/whole-model.js";
export { compileGroth16Kernel, countGroth16Kernel, kernelSpecOfRange, tensorMleInCircuit, type CompiledKernel } from "./codegen/kernel.js";

/** An input of a primitive run: its signals and the interval [lo, hi] every value lies in. */
export interface RunInput {
  signals: Signal[];
  lo: number;
  hi: number;
}

/** Result of {@link circuitFromPrims}. */
export interface CompiledRun {
  /** every tensor the run produced or read, as circuit tensors */
  tensors: ReadonlyMap<string, CircuitTensor>;
  /** divide quotients the checker's rules cannot determine (after `build()`, pass `finalAssumptions(assumptions, built)` to {@link checkCodegenCircuit}) */
  assumptions: Assumption[];
  /** constraints per primitive */
  costs: PrimCost[];
}

/**
 * Compiles `prims` onto `b`. Inputs (tensors read and not produced by the run, other than params)
 * come from `inputs`; their intervals must hold for the values (inputs the verifier does not see
 * must be range-checked by the caller). Params are compiled in as constants.
 * @throws ZkcError UNSUPPORTED_OP for a primitive without an encoding; QUANTISATION when bounds
 * leave the exact range
 */
export function circuitFromPrims(
  b: R1csBuilder,
  prims: readonly Prim[],
  tensors: ReadonlyMap<string, TensorInfo>,
  inputs: ReadonlyMap<string, RunInput>,
  where = "primitive run",
): CompiledRun {
  const st = compileState(b, tensors, where);
  for (const [name, t] of inputs) st.env.set(name, { signals: t.signals, lo: t.lo, hi: t.hi });
  compilePrims(st, prims);
  return { tensors: st.env, assumptions: st.assumptions, costs: st.costs };
}
