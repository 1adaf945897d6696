/** IsInf: true where x is +inf (if detect_positive) or -inf (if detect_negative); both default on (opset 10). */
import { unaryOp } from "./util/elementwise.js";

export const IsInf_10 = unaryOp({
  opType: "IsInf",
  sinceVersion: 10,
  dtypes: "float",
  outDType: "bool",
  fn: (ctx) => {
    const pos = ctx.attrs.int("detect_positive", 1) !== 0;
    const neg = ctx.attrs.int("detect_negative", 1) !== 0;
    return (x) => ((pos && x === Infinity) || (neg && x === -Infinity) ? 1 : 0);
  },
});
