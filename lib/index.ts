/**
 * `zkc`: the library entry (Node). It only re-exports what the CLI itself drives, so library users
 * and `zkc` run the same code (docs/api.md).
 *
 * - The API, one call per command: `compile(model, options)`, `prove(artifacts, inputs, options)`,
 *   `verify(artifacts, proof)` (toolchain/api.ts), over in-memory artifacts or a directory.
 * - The steps below it, for finer control: `loadModelFile`, `calibrate`, `compileModel`,
 *   `proveBundle` (runtime/prove.ts) and `verifyBundle` (runtime/verify.ts, also `verify` of
 *   `zkc/verifier`).
 *
 * snarkjs and the commitment engine start worker threads that keep Node alive: call
 * `terminateWorkers()` when done proving or compiling (or pass `terminateWorkers: true`), as the
 * CLI does on exit.
 */
export {
  compile,
  prove,
  verify,
  inspect,
  inspectProof,
  verifierArtifacts,
  toFeeds,
  type Artifacts,
  type ArtifactsSource,
  type ArtifactFiles,
  type CalibrationData,
  type CompileApiOptions,
  type CompileProgress,
  type CompileWarning,
  type InputSet,
  type InspectResult,
  type NestedNumbers,
  type Proof,
  type ProvedOutput,
  type ProveApiOptions,
  type ProveResult,
  type QuantisationReport,
  type VerifyApiOptions,
} from "../toolchain/api.js";
export { terminateWorkers } from "../toolchain/workers.js";

// the browser-safe verifier's exports (zkc/verifier), its `verify` as `verifyBundle`
export { verify as verifyBundle, type VerifiedOutput, type VerifyResult, type VerifyOptions } from "../runtime/verify.js";
export { defaultVerifiers } from "../backends/verifiers.js";
export { parseManifest, type Manifest } from "../runtime/manifest.js";
export { parseProof, type ParsedProof, type ProofBundle } from "../runtime/proof.js";
export { ZkcError, type ZkcErrorCode } from "../compiler/errors.js";

export { loadModelFile, loadModelBytes, type LoadOptions } from "../compiler/onnx/load.js";
export type { Graph } from "../compiler/ir/graph.js";
export type { Tensor, DType, ValueInfo } from "../compiler/ir/tensor.js";
export { calibrate, calibrateAsync, randomSamples, type CalibrationResult, type CalibrateOptions, type CalibrateAsyncOptions, type Feeds } from "../compiler/quant/calibrate.js";
export { compileModel, type CompileOptions, type CompiledModel, type PlanRow } from "../toolchain/compile.js";
export { calibrateCosts } from "../toolchain/calibrate-costs.js";
export { defaultBackends, DEFAULT_COSTS } from "../backends/registry.js";
export { BackendRegistry, type Backend, type BackendVerifier, type KernelSpec, type ProofSection, type BuildOptions, type BuiltKernel } from "../backends/contract.js";
export { prove as proveBundle, type ProveOptions, type ProveProgress, type ProveStats, type HashedOutputValues } from "../runtime/prove.js";
export { serializeManifest, manifestDigest, type Visibility } from "../runtime/manifest.js";
export { serializeProof, loadProof } from "../runtime/proof.js";
export { serializeProofBinary, parseProofBinary, parseAnyProof, isBinaryProof } from "../runtime/proof-binary.js";
export { parseInputs, parseSamples, type InputValues } from "../runtime/inputs.js";
export { decodeProgram } from "../runtime/link/program-file.js";
export { inspectHtml, type InspectData } from "../cli/inspect-html.js";
// types only: the queue code (bullmq, ioredis) loads when a prove is given `queue`
export type { QueueProveOptions, QueueStats } from "../runtime/queue/options.js";
