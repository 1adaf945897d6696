/**
 * Mod (opset 10): with fmod=0 (integers only) the remainder takes the divisor's sign (Python
 * `%`); with fmod=1 it takes the dividend's sign (C `fmod`, required for floats).
 */
import type { DType } from "../ir/tensor.js";
import type { OpContext } from "./op.js";
import { attributeError, binaryOp, isIntegerDType } from "./util/elementwise.js";

function mod(ctx: OpContext, dtype: DType): (a: number, b: number) => number {
  const fmod = ctx.attrs.int("fmod", 0);
  if (fmod !== 0 && fmod !== 1) throw attributeError(ctx, "fmod", "0 or 1", String(fmod));
  if (fmod === 1) return (a, b) => a % b; // JS % is C fmod
  if (!isIntegerDType(dtype)) throw attributeError(ctx, "fmod", `1 for the float dtype ${dtype}`, "0");
  return (a, b) => {
    if (b === 0) return 0; // undefined in ONNX; numpy gives 0
    const r = a % b;
    return r !== 0 && r < 0 !== b < 0 ? r + b : r;
  };
}

export const Mod_10 = binaryOp({ opType: "Mod", sinceVersion: 10, fn: mod });
