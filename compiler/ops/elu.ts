/** Elu: x for x >= 0, alpha * (e^x - 1) below (alpha default 1). */
import { unaryOp } from "./util/elementwise.js";

export const Elu_1 = unaryOp({
  opType: "Elu",
  sinceVersion: 1,
  dtypes: "float",
  fn: (ctx) => {
    const alpha = ctx.attrs.float("alpha", 1);
    return (x) => (x < 0 ? alpha * Math.expm1(x) : x);
  },
});
