/** BitwiseNot (opset 18): bitwise complement of an integer tensor. */
import { unaryOp, wrapBigInt } from "./util/elementwise.js";

export const BitwiseNot_18 = unaryOp({
  opType: "BitwiseNot",
  sinceVersion: 18,
  dtypes: "integer",
  fn: (_ctx, dtype) => (x) => wrapBigInt(dtype, ~BigInt(x)),
});
