/**
 * Einsum with a constant equation, onto gathers, `reduceSum` and `matmul`. Operands are
 * contracted left to right: before each step, labels that only one side has and nothing later
 * needs are summed out; the two sides are then laid out as [batch, free, contracted] and
 * [batch, contracted, free] (a gather that also takes diagonals of repeated labels and repeats
 * broadcast ellipsis dims) and multiplied. Any operand may be a runtime tensor.
 */
import { sizeOf } from "../../ir/tensor.js";
import { einsumPlan } from "../../ops/einsum.js";
import type { ProgramBuilder } from "../builder.js";
import type { QTensor } from "../prim.js";
import { type Lower, notQuantisable } from "./common.js";

/** A tensor whose axes carry distinct labels. */
interface Labelled {
  t: QTensor;
  labels: number[];
}

/**
 * `x` (row-major over axes labelled `labels`, possibly repeated, of sizes `dims`; a size-1 axis
 * of a larger label is broadcast) laid out with the axes `order` (distinct labels): one gather,
 * or none when nothing moves.
 */
function arrange(q: ProgramBuilder, x: QTensor, labels: readonly number[], dims: readonly number[], order: readonly number[], sizes: readonly number[]): QTensor {
  const shape = order.map((id) => sizes[id]!);
  const identity = labels.length === order.length && x.shape.length === shape.length && labels.every((id, i) => id === order[i] && x.shape[i] === shape[i]);
  if (identity) return x;
  const strides = dims.map((_, a) => sizeOf(dims.slice(a + 1)));
  // per output axis, how far the source offset moves (summed over repeated labels; 0 when broadcast)
  const step = order.map((id) => labels.reduce((s, l, a) => (l === id && dims[a] === sizes[id] ? s + strides[a]! : s), 0));
  const n = sizeOf(shape);
  const idx = new Int32Array(n);
  const coord = new Array<number>(order.length).fill(0);
  let off = 0;
  for (let o = 0; o < n; o++) {
    idx[o] = off;
    for (let d = order.length - 1; d >= 0; d--) {
      coord[d]!++;
      off += step[d]!;
      if (coord[d]! < shape[d]!) break;
      off -= step[d]! * shape[d]!;
      coord[d] = 0;
    }
  }
  return q.gather([x], shape, idx);
}

/** Sums out the labels of `x` not in `keep`; the result has distinct labels. */
function sumOut(q: ProgramBuilder, x: QTensor, labels: readonly number[], dims: readonly number[], keep: (id: number) => boolean, sizes: readonly number[]): Labelled {
  const distinct = [...new Set(labels)];
  const kept = distinct.filter(keep);
  const summed = distinct.filter((id) => !keep(id));
  const t = arrange(q, x, labels, dims, [...kept, ...summed], sizes);
  if (!summed.length) return { t, labels: kept };
  const rows = sizeOf(kept.map((id) => sizes[id]!));
  const len = sizeOf(summed.map((id) => sizes[id]!));
  return { t: q.reduceSum(t, rows, len, 1, [rows]), labels: kept };
}

export const lowerEinsum: Lower = (inputs, ctx) => {
  const { q } = ctx;
  const present = inputs.map((x, i) => {
    if (!x) throw notQuantisable(ctx, `Einsum input ${i} is missing`);
    return x;
  });
  const plan = einsumPlan(ctx, ctx.attrs.string("equation"), present.map((x) => x.shape));
  const { inputLabels, outputLabels, sizes } = plan;
  const act = q.config.activationScale;
  const laterNeed = (from: number) => new Set([...outputLabels, ...inputLabels.slice(from).flat()]);

  const dimsOf = (ids: readonly number[]) => ids.map((id) => sizes[id]!);
  let acc = sumOut(q, present[0]!.value(), inputLabels[0]!, present[0]!.shape, (id) => laterNeed(1).has(id), sizes);
  for (let k = 1; k < present.length; k++) {
    const keep = laterNeed(k + 1);
    const otherLabels = new Set(inputLabels[k]!);
    const a = sumOut(q, acc.t, acc.labels, dimsOf(acc.labels), (id) => keep.has(id) || otherLabels.has(id), sizes);
    const b = sumOut(q, present[k]!.value(), inputLabels[k]!, present[k]!.shape, (id) => keep.has(id) || a.labels.includes(id), sizes);
    const batch = a.labels.filter((id) => b.labels.includes(id) && keep.has(id));
    const contracted = a.labels.filter((id) => b.labels.includes(id) && !keep.has(id));
    const freeA = a.labels.filter((id) => !b.labels.includes(id));
    const freeB = b.labels.filter((id) => !a.labels.includes(id));
    const size = (ids: number[]) => sizeOf(ids.map((id) => sizes[id]!));
    const dims = { batch: size(batch), bBatch: size(batch), m: size(freeA), k: size(contracted), n: size(freeB) };
    const x = arrange(q, a.t, a.labels, dimsOf(a.labels), [...batch, ...freeA, ...contracted], sizes);
    const y = arrange(q, b.t, b.labels, dimsOf(b.labels), [...batch, ...contracted, ...freeB], sizes);
    let p = q.matmul(x, y, dims, [dims.batch, dims.m, dims.n]);
    // products come back to the activation scale (integer operands stay at scale 0)
    if (p.scale > act) p = q.toScale(p, act);
    acc = { t: p, labels: [...batch, ...freeA, ...freeB] };
  }
  return [arrange(q, acc.t, acc.labels, dimsOf(acc.labels), outputLabels, sizes)];
};
