/** Identity: the output is the input. */
import { type OpDef, required } from "./op.js";

export const Identity_1: OpDef = {
  opType: "Identity",
  sinceVersion: 1,
  infer(inputs, ctx) {
    const x = required(ctx, inputs, 0);
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
  run(inputs, ctx) {
    return [required(ctx, inputs, 0)];
  },
};
