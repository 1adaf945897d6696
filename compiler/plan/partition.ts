/**
 * Partitioner: groups the primitives of a `QProgram` into kernels, contiguous runs in execution
 * order.
 *
 * Rules:
 * - a kernel holds at most one contraction (`matmul`, which is also what convolutions lower to)
 *   together with everything after it up to the next contraction: its bias, rescale and
 *   activation, element-wise chains fused into their producer;
 * - data movement (`gather`) right before a contraction (im2col, flatten, transposes) moves with
 *   that contraction: it is the contraction's input preparation;
 * - irregular primitives (`argmax`) get a kernel of their own, so that a cheap backend for regular
 *   work is not forced to carry them and the backend that can prove them gets a small circuit.
 *
 * Every kernel records the tensors it reads from outside (model inputs or earlier kernels'
 * outputs), the params (public weights) it reads, and the tensors it produces that are needed
 * later (by a later kernel or as program outputs).
 */
import { ZkcError } from "../errors.js";
import { primInputs, type Prim, type PrimOp, type QProgram } from "../quant/prim.js";

/** Primitives that always get a kernel of their own. */
export const IRREGULAR: ReadonlySet<PrimOp> = new Set<PrimOp>(["argmax"]);

/** One kernel of a partition. */
export interface KernelPart {
  /** stable name, "k<index>" */
  name: string;
  /** primitive range [from, to) of the program */
  from: number;
  to: number;
  /** tensors read from outside the kernel that are not params, in first-use order */
  inputs: string[];
  /** params (public weights) the kernel reads, in first-use order */
  params: string[];
  /** tensors produced here and needed after the kernel (later kernels or program outputs), in production order */
  outputs: string[];
}

/**
 * Cut a program into kernels (see the module header for the rules).
 * @throws ZkcError INPUT for an empty program
 */
export function partition(program: QProgram): KernelPart[] {
  const prims = program.prims;
  if (prims.length === 0) {
    throw new ZkcError("INPUT", "the integer program has no primitives: nothing to prove", { hint: "the model computes its outputs from constants only" });
  }
  const starts: number[] = [0];
  let hasContraction = prims[0]!.op === "matmul";
  for (let i = 1; i < prims.length; i++) {
    const p = prims[i]!;
    const prev = prims[i - 1]!;
    const lastStart = starts[starts.length - 1]!;
    if (IRREGULAR.has(p.op) || IRREGULAR.has(prev.op)) {
      starts.push(i);
      hasContraction = p.op === "matmul";
      continue;
    }
    if (p.op === "matmul") {
      if (hasContraction) {
        // move the gathers that prepare this contraction's operands along with it
        let cut = i;
        while (cut - 1 > lastStart && prims[cut - 1]!.op === "gather" && feedsOnly(prims, cut - 1, i)) cut--;
        starts.push(cut);
      }
      hasContraction = true;
    }
  }
  return describeParts(program, starts);
}

/** True when the output of prims[j] is read only by primitives in (j, end] (so it can move with them). */
function feedsOnly(prims: readonly Prim[], j: number, end: number): boolean {
  const t = prims[j]!.out;
  for (let k = end + 1; k < prims.length; k++) if (primInputs(prims[k]!).includes(t)) return false;
  return true;
}

/** Kernel descriptions for the given cut points (sorted, starting with 0). */
export function describeParts(program: QProgram, starts: readonly number[]): KernelPart[] {
  const prims = program.prims;
  const ends = [...starts.slice(1), prims.length];
  const kernelOf = new Map<string, number>();
  starts.forEach((s, k) => {
    for (let i = s; i < ends[k]!; i++) kernelOf.set(prims[i]!.out, k);
  });
  const programOutputs = new Set(program.outputs);
  // the last kernel that reads each tensor
  const lastReader = new Map<string, number>();
  starts.forEach((s, k) => {
    for (let i = s; i < ends[k]!; i++) for (const t of primInputs(prims[i]!)) lastReader.set(t, k);
  });
  return starts.map((from, k) => {
    const to = ends[k]!;
    if (!(to > from)) throw new ZkcError("INTERNAL", `internal error: empty kernel ${k} in the partition`);
    const inputs: string[] = [];
    const params: string[] = [];
    const outputs: string[] = [];
    const produced = new Set<string>();
    for (let i = from; i < to; i++) {
      const p = prims[i]!;
      for (const t of primInputs(p)) {
        if (produced.has(t) || inputs.includes(t) || params.includes(t)) continue;
        const info = program.tensors.get(t);
        if (!info) throw new ZkcError("INTERNAL", `internal error: primitive ${i} reads unknown tensor "${t}"`);
        if (info.kind === "param") params.push(t);
        else inputs.push(t);
      }
      produced.add(p.out);
    }
    for (let i = from; i < to; i++) {
      const t = prims[i]!.out;
      if (outputs.includes(t)) continue;
      if (programOutputs.has(t) || (lastReader.get(t) ?? -1) > k) outputs.push(t);
    }
    for (const t of inputs) {
      const at = kernelOf.get(t);
      if (at !== undefined && at >= k) throw new ZkcError("INTERNAL", `internal error: kernel ${k} reads "${t}" before it is produced`);
    }
    return { name: `k${k}`, from, to, inputs, params, outputs };
  });
}

/** Short text of a kernel's primitive ops, e.g. "matmul, gather, add, rescale, max". */
export function opsSummary(program: QProgram, part: Pick<KernelPart, "from" | "to">): string {
  const ops = program.prims.slice(part.from, part.to).map((p) => p.op);
  const out: string[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (last && (last === op || last.startsWith(`${op}×`))) {
      const n = last === op ? 2 : Number(last.slice(op.length + 1)) + 1;
      out[out.length - 1] = `${op}×${n}`;
    } else out.push(op);
  }
  return out.join(", ");
}

/**
 * The ONNX nodes of a kernel by op type with counts, in order of first appearance, e.g.
 * "Conv×2, Relu×2"; undefined when the program does not record origins.
 */
export function nodesSummary(program: QProgram, part: Pick<KernelPart, "from" | "to">): string | undefined {
  if (!program.origins) return undefined;
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  for (const o of program.origins.slice(part.from, part.to)) {
    const key = `${o.op}\u0000${o.node}`;
    if (seen.has(key)) continue;
    seen.add(key);
    counts.set(o.op, (counts.get(o.op) ?? 0) + 1);
  }
  return [...counts].map(([op, n]) => (n > 1 ? `${op}×${n}` : op)).join(", ");
}

/** A kernel's ops cell: its ONNX nodes with the primitives beside them, e.g. "Conv×2, Relu×2 (matmul×2, …)". */
export function kernelOps(program: QProgram, part: Pick<KernelPart, "from" | "to">): string {
  const prims = opsSummary(program, part);
  const nodes = nodesSummary(program, part);
  return nodes ? `${nodes} (${prims})` : prims;
}
