/**
 * Kernel jobs: one kernel's proving work as plain data (kernel index, the claims waiting on it,
 * its input tensors by content digest, the transcript position it starts from), and the executor
 * that runs one through the backend contract. The prover (`prove.ts`) runs every kernel as a job;
 * the tensors travel through a content-addressed store, so a job could run wherever the store's
 * values can be fetched and checked.
 *
 * Today the executor runs on the bundle's live transcript (it checks that the transcript stands
 * where the job says): backends keep pre-challenge state (commitments) on it, so a job runs in the
 * process that committed. Running jobs elsewhere needs per-kernel transcripts derived from the
 * root and the kernel's index (DESIGN §4.8), which is the distributed-proving work.
 */
import { ZkcError } from "../compiler/errors.js";
import { claimTargets, type Backend, type BackendRegistry, type Claim, type ProverContext } from "../backends/contract.js";
import { sha256 } from "../backends/math/sha256.js";
import { toHex } from "./link/codec.js";
import type { LinkedModel } from "./link/model.js";

/** One kernel's proving job. */
export interface KernelJob {
  /** hex sha256 of the manifest the job belongs to */
  manifestDigest: string;
  /** index of the kernel in the manifest */
  kernel: number;
  name: string;
  backend: string;
  /** the claims waiting on the kernel's claim targets (its outputs; a hashed input's commit kernel: that input) */
  claims: Claim[];
  /** the tensors the kernel reads from outside (and its outputs), by content digest */
  tensors: { name: string; digest: string }[];
  /** hex of the transcript state the kernel's proof starts from */
  transcript: string;
}

/** What a job gives back: the proof section (already encoded) and the claims on the kernel's inputs. */
export interface KernelJobResult {
  kernel: number;
  section: Record<string, unknown>;
  inputClaims: Claim[];
  /** hex of the transcript state after the kernel */
  transcript: string;
}

/** Content digest of a tensor's exact integers (sha256 of their little-endian float64 bytes). */
export function tensorDigest(values: Float64Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  // float64 bytes are little-endian on every platform Node and browsers run on
  return toHex(sha256(bytes));
}

/** Values by content digest. */
export interface TensorStore {
  put(values: Float64Array): string;
  /** @throws ZkcError INTERNAL when the store has no such tensor */
  get(digest: string): Float64Array;
}

/** An in-memory store (the local prover's). */
export class MemoryTensorStore implements TensorStore {
  private readonly byDigest = new Map<string, Float64Array>();
  put(values: Float64Array): string {
    const d = tensorDigest(values);
    this.byDigest.set(d, values);
    return d;
  }
  get(digest: string): Float64Array {
    const v = this.byDigest.get(digest);
    if (!v) throw new ZkcError("INTERNAL", `internal error: no tensor with digest ${digest.slice(0, 16)}… in the store`);
    return v;
  }
}

/** The job of kernel `index`, with the claims waiting on it, at the transcript's current position. */
export function kernelJob(model: LinkedModel, index: number, claims: Claim[], values: ReadonlyMap<string, Float64Array>, store: TensorStore, transcript: { digest(): Uint8Array }): KernelJob {
  const k = model.kernels[index]!;
  const tensors = [...k.spec.inputs, ...k.spec.outputs].map((name) => {
    const v = values.get(name);
    if (!v) throw new ZkcError("INTERNAL", `internal error: kernel ${k.entry.name} needs "${name}", which the witness no longer holds`);
    return { name, digest: store.put(v) };
  });
  return { manifestDigest: toHex(model.digest), kernel: index, name: k.entry.name, backend: k.entry.backend, claims, tensors, transcript: toHex(transcript.digest()) };
}

/**
 * Run one job through its backend's `prove`.
 * @param ctx the prover context; its `values` must hold the kernel's internal tensors, which the
 *   backend recomputes or reads (the job's boundary tensors are checked against their digests)
 * @throws ZkcError INTERNAL when the job does not match the model, the store or the transcript
 */
export async function runKernelJob(
  job: KernelJob,
  model: LinkedModel,
  registry: BackendRegistry<Backend>,
  store: TensorStore,
  ctx: ProverContext,
  committed: unknown,
): Promise<KernelJobResult> {
  const k = model.kernels[job.kernel];
  if (!k || k.entry.name !== job.name || k.entry.backend !== job.backend || job.manifestDigest !== toHex(model.digest)) {
    throw new ZkcError("INTERNAL", `internal error: job for kernel ${job.kernel} (${job.name}) does not belong to this model`);
  }
  if (toHex(ctx.transcript.digest()) !== job.transcript) throw new ZkcError("INTERNAL", `internal error: kernel ${job.name}: the transcript is not where the job starts`);
  const boundary = new Map(job.tensors.map((t) => [t.name, store.get(t.digest)] as const));
  for (const [name, v] of boundary) {
    if (ctx.values.get(name) !== v && tensorDigest(ctx.values.get(name) ?? new Float64Array(0)) !== tensorDigest(v)) {
      throw new ZkcError("INTERNAL", `internal error: kernel ${job.name}: tensor "${name}" differs from the job's`);
    }
  }
  const claims = new Map<string, Claim[]>(claimTargets(k.spec).map((t) => [t, []]));
  for (const c of job.claims) {
    const list = claims.get(c.tensor);
    if (!list) throw new ZkcError("INTERNAL", `internal error: kernel ${job.name}: a claim on "${c.tensor}", which it does not take`);
    list.push(c);
  }
  const backend = registry.get(job.backend);
  const r = await backend.prove(k.spec, k.artifacts, claims, ctx, committed);
  return { kernel: job.kernel, section: backend.encode(r.section), inputClaims: r.inputClaims, transcript: toHex(ctx.transcript.digest()) };
}
