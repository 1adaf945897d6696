/** HardSigmoid: clamp(alpha * x + beta, 0, 1), alpha default 0.2, beta default 0.5. */
import { unaryOp } from "./util/elementwise.js";

export const HardSigmoid_1 = unaryOp({
  opType: "HardSigmoid",
  sinceVersion: 1,
  dtypes: "float",
  fn: (ctx) => {
    const alpha = ctx.attrs.float("alpha", Math.fround(0.2));
    const beta = ctx.attrs.float("beta", 0.5);
    return (x) => Math.max(0, Math.min(1, alpha * x + beta));
  },
});
