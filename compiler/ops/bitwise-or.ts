/** BitwiseOr (opset 18): bitwise or of two integer tensors, numpy broadcasting. */
import type { DType } from "../ir/tensor.js";
import type { OpContext } from "./op.js";
import { binaryOp, wrapBigInt } from "./util/elementwise.js";

const bitwise = (_ctx: OpContext, dtype: DType) => (a: number, b: number) => wrapBigInt(dtype, BigInt(a) | BigInt(b));

export const BitwiseOr_18 = binaryOp({ opType: "BitwiseOr", sinceVersion: 18, dtypes: "integer", fn: bitwise });
