/** Mish: x * tanh(softplus(x)) (opset 18). */
import { softplus } from "./softplus.js";
import { unaryOp } from "./util/elementwise.js";

export const Mish_18 = unaryOp({
  opType: "Mish",
  sinceVersion: 18,
  dtypes: "float",
  fn: () => (x) => x * Math.tanh(softplus(x)),
});
