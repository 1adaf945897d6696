/** EyeLike: a 2-D tensor shaped like the input with ones on the k-th diagonal (dtype from `dtype`, else the input's). */
import type { DType } from "../ir/tensor.js";
import { dtypeFromOnnx } from "../onnx/dtypes.js";
import { type OpContext, type OpDef, required, shapeError } from "./op.js";

function dtypeOf(ctx: OpContext, input: DType): DType {
  if (!ctx.attrs.has("dtype")) return input;
  return dtypeFromOnnx(ctx.attrs.int("dtype"), "the dtype attribute", { file: ctx.source, node: ctx.node.name, op: ctx.node.opType });
}

export const EyeLike_9: OpDef = {
  opType: "EyeLike",
  sinceVersion: 9,
  infer(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    if (x.shape.length !== 2) throw shapeError(ctx, "input must be 2-D", "rank 2", `rank ${x.shape.length}`);
    return [{ dtype: dtypeOf(ctx, x.dtype), shape: [...x.shape] }];
  },
  shapeOnly: true,
  run(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    const [rows, cols] = x.shape as [number, number];
    const k = ctx.attrs.int("k", 0);
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) if (r + k >= 0 && r + k < cols) out[r * cols + r + k] = 1;
    return [{ dtype: dtypeOf(ctx, x.dtype), shape: [rows, cols], data: out }];
  },
};
