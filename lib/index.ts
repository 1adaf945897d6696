/**
 * `zkc`: the library entry (Node). It only re-exports what the CLI itself drives, so library users
 * and `zkc` run the same code: load an ONNX model, calibrate the quantisation, compile (plan,
 * circuits, keys), prove, verify, inspect. A single `compile(model, options)` call will replace the
 * load/calibrate/compileModel steps when the toolchain API lands; until then these are the steps.
 *
 * snarkjs and the commitment engine start worker threads that keep Node alive: call
 * `terminateWorkers()` when done proving or compiling, as the CLI does on exit.
 */
import { terminateSnarkjs } from "../backends/groth16/keys.js";
import { terminateCurve } from "../backends/math/commit/curve.js";

export * from "./verifier.js";
export { loadModelFile, loadModelBytes, type LoadOptions } from "../compiler/onnx/load.js";
export type { Graph } from "../compiler/ir/graph.js";
export type { Tensor, DType, ValueInfo } from "../compiler/ir/tensor.js";
export { calibrate, calibrateAsync, randomSamples, type CalibrationResult, type CalibrateOptions, type CalibrateAsyncOptions, type Feeds } from "../compiler/quant/calibrate.js";
export { compileModel, type CompileOptions, type CompiledModel, type PlanRow } from "../toolchain/compile.js";
export { calibrateCosts } from "../toolchain/calibrate-costs.js";
export { defaultBackends, DEFAULT_COSTS } from "../backends/registry.js";
export { BackendRegistry, type Backend, type BackendVerifier, type KernelSpec, type ProofSection, type BuildOptions, type BuiltKernel } from "../backends/contract.js";
export { prove, type ProveOptions, type ProveProgress, type ProveStats, type HashedOutputValues } from "../runtime/prove.js";
export { serializeManifest, manifestDigest, type Visibility } from "../runtime/manifest.js";
export { serializeProof, loadProof } from "../runtime/proof.js";
export { parseInputs, parseSamples, type InputValues } from "../runtime/inputs.js";
export { decodeProgram } from "../runtime/link/program-file.js";
export { inspectHtml, type InspectData } from "../cli/inspect-html.js";

/** Stops the worker threads of snarkjs and of the commitment engine, so the process can exit. */
export async function terminateWorkers(): Promise<void> {
  await terminateCurve();
  await terminateSnarkjs();
}
