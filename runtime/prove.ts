/**
 * The prover scheduler: one proof bundle for one input (docs/linking.md has the protocol). It
 * orchestrates kernels through the backend contract (backends/contract.ts) and names no backend.
 *
 * 1. Load the compiled model (manifest + side files, digests checked), quantise the inputs, run
 *    the integer program (every tensor's exact integers).
 * 2. Open the bundle transcript: manifest digest, public inputs and outputs (or their Poseidon
 *    hashes), the Poseidon commitments of every tensor crossing a kernel whose backend commits its
 *    boundary, then every backend's pre-challenge messages (`commit`, kernel order) — all before
 *    the first challenge.
 * 3. Claims on the public outputs at points drawn from the transcript.
 * 4. Kernels in reverse order (claims flow backward), each as a kernel job (runtime/jobs.ts): it
 *    takes the claims on its outputs and leaves claims on its inputs for their producers. Tensors
 *    no kernel still needs are dropped as the walk passes their first user.
 *
 * Node only with the built-in backends (Groth16 proving reads proving keys); the verifier is
 * `runtime/verify.ts`.
 */
import { ZkcError } from "../compiler/errors.js";
import { claimTargets, type Backend, type BackendRegistry, type ProverContext } from "../backends/contract.js";
import { PendingClaims, proveCombine } from "../backends/math/claims.js";
import { commit as commitTable, commitmentBytes, open as openCommitment, type HyraxState } from "../backends/math/commit/hyrax.js";
import { integerTable, numVarsOfShape } from "../backends/math/layout.js";
import { evaluateMle } from "../backends/math/mle.js";
import { poseidonCommitTensor } from "../backends/math/poseidon.js";
import { defaultBackends } from "../backends/registry.js";
import { runProgram, dequantise } from "./witness.js";
import { quantiseCheckedInput, withWarnings } from "./input-range.js";
import { manifestDigest, type Manifest } from "./manifest.js";
import { PROOF_FORMAT, PROOF_VERSION, type BoundaryClaim, type BoundaryOpening, type KernelProofEntry, type ProofBundle, type ProofInput, type ProofOutput } from "./proof.js";
import { fieldsOf, loadLinkedModel, type LinkedModel } from "./link/model.js";
import { INDEPENDENT_LABELS, OpeningClaims, boundaryTensors, kernelTranscript, paddedIntegers } from "./link/independent.js";
import { BUNDLE_LABELS, absorbKernelName, openTranscript } from "./link/transcript.js";
import { toHex } from "./link/codec.js";
import { MemoryTensorStore, kernelJob, runKernelJob } from "./jobs.js";
import { proveKernelTask, type KernelTaskResult } from "./kernel-task.js";
import { createKernelPool, kernelTask, workerModel } from "./pool/pool.js";
import runKernelTask from "./pool/kernel-worker.js";
import type { QueueProveOptions, QueueStats } from "./queue/options.js";
import { loadQueueModule } from "./queue/options.js";
import { verifyIndependentKernel } from "./verify.js";

/** Progress of one step of `prove`. */
export interface ProveProgress {
  phase: "witness" | "commit" | "kernel" | "done";
  /** kernel name for phase "kernel" */
  kernel?: string;
  backend?: string;
  done: number;
  total: number;
  /** seconds the step took */
  seconds?: number;
}

export interface ProveOptions {
  onProgress?: (p: ProveProgress) => void;
  /** saturate inputs outside the calibrated range at the bound (a warning goes into the proof) instead of refusing them */
  clamp?: boolean;
  /** soundness tests only: edit the values before anything is committed (a cheating prover) */
  tamperValues?: (values: Map<string, Float64Array>) => void;
  /** the proof systems (default: the built-in ones); must include every backend the manifest names */
  backends?: BackendRegistry<Backend>;
  /**
   * Independent linking only: the order in which kernels are proven (default: manifest order).
   * The proof does not depend on it; tests use it to show that kernels are independent.
   */
  kernelOrder?: readonly number[];
  /**
   * Independent linking only: prove each kernel as a worker elsewhere would (the worker's code, in
   * process), from plain data only (a `KernelTask`: its committed message through JSON, the root,
   * its own tensors) on a fresh kernel transcript. The proof is the same; tests use it to show
   * that a kernel task needs nothing else. Like the pool, it uses the built-in backends.
   */
  isolateKernels?: boolean;
  /**
   * Independent linking only: prove the kernels on this many worker threads (runtime/pool/). The
   * proof is the same for every count (Groth16 kernels aside, whose proofs snarkjs randomises).
   */
  workers?: number;
  /**
   * Independent linking only: prove the kernels on BullMQ workers (`zkc worker --queue URL`)
   * through Redis at `queue.url` (runtime/queue/). The coordinator checks every kernel proof a
   * worker sends before it goes into the bundle; the proof is the same as a local prove's.
   */
  queue?: QueueProveOptions;
}

/** Values of a hashed output: known to the prover's caller, not part of proof.json. */
export interface HashedOutputValues {
  name: string;
  onnxName: string;
  integers: number[];
  floats: number[];
}

/** Per-kernel timing, for reports and the benchmark. */
export interface ProveStats {
  kernels: { name: string; backend: string; seconds: number }[];
  commitSeconds: number;
  witnessSeconds: number;
  /** largest number of tensors held at once during the kernel walk */
  peakLiveTensors: number;
  /** a queue prove: its run id, jobs, and the worker results it rejected */
  queue?: QueueStats;
}

const now = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now()) / 1000;

/** Floats of one model input, found by ONNX name or program name. */
function inputFloats(inputs: Record<string, ArrayLike<number>>, name: string, onnxName: string): ArrayLike<number> {
  const v = inputs[onnxName] ?? inputs[name];
  if (!v) {
    throw new ZkcError("INPUT", `no value for model input "${onnxName}"`, { hint: `pass every input by name: ${JSON.stringify(onnxName)}` });
  }
  return v;
}

/**
 * Prove one inference.
 * @param files reads a side file of the artifacts directory by its relative name
 * @param inputs float values of every model input, by ONNX input name, flat row-major
 * @throws ZkcError INPUT for missing or malformed inputs, MODEL_FORMAT for altered artifacts
 */
export async function prove(
  manifest: Manifest,
  files: (name: string) => Promise<Uint8Array>,
  inputs: Record<string, ArrayLike<number>>,
  opts: ProveOptions = {},
): Promise<ProofBundle & { stats: ProveStats; hashedOutputs: HashedOutputValues[] }> {
  const t0 = now();
  const registry = opts.backends ?? defaultBackends;
  if (opts.queue) {
    if (manifest.linking !== "independent") throw new ZkcError("USAGE", "proving on a queue needs a model compiled with --linking independent (its kernels are proven apart); this one is chained", { hint: "compile again with `zkc compile <model.onnx> --linking independent`" });
    if ((opts.workers ?? 1) > 1 || opts.isolateKernels) throw new ZkcError("USAGE", "a queue prove runs its kernels on the queue's workers: do not also give workers or isolateKernels");
  }
  const model = await loadLinkedModel(manifest, files, registry);
  const { program } = model;
  const q = manifest.quantisation;
  const quantised = new Map<string, Float64Array>();
  const warnings: string[] = [];
  for (const e of q.inputs) {
    const r = quantiseCheckedInput(program, e.name, inputFloats(inputs, e.name, e.onnxName), opts.clamp);
    quantised.set(e.name, r.values);
    if (r.warning) warnings.push(r.warning);
  }
  const values = runProgram(program, quantised);
  opts.tamperValues?.(values);
  const witnessSeconds = now() - t0;
  opts.onProgress?.({ phase: "witness", done: 1, total: 1, seconds: witnessSeconds });

  // public statement
  const proofInputs: ProofInput[] = q.inputs.map((e) => {
    const v = values.get(e.name)!;
    return e.visibility === "public" ? { name: e.name, visibility: "public", integers: Array.from(v) } : { name: e.name, visibility: "hashed", hash: poseidonCommitTensor(fieldsOf(v)) };
  });
  const proofOutputs: ProofOutput[] = q.outputs.map((e) => {
    const v = values.get(e.name)!;
    const base = { name: e.name, onnxName: e.onnxName, shape: [...e.shape] };
    return e.visibility === "public"
      ? { ...base, visibility: "public", integers: Array.from(v), floats: Array.from(dequantise(v, e.scale)) }
      : { ...base, visibility: "hashed", hash: poseidonCommitTensor(fieldsOf(v)) };
  });
  const hashedOutputs: HashedOutputValues[] = q.outputs
    .filter((e) => e.visibility === "hashed")
    .map((e) => ({ name: e.name, onnxName: e.onnxName, integers: Array.from(values.get(e.name)!), floats: Array.from(dequantise(values.get(e.name)!, e.scale)) }));
  const ioMap = (list: (ProofInput | ProofOutput)[]) => new Map(list.map((e) => [e.name, e] as const));
  const t1 = now();
  const commitments = manifest.committedTensors.map((name) => poseidonCommitTensor(fieldsOf(values.get(name)!)));
  const transcript = openTranscript(model, ioMap(proofInputs), ioMap(proofOutputs), commitments);
  const commitmentOf = new Map<string, bigint>(manifest.committedTensors.map((t, i) => [t, commitments[i]!]));
  for (const x of [...proofInputs, ...proofOutputs]) if (x.hash !== undefined) commitmentOf.set(x.name, x.hash);
  const publicOf = (list: typeof q.inputs) => new Map(list.filter((e) => e.visibility === "public").map((e) => [e.name, values.get(e.name)!] as const));
  const ctx: ProverContext & { values: Map<string, Float64Array> } = {
    transcript,
    program,
    publicInputs: publicOf(q.inputs),
    publicOutputs: publicOf(q.outputs),
    commitmentOf: (t) => commitmentOf.get(t),
    files,
    values,
    valueOf: (t) => values.get(t) ?? program.tensors.get(t)?.values ?? (() => { throw new ZkcError("INTERNAL", `internal error: no value for "${t}"`); })(),
  };

  const walk = manifest.linking === "independent" ? await proveIndependent(model, registry, ctx, opts, t1) : await proveChained(model, registry, ctx, opts, t1);
  const total = model.kernels.length;
  opts.onProgress?.({ phase: "done", done: total, total });
  return withWarnings({
    format: PROOF_FORMAT,
    version: PROOF_VERSION,
    manifestDigest: toHex(manifestDigest(manifest)),
    inputs: proofInputs,
    outputs: proofOutputs,
    commitments: manifest.committedTensors.map((tensor, i) => ({ tensor, value: commitments[i]! })),
    kernels: walk.kernelProofs,
    claims: walk.claims,
    ...(walk.boundary ? { boundary: walk.boundary, freshClaims: walk.freshClaims } : {}),
    stats: { kernels: walk.stats, commitSeconds: walk.commitSeconds, witnessSeconds, peakLiveTensors: walk.peakLive, ...(walk.queue ? { queue: walk.queue } : {}) },
    hashedOutputs,
  }, warnings);
}

/** What a kernel walk gives the bundle. */
interface Walk {
  kernelProofs: KernelProofEntry[];
  claims: BoundaryClaim[];
  /** per kernel, in manifest order */
  stats: ProveStats["kernels"];
  commitSeconds: number;
  peakLive: number;
  boundary?: BoundaryOpening[];
  freshClaims?: { kernel: string; tensor: string; value: bigint }[];
  queue?: QueueStats;
}

/** Drops tensors as the walk passes the first kernel that touches them (params stay: they are the model's). */
function tensorDropper(model: LinkedModel, values: Map<string, Float64Array>): (kernel: number) => number {
  const firstUser = new Map<string, number>();
  model.kernels.forEach((k, i) => {
    for (const t of k.spec.tensors.keys()) if (!firstUser.has(t)) firstUser.set(t, i);
  });
  const paramNames = new Set([...model.program.tensors.values()].filter((t) => t.kind === "param").map((t) => t.name));
  return (kernel) => {
    for (const [t, at] of firstUser) if (at === kernel && !paramNames.has(t)) values.delete(t);
    return values.size;
  };
}

/**
 * The chained walk: every backend's pre-challenge messages on the one transcript (kernel order),
 * claims on the public outputs, then the kernels backward, each taking the claims its consumers
 * left.
 */
async function proveChained(model: LinkedModel, registry: BackendRegistry<Backend>, ctx: ProverContext & { values: Map<string, Float64Array> }, opts: ProveOptions, t1: number): Promise<Walk> {
  const { transcript, values } = ctx;
  const q = model.manifest.quantisation;
  const committed: unknown[] = [];
  for (const k of model.kernels) committed.push(await registry.get(k.entry.backend).commit?.(k.spec, k.artifacts, ctx));
  const commitSeconds = now() - t1;
  opts.onProgress?.({ phase: "commit", done: 1, total: 1, seconds: commitSeconds });

  // claims on public outputs, at points drawn after everything above was absorbed
  const pending = new PendingClaims();
  for (const e of q.outputs) {
    if (e.visibility !== "public") continue;
    const shape = model.program.tensors.get(e.name)!.shape;
    const point = transcript.challenges(`${BUNDLE_LABELS.outputPoint}/${e.name}`, numVarsOfShape(shape));
    pending.add({ tensor: e.name, point, value: evaluateMle(integerTable(values.get(e.name)!, shape), point) });
  }
  const drop = tensorDropper(model, values);
  let peakLive = values.size;
  const store = new MemoryTensorStore();
  const kernelProofs: KernelProofEntry[] = new Array(model.kernels.length);
  const claims: BoundaryClaim[] = [];
  const stats: ProveStats["kernels"] = [];
  const total = model.kernels.length;
  for (let i = model.kernels.length - 1; i >= 0; i--) {
    const k = model.kernels[i]!;
    const started = now();
    absorbKernelName(transcript, i, k.entry.name);
    const job = kernelJob(model, i, claimTargets(k.spec).flatMap((t) => pending.take(t)), values, store, transcript);
    const r = await runKernelJob(job, model, registry, store, ctx, committed[i]);
    for (const c of r.inputClaims) {
      pending.add(c);
      claims.push({ kernel: k.entry.name, tensor: c.tensor, point: c.point, value: c.value });
    }
    kernelProofs[i] = { name: k.entry.name, backend: k.entry.backend, ...r.section };
    peakLive = Math.max(peakLive, drop(i));
    const seconds = now() - started;
    stats.push({ name: k.entry.name, backend: k.entry.backend, seconds });
    opts.onProgress?.({ phase: "kernel", kernel: k.entry.name, backend: k.entry.backend, done: total - i, total, seconds });
  }
  for (const [t] of pending.entries()) {
    if (!ctx.publicInputs.has(t)) throw new ZkcError("INTERNAL", `internal error: claims on "${t}" were left undischarged`);
  }
  return { kernelProofs, claims, stats: stats.reverse(), commitSeconds, peakLive };
}

/**
 * The independent walk (runtime/link/independent.ts): boundary tensors committed, every kernel on
 * its own transcript from the root, then every boundary tensor's claims opened at once. Kernels
 * run in manifest order here; nothing in a kernel's proof depends on another kernel's.
 */
async function proveIndependent(model: LinkedModel, registry: BackendRegistry<Backend>, ctx: ProverContext & { values: Map<string, Float64Array> }, opts: ProveOptions, t1: number): Promise<Walk> {
  const { transcript: bundle, values } = ctx;
  const shapeOf = (t: string) => model.program.tensors.get(t)!.shape;
  const boundary = boundaryTensors(model);
  const states = new Map<string, HyraxState>();
  for (const t of boundary) {
    const padded = paddedIntegers(ctx.valueOf(t), shapeOf(t));
    const { commitment, state } = await commitTable(padded.table, padded.numVars);
    states.set(t, state);
    bundle.absorbBytes(`${INDEPENDENT_LABELS.boundary}/${t}`, commitmentBytes(commitment));
  }
  const kernelTs = model.kernels.map((_, i) => kernelTranscript(model, i));
  const kctx = (i: number): ProverContext => ({ ...ctx, transcript: kernelTs[i]! });
  const committed: unknown[] = [];
  for (const [i, k] of model.kernels.entries()) {
    committed.push(await registry.get(k.entry.backend).commit?.(k.spec, k.artifacts, kctx(i)));
    bundle.absorbBytes(`${INDEPENDENT_LABELS.kernelCommitted}/${i}`, kernelTs[i]!.digest());
  }
  const root = bundle.digest();
  const commitSeconds = now() - t1;
  opts.onProgress?.({ phase: "commit", done: 1, total: 1, seconds: commitSeconds });

  const openings = new OpeningClaims(boundary, model.kernels.length);
  const kernelProofs: KernelProofEntry[] = new Array(model.kernels.length);
  const claimsOf: BoundaryClaim[][] = model.kernels.map(() => []);
  const freshOf: { kernel: string; tensor: string; value: bigint }[][] = model.kernels.map(() => []);
  const stats: ProveStats["kernels"] = new Array(model.kernels.length);
  const digests: Uint8Array[] = new Array(model.kernels.length);
  const total = model.kernels.length;
  const order = opts.kernelOrder ?? model.kernels.map((_, i) => i);
  if (order.length !== total || new Set(order).size !== total || order.some((i) => !(i >= 0 && i < total))) {
    throw new ZkcError("USAGE", "kernelOrder must list every kernel index once", { got: order.join(", ") });
  }
  const isOpened = (t: string) => openings.has(t);
  let done = 0;
  const record = (i: number, r: KernelTaskResult, seconds: number) => {
    const k = model.kernels[i]!;
    for (const f of r.fresh) {
      if (!f.opened) continue;
      freshOf[i]!.push({ kernel: k.entry.name, tensor: f.claim.tensor, value: f.claim.value });
      openings.add(i, f.claim);
    }
    for (const c of r.inputClaims) {
      claimsOf[i]!.push({ kernel: k.entry.name, tensor: c.tensor, point: c.point, value: c.value });
      if (openings.has(c.tensor)) openings.add(i, c);
    }
    kernelProofs[i] = { name: k.entry.name, backend: k.entry.backend, ...r.section };
    digests[i] = r.digest;
    stats[i] = { name: k.entry.name, backend: k.entry.backend, seconds };
    opts.onProgress?.({ phase: "kernel", kernel: k.entry.name, backend: k.entry.backend, done: ++done, total, seconds });
  };
  let queueStats: QueueStats | undefined;
  if (opts.queue) {
    // kernel tasks on the queue's workers; each result is verified here against the coordinator's
    // own fresh claims and boundary values before it is recorded
    const { proveOnQueue } = await loadQueueModule(() => import("./queue/coordinator.js"));
    const shared = await workerModel(model, registry, ctx.files);
    const taskDigest = (i: number) => kernelTs[i]!.digest();
    const valueAt = (t: string, point: bigint[]) => evaluateMle(integerTable(ctx.valueOf(t), shapeOf(t)), point);
    const check = async (i: number, r: KernelTaskResult) => {
      const v = await verifyIndependentKernel(model, i, r.section, ctx, root, taskDigest(i), valueAt, isOpened);
      if (!v.ok) return v;
      const wrong = v.inputClaims.find((c) => isOpened(c.tensor) && valueAt(c.tensor, c.point) !== c.value);
      if (wrong) return { ok: false as const, reason: `kernel ${model.kernels[i]!.entry.name}: its claim on "${wrong.tensor}" is false` };
      return { ok: true as const, result: { section: r.section, inputClaims: v.inputClaims, fresh: v.fresh, digest: v.digest } };
    };
    queueStats = await proveOnQueue(
      opts.queue,
      order,
      model.kernels.map((k) => k.entry.name),
      (i) => kernelTask(model, i, ctx, committed[i], root, taskDigest(i), shared),
      check,
      record,
    );
  } else if ((opts.workers ?? 1) > 1 || opts.isolateKernels) {
    // kernel tasks: plain data, on the worker pool, or (isolateKernels) through the worker's own code in process
    const shared = await workerModel(model, registry, ctx.files);
    const task = (i: number) => kernelTask(model, i, ctx, committed[i], root, kernelTs[i]!.digest(), shared);
    if ((opts.workers ?? 1) > 1) {
      const pool = createKernelPool(opts.workers!);
      try {
        await Promise.all(
          order.map(async (i) => {
            const started = now();
            record(i, await pool.run(task(i)), now() - started);
          }),
        );
      } finally {
        await pool.destroy();
      }
    } else {
      for (const i of order) {
        const started = now();
        record(i, await runKernelTask(task(i)), now() - started);
      }
    }
  } else {
    for (const i of order) {
      const started = now();
      record(i, await proveKernelTask(model, registry, i, kctx(i), committed[i], root, isOpened), now() - started);
    }
  }
  const claims = claimsOf.flat();
  const freshClaims = freshOf.flat();
  // the openings' challenges depend on every kernel's proof
  digests.forEach((d, i) => bundle.absorbBytes(`${INDEPENDENT_LABELS.kernelDone}/${i}`, d));
  const opened: BoundaryOpening[] = boundary.map((t) => {
    const state = states.get(t)!;
    const list = openings.of(t);
    if (list.length === 0) throw new ZkcError("INTERNAL", `internal error: no claim on boundary tensor "${t}"`);
    const { claim, proof: combine } = proveCombine(list, state.table, bundle);
    const { value, proof: opening } = openCommitment(state, claim.point, bundle);
    if (value !== claim.value) throw new ZkcError("INTERNAL", `internal error: the opening of "${t}" differs from its combined claim`);
    return { tensor: t, commitment: commitmentBytes(state.commitment), ...(combine ? { combine } : {}), opening };
  });
  return { kernelProofs, claims, stats, commitSeconds, peakLive: values.size, boundary: opened, freshClaims, ...(queueStats ? { queue: queueStats } : {}) };
}
