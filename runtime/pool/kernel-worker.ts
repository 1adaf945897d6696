/**
 * A worker thread of the kernel pool (pool.ts): proves one kernel of an independent plan from a
 * `KernelTask`, as runtime/prove.ts would in process, after resuming the backend's committed state
 * on a fresh kernel transcript (`Backend.resumeCommit`). The queue worker (runtime/queue/worker.ts)
 * runs `proveTask` on a model it loads from the queue's store.
 */
import { ZkcError } from "../../compiler/errors.js";
import type { ProverContext } from "../../backends/contract.js";
import { defaultBackends } from "../../backends/registry.js";
import { decodeValue, toHex } from "../link/codec.js";
import { boundaryTensors, kernelTranscript } from "../link/independent.js";
import { loadLinkedModel, type LinkedModel } from "../link/model.js";
import { manifestDigest, parseManifest } from "../manifest.js";
import { proveKernelTask, type KernelTaskResult } from "../kernel-task.js";
import type { KernelTask } from "./pool.js";

const models = new Map<string, Promise<LinkedModel>>();

/**
 * The loaded model of manifest digest `key` (hex), loaded once per thread or process by `load`
 * (whatever carries the files: a task's bytes, a queue's store).
 */
export function cachedModel(key: string, load: () => Promise<LinkedModel>): Promise<LinkedModel> {
  let loading = models.get(key);
  if (!loading) {
    loading = load();
    models.set(key, loading);
    // a failed load (a missing or altered file) is not kept: the next task tries again
    loading.catch(() => models.delete(key));
  }
  return loading;
}

/** Whether the model of manifest digest `key` is loaded (or loading) here. */
export function hasModel(key: string): boolean {
  return models.has(key);
}

/** A kernel task without its files: the loaded model stands for them. */
export type KernelTaskData = Omit<KernelTask, "model">;

/**
 * Prove one kernel task on `model`: resume the backend's committed state on a fresh kernel
 * transcript, check it stands where the coordinator's did, prove.
 * @param files reads a prover file (a Groth16 proving key) by its relative name
 */
export async function proveTask(model: LinkedModel, task: KernelTaskData, files: (name: string) => Promise<Uint8Array>): Promise<KernelTaskResult> {
  const k = model.kernels[task.index]!;
  const values = new Map(task.values);
  const commitments = new Map(task.commitments);
  const ctx: ProverContext = {
    transcript: kernelTranscript(model, task.index),
    program: model.program,
    publicInputs: new Map(task.publicInputs),
    publicOutputs: new Map(task.publicOutputs),
    commitmentOf: (t) => commitments.get(t),
    files,
    values,
    valueOf: (t) => values.get(t) ?? model.program.tensors.get(t)?.values ?? (() => { throw new ZkcError("INTERNAL", `internal error: kernel ${k.entry.name} needs "${t}", which its task does not carry`); })(),
  };
  const committed = task.committed === null ? undefined : decodeValue(JSON.parse(task.committed));
  const backend = defaultBackends.get(k.entry.backend);
  if (committed !== undefined) await backend.resumeCommit?.(k.spec, k.artifacts, committed, ctx);
  if (toHex(ctx.transcript.digest()) !== toHex(task.digest)) throw new ZkcError("INTERNAL", `internal error: kernel ${k.entry.name}: the worker's resumed transcript differs from the committed one`);
  const opened = new Set(boundaryTensors(model));
  return proveKernelTask(model, defaultBackends, task.index, ctx, committed, task.root, (t) => opened.has(t));
}

export default async function run(task: KernelTask): Promise<KernelTaskResult> {
  const manifest = parseManifest(task.model.manifest);
  const files = async (n: string) => task.model.files[n] ?? Promise.reject(new Error(`the task carries no file ${n}`));
  const model = await cachedModel(toHex(manifestDigest(manifest)), () => loadLinkedModel(manifest, files, defaultBackends));
  return proveTask(model, task, files);
}
