/**
 * The bundle transcript's schedule, shared by the prover and the verifier (docs/linking.md):
 * what the one transcript of a proof bundle absorbs before the first challenge, and the labels of
 * the bundle layer (each backend has its own). Browser-safe.
 */
import { Transcript } from "../../backends/math/transcript.js";
import type { LinkedModel } from "./model.js";
import { fieldsOf } from "./model.js";

/** Transcript labels of the bundle layer. */
export const BUNDLE_LABELS = {
  manifest: "bundle/manifest",
  input: "bundle/input",
  inputHash: "bundle/input-hash",
  output: "bundle/output",
  outputHash: "bundle/output-hash",
  commitment: "bundle/commitment",
  outputPoint: "bundle/output-point",
  kernel: "bundle/kernel",
} as const;

/**
 * Open the bundle transcript: manifest digest, public (or hashed) inputs and outputs, tensor
 * commitments — everything before the first challenge except the backends' own pre-challenge
 * messages (`commit` / `absorbCommitments`), which come next in kernel order.
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

/** The kernel's name, absorbed before its work (binds the position of every kernel proof). */
export function absorbKernelName(t: Transcript, index: number, name: string): void {
  t.absorbBytes(BUNDLE_LABELS.kernel, new TextEncoder().encode(`${index}:${name}`));
}
