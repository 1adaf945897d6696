/**
 * The library API: `compile`, `prove`, `verify`, one call per CLI command, over in-memory
 * artifacts or an artifacts directory (docs/api.md). It does what `zkc compile|prove|verify` do;
 * the CLI's compile command calls `compile` here, so both run the same loading and calibration.
 *
 * Node only (model files, key cache, directories). Cancellation: `signal` is checked between
 * steps (model load, calibration, each kernel's build, each kernel's proof); a step already
 * running finishes first, then the call rejects with ZkcError ABORTED and nothing is written.
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { ZkcError } from "../compiler/errors.js";
import type { Graph } from "../compiler/ir/graph.js";
import { type Tensor, tensor } from "../compiler/ir/tensor.js";
import { loadModelBytes } from "../compiler/onnx/load.js";
import type { AccuracyReport } from "../compiler/quant/accuracy.js";
import type { QuantConfig } from "../compiler/quant/builder.js";
import { type Feeds, SEARCH_MARGIN, calibrateAsync, randomSamples } from "../compiler/quant/calibrate.js";
import type { CostConstants } from "../compiler/plan/cost.js";
import type { BackendMode } from "../compiler/plan/select.js";
import type { Backend, BackendRegistry, BackendVerifier } from "../backends/contract.js";
import { defaultBackends } from "../backends/registry.js";
import { defaultVerifiers } from "../backends/verifiers.js";
import { type Manifest, type Visibility, parseManifest, serializeManifest } from "../runtime/manifest.js";
import { type InputValues, parseInputs, parseSamples } from "../runtime/inputs.js";
import { prove as proveBundle, type ProveProgress, type ProveStats } from "../runtime/prove.js";
import { type ProofBundle, serializeProof } from "../runtime/proof.js";
import { isBinaryProof, parseAnyProof } from "../runtime/proof-binary.js";
import { verify as verifyBundle, type VerifyResult } from "../runtime/verify.js";
import { loadLinkedModel, type LinkedModel } from "../runtime/link/model.js";
import { abortedError, checkAborted } from "./abort.js";
import { compileModel, type PlanRow } from "./compile.js";
import { openArtifacts, readInputFile, readJsonFile, writeDirAtomic } from "./files.js";
import { terminateWorkers } from "./workers.js";
import type { QueueProveOptions } from "../runtime/queue/options.js";

// ---------------------------------------------------------------------------------------------
// inputs

/** A (nested) array of numbers, as in input JSON. */
export type NestedNumbers = number | readonly NestedNumbers[];

/**
 * One model input set, in the forms `zkc prove --input` reads: EZKL style
 * `{"input_data": [[...], ...]}` (one flat row-major list per graph input, in graph-input order),
 * or by ONNX input name, each a nested or flat array or a typed array (`Float32Array`, ...).
 */
export type InputSet = { input_data: readonly NestedNumbers[] } | Record<string, NestedNumbers | ArrayLike<number>>;

/**
 * Calibration samples: a path to a JSON file (one input set or an array of them, as
 * `zkc compile --calibrate`), input sets in memory, or interpreter feeds (`Record<name, Tensor>`).
 */
export type CalibrationData = string | InputSet | readonly InputSet[] | readonly Feeds[];

/** Typed arrays become plain arrays: the JSON parsers only walk arrays. */
function plainInputSet(x: unknown): unknown {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return x;
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v]));
}

const isTensor = (v: unknown): v is Tensor =>
  typeof v === "object" && v !== null && (v as Tensor).data instanceof Float64Array && Array.isArray((v as Tensor).shape) && typeof (v as Tensor).dtype === "string";

/** Float feeds for the interpreters from parsed input values. */
export function toFeeds(graph: Graph, values: InputValues): Feeds {
  return Object.fromEntries(graph.inputs.map((i) => [i.name, tensor(i.dtype, i.shape, values[i.name]!)]));
}

function calibrationFeeds(graph: Graph, data: CalibrationData): Feeds[] {
  if (typeof data === "string") return parseSamples(readJsonFile(data, "calibration file"), graph.inputs, data).map((v) => toFeeds(graph, v));
  const list = Array.isArray(data) ? (data as unknown[]) : [data];
  if (list.length > 0 && list.every((s) => typeof s === "object" && s !== null && Object.values(s).length > 0 && Object.values(s).every(isTensor))) {
    // interpreter feeds: checked against the graph's inputs like JSON samples
    return parseSamples(
      list.map((s) => Object.fromEntries(Object.entries(s as Feeds).map(([k, t]) => [k, Array.from(t.data)]))),
      graph.inputs,
      "options.calibrate",
    ).map((v) => toFeeds(graph, v));
  }
  return parseSamples(Array.isArray(data) ? list.map(plainInputSet) : plainInputSet(data), graph.inputs, "options.calibrate").map((v) => toFeeds(graph, v));
}

// ---------------------------------------------------------------------------------------------
// compile

/** What the calibration chose and how accurate it is (`quantisation.json` of the directory). */
export interface QuantisationReport {
  config: QuantConfig;
  /** every scale tried, cheapest first; `met` when its worst relative L2 error is within `searchLimit` */
  tried: { scale: number; relL2: number; met: boolean }[];
  metTarget: boolean;
  /** the accuracy target: relative L2 error of every output */
  target: number;
  /** what the search held the calibration samples to: target / SEARCH_MARGIN (new inputs vary more) */
  searchLimit: number;
  accuracy: AccuracyReport;
  /** how many calibration samples were the caller's and how many were synthetic */
  samples: { given: number; synthetic: number };
  /** which float engine gave the reference values: "onnxruntime" (when installed) or "interpreter" */
  floatEngine: string;
  /** why the float path fell back, if it did */
  notes: string[];
}

/** A compile warning: the call goes on, but the result may not be what the caller wants. */
export interface CompileWarning {
  /**
   * "model": from the ONNX loader (e.g. a symbolic batch dim set to 1); "random-calibration": no
   * `calibrate` data; "target-not-met": no scale met `target`; "development-ptau": Groth16 keys
   * from a locally generated powers of tau (pass `ptau` for production).
   */
  code: "model" | "random-calibration" | "target-not-met" | "development-ptau";
  message: string;
}

/** Progress of `compile`, step by step. */
export type CompileProgress =
  | { phase: "load"; done: 0 | 1; total: 1 }
  /** done 1 carries the quantisation chosen */
  | { phase: "calibrate"; done: 0 | 1; total: 1; quantisation?: QuantisationReport }
  /** a backend's build step (e.g. "groth16 setup k3") of kernel `done` of `total` */
  | { phase: "build"; step: string; done: number; total: number }
  | { phase: "write"; dir: string; done: 0 | 1; total: 1 };

/** Options of `compile` (the flags of `zkc compile`). */
export interface CompileApiOptions {
  /** write the artifacts to this directory too, atomically (replaced whole, never half-written) */
  dir?: string;
  /** calibration samples (default: 16 random inputs in [-1, 1], with a "random-calibration" warning) */
  calibrate?: CalibrationData;
  /** fixed-point scale (bits after the point), 0 to 24, instead of searching */
  scale?: number;
  /** the weights' scale, 0 to 24, instead of per-tensor scales */
  paramScale?: number;
  /** accuracy target: relative L2 error of every output (default 1e-2) */
  target?: number;
  /** static shapes of graph inputs with symbolic dims, by input name */
  inputShape?: Record<string, number[]>;
  /** "auto" (default): the cheaper backend per kernel; or a backend's name ("gkr", "groth16") */
  backend?: BackendMode;
  inputVisibility?: Visibility;
  outputVisibility?: Visibility;
  /** prepared powers-of-tau file for production Groth16 keys */
  ptau?: string;
  /** INSECURE, tests only: Groth16 keys from a public-seed setup (forgeable; verifiers refuse them by default; docs/trust.md) */
  insecureDevSetup?: boolean;
  /** "chain" (default) or "independent" kernel proofs (see toolchain/compile.ts `CompileOptions.linking`) */
  linking?: "chain" | "independent";
  /** backend "auto" may prove the whole model as one circuit when estimated cheaper (default true) */
  wholeModel?: boolean;
  /** key and cost cache directory (default: ZKC_CACHE_DIR, else the user cache) */
  cacheDir?: string;
  /** the model's name in the manifest (default: the file's name, else the graph's) */
  modelName?: string;
  /** bytes one kernel's prover may use (default 4 GiB) */
  memoryBudget?: number;
  /** per-kernel backend overrides by kernel name ("k0", ...) */
  overrides?: Record<string, string>;
  /** cost constants (default: measured ones from the cache, else the shipped defaults) */
  costs?: CostConstants;
  /** the proof systems (default: the built-in ones) */
  backends?: BackendRegistry<Backend>;
  onProgress?: (p: CompileProgress) => void;
  /** called as each warning arises; the result's `warnings` lists them too */
  onWarning?: (w: CompileWarning) => void;
  signal?: AbortSignal;
  /** stop the worker threads when the call ends, so a script can exit (later calls restart them) */
  terminateWorkers?: boolean;
}

/**
 * A compiled model in memory. `files` holds every file of the artifacts directory by relative
 * name (`manifest.json`, `program.json`, `weights.bin`, keys, `quantisation.json`, `plan.json`).
 */
export interface Artifacts {
  manifest: Manifest;
  files: Map<string, Uint8Array>;
  plan: PlanRow[];
  quantisation: QuantisationReport;
  warnings: CompileWarning[];
  /** the directory written, when `options.dir` was given */
  dir?: string;
}

function checkScale(name: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 24)) {
    throw new ZkcError("USAGE", `options.${name} must be an integer from 0 to 24`, { got: String(v) });
  }
}

/**
 * Compile an ONNX model: load, calibrate, quantise, plan, build every kernel's keys, like
 * `zkc compile`.
 * @param model a path to an .onnx file or its bytes
 * @throws ZkcError MODEL_FORMAT / UNSUPPORTED_* / SHAPE for models zkc cannot read, INPUT for bad
 *   calibration data or unreadable files, USAGE for bad options, QUANTISATION when no scale fits,
 *   ABORTED when `options.signal` fires (nothing written)
 * @example const art = await compile("model.onnx", { calibrate: "input.json" });
 */
export async function compile(model: Uint8Array | string, options: CompileApiOptions & { dir: string }): Promise<Artifacts & { dir: string }>;
export async function compile(model: Uint8Array | string, options?: CompileApiOptions): Promise<Artifacts>;
export async function compile(model: Uint8Array | string, options: CompileApiOptions = {}): Promise<Artifacts> {
  try {
    return await compileSteps(model, options);
  } finally {
    if (options.terminateWorkers) await terminateWorkers();
  }
}

async function compileSteps(model: Uint8Array | string, o: CompileApiOptions): Promise<Artifacts> {
  const { signal } = o;
  const progress = o.onProgress ?? (() => {});
  const warnings: CompileWarning[] = [];
  const warn = (code: CompileWarning["code"], message: string) => {
    const w = { code, message };
    warnings.push(w);
    o.onWarning?.(w);
  };
  checkScale("scale", o.scale);
  checkScale("paramScale", o.paramScale);
  const target = o.target ?? 1e-2;
  if (!(target > 0)) throw new ZkcError("USAGE", "options.target must be a positive number", { got: String(o.target) });
  const registry = o.backends ?? defaultBackends;
  const backend = o.backend ?? "auto";
  if (backend !== "auto" && !registry.find(backend)) {
    throw new ZkcError("USAGE", `unknown backend "${backend}"`, { expected: ["auto", ...registry.names()].join(", ") });
  }
  const inputVisibility = o.inputVisibility ?? "public";
  const outputVisibility = o.outputVisibility ?? "public";
  // fail before the (slow) calibration: compileModel refuses this combination too
  if (registry.find(backend)?.wholeModel && (inputVisibility === "hashed" || outputVisibility === "hashed")) {
    throw new ZkcError("USAGE", `whole-model mode (backend "${backend}") proves public inputs and outputs`, { hint: 'use backend "auto" for hashed visibility' });
  }

  checkAborted(signal, "before loading the model");
  progress({ phase: "load", done: 0, total: 1 });
  const source = typeof model === "string" ? model : (o.modelName ?? "model.onnx");
  const bytes = typeof model === "string" ? readInputFile(model, "model file") : model;
  const graph = loadModelBytes(bytes, source, o.inputShape ? { inputShapes: o.inputShape } : {});
  for (const w of graph.warnings) warn("model", w);
  progress({ phase: "load", done: 1, total: 1 });

  checkAborted(signal, "before calibration");
  progress({ phase: "calibrate", done: 0, total: 1 });
  let given: Feeds[] = [];
  if (o.calibrate !== undefined) given = calibrationFeeds(graph, o.calibrate);
  // a model without inputs has nothing to calibrate on: its values are constants
  else if (graph.inputs.length > 0) warn("random-calibration", "no calibration data (options.calibrate): calibrating on random inputs in [-1, 1]; pass representative inputs for accurate scales");
  // random samples in the observed range widen the calibration beyond the few given inputs
  const samples = [...given, ...randomSamples(graph, 16, 1, given)];
  // float values from onnxruntime-node when it is installed (a dev dependency), else the interpreter
  const cal = await calibrateAsync(graph, samples, {
    targetRelL2: target,
    userSamples: given.length,
    ...(o.scale !== undefined ? { scale: o.scale } : {}),
    ...(o.paramScale !== undefined ? { paramScale: o.paramScale } : {}),
  });
  const quantisation: QuantisationReport = {
    config: cal.config,
    tried: cal.tried,
    metTarget: cal.metTarget,
    target,
    searchLimit: cal.searchLimit,
    accuracy: cal.accuracy,
    samples: { given: cal.userSamples, synthetic: cal.syntheticSamples },
    floatEngine: cal.floatEngine,
    notes: [...cal.notes],
  };
  progress({ phase: "calibrate", done: 1, total: 1, quantisation });
  if (!cal.metTarget) {
    const kept = cal.tried.find((t) => t.scale === cal.config.activationScale);
    warn(
      "target-not-met",
      `no scale kept the worst relative L2 error on the calibration samples within ${cal.searchLimit} (the target ${target} with a ${SEARCH_MARGIN}× margin for new inputs); kept the most accurate one, scale 2^${cal.config.activationScale}${kept ? ` at rel L2 ${Number(kept.relL2.toPrecision(3))}` : ""}`,
    );
  }
  checkAborted(signal, "after calibration");

  const compiled = await compileModel(graph, cal, {
    backend,
    inputVisibility,
    outputVisibility,
    ...(o.ptau ? { ptau: o.ptau } : {}),
    ...(o.insecureDevSetup ? { insecureDevSetup: true } : {}),
    ...(o.linking ? { linking: o.linking } : {}),
    ...(o.wholeModel === false ? { wholeModel: false } : {}),
    ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
    ...(o.memoryBudget !== undefined ? { memoryBudget: o.memoryBudget } : {}),
    ...(o.overrides ? { overrides: o.overrides } : {}),
    ...(o.costs ? { costs: o.costs } : {}),
    ...(signal ? { signal } : {}),
    backends: registry,
    onProgress: (step, done, total) => progress({ phase: "build", step, done, total }),
    modelDigest: createHash("sha256").update(bytes).digest("hex"),
    modelName: o.modelName ?? (typeof model === "string" ? basename(model) : graph.name || "model"),
  });
  if (compiled.manifest.developmentPtau) {
    warn("development-ptau", "insecureDevSetup: the Groth16 keys come from the public-seed development setup; anyone can forge proofs, and verifiers refuse them unless allowInsecureDevKeys is set");
  }

  const text = new TextEncoder();
  const files = new Map<string, Uint8Array>(compiled.files);
  files.set("manifest.json", text.encode(serializeManifest(compiled.manifest)));
  files.set("quantisation.json", text.encode(JSON.stringify(quantisation, null, 2)));
  files.set("plan.json", text.encode(JSON.stringify(compiled.plan, null, 2)));
  const artifacts: Artifacts = { manifest: compiled.manifest, files, plan: compiled.plan, quantisation, warnings };
  if (o.dir !== undefined) {
    checkAborted(signal, `before writing ${o.dir}`);
    progress({ phase: "write", dir: o.dir, done: 0, total: 1 });
    writeDirAtomic(o.dir, files);
    progress({ phase: "write", dir: o.dir, done: 1, total: 1 });
    artifacts.dir = o.dir;
  }
  return artifacts;
}

// ---------------------------------------------------------------------------------------------
// artifacts sources

/** A reader of side files by relative name, or the files themselves. */
export type ArtifactFiles = ReadonlyMap<string, Uint8Array> | ((name: string) => Promise<Uint8Array>);

/**
 * Where `prove` and `verify` find a compiled model: the `Artifacts` of `compile`, an artifacts
 * directory's path, or a manifest (parsed JSON or `Manifest`) with its files. `verify` needs only
 * the verifier's files (`verifierArtifacts`): no proving keys.
 */
export type ArtifactsSource = string | { manifest: Manifest | unknown; files: ArtifactFiles };

interface Opened {
  manifest: Manifest;
  files: (name: string) => Promise<Uint8Array>;
}

function open(source: ArtifactsSource): Opened {
  if (typeof source === "string") return openArtifacts(source);
  if (typeof source !== "object" || source === null || !("manifest" in source) || !("files" in source)) {
    throw new ZkcError("USAGE", "artifacts must be a directory path, the result of compile, or { manifest, files }");
  }
  const manifest = parseManifest(source.manifest);
  const given = source.files;
  if (typeof given === "function") return { manifest, files: given };
  const files = async (name: string): Promise<Uint8Array> => {
    const f = given.get(name);
    if (!f) {
      throw new ZkcError("MODEL_FORMAT", `artifact "${name}" is missing`, {
        hint: "pass every file compile gave (verifier-only artifacts cannot prove), or the artifacts directory",
      });
    }
    return f;
  };
  return { manifest, files };
}

/** Side files the verifier reads: program, weights, the backends' verifier files (never proving keys). */
export function verifierFileNames(model: LinkedModel): string[] {
  const names = [model.manifest.program.file, model.manifest.weights.file];
  for (const k of model.kernels) names.push(...k.backend.verifierFiles(k.artifacts));
  return names;
}

/**
 * The verifier's part of compiled artifacts: the manifest and only the files `verify` reads
 * (`manifest.json`, program, weights, verification keys; no proving keys).
 * @throws ZkcError MODEL_FORMAT when a file is missing or altered
 */
export async function verifierArtifacts(source: ArtifactsSource, backends: BackendRegistry<BackendVerifier> = defaultVerifiers): Promise<{ manifest: Manifest; files: Map<string, Uint8Array> }> {
  const { manifest, files } = open(source);
  const model = await loadLinkedModel(manifest, files, backends);
  const out = new Map<string, Uint8Array>([["manifest.json", new TextEncoder().encode(serializeManifest(manifest))]]);
  for (const name of verifierFileNames(model)) out.set(name, await files(name));
  return { manifest, files: out };
}

// ---------------------------------------------------------------------------------------------
// prove

/** Options of `prove`. */
export interface ProveApiOptions {
  /** after the witness, the commitments, and each kernel proof */
  onProgress?: (p: ProveProgress) => void;
  /** checked before proving and after each step (witness, commitments, each kernel) */
  signal?: AbortSignal;
  /** the proof systems (default: the built-in ones) */
  backends?: BackendRegistry<Backend>;
  /** stop the worker threads when the call ends, so a script can exit (later calls restart them) */
  terminateWorkers?: boolean;
  /** saturate inputs outside the calibrated range (recorded in the proof's warnings) instead of refusing them */
  clamp?: boolean;
  /** worker threads for the kernels of an independent plan (`linking: "independent"`) */
  workers?: number;
  /**
   * prove the kernels of an independent plan on `zkc worker` processes through Redis
   * (`{ url: "redis://HOST:PORT", store?: a directory shared with the workers, attempts?: tries per kernel }`);
   * every kernel proof a worker sends is verified before it goes into the bundle, which is the
   * same as a local prove's
   */
  queue?: QueueProveOptions;
}

/** A proof bundle (`proof.json`'s content) with its serialisation. */
export interface Proof extends ProofBundle {
  /** `proof.json` text, as `zkc prove` writes it; `verify` takes it back */
  serialize(): string;
}

/** A model output as the prover computed it: floats and integers even for hashed outputs. */
export interface ProvedOutput {
  name: string;
  onnxName: string;
  shape: number[];
  visibility: Visibility;
  integers: number[];
  floats: number[];
  /** Poseidon hash (decimal) of a hashed output, as the proof publishes it */
  hash?: string;
}

export interface ProveResult {
  proof: Proof;
  outputs: ProvedOutput[];
  stats: ProveStats;
}

/**
 * Prove one inference, like `zkc prove`.
 * @param artifacts the result of `compile`, an artifacts directory, or `{ manifest, files }` with the proving keys
 * @param inputs a path to an input JSON file, or an `InputSet` (EZKL style or by ONNX input name)
 * @throws ZkcError INPUT for missing or malformed inputs, USAGE for a directory without a compiled
 *   model, MODEL_FORMAT for missing or altered artifacts, ABORTED when `options.signal` fires
 * @example const { proof, outputs } = await prove(art, { input: [0.1, 0.2, 0.3] });
 */
export async function prove(artifacts: ArtifactsSource, inputs: string | InputSet, options: ProveApiOptions = {}): Promise<ProveResult> {
  try {
    const { signal } = options;
    checkAborted(signal, "before proving");
    const { manifest, files } = open(artifacts);
    const infos = manifest.quantisation.inputs.map((e) => ({ name: e.onnxName, shape: e.shape }));
    const values = typeof inputs === "string" ? parseInputs(readJsonFile(inputs, "input file"), infos, inputs) : parseInputs(plainInputSet(inputs), infos, "inputs");
    const bundle = await proveBundle(manifest, files, values, {
      ...(options.backends ? { backends: options.backends } : {}),
      ...(options.clamp ? { clamp: true } : {}),
      ...(options.workers ? { workers: options.workers } : {}),
      ...(options.queue ? { queue: options.queue } : {}),
      // the prover reports after each step; throwing here stops it before the next one
      onProgress: (p) => {
        options.onProgress?.(p);
        if (signal?.aborted && p.phase !== "done") throw abortedError(p.phase === "kernel" ? `after proving kernel ${p.kernel}` : `after the ${p.phase} step`, signal);
      },
    });
    const { stats, hashedOutputs, ...fields } = bundle;
    const hashed = new Map(hashedOutputs.map((h) => [h.name, h] as const));
    const outputs: ProvedOutput[] = fields.outputs.map((x) => ({
      name: x.name,
      onnxName: x.onnxName,
      shape: [...x.shape],
      visibility: x.visibility,
      integers: [...(x.integers ?? hashed.get(x.name)!.integers)],
      floats: [...(x.floats ?? hashed.get(x.name)!.floats)],
      ...(x.hash !== undefined ? { hash: x.hash.toString() } : {}),
    }));
    const proof = fields as Proof;
    // not enumerable: spreads, JSON and the proof codec see only the bundle's fields
    Object.defineProperty(proof, "serialize", { value: () => serializeProof(fields), enumerable: false });
    return { proof, outputs, stats };
  } finally {
    if (options.terminateWorkers) await terminateWorkers();
  }
}

// ---------------------------------------------------------------------------------------------
// verify

/** Options of `verify`. */
export interface VerifyApiOptions {
  /** the proof systems' verifying halves (default: the built-in ones) */
  backends?: BackendRegistry<BackendVerifier>;
  /** accept keys from the insecure public-seed setup (forgeable: development only; docs/trust.md) */
  allowInsecureDevKeys?: boolean;
}

/**
 * Verify a proof, like `zkc verify`. Never throws: a bad proof, and also missing or altered
 * artifacts, give `{ ok: false, reason }`.
 * @param artifacts the result of `compile`, an artifacts directory, or `{ manifest, files }` with at least the verifier's files
 * @param proof a `Proof` from `prove`, `proof.json`'s text or bytes, or its parsed JSON
 * @example const r = await verify("zkc-out", readFileSync("zkc-out/proof.json", "utf8"));
 */
export async function verify(artifacts: ArtifactsSource, proof: Proof | ProofBundle | string | Uint8Array | unknown, options: VerifyApiOptions = {}): Promise<VerifyResult> {
  try {
    const { manifest, files } = open(artifacts);
    let doc: unknown = proof;
    if (proof instanceof Uint8Array) doc = new TextDecoder().decode(proof);
    // in-memory bundles hold bigints and byte arrays: encode them as proof.json does (JSON values pass through)
    else if (typeof proof === "object" && proof !== null) doc = serializeProof(proof as ProofBundle);
    return await verifyBundle(manifest, doc, files, {
      ...(options.backends ? { backends: options.backends } : {}),
      ...(options.allowInsecureDevKeys ? { allowInsecureDevKeys: true } : {}),
    });
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/** What `inspect` gives: the model and, per kernel, its plan row with the measured prove time where a prove recorded one. */
export interface InspectResult {
  model: { name: string; digest: string; primitives: number };
  kernels: (PlanRow & { measuredSeconds?: number })[];
}

/**
 * The compiled plan and its costs, like `zkc inspect`: `plan.json`, with the kernel times of
 * `prove-stats.json` (written by `zkc prove`) or of `options.stats` (a library prove's `stats`).
 * @throws ZkcError USAGE / MODEL_FORMAT for artifacts without a readable plan
 */
export async function inspect(artifacts: ArtifactsSource, options: { stats?: ProveStats } = {}): Promise<InspectResult> {
  const { manifest, files } = open(artifacts);
  const json = (bytes: Uint8Array, name: string, what: string): unknown => {
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    } catch {
      throw new ZkcError("MODEL_FORMAT", `${name}: the ${what} is not valid JSON`, { hint: "compile the model again" });
    }
  };
  const plan = json(await files("plan.json"), "plan.json", "plan") as PlanRow[];
  if (!Array.isArray(plan)) throw new ZkcError("MODEL_FORMAT", "plan.json: the plan is not a list of kernels", { hint: "compile the model again" });
  let stats: { kernels: { name: string; seconds: number }[] } | undefined = options.stats;
  if (!stats) {
    // a prove's statistics, when one was written beside the artifacts
    const bytes = await files("prove-stats.json").catch(() => undefined);
    if (bytes) stats = json(bytes, "prove-stats.json", "prove statistics") as typeof stats;
  }
  const measured = new Map((stats?.kernels ?? []).map((k) => [k.name, k.seconds] as const));
  return {
    model: { name: manifest.model.name, digest: manifest.model.digest, primitives: manifest.program.prims },
    kernels: plan.map((r) => (measured.has(r.kernel) ? { ...r, measuredSeconds: measured.get(r.kernel)! } : { ...r })),
  };
}

/**
 * A proof (proof.bin or proof.json bytes) in its JSON form for people, like `zkc inspect --proof`:
 * the envelope is checked, the proof is not verified.
 * @throws ZkcError INPUT for bytes that are no zkc proof
 */
export function inspectProof(bytes: Uint8Array): { json: unknown; format: "binary" | "json"; bytes: number; jsonBytes: number } {
  const r = parseAnyProof(bytes, defaultVerifiers);
  if (!r.ok) throw new ZkcError("INPUT", `malformed proof: field ${r.field}: ${r.reason}`, { hint: "pass a proof.bin or proof.json written by zkc prove" });
  const text = serializeProof(r.proof);
  return { json: JSON.parse(text) as unknown, format: isBinaryProof(bytes) ? "binary" : "json", bytes: bytes.length, jsonBytes: new TextEncoder().encode(text).length };
}
