/** Shape: the input's shape as int64 (from opset 15, the slice [start, end) of it). Depends on shapes only. */
import { tensorOf } from "../ir/tensor.js";
import { type OpContext, type OpDef, required } from "./op.js";

function dims(shape: readonly number[], ctx: OpContext, sliced: boolean): number[] {
  if (!sliced) return [...shape];
  const r = shape.length;
  const clamp = (x: number) => Math.min(r, Math.max(0, x < 0 ? x + r : x));
  const start = clamp(ctx.attrs.int("start", 0));
  const end = ctx.attrs.has("end") ? clamp(ctx.attrs.int("end")) : r;
  return shape.slice(start, Math.max(start, end));
}

function shapeOp(since: number, sliced: boolean): OpDef {
  return {
    opType: "Shape",
    sinceVersion: since,
    shapeOnly: true,
    infer(inputs, ctx) {
      return [{ dtype: "int64", shape: [dims(required(ctx, inputs, 0).shape, ctx, sliced).length] }];
    },
    run(inputs, ctx) {
      const d = dims(required(ctx, inputs, 0).shape, ctx, sliced);
      return [tensorOf("int64", [d.length], d)];
    },
  };
}

export const Shape_1: OpDef = shapeOp(1, false);
/** Shape-15: start/end attributes (negative counts from the back, clamped). */
export const Shape_15: OpDef = shapeOp(15, true);
