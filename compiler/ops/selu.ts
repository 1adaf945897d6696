/** Selu: gamma * (x for x > 0, alpha * (e^x - 1) otherwise), defaults are the float32 constants of the spec. */
import { unaryOp } from "./util/elementwise.js";

export const Selu_1 = unaryOp({
  opType: "Selu",
  sinceVersion: 1,
  dtypes: "float",
  fn: (ctx) => {
    const alpha = ctx.attrs.float("alpha", Math.fround(1.67326319217681884765625));
    const gamma = ctx.attrs.float("gamma", Math.fround(1.05070102214813232421875));
    return (x) => gamma * (x > 0 ? x : alpha * Math.expm1(x));
  },
});
