/** GreaterOrEqual: element-wise `a >= b` as a bool tensor, numpy broadcasting (opset 12). */
import { binaryOp } from "./util/elementwise.js";

export const GreaterOrEqual_12 = binaryOp({
  opType: "GreaterOrEqual",
  sinceVersion: 12,
  dtypes: "numeric",
  outDType: "bool",
  fn: () => (a, b) => (a >= b ? 1 : 0),
});
