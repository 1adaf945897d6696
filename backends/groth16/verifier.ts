/**
 * The Groth16 backend's verifying half (browser-safe): the manifest section of a Groth16 kernel,
 * the proof section's decoding, and verification of linked kernels (statement of statement.ts:
 * Poseidon commitments of the boundary, claim points and values) and of the whole-model kernel
 * (statement = the public output and input integers).
 */
import { ZkcError } from "../../compiler/errors.js";
import type { KernelSpec } from "../../compiler/plan/backend.js";
import type { BackendVerifier, BundleContext, ClaimsByTensor, ProofSection, Verdict } from "../contract.js";
import { isField, isRecord, verifyCombine, type Claim } from "../math/claims.js";
import { Fr } from "../math/field.js";
import { numVarsOfShape } from "../math/layout.js";
import { sha256 } from "../math/sha256.js";
import { packGroth16Proof, unpackGroth16Proof } from "./points.js";
import { groth16StatementSignals, kernelBinding } from "./statement.js";
import { verifyGroth16Proof } from "./verify-proof.js";

/** Transcript labels of Groth16 kernels in a bundle (kept from when the bundle layer drew them). */
export const GROTH16_LABELS = {
  outPoint: "bundle/g16/out-point",
  outValue: "bundle/g16/out-value",
  inPoint: "bundle/g16/in-point",
  inValue: "bundle/g16/in-value",
  proof: "bundle/g16/proof",
} as const;

/** A Groth16 kernel's manifest section (the zkey is for provers only). */
export interface Groth16Artifacts {
  vkeyFile: string;
  vkeyDigest: string;
  zkeyFile: string;
  zkeyDigest: string;
  /** sha256 of the circuit's .r1cs: the prover rebuilds the circuit and checks it */
  r1csDigest: string;
  nConstraints: number;
  nPublic: number;
}

/** A linked kernel's proof section. */
export interface Groth16Section {
  /** per output: the combination proof of its claims (several claims), or the value at a fresh point (no claim) */
  outputClaims: { combine?: unknown; value?: bigint }[];
  /** per input: the value at a fresh point, or (commit kernel of a hashed input) the combination of the claims on it */
  inputClaims: { combine?: unknown; value?: bigint }[];
  /** snarkjs proof (decimal strings) */
  groth16: unknown;
  /** the statement as snarkjs public signals (decimal strings); the verifier rebuilds and compares it */
  publicSignals: string[];
}

const HEX64 = /^[0-9a-f]{64}$/;
const FILE_NAME = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

class Reject extends Error {}
const reject = (reason: string): never => {
  throw new Reject(reason);
};

/** A side file whose sha256 must be `digest`; a missing or altered file is a rejection. */
async function checkedFile(ctx: BundleContext, name: string, digest: string, what: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await ctx.files(name);
  } catch (e) {
    return reject(`cannot read the ${what} (${name}): ${(e as Error).message}`);
  }
  if (hex(sha256(bytes)) !== digest) reject(`the ${what} (${name}) does not match the manifest (sha256 differs)`);
  return bytes;
}

async function checkProof(ctx: BundleContext, kernel: KernelSpec, a: Groth16Artifacts, signals: readonly bigint[], proof: unknown, where: string): Promise<void> {
  const vkeyBytes = await checkedFile(ctx, a.vkeyFile, a.vkeyDigest, `verification key of kernel ${kernel.name}`);
  let vkey: unknown;
  try {
    vkey = JSON.parse(new TextDecoder().decode(vkeyBytes));
  } catch {
    reject(`${where}: the verification key is not JSON`);
  }
  const r = await verifyGroth16Proof(vkey, signals, proof);
  if (!r.ok) reject(`${where}: ${r.reason}`);
}

/** Canonical bytes of a snarkjs proof's points, for the transcript. */
export function groth16ProofBytes(proof: unknown): Uint8Array {
  const p = (proof ?? {}) as { pi_a?: unknown; pi_b?: unknown; pi_c?: unknown };
  return new TextEncoder().encode(JSON.stringify([p.pi_a ?? null, p.pi_b ?? null, p.pi_c ?? null]));
}

/**
 * Public signals of a whole-model proof, in the circuit's order: every output's integers
 * (row-major, kernel output order), then every input's, as field elements, then the kernel's
 * binding (statement.ts `kernelBinding`: the circuit is for exactly this program and weights).
 */
export function wholeModelSignals(kernel: Pick<KernelSpec, "prims" | "tensors" | "inputs" | "outputs">, inputs: ReadonlyMap<string, ArrayLike<number>>, outputs: ReadonlyMap<string, ArrayLike<number>>): bigint[] {
  const fields = (t: string, from: ReadonlyMap<string, ArrayLike<number>>) => Array.from(from.get(t)!, (v) => Fr.fromSigned(v));
  return [...kernel.outputs.flatMap((t) => fields(t, outputs)), ...kernel.inputs.flatMap((t) => fields(t, inputs)), kernelBinding(kernel)];
}

async function verifyLinked(kernel: KernelSpec, a: Groth16Artifacts, s: Groth16Section, claims: ClaimsByTensor, ctx: BundleContext): Promise<Claim[]> {
  const where = `kernel ${kernel.name} (groth16)`;
  const { transcript } = ctx;
  const shapeOf = (t: string) => kernel.tensors.get(t)!.shape;
  if (s.outputClaims.length !== kernel.outputs.length || s.inputClaims.length !== kernel.inputs.length) reject(`${where}: expected ${kernel.outputs.length} output and ${kernel.inputs.length} input claim entries`);
  // one claim per boundary tensor: the claims waiting on it combined, or a fresh point and the sent value
  const settle = (t: string, sent: { combine?: unknown; value?: bigint }, waiting: readonly Claim[], pointLabel: string, valueLabel: string): Claim => {
    if (waiting.length > 0) {
      const r = verifyCombine(waiting, sent.combine, transcript);
      if (!r.ok) reject(`${where}: "${t}": ${r.reason}`);
      return (r as { claim: Claim }).claim;
    }
    const point = transcript.challenges(pointLabel, numVarsOfShape(shapeOf(t)));
    if (!isField(sent.value)) reject(`${where}: "${t}": missing value`);
    transcript.absorbField(valueLabel, sent.value!);
    return { tensor: t, point, value: sent.value! };
  };
  const outputClaims = kernel.outputs.map((o, j) => settle(o, s.outputClaims[j]!, claims.get(o) ?? [], GROTH16_LABELS.outPoint, GROTH16_LABELS.outValue));
  const inputClaims = kernel.inputs.map((t, j) => settle(t, s.inputClaims[j]!, kernel.kind === "hash-input" ? (claims.get(t) ?? []) : [], GROTH16_LABELS.inPoint, GROTH16_LABELS.inValue));
  const commit = (t: string): bigint => ctx.commitmentOf(t) ?? reject(`${where}: no commitment for "${t}"`);
  const signals = groth16StatementSignals({
    inputCommitments: kernel.inputs.map(commit),
    outputCommitments: kernel.outputs.map(commit),
    outputClaims,
    inputClaims,
    binding: kernelBinding(kernel),
  });
  if (s.publicSignals.length !== signals.length || s.publicSignals.some((x, j) => x !== signals[j]!.toString())) {
    reject(`${where}: the public signals in the proof differ from the statement the verifier derived`);
  }
  await checkProof(ctx, kernel, a, signals, s.groth16, where);
  transcript.absorbBytes(GROTH16_LABELS.proof, groth16ProofBytes(s.groth16));
  // a hashed input is bound by its published hash: its claims end here
  return kernel.kind === "hash-input" ? [] : inputClaims;
}

async function verifyWhole(kernel: KernelSpec, a: Groth16Artifacts, s: Groth16Section, ctx: BundleContext): Promise<void> {
  const where = `kernel ${kernel.name} (groth16, whole model)`;
  if (s.outputClaims.length !== 0 || s.inputClaims.length !== 0) reject(`${where}: a whole-model proof has no claim entries`);
  for (const t of [...kernel.inputs, ...kernel.outputs]) {
    if (!ctx.publicInputs.has(t) && !ctx.publicOutputs.has(t)) reject(`${where}: "${t}" is not public (whole-model mode proves public inputs and outputs)`);
  }
  const signals = wholeModelSignals(kernel, ctx.publicInputs, ctx.publicOutputs);
  if (signals.length !== a.nPublic) reject(`${where}: the statement has ${signals.length} public signals, the circuit ${a.nPublic}`);
  if (s.publicSignals.length !== signals.length || s.publicSignals.some((x, j) => x !== signals[j]!.toString())) {
    reject(`${where}: the public signals differ from the proof's output and input integers`);
  }
  await checkProof(ctx, kernel, a, signals, s.groth16, where);
}

export const groth16Verifier: BackendVerifier<Groth16Artifacts> = {
  name: "groth16",
  boundary: "committed",
  wholeModel: true,
  parseArtifacts(kernel, x, field) {
    const fail = (f: string, expected: string): never => {
      throw new ZkcError("MODEL_FORMAT", `malformed manifest: field ${field}${f}`, { node: kernel.name, expected, hint: "compile the model again (zkc compile) instead of editing the manifest" });
    };
    if (!isRecord(x)) return fail("", "the Groth16 keys of the kernel (an object)");
    const file = (f: string) => (typeof x[f] === "string" && FILE_NAME.test(x[f] as string) && !(x[f] as string).split("/").includes("..") ? (x[f] as string) : fail(`.${f}`, "a relative file name"));
    const digest = (f: string) => (typeof x[f] === "string" && HEX64.test(x[f] as string) ? (x[f] as string) : fail(`.${f}`, "64 lowercase hex digits (sha256)"));
    const int = (f: string) => (Number.isSafeInteger(x[f]) && (x[f] as number) >= 0 ? (x[f] as number) : fail(`.${f}`, "an integer >= 0"));
    return {
      vkeyFile: file("vkeyFile"),
      vkeyDigest: digest("vkeyDigest"),
      zkeyFile: file("zkeyFile"),
      zkeyDigest: digest("zkeyDigest"),
      r1csDigest: digest("r1csDigest"),
      nConstraints: int("nConstraints"),
      nPublic: int("nPublic"),
    };
  },
  verifierFiles: (a) => [a.vkeyFile],
  decode(fields) {
    const objects = (x: unknown) => Array.isArray(x) && x.every(isRecord);
    for (const k of Object.keys(fields)) if (!["outputClaims", "inputClaims", "groth16", "publicSignals"].includes(k)) return { ok: false, reason: `unexpected field "${k}" in a Groth16 kernel proof` };
    if (!objects(fields.outputClaims)) return { ok: false, reason: "outputClaims: expected an array of objects" };
    if (!objects(fields.inputClaims)) return { ok: false, reason: "inputClaims: expected an array of objects" };
    if (!Array.isArray(fields.publicSignals) || !fields.publicSignals.every((x) => typeof x === "string")) return { ok: false, reason: "publicSignals: expected decimal strings" };
    // one encoding per proof: snarkjs would ignore other fields (found by test/fuzz)
    const extra = isRecord(fields.groth16) ? Object.keys(fields.groth16).find((k) => !["pi_a", "pi_b", "pi_c", "protocol", "curve"].includes(k)) : undefined;
    if (extra !== undefined) return { ok: false, reason: `unexpected field "groth16.${extra}" in a Groth16 kernel proof` };
    // claim entries: {combine?: {kind, sumcheck: {rounds}, eval}, value?}
    const keysIn = (x: unknown, allowed: string[]) => !isRecord(x) || Object.keys(x).every((k) => allowed.includes(k));
    for (const c of [...(fields.outputClaims as unknown[]), ...(fields.inputClaims as unknown[])]) {
      const e = c as { combine?: { sumcheck?: unknown } };
      if (!keysIn(c, ["combine", "value"]) || !keysIn(e.combine, ["kind", "sumcheck", "eval"]) || !keysIn(e.combine?.sumcheck, ["rounds"])) return { ok: false, reason: "unexpected field in a Groth16 kernel's claim entry" };
    }
    const section: Groth16Section = { outputClaims: fields.outputClaims as Groth16Section["outputClaims"], inputClaims: fields.inputClaims as Groth16Section["inputClaims"], groth16: fields.groth16, publicSignals: fields.publicSignals as string[] };
    return { ok: true, section: section as unknown as ProofSection };
  },
  // proof.bin: the points as 128 compressed bytes and the signals as field elements (JSON keeps snarkjs's decimal form)
  packBinary(fields) {
    const signals = fields.publicSignals as string[];
    return { ...fields, groth16: packGroth16Proof(fields.groth16), publicSignals: signals.map((x) => BigInt(x)) };
  },
  unpackBinary(packed) {
    const p = unpackGroth16Proof(packed.groth16);
    if (!p.ok) return p;
    const signals = packed.publicSignals;
    if (!Array.isArray(signals) || !signals.every(isField)) return { ok: false, reason: "publicSignals: expected field elements" };
    return { ok: true, fields: { ...packed, groth16: p.proof, publicSignals: signals.map((x) => x.toString()) } };
  },
  async verify(kernel, a, section, claims, ctx): Promise<Verdict<{ inputClaims: Claim[] }>> {
    try {
      const s = section as unknown as Groth16Section;
      if (kernel.kind === "whole-model") {
        await verifyWhole(kernel, a, s, ctx);
        return { ok: true, inputClaims: [] };
      }
      return { ok: true, inputClaims: await verifyLinked(kernel, a, s, claims, ctx) };
    } catch (e) {
      if (e instanceof Reject) return { ok: false, reason: e.message };
      return { ok: false, reason: `kernel ${kernel.name} (groth16): verifier error: ${e instanceof Error ? e.message : String(e)}` };
    }
  },
};
