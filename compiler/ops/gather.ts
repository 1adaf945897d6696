/**
 * Gather: picks slices of `data` along `axis` by `indices` (any shape; negative indices count
 * from the end). Output shape: data[:axis] + indices.shape + data[axis+1:]. Runs as an index map.
 */
import { ZkcError } from "../errors.js";
import { isFloat } from "../ir/tensor.js";
import type { Tensor } from "../ir/tensor.js";
import { type OpContext, type OpDef, normaliseAxis, required, shapeError } from "./op.js";
import { applyIndexMap, gatherMap } from "./util/index-map.js";

function checkIndices(ctx: OpContext, indices: Tensor, dim: number): Int32Array {
  const out = new Int32Array(indices.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = indices.data[i]!;
    const n = v < 0 ? v + dim : v;
    if (n < 0 || n >= dim) {
      throw new ZkcError("INPUT", `index ${v} is out of range for an axis of size ${dim}`, {
        file: ctx.source,
        node: ctx.node.name,
        op: ctx.node.opType,
        expected: `${-dim} <= index < ${dim}`,
        got: String(v),
        hint: "the indices fed to this Gather are out of bounds",
      });
    }
    out[i] = n;
  }
  return out;
}

export const Gather_1: OpDef = {
  opType: "Gather",
  sinceVersion: 1,
  infer(inputs, ctx) {
    const data = required(ctx, inputs, 0);
    const indices = required(ctx, inputs, 1);
    if (isFloat(indices.dtype) || indices.dtype === "bool") throw shapeError(ctx, "indices must be integers", "int32 or int64", indices.dtype);
    const axis = normaliseAxis(ctx, ctx.attrs.int("axis", 0), data.shape.length);
    if (indices.constant) checkIndices(ctx, indices.constant, data.shape[axis]!);
    return [{ dtype: data.dtype, shape: [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)] }];
  },
  run(inputs, ctx) {
    const data = required(ctx, inputs, 0);
    const indices = required(ctx, inputs, 1);
    const axis = normaliseAxis(ctx, ctx.attrs.int("axis", 0), data.shape.length);
    const idx = checkIndices(ctx, indices, data.shape[axis]!);
    return [applyIndexMap(data.dtype, gatherMap(data.shape, axis, idx, indices.shape), data.data)];
  },
};
