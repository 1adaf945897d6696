/** Celu: max(0, x) + min(0, alpha * (e^(x / alpha) - 1)), alpha default 1 (opset 12). */
import { unaryOp } from "./util/elementwise.js";

export const Celu_12 = unaryOp({
  opType: "Celu",
  sinceVersion: 12,
  dtypes: "float",
  fn: (ctx) => {
    const alpha = ctx.attrs.float("alpha", 1);
    return (x) => Math.max(0, x) + Math.min(0, alpha * Math.expm1(x / alpha));
  },
});
