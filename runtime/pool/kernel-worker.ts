/**
 * A worker thread of the kernel pool (pool.ts): proves one kernel of an independent plan from a
 * `KernelTask`, as runtime/prove.ts would in process, after resuming the backend's committed state
 * on a fresh kernel transcript (`Backend.resumeCommit`).
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

export default async function run(task: KernelTask): Promise<KernelTaskResult> {
  const manifest = parseManifest(task.model.manifest);
  const key = toHex(manifestDigest(manifest));
  let loading = models.get(key);
  if (!loading) {
    const files = task.model.files;
    loading = loadLinkedModel(manifest, async (n) => files[n] ?? Promise.reject(new Error(`the task carries no file ${n}`)), defaultBackends);
    models.set(key, loading);
  }
  const model = await loading;
  const k = model.kernels[task.index]!;
  const values = new Map(task.values);
  const commitments = new Map(task.commitments);
  const ctx: ProverContext = {
    transcript: kernelTranscript(model, task.index),
    program: model.program,
    publicInputs: new Map(task.publicInputs),
    publicOutputs: new Map(task.publicOutputs),
    commitmentOf: (t) => commitments.get(t),
    files: async (n) => task.model.files[n] ?? Promise.reject(new Error(`the task carries no file ${n}`)),
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
