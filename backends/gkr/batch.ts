/**
 * Batch proving: the same kernel over B inputs in one proof. The batch index becomes a new leading
 * axis of every per-input tensor, so its log B variables are the high (first) variables of their
 * MLEs, and every sumcheck over such a tensor gains log B rounds: proof size grows with log B,
 * prover time linearly with B.
 *
 * `batchKernel` rewrites a kernel into an ordinary kernel over batched tensors, which
 * `proveKernel` / `verifyKernel` then prove as usual:
 * - every tensor a primitive writes, and every public input (`publicValues`), gets shape [B, ..];
 *   params (tensors with `values`) stay shared and unbatched;
 * - element-wise primitives keep their form; a param operand of an element-wise primitive (or of a
 *   matmul or reduction where it must vary with the batch) is first broadcast to [B, ..] by a gather
 *   (a public index map, proven like any gather);
 * - matmul: batch' = B*batch; a shared right operand (bBatch 1, a param) stays shared;
 *   reduceSum / argmax: outer' = B*outer; gather: the index map is repeated per batch element
 *   (offsets into batched sources; param sources are read unshifted), and its structure is recorded
 *   (`registerBatchedGather`) so the verifier evaluates the map's weights in O(map + B).
 * Claims on batched tensors are ordinary claims on the [B, ..] tensors.
 */
import { ZkcError } from "../../compiler/errors.js";
import type { Prim } from "../../compiler/quant/prim.js";
import type { Transcript } from "../math/transcript.js";
import { proveKernel, verifyKernel, type Kernel, type KernelProof, type KernelTensor, type KernelVerdict, type ProveKernelOptions } from "./kernel.js";
import { registerBatchedGather } from "./gather.js";
import { sizeOfShape } from "../math/layout.js";
import type { Claim } from "./messages.js";

/** Name of the broadcast copy of a shared param in a batched kernel. */
export function broadcastName(param: string): string {
  return `${param}@batch`;
}

/**
 * The kernel over B inputs at once (see the module header).
 * @param publicValuesList per input, the public inputs' values (batched into [B, ..])
 * @throws ZkcError INPUT for B < 1 or a publicValuesList of the wrong length
 */
export function batchKernel(kernel: Kernel, B: number, publicValuesList?: readonly ReadonlyMap<string, Float64Array>[]): Kernel {
  if (!Number.isSafeInteger(B) || B < 1) throw new ZkcError("INPUT", `batchKernel: the batch size must be a positive integer`, { got: String(B) });
  if (publicValuesList && publicValuesList.length !== B) {
    throw new ZkcError("INPUT", `batchKernel: expected public values for each of the ${B} inputs`, { got: `${publicValuesList.length} maps` });
  }
  const shared = (t: string): boolean => kernel.tensors.get(t)?.values !== undefined;
  const tensors = new Map<string, KernelTensor>();
  for (const [name, info] of kernel.tensors) tensors.set(name, shared(name) ? info : { shape: [B, ...info.shape] });
  const prims: Prim[] = [];
  const broadcasts = new Set<string>();
  /** a name for `t` that varies with the batch: `t` itself, or its broadcast copy for a shared param */
  const batched = (t: string): string => {
    if (!shared(t)) return t;
    const name = broadcastName(t);
    if (!broadcasts.has(name)) {
      broadcasts.add(name);
      const shape = kernel.tensors.get(t)!.shape;
      const n = sizeOfShape(shape);
      tensors.set(name, { shape: [B, ...shape] });
      const g = { op: "gather" as const, sources: [t], out: name, idx: Int32Array.from({ length: B * n }, (_, i) => i % n) };
      registerBatchedGather(g, { B, base: { outShape: shape, sourceShapes: [shape], idx: identityIdx(n) }, batchedSource: [false] });
      prims.push(g);
    }
    return name;
  };
  const sizeOf = (t: string): number => sizeOfShape(kernel.tensors.get(t)?.shape ?? []);

  for (const p of kernel.prims) {
    switch (p.op) {
      case "add":
      case "sub":
      case "mul":
      case "max":
        prims.push({ ...p, a: batched(p.a), b: batched(p.b) });
        break;
      case "divide":
        prims.push({ ...p, num: batched(p.num), den: batched(p.den) });
        break;
      case "scale":
      case "rescale":
      case "lookup":
      case "clamp":
        prims.push({ ...p, in: batched(p.in) });
        break;
      case "reduceSum":
      case "argmax":
        prims.push({ ...p, in: batched(p.in), outer: B * p.outer });
        break;
      case "matmul": {
        const a = batched(p.a);
        if (p.bBatch === 1 && shared(p.b)) {
          prims.push({ ...p, a, batch: B * p.batch });
        } else if (p.bBatch === p.batch) {
          // b varies per batch element (its own batch, or the broadcast of a shared param)
          prims.push({ ...p, a, b: batched(p.b), batch: B * p.batch, bBatch: B * p.bBatch });
        } else if (p.bBatch !== 1) {
          throw unsupportedBatch(kernel, p, `bBatch ${p.bBatch} is neither 1 nor batch ${p.batch}`);
        } else {
          // a private right operand shared by the batch of one input: replicate it per batch element
          const rep = `${p.b}@rep${p.batch}`;
          const n = sizeOf(p.b);
          tensors.set(rep, { shape: [B, p.batch, p.k, p.n] });
          const g = { op: "gather" as const, sources: [p.b], out: rep, idx: Int32Array.from({ length: B * p.batch * n }, (_, i) => Math.floor(i / (p.batch * n)) * n + (i % n)) };
          const bShape = kernel.tensors.get(p.b)!.shape;
          registerBatchedGather(g, { B, base: { outShape: [p.batch, p.k, p.n], sourceShapes: [bShape], idx: Int32Array.from({ length: p.batch * n }, (_, i) => i % n) }, batchedSource: [true] });
          prims.push(g);
          prims.push({ ...p, a, b: rep, batch: B * p.batch, bBatch: B * p.batch });
        }
        break;
      }
      case "gather": {
        const outSize = p.idx.length;
        const idx = new Int32Array(B * outSize);
        const src = p.src ? new Int32Array(B * outSize) : undefined;
        for (let t = 0; t < B; t++) {
          for (let o = 0; o < outSize; o++) {
            const j = p.idx[o]!;
            const s = p.src ? p.src[o]! : 0;
            const source = p.sources[s]!;
            idx[t * outSize + o] = j < 0 ? -1 : shared(source) ? j : t * sizeOf(source) + j;
            if (src) src[t * outSize + o] = s;
          }
        }
        const g = { ...p, idx, ...(src ? { src } : {}) };
        const shapeOf = (t: string) => kernel.tensors.get(t)?.shape ?? [];
        registerBatchedGather(g, {
          B,
          base: { outShape: shapeOf(p.out), sourceShapes: p.sources.map(shapeOf), idx: p.idx, ...(p.src ? { src: p.src } : {}) },
          batchedSource: p.sources.map((t) => !shared(t)),
        });
        prims.push(g);
        break;
      }
    }
  }
  let publicValues: Map<string, Float64Array> | undefined;
  if (kernel.publicValues && kernel.publicValues.size > 0) {
    publicValues = new Map();
    for (const name of kernel.publicValues.keys()) {
      if (!publicValuesList) throw new ZkcError("INPUT", `batchKernel: kernel "${kernel.name}" has public input "${name}": pass its values for every input (publicValuesList)`);
      publicValues.set(name, concat(publicValuesList.map((m, i) => m.get(name) ?? missing(name, i)), sizeOf(name)));
    }
  }
  return { name: `${kernel.name}@batch${B}`, prims, tensors, ...(publicValues ? { publicValues } : {}) };
}

const identityCache = new Map<number, Int32Array>();
function identityIdx(n: number): Int32Array {
  let idx = identityCache.get(n);
  if (!idx) {
    idx = Int32Array.from({ length: n }, (_, i) => i);
    identityCache.set(n, idx);
  }
  return idx;
}

function unsupportedBatch(kernel: Kernel, p: Prim, what: string): ZkcError {
  return new ZkcError("UNSUPPORTED_FEATURE", `kernel "${kernel.name}": cannot batch primitive ${p.op} -> "${p.out}": ${what}`, { op: p.op, hint: "prove the inputs one by one" });
}

function missing(name: string, i: number): never {
  throw new ZkcError("INPUT", `batch input ${i} has no value for "${name}"`);
}

function concat(parts: readonly Float64Array[], each: number): Float64Array {
  const out = new Float64Array(parts.length * each);
  parts.forEach((p, i) => {
    if (p.length !== each) throw new ZkcError("INPUT", `batch input ${i}: a tensor has ${p.length} values`, { expected: String(each), got: String(p.length) });
    out.set(p, i * each);
  });
  return out;
}

/**
 * The batched kernel's witness from per-input witnesses (as `runProgram` returns them): per-input
 * tensors concatenated, params shared, broadcast and replicated copies built.
 */
export function batchValues(batchedKernel: Kernel, original: Kernel, valuesList: readonly ReadonlyMap<string, Float64Array>[]): Map<string, Float64Array> {
  if (valuesList.length === 0) throw new ZkcError("INPUT", "batchValues: expected at least one input");
  const out = new Map<string, Float64Array>();
  for (const [name, info] of original.tensors) {
    if (info.values) {
      out.set(name, info.values);
      continue;
    }
    const each = sizeOfShape(info.shape);
    if (valuesList.every((m) => m.has(name))) out.set(name, concat(valuesList.map((m) => m.get(name)!), each));
  }
  // derived tensors (broadcasts, replications) follow from their gathers
  for (const p of batchedKernel.prims) {
    if (p.op !== "gather" || out.has(p.out)) continue;
    if (!batchedKernel.tensors.has(p.out) || original.tensors.has(p.out)) continue;
    const srcs = p.sources.map((s) => out.get(s) ?? missing(s, 0));
    out.set(p.out, Float64Array.from(p.idx, (j, o) => (j < 0 ? 0 : srcs[p.src ? p.src[o]! : 0]![j]!)));
  }
  return out;
}

/** Prove one kernel over several inputs at once (see the module header). */
export function proveKernelBatch(
  kernel: Kernel,
  valuesList: readonly ReadonlyMap<string, Float64Array>[],
  outputClaims: readonly Claim[],
  transcript: Transcript,
  options: ProveKernelOptions & { publicValuesList?: readonly ReadonlyMap<string, Float64Array>[] } = {},
): { kernel: Kernel; proof: KernelProof; inputClaims: Claim[] } {
  const bk = batchKernel(kernel, valuesList.length, options.publicValuesList);
  const { proof, inputClaims } = proveKernel(bk, batchValues(bk, kernel, valuesList), outputClaims, transcript, options);
  return { kernel: bk, proof, inputClaims };
}

/** Verify a batch proof for `B` inputs; never throws on proof data. */
export function verifyKernelBatch(
  kernel: Kernel,
  B: number,
  proof: unknown,
  outputClaims: readonly Claim[],
  transcript: Transcript,
  publicValuesList?: readonly ReadonlyMap<string, Float64Array>[],
): KernelVerdict {
  let bk: Kernel;
  try {
    bk = batchKernel(kernel, B, publicValuesList);
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  return verifyKernel(bk, proof, outputClaims, transcript);
}
