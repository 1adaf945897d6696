/**
 * GatherND: indices [..., k] pick slices data[b.., i0, ..., i(k-1), :] (batch_dims b from opset 12);
 * output shape indices.shape[:-1] + data.shape[b+k:]. Negative indices count from the end.
 * Runs as an index map.
 */
import { ZkcError } from "../errors.js";
import { isFloat, shapeToString, sizeOf, stridesOf } from "../ir/tensor.js";
import type { Tensor } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, required, shapeError } from "./op.js";
import { type IndexMap, applyIndexMap } from "./util/index-map.js";

function plan(ctx: OpContext, data: InputInfo | Tensor, indices: InputInfo | Tensor): { b: number; k: number; shape: number[] } {
  if (isFloat(indices.dtype) || indices.dtype === "bool") throw shapeError(ctx, "indices must be integers", "int64", indices.dtype);
  const b = ctx.attrs.int("batch_dims", 0);
  const q = indices.shape.length;
  const r = data.shape.length;
  const k = indices.shape[q - 1];
  if (q < 1 || k === undefined || b < 0 || b >= Math.min(q, r) || b + k > r) {
    throw shapeError(ctx, "indices do not fit data", `indices [..., k] with batch_dims + k <= rank ${r}`, shapeToString(indices.shape));
  }
  for (let a = 0; a < b; a++) if (indices.shape[a] !== data.shape[a]) throw shapeError(ctx, `batch dim ${a} differs between data and indices`, String(data.shape[a]), String(indices.shape[a]));
  return { b, k, shape: [...indices.shape.slice(0, q - 1), ...data.shape.slice(b + k)] };
}

function gatherNdMap(ctx: OpContext, dataShape: readonly number[], indices: Tensor, b: number, k: number, shape: number[]): IndexMap {
  const strides = stridesOf(dataShape);
  const slice = sizeOf(dataShape.slice(b + k));
  const batchSize = sizeOf(dataShape.slice(b)); // data elements per batch entry
  const tuples = indices.data.length / k;
  const perBatch = tuples / Math.max(1, sizeOf(indices.shape.slice(0, b)));
  const src = new Int32Array(sizeOf(shape));
  for (let t = 0; t < tuples; t++) {
    let off = Math.floor(t / perBatch) * batchSize;
    for (let j = 0; j < k; j++) {
      const dim = dataShape[b + j]!;
      const v = indices.data[t * k + j]!;
      const i = v < 0 ? v + dim : v;
      if (i < 0 || i >= dim) {
        throw new ZkcError("INPUT", `index ${v} is out of range for an axis of size ${dim}`, {
          file: ctx.source,
          node: ctx.node.name,
          op: ctx.node.opType,
          hint: "the indices fed to this node are out of bounds",
        });
      }
      off += i * strides[b + j]!;
    }
    for (let e = 0; e < slice; e++) src[t * slice + e] = off + e;
  }
  return { shape, src };
}

function gatherNd(since: number): OpDef {
  return {
    opType: "GatherND",
    sinceVersion: since,
    infer(inputs, ctx) {
      const data = required(ctx, inputs, 0);
      const indices = required(ctx, inputs, 1);
      const p = plan(ctx, data, indices);
      if (indices.constant) gatherNdMap(ctx, data.shape, indices.constant, p.b, p.k, p.shape);
      return [{ dtype: data.dtype, shape: p.shape }];
    },
    run(inputs, ctx) {
      const data = required(ctx, inputs, 0);
      const indices = required(ctx, inputs, 1);
      const p = plan(ctx, data, indices);
      return [applyIndexMap(data.dtype, gatherNdMap(ctx, data.shape, indices, p.b, p.k, p.shape), data.data)];
    },
  };
}

export const GatherND_11: OpDef = gatherNd(11);
/** GatherND-12: `batch_dims`. */
export const GatherND_12: OpDef = gatherNd(12);
