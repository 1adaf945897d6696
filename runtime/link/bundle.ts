/**
 * The parts of the bundle protocol (docs/linking.md) that the prover (`runtime/prove.ts`) and the
 * verifier (`runtime/verify.ts`) share: loading the compiled model from the manifest and its side
 * files, rebuilding and checking the kernels, the transcript's opening absorbs and its labels.
 * Browser-safe.
 */
import { ZkcError } from "../../compiler/errors.js";
import type { Groth16KernelSpec } from "../../compiler/plan/groth16-kernel.js";
import { describeParts } from "../../compiler/plan/partition.js";
import type { QProgram } from "../../compiler/quant/prim.js";
import type { Kernel } from "../../backends/gkr/kernel.js";
import { Fr } from "../../backends/math/field.js";
import { Transcript } from "../../backends/math/transcript.js";
import { manifestDigest, readCheckedFile, type KernelEntry, type Manifest } from "../manifest.js";
import { decodeProgram } from "./program-file.js";

/** Transcript labels of the bundle layer (the GKR and Groth16 layers have their own). */
export const BUNDLE_LABELS = {
  manifest: "bundle/manifest",
  input: "bundle/input",
  inputHash: "bundle/input-hash",
  output: "bundle/output",
  outputHash: "bundle/output-hash",
  commitment: "bundle/commitment",
  outputPoint: "bundle/output-point",
  kernel: "bundle/kernel",
  g16OutPoint: "bundle/g16/out-point",
  g16OutValue: "bundle/g16/out-value",
  g16InPoint: "bundle/g16/in-point",
  g16InValue: "bundle/g16/in-value",
  g16Proof: "bundle/g16/proof",
} as const;

/** A kernel of the compiled model, ready for either side. */
export interface LinkedKernel {
  entry: KernelEntry;
  /** GKR kernels: the kernel without public input values (see `gkrKernel`) */
  gkr?: Kernel;
  /** Groth16 kernels: the statement spec of compiler/plan/groth16-kernel.ts */
  g16?: Groth16KernelSpec;
  /** the whole-model kernel: the entire program as one Groth16 circuit, statement = public I/O */
  whole?: true;
}

/** The compiled model as both sides see it. */
export interface LinkedModel {
  manifest: Manifest;
  digest: Uint8Array;
  program: QProgram;
  kernels: LinkedKernel[];
  /** hashed model inputs and outputs (their commitment is the published hash) */
  hashed: ReadonlySet<string>;
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Read the program and weights named by the manifest (checking their digests), and rebuild and
 * check every kernel against the program.
 * @throws ZkcError MODEL_FORMAT for a missing or altered side file or a manifest inconsistent with the program
 */
export async function loadLinkedModel(manifest: Manifest, files: (name: string) => Promise<Uint8Array>): Promise<LinkedModel> {
  const bad = (reason: string): never => {
    throw new ZkcError("MODEL_FORMAT", `manifest does not match its program: ${reason}`, { file: "manifest.json", hint: "compile the model again (zkc compile)" });
  };
  const programBytes = await readCheckedFile(files, manifest.program.file, manifest.program.digest, "integer program");
  const weightsBytes = await readCheckedFile(files, manifest.weights.file, manifest.weights.digest, "weights file");
  const program = decodeProgram(programBytes, weightsBytes, { program: manifest.program.file, weights: manifest.weights.file });
  if (program.prims.length !== manifest.program.prims) bad(`program.prims says ${manifest.program.prims}, the program has ${program.prims.length}`);
  const q = manifest.quantisation;
  if (!same(q.inputs.map((e) => e.name), program.inputs)) bad("quantisation.inputs differ from the program's inputs");
  if (!same(q.outputs.map((e) => e.name), program.outputs)) bad("quantisation.outputs differ from the program's outputs");
  for (const e of [...q.inputs, ...q.outputs]) {
    const t = program.tensors.get(e.name)!;
    if (!same(t.shape.map(String), e.shape.map(String)) || t.scale !== e.scale || t.maxAbs !== e.maxAbs) bad(`shape, scale or bound of "${e.name}" differ from the program`);
  }
  const digest = manifestDigest(manifest);
  // whole-model mode: one kernel over the whole program (parseManifest checked it is alone, public I/O only)
  const whole = manifest.kernels[0]!;
  if (whole.kind === "whole-model") {
    if (!same(whole.inputs, program.inputs) || !same(whole.outputs, program.outputs)) bad(`kernel ${whole.name}: inputs or outputs differ from the program's`);
    return { manifest, digest, program, kernels: [{ entry: whole, whole: true }], hashed: new Set() };
  }
  const hashedInputs = new Set(q.inputs.filter((e) => e.visibility === "hashed").map((e) => e.name));
  const hashedOutputs = new Set(q.outputs.filter((e) => e.visibility === "hashed").map((e) => e.name));

  // kernels of kind "prims" must tile the program in order, exactly as describeParts cuts it
  const primKernels = manifest.kernels.filter((k) => k.kind === "prims");
  let at = 0;
  for (const k of primKernels) {
    if (k.from !== at) bad(`kernel ${k.name} starts at primitive ${k.from}, expected ${at}`);
    at = k.to;
  }
  if (at !== program.prims.length) bad(`the kernels cover ${at} of ${program.prims.length} primitives`);
  const parts = describeParts(program, primKernels.map((k) => k.from));
  primKernels.forEach((k, i) => {
    const p = parts[i]!;
    if (!same(k.inputs, p.inputs) || !same(k.params, p.params) || !same(k.outputs, p.outputs)) bad(`kernel ${k.name}: inputs, params or outputs differ from its primitives`);
  });
  // commit kernels: one per hashed input (first) and per hashed output (last)
  const hashInputKernels = manifest.kernels.filter((k) => k.kind === "hash-input").map((k) => k.inputs[0]!);
  const hashOutputKernels = manifest.kernels.filter((k) => k.kind === "hash-output").map((k) => k.inputs[0]!);
  if (!same(hashInputKernels, [...hashedInputs]) || !same(hashOutputKernels, [...hashedOutputs])) bad("commit kernels do not match the hashed inputs and outputs");
  const order = manifest.kernels.map((k) => (k.kind === "hash-input" ? 0 : k.kind === "prims" ? 1 : 2));
  if (!order.every((o, i) => i === 0 || order[i - 1]! <= o)) bad("commit kernels of hashed inputs must come first and those of hashed outputs last");

  const hashed = new Set([...hashedInputs, ...hashedOutputs]);
  const kernels: LinkedKernel[] = manifest.kernels.map((entry) => {
    const prims = program.prims.slice(entry.from, entry.to);
    const names = new Set<string>([...entry.inputs, ...entry.params, ...entry.outputs]);
    for (const p of prims) names.add(p.out);
    const tensors = new Map([...names].map((n) => [n, program.tensors.get(n)!] as const));
    if (entry.backend === "gkr") return { entry, gkr: { name: entry.name, prims, tensors } };
    return { entry, g16: { name: entry.name, prims, tensors, inputs: entry.inputs, outputs: entry.outputs } };
  });
  const committed = committedTensorsOf(manifest.kernels, hashed);
  if (!same(committed, manifest.committedTensors)) bad("committedTensors is not the list of tensors crossing Groth16 kernels");
  return { manifest, digest, program, kernels, hashed };
}

/** Tensors whose Poseidon commitment the statement carries: every Groth16 kernel boundary except hashed I/O (whose hash is published). */
export function committedTensorsOf(kernels: readonly Pick<KernelEntry, "backend" | "inputs" | "outputs">[], hashed: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const k of kernels) {
    if (k.backend !== "groth16") continue;
    for (const t of [...k.inputs, ...k.outputs]) if (!hashed.has(t) && !out.includes(t)) out.push(t);
  }
  return out;
}

/** The GKR kernel with the public model inputs' values (the verifier evaluates claims on them). */
export function gkrKernel(k: LinkedKernel, publicInputs: ReadonlyMap<string, Float64Array>): Kernel {
  const base = k.gkr!;
  const publicValues = new Map<string, Float64Array>();
  for (const [t, v] of publicInputs) if (base.tensors.has(t)) publicValues.set(t, v);
  return publicValues.size ? { ...base, publicValues } : base;
}

/** Field elements of exact integers. */
export function fieldsOf(values: ArrayLike<number>): bigint[] {
  return Array.from(values, (v) => Fr.fromSigned(v));
}

/**
 * Open the bundle transcript: manifest digest, public (or hashed) inputs and outputs, tensor
 * commitments — everything before the first challenge except the GKR non-linear commitments,
 * which the caller absorbs next (kernel order).
 */
export function openTranscript(
  model: LinkedModel,
  inputs: ReadonlyMap<string, { integers?: ArrayLike<number>; hash?: bigint }>,
  outputs: ReadonlyMap<string, { integers?: ArrayLike<number>; hash?: bigint }>,
  commitments: readonly bigint[],
): Transcript {
  const t = new Transcript(model.manifest.transcript.protocol);
  t.absorbBytes(BUNDLE_LABELS.manifest, model.digest);
  const absorbIo = (list: typeof model.manifest.quantisation.inputs, values: typeof inputs, plain: string, hashed: string) => {
    for (const e of list) {
      const v = values.get(e.name)!;
      if (e.visibility === "public") t.absorbFields(`${plain}/${e.name}`, fieldsOf(v.integers!));
      else t.absorbField(`${hashed}/${e.name}`, v.hash!);
    }
  };
  absorbIo(model.manifest.quantisation.inputs, inputs, BUNDLE_LABELS.input, BUNDLE_LABELS.inputHash);
  absorbIo(model.manifest.quantisation.outputs, outputs, BUNDLE_LABELS.output, BUNDLE_LABELS.outputHash);
  model.manifest.committedTensors.forEach((name, i) => t.absorbField(`${BUNDLE_LABELS.commitment}/${name}`, commitments[i]!));
  return t;
}

/** Claims waiting for their tensor's producer (shared with the GKR kernel driver). */
export { PendingClaims } from "../../backends/gkr/claims.js";

/** The kernel's name, absorbed before its work (binds the position of every kernel proof). */
export function absorbKernelName(t: Transcript, index: number, name: string): void {
  t.absorbBytes(BUNDLE_LABELS.kernel, new TextEncoder().encode(`${index}:${name}`));
}

/**
 * Public signals of a whole-model proof, in the circuit's order: every output's integers
 * (row-major, `quantisation.outputs` order), then every input's, as field elements.
 */
export function wholeModelSignals(manifest: Manifest, inputs: ReadonlyMap<string, ArrayLike<number>>, outputs: ReadonlyMap<string, ArrayLike<number>>): bigint[] {
  const q = manifest.quantisation;
  return [...q.outputs.flatMap((e) => fieldsOf(outputs.get(e.name)!)), ...q.inputs.flatMap((e) => fieldsOf(inputs.get(e.name)!))];
}

/** Canonical bytes of a snarkjs proof's points, for the transcript. */
export function groth16ProofBytes(proof: unknown): Uint8Array {
  const p = (proof ?? {}) as { pi_a?: unknown; pi_b?: unknown; pi_c?: unknown };
  return new TextEncoder().encode(JSON.stringify([p.pi_a ?? null, p.pi_b ?? null, p.pi_c ?? null]));
}
