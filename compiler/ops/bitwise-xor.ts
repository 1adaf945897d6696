/** BitwiseXor (opset 18): bitwise xor of two integer tensors, numpy broadcasting. */
import type { DType } from "../ir/tensor.js";
import type { OpContext } from "./op.js";
import { binaryOp, wrapBigInt } from "./util/elementwise.js";

const bitwise = (_ctx: OpContext, dtype: DType) => (a: number, b: number) => wrapBigInt(dtype, BigInt(a) ^ BigInt(b));

export const BitwiseXor_18 = binaryOp({ opType: "BitwiseXor", sinceVersion: 18, dtypes: "integer", fn: bitwise });
