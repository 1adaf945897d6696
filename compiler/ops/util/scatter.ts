/** Shared reduction rule for ScatterND and ScatterElements (none, add, mul, max, min). */
import { type DType, storeAs } from "../../ir/tensor.js";
import { type OpContext, unsupported } from "../op.js";

export type ScatterReduction = "none" | "add" | "mul" | "max" | "min";

/** The reduction attribute, checked against what the op version allows. */
export function scatterReduction(ctx: OpContext, allowed: readonly ScatterReduction[]): ScatterReduction {
  const r = ctx.attrs.string("reduction", "none") as ScatterReduction;
  if (!allowed.includes(r)) throw unsupported(ctx, `reduction "${r}" is not supported at this opset`, `allowed: ${allowed.join(", ")}`);
  return r;
}

/** Combines the current value with an update, rounded to the dtype. */
export function reduceInto(r: ScatterReduction, dtype: DType, cur: number, upd: number): number {
  switch (r) {
    case "none":
      return upd;
    case "add":
      return storeAs(dtype, cur + upd);
    case "mul":
      return storeAs(dtype, cur * upd);
    case "max":
      return Math.max(cur, upd);
    case "min":
      return Math.min(cur, upd);
  }
}
