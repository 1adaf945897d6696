/** CastLike: Cast to the dtype of the second input. */
import { castTensor } from "./cast.js";
import { type OpDef, required } from "./op.js";

export const CastLike_15: OpDef = {
  opType: "CastLike",
  sinceVersion: 15,
  // the target only gives the dtype: a constant cast to a runtime tensor's type is a constant
  typeOnlyInputs: [1],
  infer(inputs, ctx) {
    return [{ dtype: required(ctx, inputs, 1).dtype, shape: [...required(ctx, inputs, 0).shape] }];
  },
  run(inputs, ctx) {
    return [castTensor(required(ctx, inputs, 0), required(ctx, inputs, 1).dtype)];
  },
};
