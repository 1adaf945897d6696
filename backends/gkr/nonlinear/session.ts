/**
 * Commitments of the non-linear layers' witness, tied to one proof's transcript.
 *
 * Order of a kernel proof with non-linear primitives (prover and verifier alike):
 * 1. `commitNonlinearWitness` / `absorbNonlinearCommitments`: per non-linear primitive (kernel
 *    order) absorb "nonlinear/prim" = "<index>:<op>" and its commitments. **This must happen
 *    before any challenge that the kernel's claims depend on** (a bundle driver does it for every
 *    kernel right after absorbing the manifest and public values).
 * 2. `proveKernel` / `verifyKernel` (`../kernel.ts`) on the same transcript: the registered layers
 *    find their commitments here, keyed by the transcript object and the primitive object.
 * 3. Verifier only: `finishNonlinearVerification` checks every deferred opening equation in one
 *    MSM (weights drawn from a clone of the transcript, so the shared transcript does not move).
 *    **Without this step the openings are unchecked.**
 *
 * `proveKernelWithCommitments` / `verifyKernelWithCommitments` run all three steps.
 */
import { ZkcError } from "../../../compiler/errors.js";
import { atOrigin, type Prim } from "../../../compiler/quant/prim.js";
import type { Transcript } from "../../math/transcript.js";
import { verifyMsmChecks, type MsmCheck, type MsmEngine } from "../../math/commit/index.js";
import { proveKernel, verifyKernel, type Kernel, type KernelProof, type KernelVerdict, type ProveKernelOptions } from "../kernel.js";
import type { Claim } from "../messages.js";
import { NONLINEAR_OPS, auxWitness, relationSpec, staticBound, type NonlinearPrim, type SpecContext } from "./ops.js";
import { absorbRelation, commitRelation, type AbsorbedRelation, type CommittedRelation } from "./relation.js";

/** The commitment message of one kernel: per non-linear primitive, its commitment bytes. */
export interface NonlinearCommitments {
  kind: "nonlinear-commitments";
  prims: { index: number; op: string; commitments: Uint8Array[] }[];
}

interface ProverSession {
  relations: Map<Prim, CommittedRelation>;
}

interface VerifierSession {
  relations: Map<Prim, AbsorbedRelation>;
  checks: MsmCheck[];
}

const provers = new WeakMap<Transcript, ProverSession>();
const verifiers = new WeakMap<Transcript, VerifierSession>();

/** True for the primitives this module proves. */
export function isNonlinearPrim(p: Prim): p is NonlinearPrim {
  return (NONLINEAR_OPS as readonly string[]).includes(p.op);
}

function specContext(kernel: Kernel): SpecContext {
  return {
    shapeOf: (t) => {
      const info = kernel.tensors.get(t);
      if (!info) throw new ZkcError("INTERNAL", `internal error: kernel "${kernel.name}" has no tensor "${t}"`);
      return info.shape;
    },
    boundOf: (t) => staticBound(kernel.tensors.get(t)),
  };
}

function primPrefix(kernel: Kernel, index: number, p: Prim): string {
  return `${kernel.name}/${index}:${p.op}`;
}

function absorbPrimHeader(transcript: Transcript, index: number, p: Prim): void {
  transcript.absorbBytes("nonlinear/prim", new TextEncoder().encode(`${index}:${p.op}`));
}

/** Options of `commitNonlinearWitness`. */
export interface CommitWitnessOptions {
  engine?: MsmEngine;
  /**
   * Soundness tests only: replace a primitive's aux witness before it is committed, and let the
   * prover go on with a witness the honest prover would refuse (the verifier must reject it).
   */
  tamper?: (prim: NonlinearPrim, aux: Map<string, Float64Array>) => Map<string, Float64Array>;
  /** Soundness tests only: edit an aux operand's padded table (padding positions included) before it is committed. */
  tamperPadded?: (prim: NonlinearPrim, auxName: string, padded: Float64Array) => void;
  /**
   * The commitment message made earlier for this kernel (by `commitNonlinearWitness`, possibly in
   * another process): rebuild the prover state and absorb the same bytes, without the MSMs.
   */
  known?: NonlinearCommitments;
}

/**
 * Prover: compute and commit the witness of every non-linear primitive of the kernel, absorbing
 * the commitments into `transcript`.
 * @param values exact integers of the kernel's tensors (params may be omitted)
 * @throws ZkcError QUANTISATION when a value breaks a static bound, INPUT for a missing value
 */
export async function commitNonlinearWitness(
  kernel: Kernel,
  values: ReadonlyMap<string, Float64Array>,
  transcript: Transcript,
  opts: CommitWitnessOptions = {},
): Promise<NonlinearCommitments> {
  let session = provers.get(transcript);
  if (!session) {
    session = { relations: new Map() };
    provers.set(transcript, session);
  }
  const valueOf = (t: string): Float64Array => {
    const v = values.get(t) ?? kernel.tensors.get(t)?.values ?? kernel.publicValues?.get(t);
    if (!v) throw new ZkcError("INPUT", `kernel "${kernel.name}": no value for tensor "${t}"`, { hint: "pass every tensor's integers from the witness run" });
    return v;
  };
  const sc = specContext(kernel);
  const message: NonlinearCommitments = { kind: "nonlinear-commitments", prims: [] };
  let knownAt = 0;
  for (let i = 0; i < kernel.prims.length; i++) {
    const p = kernel.prims[i]!;
    if (!isNonlinearPrim(p)) continue;
    const known = opts.known?.prims[knownAt++];
    if (opts.known && (!known || known.index !== i || known.op !== p.op)) {
      throw new ZkcError("INTERNAL", `internal error: kernel "${kernel.name}": the known commitments do not match primitive ${i} (${p.op})`);
    }
    const where = `kernel "${kernel.name}" primitive ${i} (${p.op} -> "${p.out}")`;
    const spec = relationSpec(p, sc);
    absorbPrimHeader(transcript, i, p);
    let rel: CommittedRelation;
    try {
      const aux = opts.tamper ? opts.tamper(p, auxWitness(p, valueOf)) : auxWitness(p, valueOf);
      rel = await commitRelation(spec, primPrefix(kernel, i, p), aux, valueOf, transcript, where, {
        engine: opts.engine,
        dishonest: opts.tamper !== undefined,
        ...(known ? { known: known.commitments } : {}),
        ...(opts.tamperPadded ? { tamperPadded: (name: string, padded: Float64Array) => opts.tamperPadded!(p, name, padded) } : {}),
      });
    } catch (e) {
      throw e instanceof ZkcError ? (kernel.origins?.[i] ? atOrigin(e, kernel.origins[i], `kernel "${kernel.name}", primitive ${p.op}`) : e.withDetails({ op: p.op })) : e;
    }
    session.relations.set(p, rel);
    message.prims.push({ index: i, op: p.op, commitments: rel.commitments });
  }
  return message;
}

/** Verifier: decode and absorb a kernel's commitment message. Never throws on the message. */
export function absorbNonlinearCommitments(kernel: Kernel, message: unknown, transcript: Transcript): { ok: true } | { ok: false; reason: string } {
  try {
    let session = verifiers.get(transcript);
    if (!session) {
      session = { relations: new Map(), checks: [] };
      verifiers.set(transcript, session);
    }
    const m = message as Partial<NonlinearCommitments> | null;
    if (typeof message !== "object" || m === null || m.kind !== "nonlinear-commitments" || !Array.isArray(m.prims)) {
      return { ok: false, reason: "not a nonlinear commitment message" };
    }
    const sc = specContext(kernel);
    let k = 0;
    for (let i = 0; i < kernel.prims.length; i++) {
      const p = kernel.prims[i]!;
      if (!isNonlinearPrim(p)) continue;
      const entry = m.prims[k++] as NonlinearCommitments["prims"][number] | undefined;
      if (!entry || entry.index !== i || entry.op !== p.op || !Array.isArray(entry.commitments)) {
        return { ok: false, reason: `commitments for primitive ${i} (${p.op}) missing or out of order` };
      }
      absorbPrimHeader(transcript, i, p);
      const r = absorbRelation(relationSpec(p, sc), primPrefix(kernel, i, p), entry.commitments, transcript);
      if (!r.ok) return { ok: false, reason: `primitive ${i} (${p.op}): ${r.reason}` };
      session.relations.set(p, r.relation);
    }
    if (k !== m.prims.length) return { ok: false, reason: `expected ${k} primitives' commitments, got ${m.prims.length}` };
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `commitment message rejected: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The prover's committed relation of a primitive (used by the layers). */
export function proverRelation(transcript: Transcript, p: Prim): CommittedRelation {
  const rel = provers.get(transcript)?.relations.get(p);
  if (!rel) {
    throw new ZkcError("USAGE", `GKR ${p.op} -> "${p.out}": no committed witness for this primitive on this transcript`, {
      op: p.op,
      hint: "call commitNonlinearWitness(kernel, values, transcript) before proveKernel (or use proveKernelWithCommitments)",
    });
  }
  return rel;
}

/** The verifier's absorbed relation of a primitive, or undefined. */
export function verifierRelation(transcript: Transcript, p: Prim): AbsorbedRelation | undefined {
  return verifiers.get(transcript)?.relations.get(p);
}

/** Queue deferred group equations for `finishNonlinearVerification`. */
export function deferChecks(transcript: Transcript, checks: readonly MsmCheck[]): void {
  verifiers.get(transcript)?.checks.push(...checks);
}

/**
 * Verifier: check every deferred opening equation queued on this transcript (one MSM), then clear
 * the queue. Resolves to `{ok: false}` when any fails; never rejects on proof data.
 */
export async function finishNonlinearVerification(transcript: Transcript, engine?: MsmEngine): Promise<{ ok: true } | { ok: false; reason: string }> {
  const session = verifiers.get(transcript);
  if (!session || session.checks.length === 0) return { ok: true };
  const checks = session.checks.splice(0);
  const ok = await verifyMsmChecks(checks, transcript.clone(), engine);
  return ok ? { ok: true } : { ok: false, reason: "a commitment opening of a non-linear layer is false" };
}

/** A kernel proof with its non-linear commitments. */
export interface CommittedKernelProof {
  commitments: NonlinearCommitments;
  kernel: KernelProof;
}

/**
 * Commit, then prove: `outputClaims` is called after the commitments are absorbed, so the claims'
 * points depend on them.
 */
export async function proveKernelWithCommitments(
  kernel: Kernel,
  values: ReadonlyMap<string, Float64Array>,
  outputClaims: (transcript: Transcript) => Claim[],
  transcript: Transcript,
  opts: ProveKernelOptions & { engine?: MsmEngine } = {},
): Promise<{ proof: CommittedKernelProof; inputClaims: Claim[] }> {
  const commitments = await commitNonlinearWitness(kernel, values, transcript, opts);
  const { proof, inputClaims } = proveKernel(kernel, values, outputClaims(transcript), transcript, opts);
  return { proof: { commitments, kernel: proof }, inputClaims };
}

/** Mirror of `proveKernelWithCommitments`, including the deferred opening checks. Never throws on proof data. */
export async function verifyKernelWithCommitments(
  kernel: Kernel,
  proof: unknown,
  outputClaims: (transcript: Transcript) => Claim[],
  transcript: Transcript,
  engine?: MsmEngine,
): Promise<KernelVerdict> {
  const pr = proof as Partial<CommittedKernelProof> | null;
  if (typeof proof !== "object" || pr === null) return { ok: false, reason: "proof is not an object" };
  const absorbed = absorbNonlinearCommitments(kernel, pr.commitments, transcript);
  if (!absorbed.ok) return absorbed;
  const verdict = verifyKernel(kernel, pr.kernel, outputClaims(transcript), transcript);
  if (!verdict.ok) return verdict;
  const fin = await finishNonlinearVerification(transcript, engine);
  return fin.ok ? verdict : fin;
}
