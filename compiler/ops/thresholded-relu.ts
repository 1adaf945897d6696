/** ThresholdedRelu: x for x > alpha, else 0 (alpha default 1; opset 10). */
import { unaryOp } from "./util/elementwise.js";

export const ThresholdedRelu_10 = unaryOp({
  opType: "ThresholdedRelu",
  sinceVersion: 10,
  dtypes: "float",
  fn: (ctx) => {
    const alpha = ctx.attrs.float("alpha", 1);
    return (x) => (x > alpha ? x : 0);
  },
});
