/**
 * BitShift (opset 11): shifts unsigned integers left or right (`direction` "LEFT" | "RIGHT") by
 * the amounts in input 1, numpy broadcasting; bits shifted past the dtype's width are lost.
 */
import type { DType } from "../ir/tensor.js";
import type { OpContext } from "./op.js";
import { attributeError, binaryOp, dtypeError, isIntegerDType, wrapBigInt } from "./util/elementwise.js";

function shift(ctx: OpContext, dtype: DType): (a: number, b: number) => number {
  if (!isIntegerDType(dtype) || !dtype.startsWith("uint")) {
    throw dtypeError(ctx, "BitShift takes unsigned integers only", "uint8, uint16, uint32 or uint64", dtype);
  }
  const direction = ctx.attrs.string("direction");
  if (direction === "LEFT") return (a, b) => wrapBigInt(dtype, BigInt(a) << BigInt(b));
  if (direction === "RIGHT") return (a, b) => wrapBigInt(dtype, BigInt(a) >> BigInt(b));
  throw attributeError(ctx, "direction", `"LEFT" or "RIGHT"`, JSON.stringify(direction));
}

export const BitShift_11 = binaryOp({ opType: "BitShift", sinceVersion: 11, dtypes: "integer", fn: shift });
