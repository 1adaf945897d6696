/**
 * `proof.json`: one proof bundle (docs/formats.md). Browser-safe.
 *
 * The bundle holds the public inputs and outputs (integers and dequantised floats, or Poseidon
 * hashes for `hashed` ones), the Poseidon commitments of every tensor crossing a kernel whose backend commits its boundary,
 * one proof per kernel (its name, backend, and the fields of the backend's proof section) and the
 * boundary claims every kernel emitted. Field elements and byte strings use the encoding of
 * `runtime/link/codec.ts`.
 *
 * `runtime/proof-binary.ts` is the compact binary form of the same bundle (`proof.bin`).
 *
 * `parseProof` checks the envelope strictly (ZkcError naming the file and field); the inner
 * proof objects are untrusted data that the verifier checks as it goes and rejects with a reason.
 */
import { ZkcError } from "../compiler/errors.js";
import { decodeValue, encodeValue } from "./link/codec.js";
import type { Visibility } from "./manifest.js";

export const PROOF_FORMAT = "zkc-proof";
export const PROOF_VERSION = 1;

/** A public model input: integers (public) or the Poseidon hash (hashed). */
export interface ProofInput {
  name: string;
  visibility: Visibility;
  integers?: number[];
  hash?: bigint;
}

/** A model output: integers and dequantised floats (public) or the Poseidon hash (hashed). */
export interface ProofOutput {
  name: string;
  onnxName: string;
  visibility: Visibility;
  shape: number[];
  integers?: number[];
  floats?: number[];
  hash?: bigint;
}

/** A claim "MLE of tensor at point = value" emitted at a kernel boundary. */
export interface BoundaryClaim {
  kernel: string;
  tensor: string;
  point: bigint[];
  value: bigint;
}

/**
 * The proof of one kernel: its name and backend, then the backend's proof section's fields
 * (`Backend.encode`; the verifier checks them with the backend's `decode`).
 */
/** A boundary tensor's commitment and the opening of the claims on it (independent linking). */
export interface BoundaryOpening {
  tensor: string;
  /** Hyrax commitment bytes (backends/math/commit/hyrax.ts `commitmentBytes`) */
  commitment: Uint8Array;
  /** the combination of the claims on the tensor into one (absent when they share one point) */
  combine?: unknown;
  /** the Hyrax opening at the combined claim's point */
  opening: unknown;
}

export type KernelProofEntry = { name: string; backend: string } & Record<string, unknown>;

/** The whole bundle. */
export interface ProofBundle {
  format: typeof PROOF_FORMAT;
  version: typeof PROOF_VERSION;
  /** hex sha256 of the manifest the proof is for */
  manifestDigest: string;
  inputs: ProofInput[];
  outputs: ProofOutput[];
  /** Poseidon commitments, in the manifest's `committedTensors` order */
  commitments: { tensor: string; value: bigint }[];
  /** in manifest kernel order */
  kernels: KernelProofEntry[];
  claims: BoundaryClaim[];
  /** prover notes for people (e.g. inputs clamped with --clamp); not part of the statement */
  warnings?: string[];
  /** independent linking only: per boundary tensor, its Hyrax commitment and the opening of the claims on it */
  boundary?: BoundaryOpening[];
  /** independent linking only: the values of the fresh claims on boundary tensors, in proving order */
  freshClaims?: { kernel: string; tensor: string; value: bigint }[];
}

/** JSON text of a bundle (only the format's fields: extra properties such as prover stats are left out). */
export function serializeProof(p: ProofBundle): string {
  const doc: ProofBundle = {
    format: p.format,
    version: p.version,
    manifestDigest: p.manifestDigest,
    inputs: p.inputs,
    outputs: p.outputs,
    commitments: p.commitments,
    kernels: p.kernels,
    claims: p.claims,
    ...(p.warnings ? { warnings: p.warnings } : {}),
    ...(p.boundary ? { boundary: p.boundary } : {}),
    ...(p.freshClaims ? { freshClaims: p.freshClaims } : {}),
  };
  return `${JSON.stringify(encodeValue(doc))}\n`;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** Result of parsing: the bundle or the first problem, with its field. */
export type ParsedProof = { ok: true; proof: ProofBundle } | { ok: false; field: string; reason: string };

/**
 * Decode and check the envelope of a proof (JSON text or an already parsed value). Never throws.
 */
export function parseProof(input: unknown): ParsedProof {
  const fail = (field: string, reason: string): ParsedProof => ({ ok: false, field, reason });
  let doc: unknown = input;
  if (typeof input === "string") {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      return fail("(document)", `not JSON: ${(e as Error).message}`);
    }
  }
  try {
    doc = decodeValue(doc);
  } catch (e) {
    return fail("(document)", (e as Error).message);
  }
  return checkProofDocument(doc);
}

/** The envelope checks of `parseProof` on a decoded value tree (also used by `proof.bin`'s decoder). Never throws. */
export function checkProofDocument(doc: unknown): ParsedProof {
  const fail = (field: string, reason: string): ParsedProof => ({ ok: false, field, reason });
  if (!isObj(doc)) return fail("(document)", "not an object");
  if (doc.format !== PROOF_FORMAT) return fail("format", `expected "${PROOF_FORMAT}"`);
  if (doc.version !== PROOF_VERSION) return fail("version", `expected ${PROOF_VERSION}`);
  if (typeof doc.manifestDigest !== "string" || !/^[0-9a-f]{64}$/.test(doc.manifestDigest)) return fail("manifestDigest", "expected 64 hex digits");
  const ints = (x: unknown): boolean => Array.isArray(x) && x.every((v) => Number.isSafeInteger(v));
  const field = (x: unknown): boolean => typeof x === "bigint";
  if (!Array.isArray(doc.inputs)) return fail("inputs", "expected an array");
  for (const [i, e] of doc.inputs.entries()) {
    if (!isObj(e) || typeof e.name !== "string" || (e.visibility !== "public" && e.visibility !== "hashed")) return fail(`inputs[${i}]`, "expected {name, visibility}");
    if (e.visibility === "public" ? !ints(e.integers) : !field(e.hash)) return fail(`inputs[${i}]`, e.visibility === "public" ? "expected integers" : "expected a hash");
  }
  if (!Array.isArray(doc.outputs)) return fail("outputs", "expected an array");
  for (const [i, e] of doc.outputs.entries()) {
    if (!isObj(e) || typeof e.name !== "string" || typeof e.onnxName !== "string" || !ints(e.shape) || (e.visibility !== "public" && e.visibility !== "hashed")) {
      return fail(`outputs[${i}]`, "expected {name, onnxName, shape, visibility}");
    }
    if (e.visibility === "public" ? !ints(e.integers) || !Array.isArray(e.floats) : !field(e.hash)) return fail(`outputs[${i}]`, e.visibility === "public" ? "expected integers and floats" : "expected a hash");
  }
  if (!Array.isArray(doc.commitments) || !doc.commitments.every((c) => isObj(c) && typeof c.tensor === "string" && field(c.value))) return fail("commitments", "expected [{tensor, value}]");
  if (!Array.isArray(doc.kernels)) return fail("kernels", "expected an array");
  for (const [i, k] of doc.kernels.entries()) {
    if (!isObj(k) || typeof k.name !== "string") return fail(`kernels[${i}]`, "expected {name, backend, ...}");
    if (typeof k.backend !== "string") return fail(`kernels[${i}].backend`, "expected a backend name");
  }
  if (!Array.isArray(doc.claims)) return fail("claims", "expected an array");
  for (const [i, c] of doc.claims.entries()) {
    if (!isObj(c) || typeof c.kernel !== "string" || typeof c.tensor !== "string" || !Array.isArray(c.point) || !c.point.every(field) || !field(c.value)) {
      return fail(`claims[${i}]`, "expected {kernel, tensor, point, value}");
    }
  }
  if (doc.warnings !== undefined && !(Array.isArray(doc.warnings) && doc.warnings.every((w) => typeof w === "string"))) return fail("warnings", "expected an array of strings");
  if (doc.boundary !== undefined && !(Array.isArray(doc.boundary) && doc.boundary.every((b) => isObj(b) && typeof b.tensor === "string" && b.commitment instanceof Uint8Array))) {
    return fail("boundary", "expected [{tensor, commitment, combine?, opening}]");
  }
  if (doc.freshClaims !== undefined && !(Array.isArray(doc.freshClaims) && doc.freshClaims.every((c) => isObj(c) && typeof c.kernel === "string" && typeof c.tensor === "string" && field(c.value)))) {
    return fail("freshClaims", "expected [{kernel, tensor, value}]");
  }
  // one encoding per proof: a field the verifier would ignore is refused (test/fuzz)
  const stray = (o: unknown, allowed: string): string | undefined => Object.keys(o as object).find((k) => !allowed.split(" ").includes(k));
  for (const [at, items, allowed] of [["", [doc], "format version manifestDigest inputs outputs commitments kernels claims warnings boundary freshClaims"], ["inputs", doc.inputs, "name visibility integers hash"], ["outputs", doc.outputs, "name onnxName visibility shape integers floats hash"], ["commitments", doc.commitments, "tensor value"], ["claims", doc.claims, "kernel tensor point value"], ["boundary", doc.boundary ?? [], "tensor commitment combine opening"], ["freshClaims", doc.freshClaims ?? [], "kernel tensor value"]] as const) {
    for (const [i, o] of (items as unknown[]).entries()) if (stray(o, allowed) !== undefined) return fail(at ? `${at}[${i}]` : "(document)", `unexpected field "${stray(o, allowed)}"`);
  }
  return { ok: true, proof: doc as unknown as ProofBundle };
}

/**
 * `parseProof` for callers that want an exception (the CLI reading a file).
 * @throws ZkcError INPUT naming the file and the field
 */
export function loadProof(text: string, file = "proof.json"): ProofBundle {
  const r = parseProof(text);
  if (!r.ok) throw new ZkcError("INPUT", `malformed proof: field ${r.field}: ${r.reason}`, { file, hint: "pass a proof.json written by zkc prove" });
  return r.proof;
}
