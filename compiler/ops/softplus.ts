/** Softplus: ln(1 + e^x). */
import { unaryOp } from "./util/elementwise.js";

/** ln(1 + e^x) without overflow for large x. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export const Softplus_1 = unaryOp({ opType: "Softplus", sinceVersion: 1, dtypes: "float", fn: () => softplus });
