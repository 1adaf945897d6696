/** LessOrEqual: element-wise `a <= b` as a bool tensor, numpy broadcasting (opset 12). */
import { binaryOp } from "./util/elementwise.js";

export const LessOrEqual_12 = binaryOp({
  opType: "LessOrEqual",
  sinceVersion: 12,
  dtypes: "numeric",
  outDType: "bool",
  fn: () => (a, b) => (a <= b ? 1 : 0),
});
