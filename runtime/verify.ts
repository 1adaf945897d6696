/**
 * The bundle verifier: checks a proof bundle against a manifest as one statement about the model
 * (docs/linking.md). Runs in Node and in browsers: neither this module nor anything it imports
 * uses Node built-ins (test/link/browser-safety.test.ts walks the import graph).
 *
 * Mirror of `runtime/prove.ts`: the same transcript calls in the same order, with every prover
 * message taken from the proof (untrusted, checked before use), each kernel checked by its
 * backend's verifying half (backends/contract.ts). Never throws on proof data; a malformed
 * manifest or side file also gives `{ok: false, reason}`.
 */
import { ZkcError } from "../compiler/errors.js";
import { claimTargets, type BackendRegistry, type BackendVerifier, type BundleContext, type ProofSection } from "../backends/contract.js";
import { PendingClaims, isField, verifyCombine, type Claim } from "../backends/math/claims.js";
import { decodeCommitment, openingCheck, verifyMsmChecks, type MsmCheck } from "../backends/math/commit/hyrax.js";
import { initCurveWasm } from "../backends/math/commit/curve.js";
import { initKernels, wasmKernels } from "../backends/math/kernels.js";
import { evaluateIntegerMle, numVarsOfShape, sizeOfShape } from "../backends/math/layout.js";
import { defaultVerifiers } from "../backends/verifiers.js";
import { parseManifest, type Manifest } from "./manifest.js";
import type { ProofBundle } from "./proof.js";
import { parseAnyProof } from "./proof-binary.js";
import { loadLinkedModel, type LinkedModel } from "./link/model.js";
import { BUNDLE_LABELS, absorbKernelName, openTranscript } from "./link/transcript.js";
import { INDEPENDENT_LABELS, OpeningClaims, boundaryTensors, freshPoint, kernelTranscript } from "./link/independent.js";
import { toHex } from "./link/codec.js";
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

/** Where a verification's time went (milliseconds of wall time). */
export interface VerifyTimings {
  /** parsing the manifest and the proof */
  parseMs: number;
  /** reading the side files (program, weights, keys) through `files`, checking their digests, decoding them and rebuilding the kernels */
  modelLoadMs: number;
  /** the checks themselves: transcript, every kernel's proof, commitment openings, public claims */
  checkMs: number;
}

export type VerifyResult = { ok: true; outputs: VerifiedOutput[]; timings: VerifyTimings } | { ok: false; reason: string };

class Reject extends Error {}
const reject = (reason: string): never => {
  throw new Reject(reason);
};

/** Options of `verify`. */
export interface VerifyOptions {
  /** the proof systems' verifying halves (default: the built-in ones) */
  backends?: BackendRegistry<BackendVerifier>;
  /** accept keys from the insecure public-seed setup (forgeable: development only; runtime/trust.ts) */
  allowInsecureDevKeys?: boolean;
}

/**
 * Verify a proof bundle.
 * @param manifest the manifest (parsed JSON or an already validated `Manifest`)
 * @param proof the proof: `proof.bin` bytes (Uint8Array or ArrayBuffer), JSON text (string or
 *   UTF-8 bytes) or parsed JSON
 * @param files reads a side file (program, weights, verification keys) by its relative name
 * @param opts allowInsecureDevKeys: accept keys from the insecure seeded setup (runtime/trust.ts)
 */
export async function verify(manifest: Manifest | unknown, proof: unknown, files: (name: string) => Promise<Uint8Array>, opts: VerifyOptions = {}): Promise<VerifyResult> {
  try {
    const t0 = performance.now();
    await loadVerifierWasm();
    const m = parseManifest(manifest);
    const insecure = insecureSetupReason(m);
    if (insecure !== undefined && !opts.allowInsecureDevKeys) return { ok: false, reason: insecure };
    const parsed = parseAnyProof(proof, opts.backends ?? defaultVerifiers);
    if (!parsed.ok) return { ok: false, reason: `malformed proof: field ${parsed.field}: ${parsed.reason}` };
    const t1 = performance.now();
    const model = await loadLinkedModel(m, files, opts.backends ?? defaultVerifiers);
    const t2 = performance.now();
    const outputs = await verifyBundle(model, parsed.proof, files, opts);
    return { ok: true, outputs, timings: { parseMs: t1 - t0, modelLoadMs: t2 - t1, checkMs: performance.now() - t2 } };
  } catch (e) {
    if (e instanceof Reject) return { ok: false, reason: e.message };
    if (e instanceof ZkcError) return { ok: false, reason: e.message };
    return { ok: false, reason: `verification failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * The wasm field kernels, compiled asynchronously where synchronous compilation is refused (a
 * browser's main thread); without them the verifier runs its bigint and TS fallbacks, slower.
 */
async function loadVerifierWasm(): Promise<void> {
  if (!wasmKernels()) await initKernels();
  await initCurveWasm();
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

/** The checks of a loaded model and a parsed proof: the verified outputs, or a `Reject`. */
async function verifyBundle(model: LinkedModel, p: ProofBundle, files: (name: string) => Promise<Uint8Array>, opts: VerifyOptions): Promise<VerifiedOutput[]> {
  const { manifest, program } = model;
  const q = manifest.quantisation;
  const outputs = checkPublicStatement(model, p);
  const inputsByName = new Map(p.inputs.map((x) => [x.name, x] as const));
  const outputsByName = new Map(p.outputs.map((x) => [x.name, x] as const));

  if (p.commitments.length !== manifest.committedTensors.length || p.commitments.some((c, i) => c.tensor !== manifest.committedTensors[i] || !isField(c.value))) {
    reject("the tensor commitments do not match the manifest's committedTensors");
  }
  const commitmentOf = new Map<string, bigint>(p.commitments.map((c) => [c.tensor, c.value]));
  for (const x of [...p.inputs, ...p.outputs]) if (x.visibility === "hashed") commitmentOf.set(x.name, x.hash!);
  const transcript = openTranscript(model, inputsByName, outputsByName, p.commitments.map((c) => c.value));
  const publicOf = (list: typeof q.inputs, from: ReadonlyMap<string, { integers?: number[] }>) =>
    new Map(list.filter((e) => e.visibility === "public").map((e) => [e.name, Float64Array.from(from.get(e.name)!.integers!)] as const));
  const ctx: BundleContext = {
    transcript,
    program,
    publicInputs: publicOf(q.inputs, inputsByName),
    publicOutputs: publicOf(q.outputs, outputsByName),
    commitmentOf: (t) => commitmentOf.get(t),
    files,
    allowInsecureSetup: opts.allowInsecureDevKeys === true,
  };

  if (p.kernels.length !== model.kernels.length) reject(`the proof has ${p.kernels.length} kernel proofs, the plan ${model.kernels.length}`);
  const sections: ProofSection[] = p.kernels.map((k, i) => {
    const e = model.kernels[i]!.entry;
    if (k.name !== e.name || k.backend !== e.backend) reject(`kernel proof ${i}: expected ${e.backend} kernel "${e.name}"`);
    const { name: _name, backend: _backend, ...fields } = k;
    const d = model.kernels[i]!.backend.decode(fields);
    return d.ok ? d.section : reject(`kernel ${e.name} (${e.backend}): malformed proof: ${d.reason}`);
  });
  let claimAt = 0;
  const expectClaim = (kernel: string, c: Claim): void => {
    const sent = p.claims[claimAt++];
    if (!sent || sent.kernel !== kernel || sent.tensor !== c.tensor || sent.value !== c.value || sent.point.length !== c.point.length || sent.point.some((x, j) => x !== c.point[j])) {
      reject(`boundary claim ${claimAt - 1} (kernel ${kernel}, tensor "${c.tensor}") differs from the claim the verification derived`);
    }
  };
  if (manifest.linking === "independent") await verifyIndependent(model, p, sections, ctx, expectClaim);
  else {
    if (p.boundary !== undefined || p.freshClaims !== undefined) reject("a chained proof carries no boundary openings");
    await verifyChained(model, sections, ctx, expectClaim);
  }
  if (claimAt !== p.claims.length) reject(`the proof lists ${p.claims.length} boundary claims, the verification derived ${claimAt}`);
  return outputs;
}

/** Mirror of the prover's chained walk (runtime/prove.ts `proveChained`). */
async function verifyChained(model: LinkedModel, sections: ProofSection[], ctx: BundleContext, expectClaim: (kernel: string, c: Claim) => void): Promise<void> {
  const { program, manifest } = model;
  const q = manifest.quantisation;
  const { transcript } = ctx;
  model.kernels.forEach((k, i) => {
    const r = k.backend.absorbCommitments?.(k.spec, k.artifacts, sections[i]!, ctx);
    if (r && !r.ok) reject(`kernel ${k.entry.name}: ${r.reason}`);
  });

  const pending = new PendingClaims();
  for (const e of q.outputs) {
    if (e.visibility !== "public") continue;
    const shape = program.tensors.get(e.name)!.shape;
    const point = transcript.challenges(`${BUNDLE_LABELS.outputPoint}/${e.name}`, numVarsOfShape(shape));
    pending.add({ tensor: e.name, point, value: evaluateIntegerMle(ctx.publicOutputs.get(e.name)!, shape, point) });
  }

  for (let i = model.kernels.length - 1; i >= 0; i--) {
    const k = model.kernels[i]!;
    absorbKernelName(transcript, i, k.entry.name);
    const claims = new Map(claimTargets(k.spec).map((t) => [t, pending.take(t)] as const));
    const v = await k.backend.verify(k.spec, k.artifacts, sections[i]!, claims, ctx);
    if (!v.ok) reject(`kernel ${k.entry.name} (${k.entry.backend}): ${v.reason}`);
    for (const c of (v as { inputClaims: Claim[] }).inputClaims) {
      pending.add(c);
      expectClaim(k.entry.name, c);
    }
  }
  // checks the backends batch across kernels, once per backend the plan uses
  for (const b of new Set(model.kernels.map((k) => k.backend))) {
    const r = await b.finish?.(ctx);
    if (r && !r.ok) reject(r.reason);
  }
  for (const [t, claims] of pending.entries()) {
    const values = ctx.publicInputs.get(t);
    if (!values) reject(`claims on "${t}" are left undischarged`);
    const shape = program.tensors.get(t)!.shape;
    for (const c of claims) if (evaluateIntegerMle(values!, shape, c.point) !== c.value) reject(`a claim on the public input "${t}" is false`);
  }
}

/** Mirror of the prover's independent walk (runtime/prove.ts `proveIndependent`). */
async function verifyIndependent(model: LinkedModel, p: ProofBundle, sections: ProofSection[], ctx: BundleContext, expectClaim: (kernel: string, c: Claim) => void): Promise<void> {
  const { program } = model;
  const bundle = ctx.transcript;
  const shapeOf = (t: string) => program.tensors.get(t)!.shape;
  const boundary = boundaryTensors(model);
  const sent = p.boundary ?? reject("an independent proof carries its boundary openings");
  if (sent.length !== boundary.length || sent.some((b, i) => b.tensor !== boundary[i])) reject(`the boundary openings do not name the boundary tensors (${boundary.join(", ")})`);
  const commitments = sent.map((b) => {
    const c = decodeCommitment(b.commitment);
    if (!c || c.numVars !== numVarsOfShape(shapeOf(b.tensor))) reject(`boundary tensor "${b.tensor}": malformed commitment`);
    bundle.absorbBytes(`${INDEPENDENT_LABELS.boundary}/${b.tensor}`, b.commitment);
    return c!;
  });
  const kernelTs = model.kernels.map((_, i) => kernelTranscript(model, i));
  const kctx = (i: number): BundleContext => ({ ...ctx, transcript: kernelTs[i]! });
  model.kernels.forEach((k, i) => {
    const r = k.backend.absorbCommitments?.(k.spec, k.artifacts, sections[i]!, kctx(i));
    if (r && !r.ok) reject(`kernel ${k.entry.name}: ${r.reason}`);
    bundle.absorbBytes(`${INDEPENDENT_LABELS.kernelCommitted}/${i}`, kernelTs[i]!.digest());
  });
  const root = bundle.digest();
  const openings = new OpeningClaims(boundary, model.kernels.length);
  const fresh = p.freshClaims ?? reject("an independent proof carries its fresh claim values");
  let freshAt = 0;
  for (const [i, k] of model.kernels.entries()) {
    const sentValue = (t: string): bigint => {
      const f = fresh[freshAt++];
      if (!f || f.kernel !== k.entry.name || f.tensor !== t || !isField(f.value)) reject(`fresh claim ${freshAt - 1}: expected the value of kernel ${k.entry.name}'s claim on "${t}"`);
      return f!.value;
    };
    const r = await checkKernel(model, i, sections[i]!, kctx(i), root, sentValue, (t) => openings.has(t));
    for (const f of r.fresh) if (f.opened) openings.add(i, f.claim);
    for (const c of r.inputClaims) {
      expectClaim(k.entry.name, c);
      if (openings.has(c.tensor)) openings.add(i, c);
    }
  }
  if (freshAt !== fresh.length) reject(`the proof lists ${fresh.length} fresh claim values, the verification used ${freshAt}`);
  kernelTs.forEach((kt, i) => bundle.absorbBytes(`${INDEPENDENT_LABELS.kernelDone}/${i}`, kt.digest()));
  const checks: MsmCheck[] = [];
  boundary.forEach((t, j) => {
    const r = verifyCombine(openings.of(t), sent[j]!.combine, bundle);
    if (!r.ok) reject(`boundary tensor "${t}": ${r.reason}`);
    const claim = (r as { claim: Claim }).claim;
    let check: ReturnType<typeof openingCheck>;
    try {
      check = openingCheck(commitments[j]!, claim.point, claim.value, sent[j]!.opening, bundle);
    } catch (e) {
      return reject(`boundary tensor "${t}": malformed opening (${(e as Error).message})`);
    }
    if (!check.ok) reject(`boundary tensor "${t}": ${check.reason}`);
    checks.push((check as { check: MsmCheck }).check);
  });
  if (!(await verifyMsmChecks(checks, bundle))) reject("an opening of a boundary tensor's commitment is false");
}

/** What one kernel of an independent plan leaves, as its verification derived it. */
export interface IndependentKernelClaims {
  /** the fresh claim on each claim target; `opened`: on a boundary tensor (its value was sent) */
  fresh: { claim: Claim; opened: boolean }[];
  /** the claims it leaves on its inputs; those on public tensors are already checked */
  inputClaims: Claim[];
}

/**
 * Kernel i of an independent plan on its kernel transcript, which stands after the kernel's
 * committed messages: the root, the fresh claims (a boundary tensor's value from `freshValue`,
 * a public output's evaluated), the backend's verification, the claims on public tensors, the
 * backend's deferred checks. Rejects (throws `Reject`) on the first failure.
 * @param freshValue the value of the fresh claim on boundary tensor `tensor` at `point`
 */
async function checkKernel(model: LinkedModel, i: number, section: ProofSection, kctx: BundleContext, root: Uint8Array, freshValue: (tensor: string, point: bigint[]) => bigint, opened: (tensor: string) => boolean): Promise<IndependentKernelClaims> {
  const k = model.kernels[i]!;
  const kt = kctx.transcript;
  const shapeOf = (t: string) => model.program.tensors.get(t)!.shape;
  kt.absorbBytes(INDEPENDENT_LABELS.root, root);
  const fresh: IndependentKernelClaims["fresh"] = [];
  const claims = new Map<string, Claim[]>();
  for (const t of claimTargets(k.spec)) {
    const point = freshPoint(kt, t, shapeOf(t));
    let value: bigint;
    if (opened(t)) {
      value = freshValue(t, point);
      kt.absorbField(INDEPENDENT_LABELS.claimValue, value);
    } else {
      const pub = kctx.publicOutputs.get(t) ?? reject(`kernel ${k.entry.name}: "${t}" is neither committed nor a public output`);
      value = evaluateIntegerMle(pub, shapeOf(t), point);
    }
    fresh.push({ claim: { tensor: t, point, value }, opened: opened(t) });
    claims.set(t, [{ tensor: t, point, value }]);
  }
  const v = await k.backend.verify(k.spec, k.artifacts, section, claims, kctx);
  if (!v.ok) reject(`kernel ${k.entry.name} (${k.entry.backend}): ${v.reason}`);
  const inputClaims = (v as { inputClaims: Claim[] }).inputClaims;
  for (const c of inputClaims) {
    if (opened(c.tensor)) continue;
    // a public input or output: the verifier evaluates the claim itself
    const pub = kctx.publicInputs.get(c.tensor) ?? kctx.publicOutputs.get(c.tensor) ?? reject(`kernel ${k.entry.name}: a claim on "${c.tensor}" is left undischarged`);
    if (evaluateIntegerMle(pub, shapeOf(c.tensor), c.point) !== c.value) reject(`a claim on the public tensor "${c.tensor}" is false`);
  }
  const r = await k.backend.finish?.(kctx);
  if (r && !r.ok) reject(`kernel ${k.entry.name}: ${r.reason}`);
  return { fresh, inputClaims };
}

/**
 * Check one kernel's proof of an independent plan on its own, as a coordinator does with a
 * worker's result before it goes into the bundle: the encoded section must decode, its committed
 * messages must bring a fresh kernel transcript to `committedDigest` (the coordinator's own), and
 * the kernel must verify against the fresh claim values the coordinator gives.
 * @param ctx the statement's context (its transcript is not used)
 * @returns the derived claims and the kernel transcript's final digest, or the reason for rejecting
 */
export async function verifyIndependentKernel(
  model: LinkedModel,
  i: number,
  encoded: Record<string, unknown>,
  ctx: Omit<BundleContext, "transcript">,
  root: Uint8Array,
  committedDigest: Uint8Array,
  freshValue: (tensor: string, point: bigint[]) => bigint,
  opened: (tensor: string) => boolean,
): Promise<({ ok: true; digest: Uint8Array } & IndependentKernelClaims) | { ok: false; reason: string }> {
  const k = model.kernels[i]!;
  try {
    const d = k.backend.decode(encoded);
    if (!d.ok) reject(`kernel ${k.entry.name} (${k.entry.backend}): malformed proof: ${d.reason}`);
    const section = (d as { section: ProofSection }).section;
    const kctx: BundleContext = { ...ctx, transcript: kernelTranscript(model, i) };
    const a = k.backend.absorbCommitments?.(k.spec, k.artifacts, section, kctx);
    if (a && !a.ok) reject(`kernel ${k.entry.name}: ${a.reason}`);
    if (toHex(kctx.transcript.digest()) !== toHex(committedDigest)) reject(`kernel ${k.entry.name}: the proof's committed messages are not the ones the bundle committed to`);
    const r = await checkKernel(model, i, section, kctx, root, freshValue, opened);
    return { ok: true, ...r, digest: kctx.transcript.digest() };
  } catch (e) {
    if (e instanceof Reject || e instanceof ZkcError) return { ok: false, reason: e.message };
    return { ok: false, reason: `verification failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
