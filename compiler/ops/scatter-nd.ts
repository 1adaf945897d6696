/**
 * ScatterND: a copy of data with the slices addressed by indices [..., k] replaced by (or, from
 * opset 16, reduced with) the matching slices of updates. Updates apply in order.
 */
import { ZkcError } from "../errors.js";
import { isFloat, shapeToString, sizeOf, stridesOf } from "../ir/tensor.js";
import { type OpDef, required, shapeError } from "./op.js";
import { type ScatterReduction, reduceInto, scatterReduction } from "./util/scatter.js";

function scatterNd(since: number, allowed: readonly ScatterReduction[]): OpDef {
  return {
    opType: "ScatterND",
    sinceVersion: since,
    infer(inputs, ctx) {
      const data = required(ctx, inputs, 0);
      const indices = required(ctx, inputs, 1);
      const updates = required(ctx, inputs, 2);
      scatterReduction(ctx, allowed);
      if (isFloat(indices.dtype) || indices.dtype === "bool") throw shapeError(ctx, "indices must be integers", "int64", indices.dtype);
      const q = indices.shape.length;
      const k = indices.shape[q - 1] ?? 0;
      const want = [...indices.shape.slice(0, q - 1), ...data.shape.slice(k)];
      if (q < 1 || k > data.shape.length || shapeToString(updates.shape) !== shapeToString(want)) {
        throw shapeError(ctx, "updates do not match indices and data", shapeToString(want), shapeToString(updates.shape));
      }
      if (updates.dtype !== data.dtype) throw shapeError(ctx, "updates must have the dtype of data", data.dtype, updates.dtype);
      return [{ dtype: data.dtype, shape: [...data.shape] }];
    },
    run(inputs, ctx) {
      const data = required(ctx, inputs, 0);
      const indices = required(ctx, inputs, 1);
      const updates = required(ctx, inputs, 2);
      const r = scatterReduction(ctx, allowed);
      const k = indices.shape[indices.shape.length - 1]!;
      const strides = stridesOf(data.shape);
      const slice = sizeOf(data.shape.slice(k));
      const out = Float64Array.from(data.data);
      const tuples = k === 0 ? sizeOf(indices.shape.slice(0, -1)) : indices.data.length / k;
      for (let t = 0; t < tuples; t++) {
        let off = 0;
        for (let j = 0; j < k; j++) {
          const dim = data.shape[j]!;
          const v = indices.data[t * k + j]!;
          const i = v < 0 ? v + dim : v;
          if (i < 0 || i >= dim) {
            throw new ZkcError("INPUT", `index ${v} is out of range for an axis of size ${dim}`, { file: ctx.source, node: ctx.node.name, op: ctx.node.opType, hint: "the indices fed to this node are out of bounds" });
          }
          off += i * strides[j]!;
        }
        for (let e = 0; e < slice; e++) out[off + e] = reduceInto(r, data.dtype, out[off + e]!, updates.data[t * slice + e]!);
      }
      return [{ dtype: data.dtype, shape: [...data.shape], data: out }];
    },
  };
}

export const ScatterND_11: OpDef = scatterNd(11, ["none"]);
/** ScatterND-16: add and mul reductions. */
export const ScatterND_16: OpDef = scatterNd(16, ["none", "add", "mul"]);
/** ScatterND-18: max and min reductions. */
export const ScatterND_18: OpDef = scatterNd(18, ["none", "add", "mul", "max", "min"]);
