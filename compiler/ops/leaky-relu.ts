/** LeakyRelu: x for x >= 0, alpha * x below (alpha default 0.01). */
import { unaryOp } from "./util/elementwise.js";

export const LeakyRelu_1 = unaryOp({
  opType: "LeakyRelu",
  sinceVersion: 1,
  dtypes: "float",
  fn: (ctx) => {
    const alpha = ctx.attrs.float("alpha", Math.fround(0.01));
    return (x) => (x < 0 ? alpha * x : x);
  },
});
