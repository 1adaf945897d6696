/** IsNaN: true where x is NaN (opset 9). */
import { unaryOp } from "./util/elementwise.js";

export const IsNaN_9 = unaryOp({
  opType: "IsNaN",
  sinceVersion: 9,
  dtypes: "float",
  outDType: "bool",
  fn: () => (x) => (Number.isNaN(x) ? 1 : 0),
});
