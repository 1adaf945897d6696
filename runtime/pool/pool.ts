/**
 * The worker pool of independent kernel proofs (`prove({ workers: N })`, `zkc prove --workers N`):
 * piscina worker threads, each proving whole kernels from plain data (a `KernelTask`: the model's
 * files, the kernel's own tensors, its backend's committed message, the root). Node only.
 *
 * Tasks carry the model's program, weights and proving keys as bytes (workers cache the loaded
 * model by manifest digest); a store shared between threads would save those copies. Workers use
 * the built-in backends (a plug-in backend's kernels are proven in process).
 */
import { Piscina } from "piscina";
import type { Backend, BackendRegistry, ProverContext } from "../../backends/contract.js";
import { encodeValue } from "../link/codec.js";
import type { LinkedModel } from "../link/model.js";
import { manifestJson } from "../manifest.js";
import type { KernelTaskResult } from "../kernel-task.js";

/** The model as a worker loads it: the manifest and the side files the prover reads. */
export interface WorkerModel {
  manifest: unknown;
  files: Record<string, Uint8Array>;
}

/** One kernel's task: plain data only. */
export interface KernelTask {
  model: WorkerModel;
  index: number;
  /** the kernel's own tensors (its inputs, outputs and intermediates) */
  values: [string, Float64Array][];
  publicInputs: [string, Float64Array][];
  publicOutputs: [string, Float64Array][];
  /** the statement's commitments (Poseidon) of committed boundaries and hashed I/O */
  commitments: [string, bigint][];
  /** the backend's committed message as JSON (runtime/link/codec.ts encoding), or null */
  committed: string | null;
  root: Uint8Array;
  /** the kernel transcript's state after `commit`, which the worker's resumed one must equal */
  digest: Uint8Array;
}

/** The files a worker needs: program, weights, every kernel's prover files. */
export async function workerModel(model: LinkedModel, registry: BackendRegistry<Backend>, files: (name: string) => Promise<Uint8Array>): Promise<WorkerModel> {
  const names = new Set([model.manifest.program.file, model.manifest.weights.file]);
  for (const k of model.kernels) for (const f of registry.get(k.entry.backend).proverFiles(k.artifacts)) names.add(f);
  const out: Record<string, Uint8Array> = {};
  for (const n of names) out[n] = await files(n);
  return { manifest: manifestJson(model.manifest), files: out };
}

/** The task of kernel `index`. */
export function kernelTask(model: LinkedModel, index: number, ctx: ProverContext, committed: unknown, root: Uint8Array, digest: Uint8Array, shared: WorkerModel): KernelTask {
  const k = model.kernels[index]!;
  const values: [string, Float64Array][] = [];
  for (const t of k.spec.tensors.keys()) {
    const v = ctx.values.get(t);
    if (v) values.push([t, v]);
  }
  const commitments: [string, bigint][] = [];
  for (const t of k.spec.tensors.keys()) {
    const c = ctx.commitmentOf(t);
    if (c !== undefined) commitments.push([t, c]);
  }
  return {
    model: shared,
    index,
    values,
    publicInputs: [...ctx.publicInputs],
    publicOutputs: [...ctx.publicOutputs],
    commitments,
    committed: committed === undefined ? null : JSON.stringify(encodeValue(committed)),
    root,
    digest,
  };
}

/** A pool of `threads` workers proving kernel tasks. */
export function createKernelPool(threads: number): { run(task: KernelTask): Promise<KernelTaskResult>; destroy(): Promise<void> } {
  // from sources (tsx, tests) the worker registers tsx first; from dist/ it is compiled JS
  const here = import.meta.url;
  const filename = here.endsWith(".ts") ? new URL("./kernel-worker-dev.mjs", here).href : new URL("./kernel-worker-entry.js", here).href;
  const pool = new Piscina({ filename, minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  return {
    run: (task) => pool.run(task) as Promise<KernelTaskResult>,
    destroy: () => pool.destroy(),
  };
}
