/** Size: the input's element count as an int64 scalar. Depends on shapes only. */
import { sizeOf, tensorOf } from "../ir/tensor.js";
import { type OpDef, required } from "./op.js";

export const Size_1: OpDef = {
  opType: "Size",
  sinceVersion: 1,
  shapeOnly: true,
  infer() {
    return [{ dtype: "int64", shape: [] }];
  },
  run(inputs, ctx) {
    return [tensorOf("int64", [], [sizeOf(required(ctx, inputs, 0).shape)])];
  },
};
