/** Shrink: x + bias below -lambd, x - bias above lambd, 0 between (opset 9). */
import { unaryOp } from "./util/elementwise.js";

export const Shrink_9 = unaryOp({
  opType: "Shrink",
  sinceVersion: 9,
  fn: (ctx) => {
    const lambd = ctx.attrs.float("lambd", 0.5);
    const bias = ctx.attrs.float("bias", 0);
    return (x) => (x < -lambd ? x + bias : x > lambd ? x - bias : 0);
  },
});
