/**
 * The compile driver: integer program -> kernels -> backend per kernel -> Groth16 circuits and keys
 * -> manifest and side files (Node only: key setup uses the file cache).
 *
 * Side files (relative names, written by the CLI next to `manifest.json`):
 * - `program.json`, `weights.bin`: the integer program and the params' integers;
 * - `groth16/<kernel>.zkey` (provers only) and `groth16/<kernel>.vkey.json` per Groth16 kernel.
 */
import { ZkcError } from "../errors.js";
import type { Graph } from "../ir/graph.js";
import type { CalibrationResult } from "../quant/calibrate.js";
import type { PrimOp, QProgram } from "../quant/prim.js";
import "../../backends/gkr/nonlinear/index.js";
import { registeredOps } from "../../backends/gkr/kernel.js";
import { compileGroth16Kernel } from "../../backends/groth16/codegen.js";
import { buildWholeModelCircuit, countWholeModel } from "../../backends/groth16/codegen/whole-model.js";
import { setupGroth16, type Groth16Keys } from "../../backends/groth16/keys.js";
import { writeR1cs, sha256Hex as sha256HexNode } from "../../backends/groth16/formats.js";
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
} from "../../runtime/manifest.js";
import { encodeProgram } from "../../runtime/link/program-file.js";
import { committedTensorsOf } from "../../runtime/link/bundle.js";
import { loadCostModel } from "./calibrate-costs.js";
import { formatBytes, formatSeconds, groth16Estimate, kernelFeatures, type CostConstants, type CostEstimate } from "./cost.js";
import type { Groth16KernelSpec } from "./groth16-kernel.js";
import { opsSummary, partition, type KernelPart } from "./partition.js";
import { chooseBackend, type Backend, type BackendMode } from "./select.js";

/** Options of `compileModel`. */
export interface CompileOptions {
  /**
   * "auto" / "gkr": the partitioned plan (backend per kernel, Groth16 kernels linked by Poseidon
   * commitments). "groth16": whole-model mode, the entire program as one Groth16 circuit whose
   * statement is the public inputs and outputs (public visibility only). A partitioned plan with
   * every kernel on Groth16 is `overrides` naming every kernel.
   */
  backend: BackendMode;
  inputVisibility: Visibility;
  outputVisibility: Visibility;
  /** prepared powers-of-tau file (else a cached local one from CSPRNG secrets) */
  ptau?: string;
  /** INSECURE, tests only: keys from the public-seed development ptau (forgeable; docs/trust.md) */
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
  overrides?: Record<string, Backend>;
}

/** One row of the plan table the CLI prints. */
export interface PlanRow {
  kernel: string;
  ops: string;
  /** input shapes -> output shapes */
  shapes: string;
  backend: Backend;
  estimate: CostEstimate;
  reason: string;
}

export interface CompiledModel {
  manifest: Manifest;
  /** side files by relative name */
  files: Map<string, Uint8Array>;
  plan: PlanRow[];
}

/** Most constraints a Groth16 kernel may have (2^20 is the largest locally generated ptau). */
const MAX_GROTH16_CONSTRAINTS = 2 ** 20 - 64;
const ALL_OPS: ReadonlySet<PrimOp> = new Set<PrimOp>(["matmul", "add", "sub", "mul", "scale", "gather", "reduceSum", "rescale", "lookup", "clamp", "max", "divide", "argmax"]);

function ioEntries(program: QProgram, names: readonly string[], visibility: Visibility): IoEntry[] {
  return names.map((name) => {
    const t = program.tensors.get(name)!;
    return { name, onnxName: t.onnxName ?? name, shape: [...t.shape], scale: t.scale, maxAbs: t.maxAbs, visibility };
  });
}

function specOf(program: QProgram, name: string, from: number, to: number, inputs: string[], outputs: string[]): Groth16KernelSpec {
  const prims = program.prims.slice(from, to);
  const names = new Set<string>([...inputs, ...outputs]);
  for (const p of prims) {
    names.add(p.out);
    for (const [k, v] of Object.entries(p)) {
      if ((k === "a" || k === "b" || k === "in" || k === "num" || k === "den") && typeof v === "string") names.add(v);
      if (k === "sources") for (const s of v as string[]) names.add(s);
    }
  }
  return { name, prims, tensors: new Map([...names].map((n) => [n, program.tensors.get(n)!] as const)), inputs, outputs };
}

/**
 * Compile a calibrated model: partition, choose backends, build Groth16 circuits and keys, write
 * the manifest.
 * @throws ZkcError UNSUPPORTED_OP when a kernel has no backend, USAGE for a bad --ptau
 */
export async function compileModel(graph: Graph, calibration: CalibrationResult, opts: CompileOptions): Promise<CompiledModel> {
  const program = calibration.program;
  const progress = opts.onProgress ?? (() => {});
  const costs = opts.costs ?? loadCostModel(opts.cacheDir);
  if (opts.backend === "groth16") return compileWholeModel(graph, calibration, opts, costs);
  const parts = partition(program);
  const ctx = {
    program,
    costs,
    gkrOps: registeredOps(),
    groth16Ops: ALL_OPS,
    memoryBudget: opts.memoryBudget ?? 4 * 1024 ** 3,
    maxGroth16Constraints: MAX_GROTH16_CONSTRAINTS,
  };
  const shapeText = (names: readonly string[]) => names.map((n) => `[${program.tensors.get(n)!.shape.join("x")}]`).join(" ");
  const entries: KernelEntry[] = [];
  const plan: PlanRow[] = [];
  const hashedInputs = opts.inputVisibility === "hashed" ? program.inputs : [];
  const hashedOutputs = opts.outputVisibility === "hashed" ? program.outputs : [];
  const commitKernel = (kind: "hash-input" | "hash-output", tensor: string, at: number): KernelEntry => {
    const size = program.tensors.get(tensor)!.shape.reduce((a, b) => a * b, 1);
    const est = groth16Estimate(size * 47 + 2 ** Math.ceil(Math.log2(size)), 2 + Math.ceil(Math.log2(size)), costs);
    return {
      name: `${kind === "hash-input" ? "hash-in" : "hash-out"}:${tensor}`,
      kind,
      backend: "groth16",
      from: at,
      to: at,
      inputs: [tensor],
      params: [],
      outputs: [],
      reason: `${kind === "hash-input" ? "input" : "output"} is hashed: a Groth16 circuit binds its Poseidon hash to the claims (est. ${formatSeconds(est.proveSeconds)}, ${formatBytes(est.memoryBytes)})`,
      estimate: { gkr: null, groth16: est },
    };
  };
  for (const t of hashedInputs) entries.push(commitKernel("hash-input", t, 0));
  for (const part of parts) {
    const forced = opts.overrides?.[part.name];
    const choice = chooseBackend(part, ctx, forced ?? opts.backend);
    entries.push({
      name: part.name,
      kind: "prims",
      backend: choice.backend,
      from: part.from,
      to: part.to,
      inputs: part.inputs,
      params: part.params,
      outputs: part.outputs,
      reason: forced ? `override: ${choice.reason}` : choice.reason,
      estimate: choice.estimate,
    });
  }
  for (const t of hashedOutputs) entries.push(commitKernel("hash-output", t, program.prims.length));

  const files = new Map<string, Uint8Array>();
  const encoded = encodeProgram(program);
  files.set("program.json", encoded.program);
  files.set("weights.bin", encoded.weights);

  // Groth16 circuits and keys
  const g16 = entries.filter((e) => e.backend === "groth16");
  let development = false;
  for (const [n, e] of g16.entries()) {
    progress(`groth16 setup ${e.name}`, n, g16.length);
    const spec = specOf(program, e.name, e.from, e.to, e.inputs, e.outputs);
    const circuit = compileGroth16Kernel(spec);
    const built = circuit.build();
    let keys: Groth16Keys;
    try {
      keys = await setupGroth16(built.r1cs, { ...(opts.ptau ? { ptauPath: opts.ptau } : {}), ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}), ...(opts.insecureDevSetup ? { insecureSeededSetup: true } : {}) });
    } catch (err) {
      throw err instanceof ZkcError ? err.withDetails({ node: e.name }) : err;
    }
    development ||= keys.development;
    const safe = e.name.replace(/[^A-Za-z0-9_.-]/g, "_");
    const vkeyBytes = new TextEncoder().encode(JSON.stringify(keys.vkey));
    const zkeyFile = `groth16/${safe}.zkey`;
    const vkeyFile = `groth16/${safe}.vkey.json`;
    files.set(zkeyFile, keys.zkey);
    files.set(vkeyFile, vkeyBytes);
    e.groth16 = {
      vkeyFile,
      vkeyDigest: sha256Hex(vkeyBytes),
      zkeyFile,
      zkeyDigest: sha256Hex(keys.zkey),
      r1csDigest: sha256HexNode(writeR1cs(built.r1cs)),
      nConstraints: circuit.nConstraints,
      nPublic: circuit.nPublic,
    };
    // the exact circuit size replaces the estimate
    e.estimate.groth16 = groth16Estimate(circuit.nConstraints, circuit.nPublic, costs);
  }
  progress("groth16 setup", g16.length, g16.length);

  const hashed = new Set([...hashedInputs, ...hashedOutputs]);
  const manifest = buildManifest(graph, calibration, opts, encoded, entries, committedTensorsOf(entries, hashed), development);
  for (const e of manifest.kernels) {
    const part: Pick<KernelPart, "from" | "to"> = e;
    plan.push({
      kernel: e.name,
      ops: e.kind === "prims" ? opsSummary(program, part) : "poseidon hash + MLE claim",
      shapes: `${shapeText(e.inputs)} -> ${shapeText(e.outputs) || "(hash)"}`,
      backend: e.backend,
      estimate: e.estimate[e.backend]!,
      reason: e.reason,
    });
  }
  return { manifest, files, plan };
}

function buildManifest(
  graph: Graph,
  calibration: CalibrationResult,
  opts: CompileOptions,
  encoded: { program: Uint8Array; weights: Uint8Array },
  kernels: KernelEntry[],
  committedTensors: string[],
  developmentPtau: boolean,
): Manifest {
  const program = calibration.program;
  const programDigest = sha256Hex(encoded.program);
  const config: Record<string, number> = {};
  for (const [k, v] of Object.entries(calibration.config)) if (typeof v === "number") config[k] = v;
  return parseManifest({
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    model: { digest: opts.modelDigest ?? programDigest, name: opts.modelName ?? (graph.name || "model") },
    quantisation: { config, inputs: ioEntries(program, program.inputs, opts.inputVisibility), outputs: ioEntries(program, program.outputs, opts.outputVisibility) },
    program: { file: "program.json", digest: programDigest, prims: program.prims.length },
    weights: { file: "weights.bin", digest: sha256Hex(encoded.weights), bytes: encoded.weights.length },
    kernels,
    committedTensors,
    commitment: { scheme: COMMITMENT_SCHEME, tensorHash: TENSOR_HASH },
    transcript: { hash: "sha256", protocol: TRANSCRIPT_PROTOCOL },
    developmentPtau,
  });
}

/** Name of the single kernel of whole-model mode. */
export const WHOLE_MODEL_KERNEL = "whole-model";

/**
 * Whole-model mode (`--backend groth16`): the program as one R1CS (input bounds range-checked in
 * the circuit), public signals = output integers then input integers, weights as constants.
 * @throws ZkcError USAGE for hashed visibility or a circuit beyond the largest powers of tau
 */
async function compileWholeModel(graph: Graph, calibration: CalibrationResult, opts: CompileOptions, costs: CostConstants): Promise<CompiledModel> {
  const program = calibration.program;
  const progress = opts.onProgress ?? (() => {});
  if (opts.inputVisibility === "hashed" || opts.outputVisibility === "hashed") {
    throw new ZkcError("USAGE", "whole-model mode proves public inputs and outputs; use --backend auto or gkr for hashed", {
      expected: "--input-visibility public --output-visibility public with --backend groth16",
      got: `input ${opts.inputVisibility}, output ${opts.outputVisibility}`,
      hint: "drop the hashed visibility, or compile with --backend auto (or gkr) to hash inputs or outputs",
    });
  }
  if (opts.overrides && Object.keys(opts.overrides).length > 0) {
    throw new ZkcError("USAGE", "per-kernel overrides do not apply to whole-model mode (--backend groth16 has one kernel)", {
      got: Object.keys(opts.overrides).join(", "),
      hint: "use --backend auto or gkr with overrides for a partitioned plan",
    });
  }
  const tooBig = (constraints: string, publicSignals: number): never => {
    throw new ZkcError("USAGE", `the model as one Groth16 circuit has ${constraints} constraints, beyond the largest supported circuit (${MAX_GROTH16_CONSTRAINTS})`, {
      node: WHOLE_MODEL_KERNEL,
      expected: `at most ${MAX_GROTH16_CONSTRAINTS} constraints plus public signals`,
      got: `${constraints} constraints, ${publicSignals} public signals`,
      hint: "compile with --backend auto, which splits the model into kernels and proves the large ones with GKR",
    });
  };
  // counting builds every constraint in memory: a model far beyond the limit by the cost model's
  // estimate (2x margin: the estimate is rough) fails before that
  const ioElements = [...program.inputs, ...program.outputs].reduce((s, t) => s + program.tensors.get(t)!.shape.reduce((a, b) => a * b, 1), 0);
  const estimated = kernelFeatures(program, program.prims, []).constraints;
  if (estimated > 2 * MAX_GROTH16_CONSTRAINTS) tooBig(`~${estimated} (estimated)`, ioElements);
  // the exact count, before freezing the circuit
  const count = countWholeModel(program, { rangeCheckInputs: true });
  if (count.constraints + count.publicSignals > MAX_GROTH16_CONSTRAINTS) tooBig(String(count.constraints), count.publicSignals);
  progress(`groth16 setup ${WHOLE_MODEL_KERNEL}`, 0, 1);
  const circuit = buildWholeModelCircuit(program, { rangeCheckInputs: true });
  let keys: Groth16Keys;
  try {
    keys = await setupGroth16(circuit.r1cs, { ...(opts.ptau ? { ptauPath: opts.ptau } : {}), ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}), ...(opts.insecureDevSetup ? { insecureSeededSetup: true } : {}) });
  } catch (err) {
    throw err instanceof ZkcError ? err.withDetails({ node: WHOLE_MODEL_KERNEL }) : err;
  }
  progress("groth16 setup", 1, 1);
  const files = new Map<string, Uint8Array>();
  const encoded = encodeProgram(program);
  files.set("program.json", encoded.program);
  files.set("weights.bin", encoded.weights);
  const vkeyBytes = new TextEncoder().encode(JSON.stringify(keys.vkey));
  const zkeyFile = `groth16/${WHOLE_MODEL_KERNEL}.zkey`;
  const vkeyFile = `groth16/${WHOLE_MODEL_KERNEL}.vkey.json`;
  files.set(zkeyFile, keys.zkey);
  files.set(vkeyFile, vkeyBytes);
  const { constraints, publicSignals } = circuit.stats;
  const estimate = groth16Estimate(constraints, publicSignals, costs);
  const entry: KernelEntry = {
    name: WHOLE_MODEL_KERNEL,
    kind: "whole-model",
    backend: "groth16",
    from: 0,
    to: program.prims.length,
    inputs: [...program.inputs],
    params: [],
    outputs: [...program.outputs],
    reason: `whole-model mode (--backend groth16): one R1CS of ${constraints} constraints, ${publicSignals} public signals (est. ${formatSeconds(estimate.proveSeconds)}, ${formatBytes(estimate.memoryBytes)})`,
    estimate: { gkr: null, groth16: estimate },
    groth16: {
      vkeyFile,
      vkeyDigest: sha256Hex(vkeyBytes),
      zkeyFile,
      zkeyDigest: sha256Hex(keys.zkey),
      r1csDigest: circuit.digest,
      nConstraints: constraints,
      nPublic: publicSignals,
    },
  };
  const manifest = buildManifest(graph, calibration, opts, encoded, [entry], [], keys.development);
  const shapeText = (names: readonly string[]) => names.map((n) => `[${program.tensors.get(n)!.shape.join("x")}]`).join(" ");
  const plan: PlanRow[] = [
    { kernel: entry.name, ops: opsSummary(program, entry), shapes: `${shapeText(entry.inputs)} -> ${shapeText(entry.outputs)}`, backend: "groth16", estimate, reason: entry.reason },
  ];
  return { manifest, files, plan };
}
