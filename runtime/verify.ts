/**
 * The bundle verifier: checks a proof bundle against a manifest as one statement about the model
 * (docs/linking.md). Runs in Node and in browsers: neither this module nor anything it imports
 * uses Node built-ins (test/link/browser-safety.test.ts walks the import graph).
 *
 * Mirror of `runtime/prove.ts`: the same transcript calls in the same order, with every prover
 * message taken from the proof (untrusted, checked before use). Never throws on proof data; a
 * malformed manifest or side file also gives `{ok: false, reason}`.
 */
import { ZkcError } from "../compiler/errors.js";
import "../backends/gkr/nonlinear/index.js";
import { verifyKernel } from "../backends/gkr/kernel.js";
import { absorbNonlinearCommitments, finishNonlinearVerification } from "../backends/gkr/nonlinear/index.js";
import { verifyCombine } from "../backends/gkr/claims.js";
import { integerTable, numVarsOfShape, sizeOfShape } from "../backends/gkr/layout.js";
import { isField, type Claim } from "../backends/gkr/messages.js";
import { evaluateMle } from "../backends/math/mle.js";
import type { Transcript } from "../backends/math/transcript.js";
import { groth16StatementSignals } from "../compiler/plan/groth16-kernel.js";
import { parseManifest, readCheckedFile, type Manifest } from "./manifest.js";
import { parseProof, type Groth16KernelProof, type ProofBundle } from "./proof.js";
import {
  BUNDLE_LABELS,
  PendingClaims,
  absorbKernelName,
  gkrKernel,
  groth16ProofBytes,
  loadLinkedModel,
  openTranscript,
  wholeModelSignals,
  type LinkedKernel,
  type LinkedModel,
} from "./link/bundle.js";
import { toHex } from "./link/codec.js";
import { verifyGroth16Proof } from "./link/groth16-verify.js";
import { insecureSetupReason } from "./trust.js";

/** A verified model output. */
export interface VerifiedOutput {
  name: string;
  onnxName: string;
  shape: number[];
  visibility: "public" | "hashed";
  integers?: number[];
  floats?: number[];
  /** Poseidon hash (decimal) of a hashed output */
  hash?: string;
}

export type VerifyResult = { ok: true; outputs: VerifiedOutput[] } | { ok: false; reason: string };

class Reject extends Error {}
const reject = (reason: string): never => {
  throw new Reject(reason);
};

/**
 * Verify a proof bundle.
 * @param manifest the manifest (parsed JSON or an already validated `Manifest`)
 * @param proof the proof as JSON text or parsed JSON
 * @param files reads a side file (program, weights, verification keys) by its relative name
 * @param opts allowInsecureDevKeys: accept keys from the insecure seeded setup (runtime/trust.ts)
 */
export async function verify(manifest: Manifest | unknown, proof: unknown, files: (name: string) => Promise<Uint8Array>, opts: { allowInsecureDevKeys?: boolean } = {}): Promise<VerifyResult> {
  try {
    const m = parseManifest(manifest);
    const insecure = insecureSetupReason(m);
    if (insecure !== undefined && !opts.allowInsecureDevKeys) return { ok: false, reason: insecure };
    const parsed = parseProof(proof);
    if (!parsed.ok) return { ok: false, reason: `malformed proof: field ${parsed.field}: ${parsed.reason}` };
    const model = await loadLinkedModel(m, files);
    return await verifyBundle(model, parsed.proof, files);
  } catch (e) {
    if (e instanceof Reject) return { ok: false, reason: e.message };
    if (e instanceof ZkcError) return { ok: false, reason: e.message };
    return { ok: false, reason: `verification failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function checkPublicStatement(model: LinkedModel, p: ProofBundle): VerifiedOutput[] {
  const q = model.manifest.quantisation;
  if (p.manifestDigest !== toHex(model.digest)) reject("the proof was made for another manifest (model, weights, keys or plan differ)");
  if (p.inputs.length !== q.inputs.length) reject(`the proof has ${p.inputs.length} inputs, the model ${q.inputs.length}`);
  p.inputs.forEach((x, i) => {
    const e = q.inputs[i]!;
    if (x.name !== e.name || x.visibility !== e.visibility) reject(`input ${i}: expected ${e.visibility} "${e.name}"`);
    if (e.visibility === "public") {
      const v = x.integers!;
      if (v.length !== sizeOfShape(e.shape)) reject(`input "${e.name}": ${v.length} values, shape [${e.shape.join(", ")}]`);
      if (v.some((n) => Math.abs(n) > e.maxAbs)) reject(`input "${e.name}": a value exceeds the calibrated bound ±${e.maxAbs}`);
    } else if (!isField(x.hash)) reject(`input "${e.name}": the hash is not a field element`);
  });
  if (p.outputs.length !== q.outputs.length) reject(`the proof has ${p.outputs.length} outputs, the model ${q.outputs.length}`);
  return p.outputs.map((x, i) => {
    const e = q.outputs[i]!;
    if (x.name !== e.name || x.onnxName !== e.onnxName || x.visibility !== e.visibility || x.shape.join() !== e.shape.join()) reject(`output ${i}: expected ${e.visibility} "${e.onnxName}" of shape [${e.shape.join(", ")}]`);
    if (e.visibility === "hashed") {
      if (!isField(x.hash)) reject(`output "${e.onnxName}": the hash is not a field element`);
      return { name: e.name, onnxName: e.onnxName, shape: [...e.shape], visibility: "hashed", hash: x.hash!.toString() };
    }
    const ints = x.integers!;
    if (ints.length !== sizeOfShape(e.shape)) reject(`output "${e.onnxName}": ${ints.length} values, shape [${e.shape.join(", ")}]`);
    const floats = x.floats!;
    const f = 2 ** -e.scale;
    if (floats.length !== ints.length || floats.some((v, j) => v !== ints[j]! * f)) reject(`output "${e.onnxName}": the floats are not the integers dequantised at scale ${e.scale}`);
    return { name: e.name, onnxName: e.onnxName, shape: [...e.shape], visibility: "public", integers: [...ints], floats: [...floats] };
  });
}

async function verifyBundle(model: LinkedModel, p: ProofBundle, files: (name: string) => Promise<Uint8Array>): Promise<VerifyResult> {
  const { manifest, program } = model;
  const q = manifest.quantisation;
  const outputs = checkPublicStatement(model, p);
  if (model.kernels[0]!.whole) return verifyWholeModelBundle(model, p, outputs, files);
  const inputsByName = new Map(p.inputs.map((x) => [x.name, x] as const));
  const outputsByName = new Map(p.outputs.map((x) => [x.name, x] as const));

  if (p.commitments.length !== manifest.committedTensors.length || p.commitments.some((c, i) => c.tensor !== manifest.committedTensors[i] || !isField(c.value))) {
    reject("the tensor commitments do not match the manifest's committedTensors");
  }
  const commitmentOf = new Map<string, bigint>(p.commitments.map((c) => [c.tensor, c.value]));
  for (const x of [...p.inputs, ...p.outputs]) if (x.visibility === "hashed") commitmentOf.set(x.name, x.hash!);
  const transcript = openTranscript(model, inputsByName, outputsByName, p.commitments.map((c) => c.value));

  if (p.kernels.length !== model.kernels.length) reject(`the proof has ${p.kernels.length} kernel proofs, the plan ${model.kernels.length}`);
  p.kernels.forEach((k, i) => {
    const e = model.kernels[i]!.entry;
    if (k.name !== e.name || k.backend !== e.backend) reject(`kernel proof ${i}: expected ${e.backend} kernel "${e.name}"`);
  });
  const publicInputs = new Map(q.inputs.filter((e) => e.visibility === "public").map((e) => [e.name, Float64Array.from(inputsByName.get(e.name)!.integers!)] as const));
  const gkrKernels = model.kernels.map((k) => (k.gkr ? gkrKernel(k, publicInputs) : undefined));
  model.kernels.forEach((k, i) => {
    const kernel = gkrKernels[i];
    if (!kernel) return;
    const r = absorbNonlinearCommitments(kernel, (p.kernels[i] as { commitments?: unknown }).commitments, transcript);
    if (!r.ok) reject(`kernel ${k.entry.name}: non-linear commitments: ${r.reason}`);
  });

  const pending = new PendingClaims();
  for (const e of q.outputs) {
    if (e.visibility !== "public") continue;
    const shape = program.tensors.get(e.name)!.shape;
    const table = integerTable(Float64Array.from(outputsByName.get(e.name)!.integers!), shape);
    const point = transcript.challenges(`${BUNDLE_LABELS.outputPoint}/${e.name}`, numVarsOfShape(shape));
    pending.add({ tensor: e.name, point, value: evaluateMle(table, point) });
  }

  let claimAt = 0;
  const expectClaim = (kernel: string, c: Claim): void => {
    const sent = p.claims[claimAt++];
    if (!sent || sent.kernel !== kernel || sent.tensor !== c.tensor || sent.value !== c.value || sent.point.length !== c.point.length || sent.point.some((x, j) => x !== c.point[j])) {
      reject(`boundary claim ${claimAt - 1} (kernel ${kernel}, tensor "${c.tensor}") differs from the claim the verification derived`);
    }
  };
  for (let i = model.kernels.length - 1; i >= 0; i--) {
    const k = model.kernels[i]!;
    absorbKernelName(transcript, i, k.entry.name);
    if (k.gkr) {
      const kernel = gkrKernels[i]!;
      const outClaims = k.entry.outputs.flatMap((o) => pending.take(o));
      const v = verifyKernel(kernel, (p.kernels[i] as { proof?: unknown }).proof, outClaims, transcript);
      if (!v.ok) reject(`kernel ${k.entry.name} (gkr): ${v.reason}`);
      for (const c of (v as { inputClaims: Claim[] }).inputClaims) {
        if (!kernel.tensors.has(c.tensor)) reject(`kernel ${k.entry.name}: a claim on auxiliary tensor "${c.tensor}" is left undischarged`);
        pending.add(c);
        expectClaim(k.entry.name, c);
      }
    } else {
      await verifyGroth16Kernel(model, k, p.kernels[i] as Groth16KernelProof, pending, commitmentOf, transcript, files, expectClaim);
    }
  }
  if (claimAt !== p.claims.length) reject(`the proof lists ${p.claims.length} boundary claims, the verification derived ${claimAt}`);
  const openings = await finishNonlinearVerification(transcript);
  if (!openings.ok) reject(openings.reason);
  for (const [t, claims] of pending.entries()) {
    const values = publicInputs.get(t);
    if (!values) reject(`claims on "${t}" are left undischarged`);
    const table = integerTable(values!, program.tensors.get(t)!.shape);
    for (const c of claims) if (evaluateMle(table, c.point) !== c.value) reject(`a claim on the public input "${t}" is false`);
  }
  return { ok: true, outputs };
}

async function verifyGroth16Kernel(
  model: LinkedModel,
  k: LinkedKernel,
  proof: Groth16KernelProof,
  pending: PendingClaims,
  commitmentOf: ReadonlyMap<string, bigint>,
  transcript: Transcript,
  files: (name: string) => Promise<Uint8Array>,
  expectClaim: (kernel: string, c: Claim) => void,
): Promise<void> {
  const spec = k.g16!;
  const entry = k.entry;
  const where = `kernel ${entry.name} (groth16)`;
  const shapeOf = (t: string) => model.program.tensors.get(t)!.shape;
  if (proof.outputClaims.length !== spec.outputs.length || proof.inputClaims.length !== spec.inputs.length) reject(`${where}: expected ${spec.outputs.length} output and ${spec.inputs.length} input claim entries`);
  const outputClaims: { point: bigint[]; value: bigint }[] = [];
  spec.outputs.forEach((o, j) => {
    const sent = proof.outputClaims[j]!;
    const cl = pending.take(o);
    if (cl.length > 0) {
      const r = verifyCombine(cl, sent.combine, transcript);
      if (!r.ok) reject(`${where}: output "${o}": ${r.reason}`);
      const c = (r as { claim: Claim }).claim;
      outputClaims.push({ point: c.point, value: c.value });
    } else {
      const point = transcript.challenges(BUNDLE_LABELS.g16OutPoint, numVarsOfShape(shapeOf(o)));
      if (!isField(sent.value)) reject(`${where}: output "${o}": missing value`);
      transcript.absorbField(BUNDLE_LABELS.g16OutValue, sent.value!);
      outputClaims.push({ point, value: sent.value! });
    }
  });
  const inputClaims: { point: bigint[]; value: bigint }[] = [];
  for (const [j, t] of spec.inputs.entries()) {
    const sent = proof.inputClaims[j]!;
    const cl = entry.kind === "hash-input" ? pending.take(t) : [];
    let claim: Claim;
    if (cl.length > 0) {
      const r = verifyCombine(cl, sent.combine, transcript);
      if (!r.ok) reject(`${where}: input "${t}": ${r.reason}`);
      claim = (r as { claim: Claim }).claim;
    } else {
      const point = transcript.challenges(BUNDLE_LABELS.g16InPoint, numVarsOfShape(shapeOf(t)));
      if (!isField(sent.value)) reject(`${where}: input "${t}": missing value`);
      transcript.absorbField(BUNDLE_LABELS.g16InValue, sent.value!);
      claim = { tensor: t, point, value: sent.value! };
    }
    inputClaims.push({ point: claim.point, value: claim.value });
    if (entry.kind !== "hash-input") {
      pending.add(claim);
      expectClaim(entry.name, claim);
    }
  }
  const commit = (t: string): bigint => commitmentOf.get(t) ?? reject(`${where}: no commitment for "${t}"`);
  const signals = groth16StatementSignals({
    inputCommitments: spec.inputs.map(commit),
    outputCommitments: spec.outputs.map(commit),
    outputClaims,
    inputClaims,
  });
  if (proof.publicSignals.length !== signals.length || proof.publicSignals.some((s, j) => s !== signals[j]!.toString())) {
    reject(`${where}: the public signals in the proof differ from the statement the verifier derived`);
  }
  const keys = entry.groth16!;
  const vkeyBytes = await readCheckedFile(files, keys.vkeyFile, keys.vkeyDigest, `verification key of kernel ${entry.name}`);
  let vkey: unknown;
  try {
    vkey = JSON.parse(new TextDecoder().decode(vkeyBytes));
  } catch {
    reject(`${where}: the verification key is not JSON`);
  }
  const r = await verifyGroth16Proof(vkey, signals, proof.groth16);
  if (!r.ok) reject(`${where}: ${r.reason}`);
  transcript.absorbBytes(BUNDLE_LABELS.g16Proof, groth16ProofBytes(proof.groth16));
}

/**
 * Whole-model mode: the public signals must be exactly the bundle's output then input integers
 * (inputs within their bounds, checked by `checkPublicStatement`), and the Groth16 proof must
 * verify against them with the kernel's verification key.
 */
async function verifyWholeModelBundle(model: LinkedModel, p: ProofBundle, outputs: VerifiedOutput[], files: (name: string) => Promise<Uint8Array>): Promise<VerifyResult> {
  const entry = model.kernels[0]!.entry;
  const where = `kernel ${entry.name} (groth16, whole model)`;
  if (p.commitments.length !== 0) reject("a whole-model proof carries no tensor commitments");
  if (p.claims.length !== 0) reject("a whole-model proof carries no boundary claims");
  if (p.kernels.length !== 1) reject(`the proof has ${p.kernels.length} kernel proofs, the plan 1`);
  const proof = p.kernels[0]! as Groth16KernelProof;
  if (proof.name !== entry.name || proof.backend !== "groth16") reject(`kernel proof 0: expected groth16 kernel "${entry.name}"`);
  if (proof.outputClaims.length !== 0 || proof.inputClaims.length !== 0) reject(`${where}: a whole-model proof has no claim entries`);
  const ints = (list: { name: string; integers?: number[] }[]) => new Map(list.map((x) => [x.name, x.integers!] as const));
  const signals = wholeModelSignals(model.manifest, ints(p.inputs), ints(p.outputs));
  const keys = entry.groth16!;
  if (signals.length !== keys.nPublic) reject(`${where}: the statement has ${signals.length} public signals, the circuit ${keys.nPublic}`);
  if (proof.publicSignals.length !== signals.length || proof.publicSignals.some((s, j) => s !== signals[j]!.toString())) {
    reject(`${where}: the public signals differ from the proof's output and input integers`);
  }
  const vkeyBytes = await readCheckedFile(files, keys.vkeyFile, keys.vkeyDigest, `verification key of kernel ${entry.name}`);
  let vkey: unknown;
  try {
    vkey = JSON.parse(new TextDecoder().decode(vkeyBytes));
  } catch {
    reject(`${where}: the verification key is not JSON`);
  }
  const r = await verifyGroth16Proof(vkey, signals, proof.groth16);
  if (!r.ok) reject(`${where}: ${r.reason}`);
  return { ok: true, outputs };
}
