/**
 * Gelu (opset 20): x * Phi(x) with `approximate="none"` (exact, via erf) or the tanh form
 * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) with `approximate="tanh"`.
 */
import { erf } from "./erf.js";
import { attributeError, unaryOp } from "./util/elementwise.js";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export function geluExact(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
}

export const Gelu_20 = unaryOp({
  opType: "Gelu",
  sinceVersion: 20,
  dtypes: "float",
  fn: (ctx) => {
    const approximate = ctx.attrs.string("approximate", "none");
    if (approximate === "none") return geluExact;
    if (approximate === "tanh") return geluTanh;
    throw attributeError(ctx, "approximate", `"none" or "tanh"`, JSON.stringify(approximate));
  },
});
