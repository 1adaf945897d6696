/** Binarizer (ai.onnx.ml 1): Y = X > threshold ? 1 : 0, in X's type. */
import { type Tensor, tensor } from "../../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, type OutputInfo, required, unsupported } from "../op.js";
import { ML } from "./common.js";

export const Binarizer_1: OpDef = {
  opType: "Binarizer",
  domain: ML,
  sinceVersion: 1,
  infer(inputs: (InputInfo | undefined)[], ctx: OpContext): OutputInfo[] {
    const x = required(ctx, inputs, 0);
    if (!["float32", "float64", "int64", "int32"].includes(x.dtype)) throw unsupported(ctx, `Binarizer of ${x.dtype}`, "cast the input to float");
    ctx.attrs.float("threshold", 0);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
  run(inputs: (Tensor | undefined)[], ctx: OpContext): Tensor[] {
    const x = required(ctx, inputs, 0);
    const threshold = ctx.attrs.float("threshold", 0);
    return [tensor(x.dtype, x.shape, x.data.map((v) => (v > threshold ? 1 : 0)))];
  },
};
