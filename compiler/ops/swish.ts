/** Swish: x * sigmoid(alpha * x), alpha default 1 (opset 24; SiLU when alpha = 1). */
import { unaryOp } from "./util/elementwise.js";

export const Swish_24 = unaryOp({
  opType: "Swish",
  sinceVersion: 24,
  dtypes: "float",
  fn: (ctx) => {
    const alpha = ctx.attrs.float("alpha", 1);
    return (x) => x / (1 + Math.exp(-alpha * x));
  },
});
