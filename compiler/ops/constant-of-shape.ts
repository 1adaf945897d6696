/** ConstantOfShape: a tensor of the given (compile-time) shape filled with `value` (default float 0). */
import { type Tensor, sizeOf, tensorOf } from "../ir/tensor.js";
import { type InputInfo, type OpContext, type OpDef, constantInput, shapeError } from "./op.js";
import { asInfos, intList } from "./util/shape-args.js";

function plan(inputs: (InputInfo | undefined)[], ctx: OpContext): { shape: number[]; value: Tensor } {
  const shape = intList(constantInput(ctx, inputs, 0, "the output shape"));
  if (shape.some((d) => d < 0 || !Number.isInteger(d))) throw shapeError(ctx, "the output shape has negative dims", "dims >= 0", `[${shape.join(", ")}]`);
  const value = ctx.attrs.tensor("value", tensorOf("float32", [1], [0]));
  if (value.data.length !== 1) throw shapeError(ctx, "value must hold exactly one element", "1 element", `${value.data.length}`);
  return { shape, value };
}

export const ConstantOfShape_9: OpDef = {
  opType: "ConstantOfShape",
  sinceVersion: 9,
  infer(inputs, ctx) {
    const { shape, value } = plan(inputs, ctx);
    return [{ dtype: value.dtype, shape }];
  },
  run(inputs, ctx) {
    const { shape, value } = plan(asInfos(inputs), ctx);
    return [{ dtype: value.dtype, shape, data: new Float64Array(sizeOf(shape)).fill(value.data[0]!) }];
  },
};
