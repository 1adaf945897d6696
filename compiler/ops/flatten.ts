/** Flatten: [d0..d(axis-1)] x [d(axis)..] to a matrix; axis in [-rank, rank] (negative from opset 11). */
import { sizeOf } from "../ir/tensor.js";
import { type OpContext, type OpDef, required, shapeError } from "./op.js";

function flatShape(shape: readonly number[], ctx: OpContext): number[] {
  const r = shape.length;
  const raw = ctx.attrs.int("axis", 1);
  const axis = raw < 0 ? raw + r : raw;
  if (axis < 0 || axis > r) throw shapeError(ctx, `axis ${raw} is out of range for rank ${r}`, `-${r} <= axis <= ${r}`, String(raw));
  return [sizeOf(shape.slice(0, axis)), sizeOf(shape.slice(axis))];
}

export const Flatten_1: OpDef = {
  opType: "Flatten",
  sinceVersion: 1,
  infer(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    return [{ dtype: x.dtype, shape: flatShape(x.shape, ctx) }];
  },
  run(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    return [{ dtype: x.dtype, shape: flatShape(x.shape, ctx), data: x.data }];
  },
};
