/** Sigmoid: 1 / (1 + e^-x). */
import { unaryOp } from "./util/elementwise.js";

/** Logistic function, written so that neither branch overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export const Sigmoid_1 = unaryOp({ opType: "Sigmoid", sinceVersion: 1, dtypes: "float", fn: () => sigmoid });
