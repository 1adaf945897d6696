/**
 * `manifest.json`: everything a verifier needs to check a proof bundle as one statement about the
 * model (docs/formats.md). Browser-safe.
 *
 * The manifest names side files (the integer program, the weights, Groth16 keys) by relative name
 * and SHA-256 digest; `manifestDigest` hashes the manifest in its normalised form, so it binds the
 * program, the weights and the keys. The proof transcript starts from that digest.
 */
import { ZkcError } from "../compiler/errors.js";
import type { KernelKind } from "../compiler/plan/backend.js";
import { sha256 } from "../backends/math/sha256.js";
import { toHex } from "./link/codec.js";

export const MANIFEST_FORMAT = "zkc-manifest";
export const MANIFEST_VERSION = 1;
/** Commitment scheme of the GKR backend's non-linear witness (backends/math/commit/hyrax.ts). */
export const COMMITMENT_SCHEME = "hyrax-bn254-v1";
/** Tensor commitment of Groth16 boundaries and hashed I/O (backends/math/poseidon.ts). */
export const TENSOR_HASH = "poseidon-bn254-chain15-v1";
/** Transcript of the whole bundle (backends/math/transcript.ts). */
export const TRANSCRIPT_PROTOCOL = "zkc/bundle/v1";

export type Visibility = "public" | "hashed";
export type { KernelKind } from "../compiler/plan/backend.js";
const KERNEL_KINDS: readonly KernelKind[] = ["prims", "hash-input", "hash-output", "whole-model"];
/** A backend name: registry key and manifest value. */
const BACKEND_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** A model input or output. */
export interface IoEntry {
  /** tensor name in the integer program */
  name: string;
  /** ONNX value name */
  onnxName: string;
  shape: number[];
  /** value = integer / 2^scale */
  scale: number;
  /** static bound of the integers */
  maxAbs: number;
  visibility: Visibility;
}

/** Estimates the plan was made from. */
export interface KernelEstimate {
  proveSeconds: number;
  memoryBytes: number;
  proofBytes: number;
}

/**
 * One kernel. `kind`: "prims" = primitives [from, to) of the program; "hash-input" /
 * "hash-output" = a commit kernel binding a hashed model input/output (no primitives, `inputs` =
 * [the tensor]); "whole-model" = the entire program as one kernel (the only kernel of the plan,
 * `from` = 0, `to` = all primitives, `inputs`/`outputs` = the program's, public I/O only, no
 * committed tensors). `artifacts` is the backend's own section (its keys and circuit digests),
 * stored in manifest.json under the backend's name and checked by the backend.
 */
export interface KernelEntry {
  name: string;
  kind: KernelKind;
  /** the proof system's registry name */
  backend: string;
  from: number;
  to: number;
  inputs: string[];
  params: string[];
  outputs: string[];
  /** why this backend (a sentence with the numbers) */
  reason: string;
  /** every backend's estimate, in registry order (null where it does not support the kernel) */
  estimate: Record<string, KernelEstimate | null>;
  artifacts?: unknown;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  model: { digest: string; name: string };
  quantisation: { config: Record<string, number>; inputs: IoEntry[]; outputs: IoEntry[] };
  program: { file: string; digest: string; prims: number };
  weights: { file: string; digest: string; bytes: number };
  kernels: KernelEntry[];
  /** tensors whose Poseidon commitment is part of the statement (every boundary of a "committed"-boundary backend), in absorb order */
  committedTensors: string[];
  commitment: { scheme: string; tensorHash: string };
  transcript: { hash: "sha256"; protocol: string };
  /** true when any kernel's artifacts came from an insecure development setup (the public-seed Groth16 setup: forgeable; runtime/trust.ts) */
  developmentPtau: boolean;
  /**
   * How kernel proofs link: absent = one chained transcript (claims flow from kernel to kernel);
   * "independent" = each kernel on its own transcript derived from one root, boundary tensors
   * committed and opened (runtime/link/independent.ts)
   */
  linking?: "independent";
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const HEX64 = /^[0-9a-f]{64}$/;
const FILE_NAME = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

class Checker {
  constructor(readonly file: string) {}
  fail(field: string, expected: string, got?: unknown): never {
    throw new ZkcError("MODEL_FORMAT", `malformed manifest: field ${field}`, {
      file: this.file,
      expected,
      got: got === undefined ? "nothing" : typeof got === "object" ? (Array.isArray(got) ? "an array" : "an object") : JSON.stringify(got).slice(0, 40),
      hint: "compile the model again (zkc compile) instead of editing the manifest",
    });
  }
  obj(x: unknown, field: string): Record<string, unknown> {
    return isObj(x) ? x : this.fail(field, "an object", x);
  }
  str(x: unknown, field: string): string {
    return typeof x === "string" ? x : this.fail(field, "a string", x);
  }
  digest(x: unknown, field: string): string {
    return typeof x === "string" && HEX64.test(x) ? x : this.fail(field, "64 lowercase hex digits (sha256)", x);
  }
  fileName(x: unknown, field: string): string {
    return typeof x === "string" && FILE_NAME.test(x) && !x.split("/").includes("..") ? x : this.fail(field, "a relative file name", x);
  }
  int(x: unknown, field: string, min = 0): number {
    return Number.isSafeInteger(x) && (x as number) >= min ? (x as number) : this.fail(field, `an integer >= ${min}`, x);
  }
  num(x: unknown, field: string): number {
    return typeof x === "number" && Number.isFinite(x) && x >= 0 ? x : this.fail(field, "a non-negative number", x);
  }
  bool(x: unknown, field: string): boolean {
    return typeof x === "boolean" ? x : this.fail(field, "true or false", x);
  }
  strs(x: unknown, field: string): string[] {
    return Array.isArray(x) && x.every((s) => typeof s === "string") ? [...(x as string[])] : this.fail(field, "an array of strings", x);
  }
  oneOf<T extends string>(x: unknown, field: string, options: readonly T[]): T {
    return options.includes(x as T) ? (x as T) : this.fail(field, options.map((o) => `"${o}"`).join(" or "), x);
  }
  arr(x: unknown, field: string): unknown[] {
    return Array.isArray(x) ? x : this.fail(field, "an array", x);
  }
}

function io(c: Checker, x: unknown, field: string): IoEntry {
  const o = c.obj(x, field);
  const shape = c.arr(o.shape, `${field}.shape`).map((d, i) => c.int(d, `${field}.shape[${i}]`, 1));
  return {
    name: c.str(o.name, `${field}.name`),
    onnxName: c.str(o.onnxName, `${field}.onnxName`),
    shape,
    scale: Number.isSafeInteger(o.scale) ? (o.scale as number) : c.fail(`${field}.scale`, "an integer", o.scale),
    maxAbs: c.num(o.maxAbs, `${field}.maxAbs`),
    visibility: c.oneOf(o.visibility, `${field}.visibility`, ["public", "hashed"] as const),
  };
}

function estimate(c: Checker, x: unknown, field: string): KernelEstimate | null {
  if (x === null) return null;
  const o = c.obj(x, field);
  return { proveSeconds: c.num(o.proveSeconds, `${field}.proveSeconds`), memoryBytes: c.num(o.memoryBytes, `${field}.memoryBytes`), proofBytes: c.num(o.proofBytes, `${field}.proofBytes`) };
}

/** A JSON value (the backends check their own sections). */
function json(c: Checker, x: unknown, field: string, depth = 0): unknown {
  if (depth > 32) return c.fail(field, "JSON nested at most 32 deep", "deeper");
  if (x === null || typeof x === "string" || typeof x === "boolean" || (typeof x === "number" && Number.isFinite(x))) return x;
  if (Array.isArray(x)) return x.map((v, i) => json(c, v, `${field}[${i}]`, depth + 1));
  if (isObj(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, json(c, v, `${field}.${k}`, depth + 1)]));
  return c.fail(field, "JSON", x);
}

function kernel(c: Checker, x: unknown, field: string, prims: number): KernelEntry {
  const o = c.obj(x, field);
  const est = c.obj(o.estimate, `${field}.estimate`);
  const backend = typeof o.backend === "string" && BACKEND_NAME.test(o.backend) ? o.backend : c.fail(`${field}.backend`, "a backend name", o.backend);
  const estimates: Record<string, KernelEstimate | null> = {};
  for (const [name, e] of Object.entries(est)) {
    if (!BACKEND_NAME.test(name)) c.fail(`${field}.estimate`, "estimates keyed by backend name", name);
    estimates[name] = estimate(c, e, `${field}.estimate.${name}`);
  }
  const k: KernelEntry = {
    name: c.str(o.name, `${field}.name`),
    kind: c.oneOf(o.kind, `${field}.kind`, KERNEL_KINDS),
    backend,
    from: c.int(o.from, `${field}.from`),
    to: c.int(o.to, `${field}.to`),
    inputs: c.strs(o.inputs, `${field}.inputs`),
    params: c.strs(o.params, `${field}.params`),
    outputs: c.strs(o.outputs, `${field}.outputs`),
    reason: c.str(o.reason, `${field}.reason`),
    estimate: estimates,
  };
  if (k.kind === "whole-model") {
    if (k.from !== 0) c.fail(`${field}.from`, "0 (a whole-model kernel covers every primitive)", o.from);
    if (k.to !== prims) c.fail(`${field}.to`, `${prims} (a whole-model kernel covers every primitive)`, o.to);
    if (k.params.length !== 0) c.fail(`${field}.params`, "[] (the weights are circuit constants)", o.params);
  } else if (k.kind === "prims" ? !(k.from < k.to && k.to <= prims) : k.from !== k.to) c.fail(`${field}.to`, k.kind === "prims" ? `a primitive range inside 0..${prims}` : "to = from (no primitives)", o.to);
  if ((k.kind === "hash-input" || k.kind === "hash-output") && (k.inputs.length !== 1 || k.outputs.length !== 0)) c.fail(`${field}.kind`, "a commit kernel with one input and no outputs", o.kind);
  // the backend's section: in memory `artifacts`, in manifest.json under the backend's name
  const artifacts = o.artifacts !== undefined ? o.artifacts : o[backend];
  if (artifacts !== undefined) k.artifacts = json(c, artifacts, `${field}.${backend}`);
  return k;
}

/** A kernel entry as manifest.json stores it: the backend's section under the backend's name. */
function kernelJson(k: KernelEntry): Record<string, unknown> {
  const { artifacts, ...rest } = k;
  return artifacts === undefined ? rest : { ...rest, [k.backend]: artifacts };
}

/** The manifest as manifest.json holds it (normalised: fixed key order, no extra fields). */
export function manifestJson(m: Manifest): Record<string, unknown> {
  const n = parseManifest(m);
  return { ...n, kernels: n.kernels.map(kernelJson) };
}

/**
 * Validate a parsed manifest (or JSON text) and return it normalised (fixed key order, no extra
 * fields), which is the form `manifestDigest` hashes.
 * @throws ZkcError MODEL_FORMAT naming the file and the field
 */
export function parseManifest(input: unknown, file = "manifest.json"): Manifest {
  const c = new Checker(file);
  let doc = input;
  if (typeof input === "string") {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw new ZkcError("MODEL_FORMAT", `the manifest is not JSON: ${(e as Error).message}`, { file, hint: "compile the model again (zkc compile)" });
    }
  }
  const o = c.obj(doc, "(document)");
  if (o.format !== MANIFEST_FORMAT) c.fail("format", `"${MANIFEST_FORMAT}"`, o.format);
  if (o.version !== MANIFEST_VERSION) c.fail("version", `${MANIFEST_VERSION} (this zkc reads manifest version ${MANIFEST_VERSION})`, o.version);
  const model = c.obj(o.model, "model");
  const q = c.obj(o.quantisation, "quantisation");
  const cfg = c.obj(q.config, "quantisation.config");
  const config: Record<string, number> = {};
  for (const [k, v] of Object.entries(cfg)) config[k] = typeof v === "number" && Number.isFinite(v) ? v : c.fail(`quantisation.config.${k}`, "a number", v);
  const program = c.obj(o.program, "program");
  const weights = c.obj(o.weights, "weights");
  const prims = c.int(program.prims, "program.prims", 1);
  const commitment = c.obj(o.commitment, "commitment");
  const transcript = c.obj(o.transcript, "transcript");
  const m: Manifest = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    model: { digest: c.digest(model.digest, "model.digest"), name: c.str(model.name, "model.name") },
    quantisation: {
      config,
      inputs: c.arr(q.inputs, "quantisation.inputs").map((x, i) => io(c, x, `quantisation.inputs[${i}]`)),
      outputs: c.arr(q.outputs, "quantisation.outputs").map((x, i) => io(c, x, `quantisation.outputs[${i}]`)),
    },
    program: { file: c.fileName(program.file, "program.file"), digest: c.digest(program.digest, "program.digest"), prims },
    weights: { file: c.fileName(weights.file, "weights.file"), digest: c.digest(weights.digest, "weights.digest"), bytes: c.int(weights.bytes, "weights.bytes") },
    kernels: c.arr(o.kernels, "kernels").map((x, i) => kernel(c, x, `kernels[${i}]`, prims)),
    committedTensors: c.strs(o.committedTensors, "committedTensors"),
    commitment: {
      scheme: c.oneOf(commitment.scheme, "commitment.scheme", [COMMITMENT_SCHEME] as const),
      tensorHash: c.oneOf(commitment.tensorHash, "commitment.tensorHash", [TENSOR_HASH] as const),
    },
    transcript: { hash: c.oneOf(transcript.hash, "transcript.hash", ["sha256"] as const), protocol: c.oneOf(transcript.protocol, "transcript.protocol", [TRANSCRIPT_PROTOCOL] as const) },
    developmentPtau: c.bool(o.developmentPtau, "developmentPtau"),
  };
  // optional, so that chained manifests (and their digests) are unchanged
  if (o.linking !== undefined) m.linking = c.oneOf(o.linking, "linking", ["independent"] as const);
  if (m.quantisation.outputs.length === 0) c.fail("quantisation.outputs", "at least one output", q.outputs);
  if (m.kernels.length === 0) c.fail("kernels", "at least one kernel", o.kernels);
  const names = new Set<string>();
  m.kernels.forEach((k, i) => {
    if (names.has(k.name)) c.fail(`kernels[${i}].name`, "a unique kernel name", k.name);
    names.add(k.name);
  });
  // whole-model mode: one circuit whose statement is the public I/O itself
  const whole = m.kernels.findIndex((k) => k.kind === "whole-model");
  if (whole >= 0) {
    if (m.kernels.length !== 1) c.fail(`kernels[${whole}].kind`, "a whole-model kernel as the only kernel of the plan", "whole-model");
    if (m.committedTensors.length !== 0) c.fail("committedTensors", "[] (whole-model mode commits no tensors)", o.committedTensors);
    const allIo = [...m.quantisation.inputs.map((e, i) => [e, `quantisation.inputs[${i}]`] as const), ...m.quantisation.outputs.map((e, i) => [e, `quantisation.outputs[${i}]`] as const)];
    for (const [e, f] of allIo) if (e.visibility !== "public") c.fail(`${f}.visibility`, '"public" (whole-model mode proves public inputs and outputs)', e.visibility);
  }
  return m;
}

/** The manifest as JSON text (normalised form, 2-space indent). */
export function serializeManifest(m: Manifest): string {
  return `${JSON.stringify(manifestJson(m), null, 2)}\n`;
}

/** SHA-256 of the normalised manifest (the first thing the bundle transcript absorbs). */
export function manifestDigest(m: Manifest): Uint8Array {
  return sha256(new TextEncoder().encode(JSON.stringify(manifestJson(m))));
}

/** Hex SHA-256 of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}

/**
 * Read a side file and check its digest.
 * @throws ZkcError MODEL_FORMAT when the file is missing or its digest differs from the manifest's
 */
export async function readCheckedFile(files: (name: string) => Promise<Uint8Array>, name: string, digest: string, what: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await files(name);
  } catch (e) {
    throw new ZkcError("MODEL_FORMAT", `cannot read the ${what}: ${(e as Error).message}`, { file: name, hint: "keep the artifacts directory written by zkc compile together" });
  }
  if (sha256Hex(bytes) !== digest) {
    throw new ZkcError("MODEL_FORMAT", `the ${what} does not match the manifest (sha256 differs)`, { file: name, hint: "the file was changed after compilation; compile the model again" });
  }
  return bytes;
}
