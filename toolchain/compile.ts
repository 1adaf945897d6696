/**
 * The compile step, above the compiler and the backends: plan the integer program
 * (compiler/plan), then let each kernel's backend build its artifacts (keys, circuits), then write
 * the manifest. Node only (backends may use the key cache).
 *
 * Side files (relative names, written by the CLI next to `manifest.json`): `program.json` and
 * `weights.bin` (the integer program and the params' integers), and whatever the backends build
 * (e.g. `groth16/<kernel>.zkey` for provers and `groth16/<kernel>.vkey.json`).
 */
import type { Graph } from "../compiler/ir/graph.js";
import type { CalibrationResult } from "../compiler/quant/calibrate.js";
import type { QProgram } from "../compiler/quant/prim.js";
import type { CostConstants, CostEstimate } from "../compiler/plan/cost.js";
import { kernelOps } from "../compiler/plan/partition.js";
import { planModel, WHOLE_MODEL_KERNEL } from "../compiler/plan/plan.js";
import type { BackendMode } from "../compiler/plan/select.js";
import type { Backend, BackendRegistry } from "../backends/contract.js";
import { defaultBackends } from "../backends/registry.js";
import {
  COMMITMENT_SCHEME,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  TENSOR_HASH,
  TRANSCRIPT_PROTOCOL,
  parseManifest,
  sha256Hex,
  type IoEntry,
  type KernelEntry,
  type Manifest,
  type Visibility,
} from "../runtime/manifest.js";
import { encodeProgram } from "../runtime/link/program-file.js";
import { committedTensorsOf } from "../runtime/link/model.js";
import { loadCostModel } from "./calibrate-costs.js";
import { checkAborted } from "./abort.js";

export { WHOLE_MODEL_KERNEL };

/** Options of `compileModel`. */
export interface CompileOptions {
  /**
   * "auto": the cheaper backend per kernel; a backend's name: that backend wherever it can; a
   * backend that proves whole models (Groth16) forced this way proves the entire program as one
   * kernel whose statement is the public inputs and outputs (public visibility only).
   */
  backend: BackendMode;
  inputVisibility: Visibility;
  outputVisibility: Visibility;
  /** prepared powers-of-tau file (else a cached local one from CSPRNG secrets) */
  ptau?: string;
  /** INSECURE, tests only: keys from a public-seed setup (forgeable; docs/trust.md) */
  insecureDevSetup?: boolean;
  onProgress?: (step: string, done: number, total: number) => void;
  /** bytes one kernel's prover may use (default 4 GiB) */
  memoryBudget?: number;
  /** cost constants (default: measured ones from the cache, else the shipped defaults) */
  costs?: CostConstants;
  /** key cache directory (default: the user cache) */
  cacheDir?: string;
  /** sha256 (hex) of the ONNX file, recorded as the model digest (default: digest of the integer program) */
  modelDigest?: string;
  modelName?: string;
  /** per-kernel backend overrides by kernel name ("k0", ...), e.g. to force a mixed plan */
  overrides?: Record<string, string>;
  /** the proof systems to plan with (default: the built-in ones) */
  backends?: BackendRegistry<Backend>;
  /**
   * "chain" (default): one transcript, claims flow from kernel to kernel; "independent": every
   * kernel on its own transcript from one root, so kernels can be proven in parallel
   * (runtime/link/independent.ts; costs a commitment and an opening per boundary tensor)
   */
  linking?: "chain" | "independent";
  /**
   * With backend "auto": let the cost model choose one circuit for the whole model when it
   * estimates that cheaper than the kernel plan (default true; never with independent linking)
   */
  wholeModel?: boolean;
  /** cancels the build: checked before each kernel's build and after the last (ZkcError ABORTED) */
  signal?: AbortSignal;
}

/** One row of the plan table the CLI prints. */
export interface PlanRow {
  kernel: string;
  ops: string;
  /** input shapes -> output shapes */
  shapes: string;
  backend: string;
  estimate: CostEstimate;
  reason: string;
}

export interface CompiledModel {
  manifest: Manifest;
  /** side files by relative name */
  files: Map<string, Uint8Array>;
  plan: PlanRow[];
}

function ioEntries(program: QProgram, names: readonly string[], visibility: Visibility): IoEntry[] {
  return names.map((name) => {
    const t = program.tensors.get(name)!;
    return { name, onnxName: t.onnxName ?? name, shape: [...t.shape], scale: t.scale, maxAbs: t.maxAbs, visibility };
  });
}

/**
 * Compile a calibrated model: plan, build every kernel's artifacts, write the manifest.
 * @throws ZkcError UNSUPPORTED_OP when a kernel has no backend, USAGE for options that do not go together or a bad --ptau,
 *   ABORTED when `opts.signal` fires
 */
export async function compileModel(graph: Graph, calibration: CalibrationResult, opts: CompileOptions): Promise<CompiledModel> {
  const program = calibration.program;
  const progress = opts.onProgress ?? (() => {});
  const registry = opts.backends ?? defaultBackends;
  const costs = opts.costs ?? loadCostModel(opts.cacheDir, registry.list());
  const hashedInputs = opts.inputVisibility === "hashed" ? program.inputs : [];
  const hashedOutputs = opts.outputVisibility === "hashed" ? program.outputs : [];
  const planned = planModel(program, {
    backend: opts.backend,
    hashedInputs,
    hashedOutputs,
    backends: registry.list(),
    costs,
    memoryBudget: opts.memoryBudget ?? 4 * 1024 ** 3,
    ...(opts.overrides ? { overrides: opts.overrides } : {}),
    wholeModel: opts.wholeModel !== false && opts.linking !== "independent",
  });

  const files = new Map<string, Uint8Array>();
  const encoded = encodeProgram(program);
  files.set("program.json", encoded.program);
  files.set("weights.bin", encoded.weights);

  // every kernel's artifacts, by its backend
  const entries: KernelEntry[] = [];
  let insecureSetup = false;
  for (const [n, k] of planned.entries()) {
    checkAborted(opts.signal, `before building kernel ${k.spec.name}`);
    const backend = registry.get(k.backend);
    const built = await backend.build(k.spec, {
      costs,
      ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
      ...(opts.ptau ? { ptau: opts.ptau } : {}),
      ...(opts.insecureDevSetup ? { insecureDevSetup: true } : {}),
      onProgress: (step) => progress(step, n, planned.length),
    });
    for (const [name, bytes] of built.files) files.set(name, bytes);
    insecureSetup ||= built.insecureSetup === true;
    const estimate = { ...k.estimate };
    if (built.estimate) estimate[k.backend] = built.estimate;
    const { spec } = k;
    entries.push({
      name: spec.name,
      kind: spec.kind,
      backend: k.backend,
      from: spec.from,
      to: spec.to,
      inputs: [...spec.inputs],
      params: [...spec.params],
      outputs: [...spec.outputs],
      reason: built.note ? `${k.reason}: ${built.note}` : k.reason,
      estimate,
      ...(built.artifacts !== undefined ? { artifacts: built.artifacts } : {}),
    });
  }
  checkAborted(opts.signal, "after building the kernels");

  const hashed = new Set([...hashedInputs, ...hashedOutputs]);
  const programDigest = sha256Hex(encoded.program);
  const config: Record<string, number> = {};
  for (const [k, v] of Object.entries(calibration.config)) if (typeof v === "number") config[k] = v;
  const manifest = parseManifest({
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    model: { digest: opts.modelDigest ?? programDigest, name: opts.modelName ?? (graph.name || "model") },
    quantisation: { config, inputs: ioEntries(program, program.inputs, opts.inputVisibility), outputs: ioEntries(program, program.outputs, opts.outputVisibility) },
    program: { file: "program.json", digest: programDigest, prims: program.prims.length },
    weights: { file: "weights.bin", digest: sha256Hex(encoded.weights), bytes: encoded.weights.length },
    kernels: entries,
    committedTensors: committedTensorsOf(entries, hashed, registry),
    commitment: { scheme: COMMITMENT_SCHEME, tensorHash: TENSOR_HASH },
    transcript: { hash: "sha256", protocol: TRANSCRIPT_PROTOCOL },
    developmentPtau: insecureSetup,
    ...(opts.linking === "independent" ? { linking: "independent" } : {}),
  });
  const shapeText = (names: readonly string[]) => names.map((n) => `[${program.tensors.get(n)!.shape.join("x")}]`).join(" ");
  const plan: PlanRow[] = manifest.kernels.map((e) => ({
    kernel: e.name,
    ops: e.kind === "prims" || e.kind === "whole-model" ? kernelOps(program, e) : "poseidon hash + MLE claim",
    shapes: `${shapeText(e.inputs)} -> ${shapeText(e.outputs) || "(hash)"}`,
    backend: e.backend,
    estimate: e.estimate[e.backend]!,
    reason: e.reason,
  }));
  return { manifest, files, plan };
}
