/**
 * The compiled model as the prover and the verifier both load it: the manifest, its program and
 * weights (digests checked), and every kernel rebuilt from the program and checked against the
 * manifest, with its backend and the backend's checked artifacts. Browser-safe.
 */
import { ZkcError } from "../../compiler/errors.js";
import { describeParts } from "../../compiler/plan/partition.js";
import { kernelSpec } from "../../compiler/plan/plan.js";
import type { QProgram } from "../../compiler/quant/prim.js";
import type { BackendRegistry, BackendVerifier, KernelSpec } from "../../backends/contract.js";
import { Fr } from "../../backends/math/field.js";
import { manifestDigest, readCheckedFile, type KernelEntry, type Manifest } from "../manifest.js";
import { decodeProgram } from "./program-file.js";

/** A kernel of the compiled model, ready for either side. */
export interface LinkedKernel {
  entry: KernelEntry;
  /** the kernel as plain data (what the backend proves) */
  spec: KernelSpec;
  /** the proof system, as the registry the model was loaded with holds it */
  backend: BackendVerifier;
  /** the backend's checked manifest section */
  artifacts: unknown;
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
 * check every kernel against the program and its backend.
 * @throws ZkcError MODEL_FORMAT for a missing or altered side file, an unknown backend, or a manifest inconsistent with the program
 */
export async function loadLinkedModel(manifest: Manifest, files: (name: string) => Promise<Uint8Array>, registry: BackendRegistry<BackendVerifier>): Promise<LinkedModel> {
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
  const link = (entry: KernelEntry, i: number): LinkedKernel => {
    const backend = registry.get(entry.backend);
    const spec = kernelSpec(program, entry);
    return { entry, spec, backend, artifacts: backend.parseArtifacts(spec, entry.artifacts, `kernels[${i}].${entry.backend}`) };
  };
  // whole-model mode: one kernel over the whole program (parseManifest checked it is alone, public I/O only)
  const whole = manifest.kernels[0]!;
  if (whole.kind === "whole-model") {
    if (!same(whole.inputs, program.inputs) || !same(whole.outputs, program.outputs)) bad(`kernel ${whole.name}: inputs or outputs differ from the program's`);
    const k = link(whole, 0);
    if (!k.backend.wholeModel) bad(`kernel ${whole.name}: backend "${whole.backend}" does not prove whole models`);
    return { manifest, digest, program, kernels: [k], hashed: new Set() };
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
  const kernels = manifest.kernels.map(link);
  const committed = committedTensorsOf(manifest.kernels, hashed, registry);
  if (!same(committed, manifest.committedTensors)) bad("committedTensors is not the list of tensors crossing kernels whose backend commits its boundary");
  return { manifest, digest, program, kernels, hashed };
}

/**
 * Tensors whose Poseidon commitment the statement carries: every boundary tensor of a kernel
 * whose backend commits its boundary, except hashed I/O (whose hash is published) and whole-model
 * kernels (whose boundary is the public I/O).
 */
export function committedTensorsOf(
  kernels: readonly Pick<KernelEntry, "kind" | "backend" | "inputs" | "outputs">[],
  hashed: ReadonlySet<string>,
  registry: BackendRegistry<BackendVerifier>,
): string[] {
  const out: string[] = [];
  for (const k of kernels) {
    // a whole-model kernel's boundary is the public statement itself
    if (k.kind === "whole-model" || registry.get(k.backend).boundary !== "committed") continue;
    for (const t of [...k.inputs, ...k.outputs]) if (!hashed.has(t) && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Field elements of exact integers. */
export function fieldsOf(values: ArrayLike<number>): bigint[] {
  return Array.from(values, (v) => Fr.fromSigned(v));
}
