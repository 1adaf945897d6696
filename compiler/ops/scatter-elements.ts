/**
 * ScatterElements: a copy of data where, for each element of updates, the position with the axis
 * coordinate taken from indices is replaced by (or, from opset 16, reduced with) that update.
 * Scatter-9 is the same op under its old name.
 */
import { isFloat, shapeToString } from "../ir/tensor.js";
import { gatherElementsMap } from "./gather-elements.js";
import { type OpDef, normaliseAxis, required, shapeError } from "./op.js";
import { type ScatterReduction, reduceInto, scatterReduction } from "./util/scatter.js";

function scatterElements(opType: string, since: number, allowed: readonly ScatterReduction[]): OpDef {
  return {
    opType,
    sinceVersion: since,
    infer(inputs, ctx) {
      const data = required(ctx, inputs, 0);
      const indices = required(ctx, inputs, 1);
      const updates = required(ctx, inputs, 2);
      scatterReduction(ctx, allowed);
      normaliseAxis(ctx, ctx.attrs.int("axis", 0), data.shape.length);
      if (isFloat(indices.dtype) || indices.dtype === "bool") throw shapeError(ctx, "indices must be integers", "int64", indices.dtype);
      if (shapeToString(indices.shape) !== shapeToString(updates.shape) || indices.shape.length !== data.shape.length) {
        throw shapeError(ctx, "indices and updates must have one shape, of the rank of data", shapeToString(indices.shape), shapeToString(updates.shape));
      }
      if (updates.dtype !== data.dtype) throw shapeError(ctx, "updates must have the dtype of data", data.dtype, updates.dtype);
      return [{ dtype: data.dtype, shape: [...data.shape] }];
    },
    run(inputs, ctx) {
      const data = required(ctx, inputs, 0);
      const indices = required(ctx, inputs, 1);
      const updates = required(ctx, inputs, 2);
      const r = scatterReduction(ctx, allowed);
      const axis = normaliseAxis(ctx, ctx.attrs.int("axis", 0), data.shape.length);
      // the positions GatherElements would read are exactly the ones this scatter writes
      const target = gatherElementsMap(ctx, data.shape, axis, indices).src;
      const out = Float64Array.from(data.data);
      for (let i = 0; i < target.length; i++) out[target[i]!] = reduceInto(r, data.dtype, out[target[i]!]!, updates.data[i]!);
      return [{ dtype: data.dtype, shape: [...data.shape], data: out }];
    },
  };
}

/** Scatter-9 (deprecated name, same semantics as ScatterElements-11). */
export const Scatter_9: OpDef = scatterElements("Scatter", 9, ["none"]);
export const ScatterElements_11: OpDef = scatterElements("ScatterElements", 11, ["none"]);
/** ScatterElements-16: add and mul reductions. */
export const ScatterElements_16: OpDef = scatterElements("ScatterElements", 16, ["none", "add", "mul"]);
/** ScatterElements-18: max and min reductions. */
export const ScatterElements_18: OpDef = scatterElements("ScatterElements", 18, ["none", "add", "mul", "max", "min"]);
